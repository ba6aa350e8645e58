// The persona bootstrap helpers: a deterministic PRNG stream and numpy-style percentile intervals.
import StickPsychometrics
import StickRandom
import StickTestSupport
import Testing

@Suite struct BootstrapTests {
    @Test func generatorMatchesIndependentImplementation() {
        // Reference values from a separate Python transcription of SplitMix64 seeding + xoshiro256**
        // + Lemire bounded integers (the algorithm as documented in Bootstrap.swift).
        var g = Xoshiro256StarStar(seed: 0)
        #expect([g.next(), g.next(), g.next()] == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0])
        var h = Xoshiro256StarStar(seed: 42)
        #expect((0..<10).map { _ in h.nextIndex(below: 50) } == [4, 18, 34, 46, 49, 38, 35, 42, 38, 29])
        #expect(Bootstrap.resamples(count: 1, size: 50, seed: 42)[0].prefix(10) == [4, 18, 34, 46, 49, 38, 35, 42, 38, 29])
    }

    @Test func resamplesAreDeterministicAndInRange() {
        let a = Bootstrap.resamples(count: 200, size: 50, seed: 12345)
        let b = Bootstrap.resamples(count: 200, size: 50, seed: 12345)
        #expect(a == b)
        #expect(a.count == 200 && a.allSatisfy { $0.count == 50 })
        #expect(a.joined().allSatisfy { (0..<50).contains($0) })
        // Every persona index occurs (10 000 draws over 50 indices) and replicates differ.
        #expect(Set(a.joined()).count == 50)
        #expect(Set(a).count == 200)
        // Replicate b does not depend on how many replicates are requested.
        #expect(Array(Bootstrap.resamples(count: 1000, size: 50, seed: 12345).prefix(200)) == a)
        #expect(Bootstrap.resamples(count: 3, size: 0, seed: 1) == [[], [], []])
    }

    @Test func differentSeedsDiffer() {
        let a = Bootstrap.resamples(count: 10, size: 50, seed: 1)
        let b = Bootstrap.resamples(count: 10, size: 50, seed: 2)
        #expect(a != b)
        #expect(zip(a, b).allSatisfy { $0 != $1 })
    }

    @Test func percentileIntervalByHand() {
        // NaN ignored → [1, 2, 3, 4, 5], n = 5. level 0.5 → q = 0.25, 0.75:
        // h = 4·0.25 = 1 → 2; h = 4·0.75 = 3 → 4.
        let a = Bootstrap.percentileInterval([5, .nan, 3, 1, 4, 2], level: 0.5)
        #expect(a.lower == 2 && a.upper == 4)
        // [10, 20, 30, 40], level 0.8 → q = 0.1, 0.9: h = 0.3 → 10 + 0.3·10 = 13; h = 2.7 → 40 − 0.3·10 = 37.
        let b = Bootstrap.percentileInterval([40, 10, 30, 20], level: 0.8)
        #expect(abs(b.lower - 13) < 1e-12 && abs(b.upper - 37) < 1e-12)
        // np.nanpercentile(range(1001), [2.5, 97.5]) = [25, 975].
        let c = Bootstrap.percentileInterval((0...1000).map(Double.init), level: 0.95)
        #expect(abs(c.lower - 25) < 1e-9 && abs(c.upper - 975) < 1e-9)
        #expect(Bootstrap.nanQuantile([3, 1, 2], 0.5) == 2)
        #expect(Bootstrap.nanQuantile([3, 1, 2], 0) == 1 && Bootstrap.nanQuantile([3, 1, 2], 1) == 3)
        // One number: both ends are that number.
        let single = Bootstrap.percentileInterval([.nan, 7, .nan], level: 0.95)
        #expect(single.lower == 7 && single.upper == 7)
    }

    @Test func percentileIntervalAllNaN() {
        let all = Bootstrap.percentileInterval([.nan, .nan], level: 0.95)
        #expect(all.lower.isNaN && all.upper.isNaN)
        let none = Bootstrap.percentileInterval([], level: 0.9)
        #expect(none.lower.isNaN && none.upper.isNaN)
    }
}
