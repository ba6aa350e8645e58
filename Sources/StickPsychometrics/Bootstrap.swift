// Persona bootstrap helpers: deterministic resample indices from a small local PRNG (no global state,
// no dependence on Swift's unspecified `random(in:)` algorithm) and numpy-style percentile intervals.

public enum Bootstrap {
    /// xoshiro256** 1.0 (Blackman & Vigna), seeded by expanding a 64-bit seed through SplitMix64, as its
    /// authors recommend. Chosen because it is tiny, fast, well tested and easy to re-implement
    /// elsewhere (e.g. to cross-check a bootstrap in Python) from this description alone.
    public struct Generator: RandomNumberGenerator, Sendable {
        private var s0, s1, s2, s3: UInt64

        public init(seed: UInt64) {
            var sm = seed
            // SplitMix64: state += 0x9E3779B97F4A7C15, then the variant-13 mix of the new state.
            func splitMix() -> UInt64 {
                sm &+= 0x9E37_79B9_7F4A_7C15
                var z = sm
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
            s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
        }

        public mutating func next() -> UInt64 {
            let result = rotl(s1 &* 5, 7) &* 9
            let t = s1 << 17
            s2 ^= s0
            s3 ^= s1
            s1 ^= s2
            s0 ^= s3
            s2 ^= t
            s3 = rotl(s3, 45)
            return result
        }

        /// Uniform integer in 0..<bound without modulo bias: Lemire's multiply-shift (the high 64 bits
        /// of next() · bound), redrawing while the low 64 bits are below (2⁶⁴ − bound) mod bound.
        public mutating func nextIndex(below bound: Int) -> Int {
            precondition(bound > 0, "bound must be positive")
            let b = UInt64(bound)
            var m = next().multipliedFullWidth(by: b)
            if m.low < b {
                let threshold = (0 &- b) % b
                while m.low < threshold { m = next().multipliedFullWidth(by: b) }
            }
            return Int(m.high)
        }

        @inline(__always)
        private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
    }

    /// `count` resamples of `size` indices, each drawn with replacement from 0..<size (persona rows).
    /// One generator seeded with `seed` produces replicate 0's indices in order, then replicate 1's, …,
    /// so the result depends only on (count, size, seed) and replicate b is the same for any
    /// count > b. Generate up front and hand replicates to parallel workers to stay deterministic.
    public static func resamples(count: Int, size: Int, seed: UInt64) -> [[Int]] {
        precondition(count >= 0 && size >= 0, "counts must be non-negative")
        guard size > 0 else { return [[Int]](repeating: [], count: count) }
        var generator = Generator(seed: seed)
        return (0..<count).map { _ in (0..<size).map { _ in generator.nextIndex(below: size) } }
    }

    /// Equal-tailed percentile interval of bootstrap replicates: the (1 − level)/2 and (1 + level)/2
    /// quantiles with `nanQuantile`. NaN replicates are ignored (np.nanpercentile); all NaN (or none)
    /// → (NaN, NaN).
    public static func percentileInterval(_ samples: [Double], level: Double) -> (lower: Double, upper: Double) {
        precondition(level > 0 && level < 1, "level must be in (0, 1)")
        let sorted = samples.filter { !$0.isNaN }.sorted()
        return (quantile(sorted: sorted, (1 - level) / 2), quantile(sorted: sorted, (1 + level) / 2))
    }

    /// np.nanquantile(samples, q) with the default "linear" method, q in [0, 1]; NaN when no sample
    /// is a number.
    public static func nanQuantile(_ samples: [Double], _ q: Double) -> Double {
        quantile(sorted: samples.filter { !$0.isNaN }.sorted(), q)
    }

    /// numpy's linear quantile of ascending data: virtual index h = (n − 1)·q, clamped to the ends,
    /// and numpy's `_lerp` (a + (b − a)·t, or b − (b − a)·(1 − t) when t ≥ 0.5).
    private static func quantile(sorted a: [Double], _ q: Double) -> Double {
        precondition(q >= 0 && q <= 1, "quantile must be in [0, 1]")
        guard !a.isEmpty else { return .nan }
        let n = a.count
        let h = Double(n - 1) * q
        if h >= Double(n - 1) { return a[n - 1] }
        if h < 0 { return a[0] }
        let lowIndex = h.rounded(.down)
        let t = h - lowIndex
        let lo = a[Int(lowIndex)], hi = a[Int(lowIndex) + 1]
        let diff = hi - lo
        return t >= 0.5 ? hi - diff * (1 - t) : lo + diff * t
    }
}
