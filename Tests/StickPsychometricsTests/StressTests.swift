// Stress (metrics.md §4) against ../shared/fixtures/metrics (README §1.3, §1.4, §3): per-context stress
// within 1e-9, n_iter and the zero-δ pair count exact, the mean over contexts; plus independent checks
// of the isotonic regression, the distance formula and SMACOF properties that need no fixtures.
import Foundation
import StickPsychometrics
import StickRandom
import StickTestSupport
import Testing

/// Stress against the metric fixtures.
@Suite(
       .enabled(if: MetricFixtures.available, "shared/fixtures/metrics not found next to the package: fixture checks skipped"))
struct StressFixtureTests {
    static let tolerance = 1e-9

    @Test("per-context stress, n_iter, zero-δ pairs and mean", arguments: MetricFixtures.perModelCases)
    func fixtureCase(_ name: String) throws {
        let fixture = try MetricFixtures.load(name)
        for variant in StressVariant.allCases {
            var perContext: [Double] = []
            for context in fixture.contexts {
                let result = Stress.compute(answers: fixture.answers[context]!, keying: fixture.keying(context),
                                            variant: variant)
                let stress = result?.stress ?? .nan
                perContext.append(stress)
                let base = "stress/\(variant.rawValue)"
                let expected = try #require(MetricFixtures.double(
                    MetricFixtures.value(fixture.expected, "\(base)/per_context/\(context)")))
                #expect(MetricFixtures.matches(stress, expected, tolerance: Self.tolerance),
                        "\(name) \(context) \(variant): stress \(stress), expected \(expected)")
                let expectedIterations = MetricFixtures.value(fixture.expected, "\(base)/n_iter/\(context)")
                if let iterations = (expectedIterations as? NSNumber)?.intValue {
                    #expect(result?.iterations == iterations,
                            "\(name) \(context) \(variant): n_iter \(result?.iterations ?? -1), expected \(iterations)")
                } else {
                    #expect(result == nil, "\(name) \(context) \(variant): expected no SMACOF run (n_iter null)")
                }
                if let zeros = (MetricFixtures.value(fixture.expected, "stress/zero_dissimilarity_pairs/\(context)")
                                as? NSNumber)?.intValue {
                    let input = try #require(StressInput(answers: fixture.answers[context]!, keying: fixture.keying(context)))
                    #expect(input.zeroDissimilarityPairs == zeros,
                            "\(name) \(context): zero-δ pairs \(input.zeroDissimilarityPairs), expected \(zeros)")
                    if let result { #expect(result.zeroDissimilarityPairs == zeros) }
                }
                if let result {
                    #expect(result.configuration.rows == fixture.keying(context).keyedItems.count)
                    #expect(result.configuration.cols == 2)
                }
            }
            // The mean over contexts, NaN propagating (plain mean).
            let mean = perContext.reduce(0, +) / Double(perContext.count)
            let expectedMean = try #require(MetricFixtures.double(
                MetricFixtures.value(fixture.expected, "stress/\(variant.rawValue)/mean")))
            #expect(MetricFixtures.matches(mean, expectedMean, tolerance: Self.tolerance),
                    "\(name) \(variant): mean \(mean), expected \(expectedMean)")
        }
    }

    @Test("final configuration (MDS.embedding_) of seed0/chunk_0 matches scikit-learn")
    func configuration() throws {
        // embedding_ rows 0, 1, 2 and 39 from scikit-learn 1.6.1 (legacy) and 1.7.2 (v17), same setup as
        // StressSyntheticTests.expected; they are bit-identical here, asserted to 1e-12.
        let expected: [StressVariant: [[Double]]] = [
            .legacy: [[-0.2315989302705261, 0.41520000281829716], [-0.16185310649160156, -0.5580775915332097],
                      [0.06763915085251723, 0.4872731118582955], [0.11233470684249583, 0.4830012997327443]],
            .v17: [[-0.34672171869331864, 0.5457480708461574], [-0.2925195701324585, -0.7732741977698927],
                   [0.04286886148797983, 0.6748187536317367], [0.1832725454930113, 0.6640405317198131]],
        ]
        let fixture = try MetricFixtures.load("seed0")
        let input = try #require(StressInput(answers: fixture.answers["chunk_0"]!, keying: fixture.keying("chunk_0")))
        for (variant, rows) in expected {
            let result = try #require(input.run(variant))
            for (row, point) in zip([0, 1, 2, 39], rows) {
                #expect(abs(result.configuration[row, 0] - point[0]) <= 1e-12, "\(variant) row \(row) x")
                #expect(abs(result.configuration[row, 1] - point[1]) <= 1e-12, "\(variant) row \(row) y")
            }
        }
    }

    @Test("degenerate context (all δ = 0) gives no result and counts every pair")
    func degenerate() throws {
        let fixture = try MetricFixtures.load("degenerate_context")
        let answers = try #require(fixture.answers["chunk_2"])
        let keying = fixture.keying("chunk_2")
        for variant in StressVariant.allCases {
            #expect(Stress.compute(answers: answers, keying: keying, variant: variant) == nil)
        }
        let correlations = Stress.itemCorrelations(answers.selectingColumns(keying.keyedItems))
        #expect(correlations.storage.allSatisfy { $0 == 1 }, "all items constant → every correlation overridden to 1")
        let input = try #require(StressInput(answers: answers, keying: keying))
        #expect(input.zeroDissimilarityPairs == 40 * 39 / 2)
        #expect(input.run(.legacy) == nil && input.run(.v17) == nil)
    }

    @Test("timing: mean ms per context per variant (printed, not asserted)")
    func timing() throws {
        let fixture = try MetricFixtures.load("seed0")
        let clock = ContinuousClock()
        func milliseconds(_ d: Duration) -> Double {
            Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
        }
        let repeats = 5
        let runs = Double(repeats * fixture.contexts.count)
        var sink = 0.0
        for variant in StressVariant.allCases {
            let elapsed = clock.measure {
                for _ in 0..<repeats {
                    for context in fixture.contexts {
                        sink += Stress.compute(answers: fixture.answers[context]!, keying: fixture.keying(context),
                                               variant: variant)?.stress ?? 0
                    }
                }
            }
            print("Stress timing: compute(\(variant.rawValue)) \(String(format: "%.3f", milliseconds(elapsed) / runs)) ms per context")
        }
        // The split: correlations + δ (shared by both variants via StressInput) vs each SMACOF.
        var inputs: [StressInput] = []
        let prepare = clock.measure {
            for _ in 0..<repeats {
                inputs = fixture.contexts.compactMap { StressInput(answers: fixture.answers[$0]!, keying: fixture.keying($0)) }
            }
        }
        print("Stress timing: StressInput (correlations + δ) \(String(format: "%.3f", milliseconds(prepare) / runs)) ms per context")
        for variant in StressVariant.allCases {
            let elapsed = clock.measure {
                for _ in 0..<repeats { for input in inputs { sink += input.run(variant)?.stress ?? 0 } }
            }
            print("Stress timing: SMACOF \(variant.rawValue) \(String(format: "%.3f", milliseconds(elapsed) / runs)) ms per context")
        }
        #expect(sink.isFinite)
    }
}

/// Stress building blocks.
@Suite struct StressUnitTests {
    @Test("isotonic: already monotone input is unchanged")
    func monotone() {
        let x = [3.0, 1.0, 2.0, 5.0, 4.0]
        let y = [30.0, 10.0, 20.0, 50.0, 40.0]
        #expect(Stress.isotonic(x: x, y: y) == y)
    }

    @Test("isotonic: violators are pooled into their mean")
    func violators() {
        // sorted by x: y = 1, 3, 2, 4 → the violating pair (3, 2) becomes 2.5, 2.5.
        #expect(Stress.isotonic(x: [1, 2, 3, 4], y: [1, 3, 2, 4]) == [1, 2.5, 2.5, 4])
        // sklearn docstring example: isotonic_regression([5, 3, 1, 2, 8, 10, 7, 9, 6, 4]).
        let fitted = Stress.isotonic(x: (0..<10).map(Double.init), y: [5, 3, 1, 2, 8, 10, 7, 9, 6, 4])
        let upper: Double = 44.0 / 6
        let expected: [Double] = [2.75, 2.75, 2.75, 2.75] + [Double](repeating: upper, count: 6)
        for (a, b) in zip(fitted, expected) { #expect(abs(a - b) < 1e-12) }
        // A long decreasing run pools into one block.
        #expect(Stress.isotonic(x: [1, 2, 3], y: [3, 2, 1]) == [2, 2, 2])
    }

    @Test("isotonic: tied x get one pooled value (secondary approach to ties)")
    func ties() {
        // x = 1 twice with y 5 and 1: pooled to 3 even though the other points are monotone.
        #expect(Stress.isotonic(x: [1, 1, 2], y: [5, 1, 4]) == [3, 3, 4])
        // Tied x whose pooled mean violates the next point are pooled with it (weights count).
        #expect(Stress.isotonic(x: [2, 1, 1], y: [1, 4, 4]) == [3, 3, 3])
        // x closer than 1e-15 counts as a tie too (sklearn's _make_unique).
        let near = Stress.isotonic(x: [1, 1 + 4.440892098500626e-16, 2], y: [2, 0, 5])
        #expect(near[0] == 1 && near[2] == 5)
        // The second x is not the group's threshold: np.interp places it on the segment towards x = 2.
        #expect(near[1] == 4 * 4.440892098500626e-16 + 1)
    }

    @Test("isotonic: empty and single input")
    func small() {
        #expect(Stress.isotonic(x: [], y: []) == [])
        #expect(Stress.isotonic(x: [7], y: [2]) == [2])
    }

    @Test("euclideanDistances matches the direct formula and has a zero diagonal")
    func distances() {
        var generator = SplitMix(seed: 42)
        let rows = 7, cols = 5
        let x = Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in generator.nextUnit() * 2 - 1 })
        let d = Stress.euclideanDistances(x)
        for i in 0..<rows {
            #expect(d[i, i] == 0)
            for j in 0..<rows where j != i {
                let direct = (0..<cols).reduce(0.0) { $0 + (x[i, $1] - x[j, $1]) * (x[i, $1] - x[j, $1]) }.squareRoot()
                #expect(abs(d[i, j] - direct) < 1e-12)
                #expect(abs(d[i, j] - d[j, i]) < 1e-15)
            }
        }
        // Identical rows: the formula can round to a tiny negative number, which is clamped to 0.
        let same = Matrix([[0.1, 0.7, 0.3], [0.1, 0.7, 0.3]])
        #expect(Stress.euclideanDistances(same)[0, 1] == 0)
    }

    @Test("item correlations: override rule, symmetry, diagonal 1")
    func correlations() {
        // columns: varying, constant, constant, varying (reversed order of the first).
        let answers = Matrix([[1, 3, 2, 5], [2, 3, 2, 4], [3, 3, 2, 3], [4, 3, 2, 2], [5, 3, 2, 1]])
        let c = Stress.itemCorrelations(answers)
        #expect(c[0, 0] == 1 && c[1, 1] == 1)
        #expect(c[1, 2] == 1, "both constant → 1")
        #expect(c[0, 1] == 0 && c[2, 3] == 0, "one constant → 0")
        #expect(abs(c[0, 3] + 1) < 1e-15)
        #expect(c == c.transposed)
        // Agrees with the shared Spearman (same value up to the last-bit operation order).
        let mixed = Matrix([[1, 2], [2, 1], [3, 4], [4, 3], [5, 5], [1, 3]])
        let r = Stress.itemCorrelations(mixed)[0, 1]
        #expect(abs(r - Correlation.spearman(mixed.column(0), mixed.column(1))) < 1e-15)
    }

    @Test("SMACOF: stress ≥ 0; a configuration already monotone in δ has v17 stress ≈ 0")
    func smacofProperties() throws {
        var generator = SplitMix(seed: 7)
        let n = 12
        let points = Matrix(rows: n, cols: 2, storage: (0..<(2 * n)).map { _ in generator.nextUnit() * 2 - 1 })
        let distances = Stress.euclideanDistances(points)
        // δ = a linear transform of the start's distances: the start already fits (up to scale), so
        // both variants should report (numerically) zero stress.
        var linear = distances
        for k in linear.storage.indices { linear.storage[k] *= 3 }
        for variant in StressVariant.allCases {
            let fit = try #require(Stress.smacof(dissimilarities: linear, initial: points, variant: variant))
            #expect(fit.stress >= 0 && fit.stress < 1e-10, "\(variant) stress \(fit.stress)")
        }
        // δ = a non-linear monotone transform: non-metric MDS only sees the order, so v17 (which starts
        // from the metric δ and then fits the order) ends close to zero stress.
        var curved = distances
        for k in curved.storage.indices { curved.storage[k] = pow(curved.storage[k], 1.7) + 0.1 * curved.storage[k] }
        let v17 = try #require(Stress.smacof(dissimilarities: curved, initial: points, variant: .v17))
        #expect(v17.stress >= 0 && v17.stress < 0.01, "v17 stress \(v17.stress)")
        #expect(v17.iterations >= 1)
        let legacy = try #require(Stress.smacof(dissimilarities: curved, initial: points, variant: .legacy))
        #expect(legacy.stress >= 0 && legacy.stress < 1e-10, "legacy starts from a perfect order: \(legacy.stress)")
        // From a random start on random δ the stress is still non-negative and finite.
        let start = Matrix(rows: n, cols: 2, storage: (0..<(2 * n)).map { _ in generator.nextUnit() })
        var random = Matrix(rows: n, cols: n)
        for i in 0..<n { for j in (i + 1)..<n { random[i, j] = generator.nextUnit() + 0.01; random[j, i] = random[i, j] } }
        for variant in StressVariant.allCases {
            let result = try #require(Stress.smacof(dissimilarities: random, initial: start, variant: variant))
            #expect(result.stress >= 0 && result.stress.isFinite)
            #expect(result.iterations >= 1 && result.iterations <= 300)
        }
        // Missing pairs (δ = 0) are counted; all-zero δ gives nil.
        var partial = random
        partial[0, 1] = 0
        partial[1, 0] = 0
        #expect(Stress.smacof(dissimilarities: partial, initial: start, variant: .v17)?.zeroDissimilarityPairs == 1)
        #expect(Stress.smacof(dissimilarities: Matrix(rows: n, cols: n), initial: start, variant: .legacy) == nil)
    }
}

/// Stress against scikit-learn on synthetic contexts.
@Suite struct StressSyntheticTests {
    /// (seed, legacy stress or nil, legacy n_iter, v17 stress, v17 n_iter) as scikit-learn 1.6.1 and 1.7.2
    /// report them (numpy 1.26.4, scipy 1.12.0, OpenBLAS 0.3.23 on an AVX2 machine), running the
    /// reference's own code path (pairwise spearmanr with the override rule, MDS(normalized_stress=True,
    /// metric=False).fit(C, init=circumplex)) on `SyntheticContext.make(seed:)`. They cover long v17
    /// runs (up to the 300-iteration cap), few personas with many tied correlations and constant items,
    /// duplicated items (δ = 0 pairs and near-ties that IsotonicRegression pools), and the legacy crash
    /// (nil): the largest δ has a partner < 1e-15 above it, which sklearn ≤ 1.6 maps to NaN.
    static let expected: [(seed: Int, legacy: Double?, legacyIterations: Int?, v17: Double, v17Iterations: Int)] = [
        (0, 0.2914985860919961, 3, 0.009944615460764883, 76),
        (1, 0.29280318454945536, 3, 0.2828718315376092, 166),
        (2, 0.29871138883385734, 3, 0.31508094556347016, 300),
        (3, 0.2912613589460475, 3, 0.2938592861243393, 300),
        (5, 0.29884994614641636, 3, 0.18842227131596984, 126),
        (6, 0.2903499812286754, 3, 0.2630998548905194, 106),
        (7, 0.29153140381051984, 3, 0.27888008131390757, 254),
        (8, 0.2956775687287877, 3, 0.020630761602751985, 48),
        (9, 0.286347823897504, 3, 0.16983534742240228, 85),
        (10, 0.28975067268866345, 3, 0.2655390050808388, 228),
        (11, 0.2993296550874167, 3, 0.3102628603300042, 186),
        (13, 0.29133106039881645, 3, 0.22975936424134297, 226),
        (14, 0.30080681193284053, 3, 0.29118302675729774, 194),
        (23, 0.29916734871326306, 3, 0.32414180959015976, 300),
        (106, nil, nil, 0.2591023582232114, 156),
        (174, nil, nil, 0.2775518842085539, 162),
    ]

    @Test("stress and n_iter match scikit-learn (bit-identical here; asserted to 1e-12)")
    func synthetic() {
        for entry in Self.expected {
            let context = SyntheticContext.make(seed: entry.seed)
            let keying = context.svs ? MetricFixtures.svsKeying : MetricFixtures.pvqKeying
            guard let input = StressInput(answers: context.answers, keying: keying) else {
                Issue.record("seed \(entry.seed): no input"); continue
            }
            let legacy = input.run(.legacy)
            if let expected = entry.legacy {
                #expect(legacy.map { abs($0.stress - expected) <= 1e-12 } == true,
                        "seed \(entry.seed) legacy: \(legacy?.stress ?? .nan) vs \(expected)")
                #expect(legacy?.iterations == entry.legacyIterations, "seed \(entry.seed) legacy n_iter")
            } else {
                #expect(legacy == nil, "seed \(entry.seed): sklearn 1.6 raises (NaN disparity), expected nil")
            }
            let v17 = input.run(.v17)
            #expect(v17.map { abs($0.stress - entry.v17) <= 1e-12 } == true,
                    "seed \(entry.seed) v17: \(v17?.stress ?? .nan) vs \(entry.v17)")
            #expect(v17?.iterations == entry.v17Iterations,
                    "seed \(entry.seed) v17 n_iter \(v17?.iterations ?? -1) vs \(entry.v17Iterations)")
        }
    }
}

/// Integer-only synthetic answer matrices from SplitMix64, so that the Python script that produced
/// `StressSyntheticTests.expected` and this test build the same data. seed % 4 picks the kind:
/// 0 structured (two latent persona traits, items loading −1/0/+1, noise −1…1), 1 few personas
/// (5–11) answering on 2–3 levels, 2 uniform with duplicated items, 3 uniform with constant items and
/// one constant persona. seed % 3 == 2 gives the SVS-57 (answers −1…7), otherwise the PVQ-40 (1…6).
private enum SyntheticContext {
    static func make(seed: Int) -> (answers: Matrix, svs: Bool) {
        var g = SplitMix(seed: UInt64(seed * 7919 + 17))
        let svs = seed % 3 == 2
        let (k, lo, hi) = svs ? (57, -1, 7) : (40, 1, 6)
        var rows: [[Int]]
        switch seed % 4 {
        case 0:
            let n = 50
            let u = (0..<n).map { _ in g.below(5) - 2 }, v = (0..<n).map { _ in g.below(5) - 2 }
            let a = (0..<k).map { _ in g.below(3) - 1 }, b = (0..<k).map { _ in g.below(3) - 1 }
            let mid = Int((Double(lo + hi) / 2).rounded(.down))
            rows = (0..<n).map { p in
                (0..<k).map { i in min(max(mid + a[i] * u[p] + b[i] * v[p] + g.below(3) - 1, lo), hi) }
            }
        case 1:
            let n = 5 + g.below(7), levels = 2 + g.below(2)
            rows = (0..<n).map { _ in (0..<k).map { _ in lo + g.below(levels) } }
        default:
            let n = 50
            rows = (0..<n).map { _ in (0..<k).map { _ in lo + g.below(hi - lo + 1) } }
            if seed % 4 == 2 {
                for _ in 0..<(1 + g.below(6)) {
                    let i = g.below(k), j = g.below(k)
                    for p in 0..<n { rows[p][j] = rows[p][i] }
                }
            } else {
                for _ in 0..<(1 + g.below(4)) {
                    let item = g.below(k), value = lo + g.below(hi - lo + 1)
                    for p in 0..<n { rows[p][item] = value }
                }
                let p = g.below(n), value = lo + g.below(hi - lo + 1)
                rows[p] = [Int](repeating: value, count: k)
            }
        }
        return (Matrix(rows.map { $0.map(Double.init) }), svs)
    }
}

/// A small deterministic generator for test inputs (SplitMix64).
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// next() mod n, as the Python generator draws integers.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
