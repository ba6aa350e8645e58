// Rank-Order, Ipsative and Cronbach's alpha: the reference fixtures at 1e-9, hand-computed cases and
// properties of the bootstrap workspace.
import Foundation
import StickPsychometrics
import StickRandom
import StickTestSupport
import Testing

@Suite(.enabled(if: MetricFixtures.available,
                "skipped: ../shared/fixtures/metrics not found above the test file"))
struct RankOrderFixtureTests {
    static let tolerance = 1e-9

    /// Compares numbers against expected.json paths; collects mismatches, skips `undefined_fields`.
    private struct Checker {
        let expected: [String: Any]
        let undefined: Set<String>
        var compared = 0
        var skipped = 0
        var maxDiff = 0.0
        var failures: [String] = []

        init(_ expected: [String: Any]) {
            self.expected = expected
            undefined = Set(expected["undefined_fields"] as? [String] ?? [])
        }

        mutating func check(_ path: String, _ actual: Double) {
            if undefined.contains(path) { skipped += 1; return }
            guard let want = MetricFixtures.double(MetricFixtures.value(expected, path)) else {
                failures.append("\(path): missing in expected.json")
                return
            }
            compared += 1
            if actual.isFinite && want.isFinite { maxDiff = max(maxDiff, abs(actual - want)) }
            if !MetricFixtures.matches(actual, want, tolerance: RankOrderFixtureTests.tolerance) {
                failures.append("\(path): got \(actual), expected \(want) (diff \(abs(actual - want)))")
            }
        }
    }

    private static func centred(_ c: MetricFixtures.Case) -> [Matrix] {
        c.contexts.map { ValueScoring.scores(answers: c.answers[$0]!, keying: c.keying($0)).centred }
    }

    @Test(arguments: MetricFixtures.perModelCases)
    func rankOrder(caseName: String) throws {
        let c = try MetricFixtures.load(caseName)
        let values = MetricFixtures.valueOrder
        #expect(c.expected["value_order"] as? [String] == values)
        let result = RankOrder.stability(centred: Self.centred(c))
        var checker = Checker(c.expected)

        let expectedPairs = (MetricFixtures.value(c.expected, "rank_order/pairs") as? [[String]]) ?? []
        #expect(expectedPairs == result.pairs.map { [c.contexts[$0.0], c.contexts[$0.1]] })

        checker.check("rank_order/overall", result.overall)
        for (v, value) in values.enumerated() {
            checker.check("rank_order/per_value/\(value)", result.perValue[v])
            for i in result.pairs.indices {
                checker.check("rank_order/per_value_pairs/\(value)/\(i)", result.perValuePairs[v][i])
            }
        }
        for (a, ctxA) in c.contexts.enumerated() {
            for (b, ctxB) in c.contexts.enumerated() {
                checker.check("rank_order/pairwise/\(ctxA)/\(ctxB)", result.pairwise[a, b])
            }
        }
        #expect(checker.compared == 1 + 10 + 360 + 81)
        print("\(caseName) rank_order: \(checker.compared) fields, max |diff| \(checker.maxDiff)")
        #expect(checker.failures.isEmpty, "\(caseName): \(checker.failures.prefix(20).joined(separator: "\n"))")
    }

    @Test(arguments: MetricFixtures.perModelCases)
    func ipsative(caseName: String) throws {
        let c = try MetricFixtures.load(caseName)
        let result = RankOrder.ipsative(centred: Self.centred(c))
        var checker = Checker(c.expected)
        checker.check("ipsative/overall", result.overall)
        for i in result.pairs.indices {
            checker.check("ipsative/pair_means/\(i)", result.pairMeans[i])
            for p in result.correlations[i].indices {
                checker.check("ipsative/correlations/\(i)/\(p)", result.correlations[i][p])
            }
        }
        let n = c.answers[c.contexts[0]]!.rows
        #expect(checker.compared == 1 + 36 + 36 * n)
        print("\(caseName) ipsative: \(checker.compared) fields, max |diff| \(checker.maxDiff)")
        #expect(checker.failures.isEmpty, "\(caseName): \(checker.failures.prefix(20).joined(separator: "\n"))")
    }

    @Test(arguments: MetricFixtures.perModelCases)
    func cronbachAlpha(caseName: String) throws {
        let c = try MetricFixtures.load(caseName)
        let summary = CronbachAlpha.summary(c.contexts.map { (c.answers[$0]!, c.keying($0)) })
        var checker = Checker(c.expected)
        let values = MetricFixtures.valueOrder
        for (ci, ctx) in c.contexts.enumerated() {
            checker.check("cronbach_alpha/per_context_mean/\(ctx)", summary.perContextMean[ci])
            for (v, value) in values.enumerated() {
                checker.check("cronbach_alpha/per_context/\(ctx)/\(value)", summary.perContext[ci][v])
            }
        }
        for (v, value) in values.enumerated() {
            checker.check("cronbach_alpha/per_value_mean/\(value)", summary.perValueMean[v])
        }
        checker.check("cronbach_alpha/overall", summary.overall)
        #expect(checker.compared + checker.skipped == 9 + 90 + 10 + 1)
        print("\(caseName) cronbach_alpha: \(checker.compared) fields (\(checker.skipped) undefined skipped), "
              + "max |diff| \(checker.maxDiff)")
        #expect(checker.skipped == checker.undefined.filter { $0.hasPrefix("cronbach_alpha/") }.count)
        #expect(checker.failures.isEmpty, "\(caseName): \(checker.failures.prefix(20).joined(separator: "\n"))")
    }

    /// The O(N) resample ranking must equal ranking the materialised resample from scratch.
    @Test func workspaceResampleMatchesDirectComputation() throws {
        let c = try MetricFixtures.load("edge_constant_persona_and_items")
        let centred = Self.centred(c)
        var workspace = RankOrder.Workspace(centred: centred)
        for resample in Bootstrap.resamples(count: 20, size: workspace.personaCount, seed: 7) {
            let fast = workspace.stability(resample: resample)
            let direct = RankOrder.stability(centred: centred.map { $0.selectingRows(resample) })
            #expect(sameBits(fast.perValuePairs.flatMap { $0 }, direct.perValuePairs.flatMap { $0 }))
            #expect(sameBits(fast.pairwise.storage, direct.pairwise.storage))
            #expect(sameBits([fast.overall], [direct.overall]))
        }
    }
}

/// Equal element by element, NaN matching NaN.
private func sameBits(_ x: [Double], _ y: [Double]) -> Bool {
    x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
}

@Suite struct RankOrderHandTests {
    /// Values A = items {0, 1}, B = item {2}; item 3 is answered but unkeyed (like the SVS's 11).
    static let keying = ValueKeying(values: ["A", "B"], items: [[0, 1], [2]], itemCount: 4)

    @Test func valueScoresAndCentring() {
        let answers = Matrix([[1, 3, 5, 7],   // m = 16/4 = 4; A = (1+3)/2 = 2; B = 5 → centred −2, 1
                              [2, 2, 2, 2],   // m = 2; A = 2; B = 2 → centred 0, 0
                              [6, 4, 1, 1]])  // m = 12/4 = 3; A = 5; B = 1 → centred 2, −2
        let s = ValueScoring.scores(answers: answers, keying: Self.keying)
        #expect(s.personaMeans == [4, 2, 3])
        #expect(s.raw == Matrix([[2, 5], [2, 2], [5, 1]]))
        #expect(s.centred == Matrix([[-2, 1], [0, 0], [2, -2]]))
        #expect(ValueScoring.centredAnswers(answers) == Matrix([[-3, -1, 1, 3], [0, 0, 0, 0], [3, 1, -2, -2]]))
    }

    @Test func numpyMeanSummationOrder() {
        // 0.1 added ten times sequentially is 0.9999999999999999; numpy's 8 accumulators give
        // ((0.1+0.1)+(0.1+0.1))+… = 0.8, then +0.1 +0.1 = 1.0 exactly → mean 0.1.
        let tenth = [Double](repeating: 0.1, count: 10)
        #expect(tenth.reduce(0, +) != 1)
        #expect(ValueScoring.numpyMean(tenth) == 0.1)
        #expect(ValueScoring.numpyMean([]).isNaN)
        #expect(ValueScoring.numpyMean([1, .nan, 3]).isNaN)
        // > 128 elements: recursive halving, still exact for integers.
        #expect(ValueScoring.numpyMean((1...1000).map(Double.init)) == 500.5)
    }

    @Test func alphaByHand() {
        // x = [1,2,3], y = [1,3,2]. Deviations x: [−1,0,1], y: [−1,1,0].
        // var x = 2/2 = 1, var y = 2/2 = 1, cov = (1+0+0)/2 = 0.5.
        // tr C = 2, ΣC = 1 + 1 + 2·0.5 = 3 → α = 2/1 · (1 − 2/3) = 2/3.
        #expect(abs(CronbachAlpha.alpha(Matrix([[1, 1], [2, 3], [3, 2]])) - 2.0 / 3) < 1e-15)
        // x = [1,2,3,4], y = [2,1,4,3], z = [1,1,2,2] (4 personas, ddof 1 → divide by 3).
        // Deviations x: [−1.5,−.5,.5,1.5], y: [−.5,−1.5,1.5,.5], z: [−.5,−.5,.5,.5].
        // Σxx = 5, Σyy = 5, Σzz = 1, Σxy = .75·4 = 3, Σxz = .75+.25+.25+.75 = 2, Σyz = .25+.75+.75+.25 = 2.
        // tr C = 11/3, ΣC = (11 + 2·(3+2+2))/3 = 25/3 → α = 3/2 · (1 − 11/25) = 3/2 · 14/25 = 0.84.
        let m = Matrix([[1, 2, 1], [2, 1, 1], [3, 4, 2], [4, 3, 2]])
        #expect(abs(CronbachAlpha.alpha(m) - 0.84) < 1e-14)
    }

    @Test func alphaUndefinedCases() {
        #expect(CronbachAlpha.alpha(Matrix([[1, 2], [1, 2], [1, 2]])).isNaN)          // every column constant
        #expect(CronbachAlpha.alpha(Matrix([[1], [2], [3]])).isNaN)                   // k = 1
        #expect(CronbachAlpha.alpha(Matrix([[1, 2]])).isNaN)                          // n = 1
        #expect(CronbachAlpha.alpha(Matrix([[1, 2], [.nan, 3], [2, 4]])).isNaN)       // NaN input
        // Centred columns equal up to the centring's rounding still count as constant (0/0).
        let noisy = Matrix([[0.1 - 0.3, 0.7], [1.1 - 1.3, 0.7], [2.1 - 2.3, 0.7]])
        #expect(CronbachAlpha.alpha(noisy).isNaN)
        // One constant column among varying ones is fine: x = [1,2,3], y = [1,3,2], z = 5.
        // C gains a zero row/column: tr = 2, ΣC = 3 → α = 3/2 · (1 − 2/3) = 0.5.
        #expect(abs(CronbachAlpha.alpha(Matrix([[1, 1, 5], [2, 3, 5], [3, 2, 5]])) - 0.5) < 1e-15)
    }

    @Test func alphaPerValueUsesCentredAnswers() {
        let answers = Matrix([[1, 3, 5, 7], [2, 2, 2, 2], [6, 4, 1, 1], [3, 5, 2, 6]])
        let centred = ValueScoring.centredAnswers(answers)
        let alphas = CronbachAlpha.perValue(answers: answers, keying: Self.keying)
        #expect(alphas[0] == CronbachAlpha.alpha(centred.selectingColumns([0, 1])))
        #expect(alphas[1].isNaN)  // B has one item
    }

    /// personas × values with continuous values (no ties, nothing constant).
    static func randomContext(personas: Int, values: Int, seed: UInt64) -> Matrix {
        var g = Xoshiro256StarStar(seed: seed)
        return Matrix(rows: personas, cols: values,
                      storage: (0..<(personas * values)).map { _ in Double(g.next() >> 11) / Double(1 << 53) })
    }

    @Test func identicalContextsAreFullyStable() {
        let m = Self.randomContext(personas: 30, values: 10, seed: 1)
        let r = RankOrder.stability(centred: [m, m, m])
        #expect(r.pairs.map { [$0.0, $0.1] } == [[0, 1], [0, 2], [1, 2]])
        #expect(r.pairs.firstIndex { $0 == (1, 2) } == 2)
        #expect(r.perValuePairs.joined().allSatisfy { abs($0 - 1) < 1e-12 })
        #expect(abs(r.overall - 1) < 1e-12)
        #expect(r.pairwise.storage.allSatisfy { abs($0 - 1) < 1e-12 })
        let ips = RankOrder.ipsative(centred: [m, m])
        #expect(ips.correlations[0].allSatisfy { abs($0 - 1) < 1e-12 })
    }

    @Test func reversedPersonaOrderIsNaNFreeAndSymmetric() {
        let m = Self.randomContext(personas: 40, values: 10, seed: 2)
        let reversed = m.selectingRows(Array((0..<40).reversed()))
        let other = Self.randomContext(personas: 40, values: 10, seed: 3)
        let r = RankOrder.stability(centred: [m, reversed, other])
        #expect(!r.perValuePairs.joined().contains { $0.isNaN })
        #expect(!r.pairwise.storage.contains { $0.isNaN })
        #expect(r.pairwise == r.pairwise.transposed)
        #expect((0..<3).allSatisfy { r.pairwise[$0, $0] == 1 })
        #expect(r.perValuePairs.joined().allSatisfy { (-1...1).contains($0) })
        // Every correlation equals the shared scipy-convention Spearman of the columns.
        for (i, (a, b)) in r.pairs.enumerated() {
            let ctx = [m, reversed, other]
            for v in 0..<10 {
                let expected = Correlation.spearman(ctx[a].column(v), ctx[b].column(v))
                #expect(abs(r.perValuePairs[v][i] - expected) < 1e-12)
            }
        }
    }

    @Test func constantColumnsAndProfilesGiveNaN() {
        var a = Self.randomContext(personas: 12, values: 4, seed: 4)
        let b = Self.randomContext(personas: 12, values: 4, seed: 5)
        for p in 0..<12 { a[p, 2] = 0 }          // value 2 constant in context 0
        for v in 0..<4 { a[3, v] = 0 }           // persona 3's profile constant in context 0
        let r = RankOrder.stability(centred: [a, b])
        #expect(r.perValuePairs[2][0].isNaN && r.perValue[2].isNaN && r.overall.isNaN)
        #expect(r.pairwise[0, 1].isNaN && r.pairwise[0, 0] == 1 && r.pairwise[1, 1] == 1)
        #expect(!r.perValuePairs[0][0].isNaN)
        let ips = RankOrder.ipsative(centred: [a, b])
        #expect(ips.correlations[0][3].isNaN && ips.pairMeans[0].isNaN && ips.overall.isNaN)
        #expect(ips.correlations[0].enumerated().allSatisfy { $0.offset == 3 || !$0.element.isNaN })
    }

    @Test func resamplesWithDuplicatesFollowScipyTies() {
        let a = Self.randomContext(personas: 6, values: 2, seed: 6)
        let b = Self.randomContext(personas: 6, values: 2, seed: 7)
        var ws = RankOrder.Workspace(centred: [a, b])
        let resample = [0, 0, 2, 5, 5, 5]
        let r = ws.stability(resample: resample)
        for v in 0..<2 {
            let x = resample.map { a[$0, v] }, y = resample.map { b[$0, v] }
            #expect(abs(r.perValuePairs[v][0] - Correlation.spearman(x, y)) < 1e-12)
        }
        // One persona drawn six times: every column constant → NaN everywhere but the diagonal.
        let constant = ws.stability(resample: [4, 4, 4, 4, 4, 4])
        #expect(constant.perValuePairs.joined().allSatisfy { $0.isNaN } && constant.pairwise[0, 1].isNaN)
        // The workspace is reusable: the full sample afterwards equals a fresh computation.
        #expect(sameBits(ws.stability().pairwise.storage, RankOrder.stability(centred: [a, b]).pairwise.storage))
    }

    @Test func nanScoresPropagateUnlessResampledAway() {
        var a = Self.randomContext(personas: 8, values: 3, seed: 8)
        let b = Self.randomContext(personas: 8, values: 3, seed: 9)
        a[5, 1] = .nan
        var ws = RankOrder.Workspace(centred: [a, b])
        let full = ws.stability()
        #expect(full.perValuePairs[1][0].isNaN && !full.perValuePairs[0][0].isNaN)
        // Without persona 5 the column is an ordinary one again (scipy on the resampled vectors).
        let pick = [0, 1, 2, 3, 4, 6, 7, 7]
        let resampled = ws.stability(resample: pick)
        let direct = RankOrder.stability(centred: [a.selectingRows(pick), b.selectingRows(pick)])
        #expect(!resampled.perValuePairs[1][0].isNaN)
        #expect(sameBits(resampled.perValuePairs.flatMap { $0 }, direct.perValuePairs.flatMap { $0 }))
    }
}
