// Stress (structural validity of one context, StickPsychometrics/README.md §4): Spearman item correlations → Euclidean
// dissimilarities between their rows → non-metric SMACOF in 2-D from the Schwartz circumplex, with
// scikit-learn's two algorithms ("legacy" ≤ 1.6, "v17" ≥ 1.7). SMACOF stops at a threshold, so every
// operation follows the reference's floating-point order (see StressNumerics.swift); a last-bit
// difference could otherwise change the stopping iteration and visibly change the stress.

/// Which scikit-learn SMACOF the stress reproduces (the reference does not pin the version).
public enum StressVariant: String, CaseIterable, Sendable {
    /// scikit-learn 1.2 – 1.6: eps 1e-3, "normalized stress" of the configuration before the last update.
    case legacy
    /// scikit-learn ≥ 1.7: eps 1e-6, first iteration on the scaled δ, Kruskal stress-1 of the final X.
    case v17
}

/// The outcome of one SMACOF run.
public struct StressResult: Sendable {
    /// `MDS.stress_` (normalized stress).
    public var stress: Double
    /// `MDS.n_iter_`: iterations run, including the one that met the stopping test.
    public var iterations: Int
    /// Item pairs (i < j) with δ_ij == 0 exactly; SMACOF treats them as missing.
    public var zeroDissimilarityPairs: Int
    /// `MDS.embedding_`: the final n × 2 configuration (rows in keyed-item order).
    public var configuration: Matrix

    public init(stress: Double, iterations: Int, zeroDissimilarityPairs: Int, configuration: Matrix) {
        self.stress = stress
        self.iterations = iterations
        self.zeroDissimilarityPairs = zeroDissimilarityPairs
        self.configuration = configuration
    }
}

public enum Stress {
    /// Spearman item-correlation matrix (items × items) of `answers` (personas × items) with the
    /// reference's override rule: both items constant → 1, exactly one constant → 0; diagonal 1.
    /// Each entry is what `scipy.stats.spearmanr(a_i, a_j)` returns for i < j: `np.corrcoef` of the
    /// average ranks, i.e. ((s_ij·(1/(N−1))) / sd_j) / sd_i with sd_k = sqrt(s_kk·(1/(N−1))) (numpy's
    /// cov multiplies by the reciprocal; spearmanr reads element [1, 0]). The rank cross-products are
    /// exact (ranks are multiples of ½), so only these last roundings matter.
    public static func itemCorrelations(_ answers: Matrix) -> Matrix {
        let n = answers.cols
        let persons = answers.rows
        var result = Matrix.identity(n)
        guard persons > 1 else {
            // spearmanr of fewer than two observations is NaN.
            for i in 0..<n { for j in 0..<n where i != j { result[i, j] = .nan } }
            return result
        }
        // Centred average ranks, one contiguous row per item.
        var centred = [Double](repeating: 0, count: n * persons)
        var constant = [Bool](repeating: false, count: n)
        var squares = [Double](repeating: 0, count: n)
        for c in 0..<n {
            let column = answers.column(c)
            constant[c] = Correlation.isConstant(column)
            let ranks = Ranks.average(column)
            let mean = ranks.reduce(0, +) / Double(persons)  // exact: the ranks sum to N(N+1)/2
            var square = 0.0
            for p in 0..<persons {
                let value = ranks[p] - mean
                centred[c * persons + p] = value
                square += value * value
            }
            squares[c] = square
        }
        let reciprocal = 1.0 / Double(persons - 1)
        var deviations = [Double](repeating: 0, count: n)
        for c in 0..<n { deviations[c] = (squares[c] * reciprocal).squareRoot() }
        centred.withUnsafeBufferPointer { centred in
            result.storage.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    let rowI = centred.baseAddress! + i * persons
                    for j in (i + 1)..<max(n, i + 1) {
                        let r: Double
                        if constant[i] && constant[j] {
                            r = 1
                        } else if constant[i] || constant[j] {
                            r = 0
                        } else {
                            let rowJ = centred.baseAddress! + j * persons
                            var cross = 0.0
                            for p in 0..<persons { cross += rowI[p] * rowJ[p] }
                            let value = ((cross * reciprocal) / deviations[j]) / deviations[i]
                            r = min(max(value, -1), 1)
                        }
                        out[i * n + j] = r
                        out[j * n + i] = r
                    }
                }
            }
        }
        return result
    }

    /// sklearn `euclidean_distances(x)` between the rows of `x`: the dot-product formula
    /// sqrt(max((−2 x_i·x_j + ‖x_i‖²) + ‖x_j‖², 0)) with a zero diagonal. As in sklearn, the result can be
    /// asymmetric in the last bit (the two norms are added in a different order for (i, j) and (j, i)).
    public static func euclideanDistances(_ x: Matrix) -> Matrix {
        euclideanDistances(x, dot: .reference)
    }

    static func euclideanDistances(_ x: Matrix, dot: StressDotProduct) -> Matrix {
        var out = Matrix(rows: x.rows, cols: x.rows)
        var norms = [Double](repeating: 0, count: x.rows)
        x.storage.withUnsafeBufferPointer { xp in
            out.storage.withUnsafeMutableBufferPointer { op in
                norms.withUnsafeMutableBufferPointer { np in
                    guard let xb = xp.baseAddress, let ob = op.baseAddress, let nb = np.baseAddress else { return }
                    StressNumerics.euclideanDistances(xb, rows: x.rows, cols: x.cols, into: ob, norms: nb, dot: dot)
                }
            }
        }
        return out
    }

    /// sklearn `IsotonicRegression(increasing=True, out_of_bounds=…).fit_transform(x, y)` with unit
    /// weights: the non-decreasing fit of y ordered by x, x values closer than 1e-15 pooled (their y
    /// averaged, so tied x get equal fitted values), evaluated back at every x. Empty input → empty.
    public static func isotonic(x: [Double], y: [Double], outOfBounds: IsotonicOutOfBounds = .nan) -> [Double] {
        precondition(x.count == y.count, "x and y differ in length")
        var plan = IsotonicPlan(x: x, outOfBounds: outOfBounds)
        var out = [Double](repeating: 0, count: x.count)
        y.withUnsafeBufferPointer { yp in
            out.withUnsafeMutableBufferPointer { op in
                guard let yb = yp.baseAddress, let ob = op.baseAddress else { return }
                plan.fitTransform(yb, into: ob)
            }
        }
        return out
    }

    /// Non-metric SMACOF from `initial` (n × 2) on `dissimilarities` (n × n; only the upper triangle
    /// is read, pairs with δ == 0 are missing), exactly as scikit-learn's `_smacof_single` for the
    /// chosen variant. Returns nil where scikit-learn raises instead of returning a stress (callers
    /// report NaN): every off-diagonal δ is 0 (the isotonic regression gets no samples), or the
    /// configuration becomes NaN/∞ (legacy: the largest δ has a partner less than 1e-15 above it, which
    /// IsotonicRegression pools and then maps to NaN as out of bounds; euclidean_distances then raises).
    public static func smacof(dissimilarities: Matrix, initial: Matrix, variant: StressVariant,
                              maxIterations: Int = 300) -> StressResult? {
        smacof(dissimilarities: dissimilarities, initial: initial, variant: variant, maxIterations: maxIterations,
               dot: .reference)
    }

    static func smacof(dissimilarities: Matrix, initial: Matrix, variant: StressVariant, maxIterations: Int,
                       dot: StressDotProduct) -> StressResult? {
        let n = dissimilarities.rows
        precondition(dissimilarities.cols == n, "dissimilarities must be square")
        precondition(initial.rows == n && initial.cols == 2, "initial configuration must be n × 2")
        precondition(maxIterations >= 1, "at least one iteration")
        // Non-missing upper-triangle pairs in row-major order (sklearn's `sim_flat != 0` mask).
        var pairs = [Int]()
        var delta = [Double]()
        var zeroPairs = 0
        for i in 0..<n {
            for j in (i + 1)..<max(n, i + 1) {
                let d = dissimilarities[i, j]
                guard d.isFinite else { return nil }  // sklearn's input validation raises on NaN/∞
                if d != 0 { pairs.append(i * n + j); delta.append(d) } else { zeroPairs += 1 }
            }
        }
        guard !pairs.isEmpty else { return nil }
        guard let (stress, iterations, x) = SmacofRun.run(
            n: n, pairs: pairs, delta: delta, initial: initial.storage, variant: variant,
            maxIterations: maxIterations, dot: dot) else { return nil }
        return StressResult(stress: stress, iterations: iterations, zeroDissimilarityPairs: zeroPairs,
                            configuration: Matrix(rows: n, cols: 2, storage: x))
    }

    /// The whole per-context procedure: keyed items in ascending index order, their raw answers
    /// (`answers`: personas × all K items), Spearman item correlations with the override rule,
    /// Euclidean dissimilarities between correlation rows, SMACOF from the Schwartz circumplex.
    /// nil where the reference raises (see `smacof`) or a keyed value has no circumplex position.
    /// To run both variants on one context, build a `StressInput` once and call `run` twice.
    public static func compute(answers: Matrix, keying: ValueKeying, variant: StressVariant) -> StressResult? {
        StressInput(answers: answers, keying: keying)?.run(variant)
    }
}

/// The variant-independent part of one context's Stress: the dissimilarities between the keyed items'
/// correlation rows and the circumplex start. Computing it once serves both SMACOF variants.
public struct StressInput: Sendable {
    /// δ, n × n (n = keyed items: 40 on the PVQ-40, 46 on the SVS-57).
    public let dissimilarities: Matrix
    /// The n × 2 circumplex starting configuration.
    public let initial: Matrix

    public init(dissimilarities: Matrix, initial: Matrix) {
        self.dissimilarities = dissimilarities
        self.initial = initial
    }

    /// From raw answers (personas × all K items); nil when a keyed value has no circumplex position.
    public init?(answers: Matrix, keying: ValueKeying) {
        precondition(answers.cols == keying.itemCount, "answers must have one column per questionnaire item")
        guard let initial = SchwartzCircumplex.initialConfiguration(for: keying) else { return nil }
        let correlations = Stress.itemCorrelations(answers.selectingColumns(keying.keyedItems))
        self.init(dissimilarities: Stress.euclideanDistances(correlations), initial: initial)
    }

    /// Item pairs (i < j) with δ_ij == 0 exactly (treated as missing; all of them when every item is
    /// constant, where SMACOF returns nil).
    public var zeroDissimilarityPairs: Int {
        let n = dissimilarities.rows
        var count = 0
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) where dissimilarities[i, j] == 0 { count += 1 } }
        return count
    }

    /// SMACOF for one variant (`Stress.smacof`).
    public func run(_ variant: StressVariant, maxIterations: Int = 300) -> StressResult? {
        Stress.smacof(dissimilarities: dissimilarities, initial: initial, variant: variant, maxIterations: maxIterations)
    }
}

/// One SMACOF run with all buffers allocated up front (no allocation per iteration).
private enum SmacofRun {
    /// Runs `_smacof_single`; returns (stress_, n_iter_, final configuration n × 2 row-major).
    static func run(n: Int, pairs: [Int], delta: [Double], initial: [Double], variant: StressVariant,
                    maxIterations: Int, dot: StressDotProduct) -> (Double, Int, [Double])? {
        let m = pairs.count, nn = n * n
        var plan = IsotonicPlan(x: delta, outOfBounds: variant == .legacy ? .nan : .clip)
        // n(n−1)/2 as a Python float: the target of the disparity normalisation.
        let halfPairs = Double(n * (n - 1)) / 2
        let inverseN = 1.0 / Double(n)

        let X = UnsafeMutablePointer<Double>.allocate(capacity: 2 * n)        // configuration
        let D = UnsafeMutablePointer<Double>.allocate(capacity: nn)           // distances
        let H = UnsafeMutablePointer<Double>.allocate(capacity: nn)           // disparities
        let S = UnsafeMutablePointer<Double>.allocate(capacity: nn)           // terms of sums, ratios, B
        let N = UnsafeMutablePointer<Double>.allocate(capacity: n)            // row norms
        let PD = UnsafeMutablePointer<Double>.allocate(capacity: m)           // distances of the pairs
        let PH = UnsafeMutablePointer<Double>.allocate(capacity: m)           // disparities of the pairs
        defer { for p in [X, D, H, S, N, PD, PH] { p.deallocate() } }
        for k in 0..<(2 * n) { X[k] = initial[k] }

        return pairs.withUnsafeBufferPointer { pb in
            delta.withUnsafeBufferPointer { deltab in
                let P = pb.baseAddress!, DELTA = deltab.baseAddress!

                /// Σ over all n² entries of f(k), in numpy's pairwise order.
                @inline(__always) func fullSum(_ f: (Int) -> Double) -> Double {
                    for k in 0..<nn { S[k] = f(k) }
                    return StressNumerics.pairwiseSum(S, nn)
                }
                /// Guttman transform X ← (1/n)·(B X), B = −R with B_ii += Σ_j R_ij, R = H / D after D's
                /// zeros are replaced by 1e-5 (D is not read again before it is recomputed, so the
                /// replacement is not written back). The row sums are numpy's pairwise
                /// `ratio.sum(axis=1)`; B X is one k-ordered dot product per element.
                @inline(__always) func guttman() {
                    for i in 0..<n {
                        let row = S + i * n, h = H + i * n, d = D + i * n
                        for j in 0..<n {
                            let distance = d[j]
                            row[j] = h[j] / (distance == 0 ? 1e-5 : distance)
                        }
                        let rowSum = StressNumerics.pairwiseSum(row, n)
                        for j in 0..<n { row[j] = -row[j] }
                        row[i] = row[i] + rowSum
                    }
                    for i in 0..<n {
                        let row = S + i * n
                        // acc = 0 + B_i0·X_0 is the plain product; then one accumulation per j.
                        var a0 = row[0] * X[0], a1 = row[0] * X[1]
                        var j = 1
                        while j < n {
                            let b = row[j]
                            a0 = dot.accumulate(a0, b, X[2 * j])
                            a1 = dot.accumulate(a1, b, X[2 * j + 1])
                            j += 1
                        }
                        // Row i of B is no longer needed: park row i of B X in its first two slots.
                        row[0] = a0
                        row[1] = a1
                    }
                    for i in 0..<n {
                        X[2 * i] = inverseN * S[i * n]
                        X[2 * i + 1] = inverseN * S[i * n + 1]
                    }
                }
                /// sklearn's `euclidean_distances(X)` validates X and raises on NaN/∞ ("Input contains NaN").
                @inline(__always) func configurationIsFinite() -> Bool {
                    for k in 0..<(2 * n) where !X[k].isFinite { return false }
                    return true
                }
                /// Isotonic disparities of the current distances' non-missing upper-triangle pairs.
                @inline(__always) func isotonicFit() {
                    for k in 0..<m { PD[k] = D[P[k]] }
                    plan.fitTransform(PD, into: PH)
                }

                var oldStress: Double? = nil
                var stress = 0.0
                var iteration = 0
                switch variant {
                case .legacy:
                    for it in 0..<maxIterations {
                        iteration = it
                        // A NaN disparity (an x pooled above X_max gets NaN from out_of_bounds="nan")
                        // poisons X; the reference then raises here instead of returning a stress.
                        guard configurationIsFinite() else { return nil }
                        StressNumerics.configurationDistances(X, n: n, into: D, norms: N, dot: dot)
                        isotonicFit()
                        // Disparities: a copy of the distances with the fitted pairs replaced (the lower
                        // triangle and missing pairs keep the distances: sklearn ≤ 1.6 behaviour), scaled.
                        for k in 0..<nn { H[k] = D[k] }
                        for k in 0..<m { H[P[k]] = PH[k] }
                        let scale = (halfPairs / fullSum { H[$0] * H[$0] }).squareRoot()
                        for k in 0..<nn { H[k] *= scale }
                        let raw = fullSum { let e = D[$0] - H[$0]; return e * e } / 2
                        stress = (raw / (fullSum { H[$0] * H[$0] } / 2)).squareRoot()
                        guttman()
                        for i in 0..<n {
                            let a = X[2 * i], b = X[2 * i + 1]
                            N[i] = (0.0 + (a * a + b * b)).squareRoot()
                        }
                        let sumNorms = StressNumerics.pairwiseSum(N, n)
                        if let old = oldStress, old - stress / sumNorms < 1e-3 { break }
                        oldStress = stress / sumNorms
                    }
                case .v17:
                    StressNumerics.configurationDistances(X, n: n, into: D, norms: N, dot: dot)
                    for it in 0..<maxIterations {
                        iteration = it
                        if it < 1 {
                            for k in 0..<m { PH[k] = DELTA[k] }  // first iteration: the δ themselves
                        } else {
                            isotonicFit()
                        }
                        for k in 0..<nn { H[k] = 0 }
                        for k in 0..<m { H[P[k]] = PH[k] }
                        let scale = (halfPairs / fullSum { H[$0] * H[$0] }).squareRoot()
                        for k in 0..<nn { H[k] *= scale }
                        // H + Hᵀ (the lower triangle is 0, so this mirrors the upper one exactly).
                        for i in 0..<n {
                            for j in (i + 1)..<max(n, i + 1) {
                                let upper = H[i * n + j], lower = H[j * n + i]
                                H[i * n + j] = upper + lower
                                H[j * n + i] = lower + upper
                            }
                        }
                        guttman()
                        guard configurationIsFinite() else { return nil }  // the reference raises
                        StressNumerics.configurationDistances(X, n: n, into: D, norms: N, dot: dot)
                        stress = fullSum { let e = D[$0] - H[$0]; return e * e } / 2
                        if let old = oldStress {
                            let squared = fullSum { D[$0] * D[$0] }
                            if (old - stress) / (squared / 2) < 1e-6 { break }
                        }
                        oldStress = stress
                    }
                    stress = (stress / (fullSum { D[$0] * D[$0] } / 2)).squareRoot()
                }
                return (stress, iteration + 1, Array(UnsafeBufferPointer(start: X, count: 2 * n)))
            }
        }
    }
}
