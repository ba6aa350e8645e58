// benchbench (Zhang & Hardt, PyPI `benchbench` 1.0.x) as rank_models.py uses it (metrics.md §7.3):
// rank helpers, Kendall's τ_b and W, the diversity of a board's columns, and the sensitivity of the
// cardinal and ordinal aggregates. Pure math on a models × columns matrix.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func _exp(_ x: Double) -> Double { exp(x) }

public enum Benchbench {
    /// Adjacent sorted values closer than this count as tied in `rank` and `rankDiff`.
    public static let tieTolerance = 1e-8

    // MARK: Ranks and rank statistics

    /// benchbench `rankdata(-v, method="average")`: rank 1 is the largest value. After sorting, an
    /// adjacent difference ≤ 1e-8 continues the current tie group (so ties chain). A NaN sorts last and,
    /// since every comparison with it is false, joins the group of the smallest finite value.
    public static func rank(_ v: [Double]) -> [Double] {
        let a = v.map { -$0 }
        // numpy's sort order: ascending, NaN last. The order inside a tie group does not matter.
        let order = a.indices.sorted { i, j in
            if a[i].isNaN { return false }
            if a[j].isNaN { return true }
            return a[i] < a[j]
        }
        var ranks = [Double](repeating: 0, count: a.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && !(abs(a[order[end]] - a[order[end - 1]]) > tieTolerance) { end += 1 }
            // Sorted positions start+1 … end share the mean of their 1-based positions.
            let r = 0.5 * Double(end + start + 1)
            for k in start..<end { ranks[order[k]] = r }
            start = end
        }
        return ranks
    }

    /// scipy.stats.kendalltau (variant "b"): exact ties, NaN when either input is constant (or has a NaN).
    public static func kendallTauB(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "kendallTauB: lengths differ")
        let n = x.count
        if x.contains(where: \.isNaN) || y.contains(where: \.isNaN) { return .nan }
        var dis = 0, xtie = 0, ytie = 0, ntie = 0
        for i in 0..<n {
            for j in (i + 1)..<max(n, i + 1) {
                let xt = x[i] == x[j], yt = y[i] == y[j]
                if xt { xtie += 1 }
                if yt { ytie += 1 }
                if xt && yt { ntie += 1 }
                if !xt && !yt && ((x[i] < x[j]) != (y[i] < y[j])) { dis += 1 }
            }
        }
        let tot = n * (n - 1) / 2
        if xtie == tot || ytie == tot { return .nan }
        // scipy: con − dis = tot − xtie − ytie + ntie − 2·dis, then two separate square roots.
        let conMinusDis = tot - xtie - ytie + ntie - 2 * dis
        let tau = Double(conMinusDis) / Double(tot - xtie).squareRoot() / Double(tot - ytie).squareRoot()
        return min(1, max(-1, tau))
    }

    /// `get_rank_diff(new, old)`: (τ′, MRC) with τ′ = (1 − τ_b)/2 and MRC = max|new − old|/(M − 1);
    /// (0, 0) when Σ|new − old| ≤ 1e-8.
    public static func rankDiff(_ new: [Double], _ old: [Double]) -> (tauPrime: Double, mrc: Double) {
        precondition(new.count == old.count, "rankDiff: lengths differ")
        let diffs = zip(new, old).map { abs($0 - $1) }
        if diffs.reduce(0, +) <= tieTolerance { return (0, 0) }
        let tau = kendallTauB(new, old)
        return ((1 - tau) / 2, diffs.max()! / Double(new.count - 1))
    }

    /// `get_kendall_w`, which returns **1 − W**. The rankings (one per column, each over the M models) are
    /// cast to int first, so average ranks like 3.5 become 3 (as numpy's `astype(int)` does).
    public static func oneMinusKendallW(_ rankings: [[Double]]) -> Double {
        let m = rankings.count
        guard let n = rankings.first?.count else { return .nan }
        var rankSums = [Int](repeating: 0, count: n)
        for r in rankings {
            precondition(r.count == n, "oneMinusKendallW: rankings differ in length")
            for j in 0..<n { rankSums[j] += Int(r[j].rounded(.towardZero)) }
        }
        let mean = Double(rankSums.reduce(0, +)) / Double(n)
        let ss = rankSums.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
        let ssMax = Double(m * m) * Double(n * n * n - n) / 12
        return 1 - ss / ssMax
    }

    /// `get_rank_variance`: (1 − W, mean over all column pairs of the pair's MRC). benchbench calls the
    /// second value "max_MRC", but it is a mean.
    public static func rankVariance(_ rankings: [[Double]]) -> (oneMinusW: Double, meanPairwiseMRC: Double) {
        var total = 0.0, count = 0
        for a in rankings.indices {
            for b in rankings.indices where b > a {
                total += rankDiff(rankings[a], rankings[b]).mrc
                count += 1
            }
        }
        return (oneMinusKendallW(rankings), count == 0 ? .nan : total / Double(count))
    }

    // MARK: Diversity

    /// `cardinal.get_diversity` on the raw columns: `rankVariance` of `rank(column)` for every column.
    public static func diversity(_ values: Matrix) -> (oneMinusW: Double, meanPairwiseMRC: Double) {
        rankVariance((0..<values.cols).map { rank(values.column($0)) })
    }

    /// `ordinal.get_diversity`: the columns are first imputed with `KNNImputer(n_neighbors=5)` (all-NaN
    /// columns dropped), then as `diversity`. Without NaN this equals the cardinal diversity.
    public static func ordinalDiversity(_ values: Matrix) -> (oneMinusW: Double, meanPairwiseMRC: Double) {
        diversity(knnImpute(values, neighbors: 5))
    }

    /// scikit-learn `KNNImputer(n_neighbors, weights="uniform")` fitted and applied on the same matrix.
    /// A missing cell gets the mean of that column over the `neighbors` nearest rows that have it, under the
    /// nan-Euclidean distance sqrt(F/p · Σ over the p coordinates present in both rows (Δ²)) with F the
    /// column count; a row with no coordinate in common with any donor gets the column mean. Columns that
    /// are entirely NaN are dropped. Distances are computed directly (scikit-learn's expanded dot-product
    /// form differs by rounding only), and among equidistant donors the lower row index wins.
    public static func knnImpute(_ values: Matrix, neighbors: Int = 5) -> Matrix {
        let m = values.rows, f = values.cols
        let validColumns = (0..<f).filter { c in (0..<m).contains { !values[$0, c].isNaN } }
        var out = values
        func distance(_ a: Int, _ b: Int) -> Double {
            var sum = 0.0, present = 0
            for c in 0..<f {
                let x = values[a, c], y = values[b, c]
                if x.isNaN || y.isNaN { continue }
                sum += (x - y) * (x - y)
                present += 1
            }
            return present == 0 ? .nan : (sum * Double(f) / Double(present)).squareRoot()
        }
        for c in validColumns {
            let donors = (0..<m).filter { !values[$0, c].isNaN }
            for r in 0..<m where values[r, c].isNaN {
                let d = donors.map { (row: $0, dist: distance(r, $0)) }
                let finite = d.filter { !$0.dist.isNaN }
                if finite.isEmpty {
                    out[r, c] = donors.reduce(0.0) { $0 + values[$1, c] } / Double(donors.count)
                    continue
                }
                // The k nearest potential donors; NaN distances sort last and then carry weight 0.
                let k = min(neighbors, donors.count)
                let nearest = d.sorted { a, b in
                    if a.dist.isNaN != b.dist.isNaN { return !a.dist.isNaN }
                    return a.dist < b.dist || (a.dist == b.dist && a.row < b.row)
                }.prefix(k).filter { !$0.dist.isNaN }
                out[r, c] = nearest.reduce(0.0) { $0 + values[$1.row, c] } / Double(nearest.count)
            }
        }
        return out.selectingColumns(validColumns)
    }

    // MARK: Ordinal win-rate matrix

    /// benchbench `WinningRate`: W[i, j] = share of the columns where both models have a value in which
    /// model i beats model j (strictly); 0 when no column has both, and 0 on the diagonal.
    public static func winningRateMatrix(_ values: Matrix) -> Matrix {
        let m = values.rows
        var out = Matrix(rows: m, cols: m)
        for i in 0..<m {
            for j in 0..<m {
                var wins = 0, total = 0
                for k in 0..<values.cols {
                    let a = values[i, k], b = values[j, k]
                    if a.isNaN || b.isNaN { continue }
                    total += 1
                    if a > b && i != j { wins += 1 }
                }
                out[i, j] = total > 0 ? Double(wins) / Double(total) : 0
            }
        }
        return out
    }
}

// MARK: - Cardinal sensitivity

extension Benchbench {
    /// Knobs of the float emulation, for checking how sensitive a result is to the last bits. The
    /// defaults are the reference's arithmetic as far as it is known.
    struct CardinalArithmetic: Sendable {
        /// `torch.tensor(DataFrame.values)` keeps numpy's column-major layout, which decides the order of
        /// the float64 row/column sums.
        var columnMajor = true
        /// Whether the compiler fused the multiply-add in the softmax backward's dot product.
        var fusedSoftmaxBackward = false
        /// SLEEF expf (as vectorised torch) or the correctly rounded float exp.
        var sleefExp = true
        var perturb: UInt64 = 0
        /// AVX-512 kernels (16 floats / 8 doubles per vector) instead of AVX2.
        var avx512 = false
        var floatLanes: Int { avx512 ? 16 : TorchCPU.floatLanes }
        var doubleLanes: Int { avx512 ? 8 : TorchCPU.doubleLanes }
    }

    /// `cardinal.get_sensitivity(min_value=0.01, lr=1, num_steps=1000, stop_threshold=1e-5,
    /// normalize_epsilon=True)`: runs the column re-weighting with the weighted and the unweighted
    /// loss and returns the larger (τ′, MRC) tuple (τ′ decides, then MRC). Columns whose standard
    /// deviation is ≤ 1e-8 or NaN (any NaN cell) are left out, as in the reference. Returns NaN when no
    /// column is left (the reference fails there).
    ///
    /// The optimisation is reproduced in the reference's float32/float64 arithmetic (see
    /// `TorchCPUArithmetic.swift`): w and the normalised weights are float32, the data and scores float64,
    /// the loss is accumulated in float32, and the gradient follows torch's autograd formulas.
    public static func cardinalSensitivity(_ values: Matrix) -> (tauPrime: Double, mrc: Double) {
        cardinalSensitivity(values, arithmetic: CardinalArithmetic())
    }

    nonisolated(unsafe) static var debugCardinal = false
    static func cardinalSensitivity(_ values: Matrix, arithmetic: CardinalArithmetic)
        -> (tauPrime: Double, mrc: Double) {
        let keep = (0..<values.cols).filter { TorchCPU.welfordStd(values.column($0)) > 1e-8 }
        guard !keep.isEmpty, values.rows > 0 else { return (.nan, .nan) }
        let data = values.selectingColumns(keep)
        let a = cardinalRun(data, weighted: true, arithmetic: arithmetic)
        let b = cardinalRun(data, weighted: false, arithmetic: arithmetic)
        if debugCardinal { print("DEBUG weighted \(a) unweighted \(b)") }
        // Python's max(a, b): b only when b > a in tuple order.
        return (b.tauPrime > a.tauPrime || (b.tauPrime == a.tauPrime && b.mrc > a.mrc)) ? b : a
    }

    /// The sum over models of each column (`outputs` = columns) or over columns of each model, in the
    /// order torch's cascade_sum uses for the tensor's layout.
    private static func sums(_ x: Matrix, overRows: Bool, columnMajor: Bool, lanes: Int) -> [Double] {
        // The reduced axis is contiguous for a column sum of a column-major tensor and for a row sum of a
        // row-major one: vectorized_inner_sum; otherwise the kept axis is contiguous: vectorized_outer_sum.
        if overRows {
            if columnMajor { return (0..<x.cols).map { TorchCPU.innerSum(x.column($0), lanes: lanes) } }
            return TorchCPU.outerSums(reduced: x.rows, outputs: x.cols, lanes: lanes) { i, o in x[i, o] }
        } else {
            if !columnMajor { return (0..<x.rows).map { TorchCPU.innerSum(x.row($0), lanes: lanes) } }
            return TorchCPU.outerSums(reduced: x.cols, outputs: x.rows, lanes: lanes) { i, o in x[o, i] }
        }
    }

    /// The normalised weights (softmax(w) + c) / Σ(softmax(w) + c) in float32, with the intermediates the
    /// backward pass needs.
    private struct Normalised {
        var softmax: [Float], shifted: [Float], total: Float, weights: [Float]
    }

    private static func normalise(_ w: [Float], arithmetic: CardinalArithmetic) -> Normalised {
        let minValue = 0.01
        let offset = Float(minValue / (1 - minValue))
        let w1 = TorchCPU.softmax(w, lanes: arithmetic.floatLanes, exp: arithmetic.sleefExp ? TorchCPU.sleefExpf : { Float(_exp(Double($0))) })
        let w2 = w1.map { $0 + offset }
        let total = TorchCPU.innerSum(w2, lanes: arithmetic.floatLanes)
        return Normalised(softmax: w1, shifted: w2, total: total, weights: w2.map { $0 / total })
    }

    /// One `get_sensitivity` run with a fixed loss type.
    private static func cardinalRun(_ data: Matrix, weighted: Bool, arithmetic: CardinalArithmetic)
        -> (tauPrime: Double, mrc: Double) {
        let m = data.rows, n = data.cols
        let cm = arithmetic.columnMajor
        let dn = Double(n)

        // Z = (D − colmean) / colstd, the std recomputed on the centred data as the reference does.
        let colMeans = sums(data, overRows: true, columnMajor: cm, lanes: arithmetic.doubleLanes).map { $0 / Double(m) }
        var z = data
        for r in 0..<m { for c in 0..<n { z[r, c] = data[r, c] - colMeans[c] } }
        let zStd = (0..<n).map { TorchCPU.welfordStd(z.column($0)) }
        for r in 0..<m { for c in 0..<n { z[r, c] /= zStd[c] } }

        let oldScore = sums(data, overRows: false, columnMajor: cm, lanes: arithmetic.doubleLanes).map { $0 / dn }
        let oldRank = rank(oldScore)

        var w = [Float](repeating: 1, count: n)
        if arithmetic.perturb != 0 { var g = SplitMix64(seed: arithmetic.perturb); for c in 0..<n { let u = g.next() % 3; if u == 0 { w[c] = w[c].nextUp } else if u == 1 { w[c] = w[c].nextDown } } }
        var lastLoss = Double(0x3F3F3F3F)
        for stepIndex in 0..<1000 {
            let nw = normalise(w, arithmetic: arithmetic)
            var weighted_ = z
            for r in 0..<m { for c in 0..<n { weighted_[r, c] = z[r, c] * Double(nw.weights[c]) } }
            let score = sums(weighted_, overRows: false, columnMajor: cm, lanes: arithmetic.doubleLanes).map { $0 / dn }

            // appr_rank_diff: a float32 loss accumulating float64 terms; dL/dscore is exact (sums of
            // half-integers). max(t, 0.0) keeps t unless 0 > t, so t = 0 still passes gradient.
            var loss: Float = 0
            var g = [Double](repeating: 0, count: m)
            for i in 0..<m {
                for j in 0..<m where oldRank[j] < oldRank[i] {
                    let t = score[j] - score[i]
                    if 0 > t { continue }
                    let c = weighted ? oldRank[i] - oldRank[j] : 1
                    loss += Float(weighted ? c * t : t)
                    g[j] += c
                    g[i] -= c
                }
            }
            if Double(loss) <= 1e-8 { break }

            // Backward. mean: g/n; mul: (g/n)·Z summed over models in float64, then cast to float32.
            var scaled = z
            for r in 0..<m { for c in 0..<n { scaled[r, c] = (g[r] / dn) * z[r, c] } }
            let gradW3 = sums(scaled, overRows: true, columnMajor: cm, lanes: arithmetic.doubleLanes).map { Float($0) }
            // w3 = w2 / S: self gets g/S, S gets Σ(−g · ((w2/S)/S)); the sum's backward broadcasts it.
            let s = nw.total
            let gradS = TorchCPU.innerSum((0..<n).map { (-gradW3[$0]) * ((nw.shifted[$0] / s) / s) },
                                          lanes: arithmetic.floatLanes)
            let gradW2 = (0..<n).map { gradW3[$0] / s + gradS }
            let gradW = TorchCPU.softmaxBackward(grad: gradW2, output: nw.softmax, lanes: arithmetic.floatLanes,
                                                 fused: arithmetic.fusedSoftmaxBackward)
            for c in 0..<n { w[c] -= gradW[c] }   // SGD, lr = 1

            let lossValue = Double(loss)
            if false && (stepIndex < 5 || stepIndex % 100 == 0) { print("DEBUG step \(stepIndex) loss \(lossValue) w0 \(w[0]) w1 \(w[1])") }
            if abs(lossValue - lastLoss) < 1e-5 { if debugCardinal { print("DEBUG stop at", stepIndex, lossValue, w.map { Double($0) }.reduce(0, +)) }; break }
            lastLoss = lossValue
        }

        // ε = norm(w) / colstd (float32 / float64 → float64), scaled to max 1; new score = row mean of D·ε.
        let nw = normalise(w, arithmetic: arithmetic)
        let colStd = (0..<n).map { TorchCPU.welfordStd(data.column($0)) }
        var eps = (0..<n).map { Double(nw.weights[$0]) / colStd[$0] }
        let maxEps = eps.max()!
        eps = eps.map { $0 / maxEps }
        var scaledData = data
        for r in 0..<m { for c in 0..<n { scaledData[r, c] = data[r, c] * eps[c] } }
        let newScore = sums(scaledData, overRows: false, columnMajor: cm, lanes: arithmetic.doubleLanes).map { $0 / dn }
        if false { print("DEBUG old \(oldRank) new \(rank(newScore))") }
        return rankDiff(rank(newScore), oldRank)
    }
}

// MARK: - Ordinal sensitivity

/// SplitMix64: a small, fully specified generator so the ordinal sensitivity is reproducible here.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1p-53 }
}

extension Benchbench {
    /// `ordinal.get_sensitivity(lr=0.01, num_step=1000)` with inv_indices = the first ⌊M/5⌋ models: how
    /// far the ranking of those models can move when other models are added to or left out of the
    /// win-rate tournament. The selection is learnt by Adam on sigmoid logits with straight-through
    /// Bernoulli samples; each episode records the rank change of the sampled tournament, and the result
    /// is the larger of the final deterministic selection's tuple and the best recorded one.
    ///
    /// The procedure is the reference's, but the Bernoulli draws come from `SplitMix64(seed)`, not from
    /// torch's generator (seed 0), so the value is not bit-identical to the reference: it is an
    /// informational number.
    public static func ordinalSensitivity(_ values: Matrix, seed: UInt64 = 0) -> (tauPrime: Double, mrc: Double) {
        let m = values.rows
        let inv = Array(0..<(m / 5))
        let k = inv.count
        let wr = winningRateMatrix(values)

        func subWinRates(_ selected: [Int]) -> [Double] {
            // WR[sel][:, sel].mean(1), then the inv models (the first k of the sorted selection).
            let rows = selected.map { i in selected.reduce(0.0) { $0 + wr[i, $1] } / Double(selected.count) }
            return Array(rows.prefix(k))
        }

        let origRank = rank(subWinRates(inv))
        var w = [Double](repeating: 0, count: m)
        var adamM = [Double](repeating: 0, count: m), adamV = [Double](repeating: 0, count: m)
        let lr = 0.01, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8
        var history: [(tauPrime: Double, mrc: Double)] = []
        var rng = SplitMix64(seed: seed)

        for step in 1...1000 {
            let probs = w.map { 1 / (1 + _exp(-$0)) }
            let sampled = probs.map { rng.nextUniform() < $0 ? 1.0 : 0.0 }
            // Every inv model not sampled is added back.
            let selected = (0..<m).map { sampled[$0] == 0 && $0 < k ? 1.0 : sampled[$0] }
            let total = selected.reduce(0, +)
            let rowSums = (0..<m).map { i in (0..<m).reduce(0.0) { $0 + wr[i, $1] * selected[$1] } }
            let newWR = (0..<m).map { selected[$0] * rowSums[$0] / total }

            // Loss Σ max(newWR_i − newWR_j, −0.01) over inv pairs with origRank_i < origRank_j; the
            // reference stops when no term carries a gradient (no pair, or all clipped).
            var gWR = [Double](repeating: 0, count: m)
            var anyActive = false
            for i in 0..<k {
                for j in 0..<k where origRank[i] < origRank[j] {
                    if -0.01 > newWR[i] - newWR[j] { continue }
                    anyActive = true
                    gWR[i] += 1
                    gWR[j] -= 1
                }
            }
            if !anyActive { break }

            // d newWR_i / d sel_q = (δ_iq·rowSum_i + sel_i·WR_iq − newWR_i) / total; straight-through to w.
            let gDotWR = (0..<m).reduce(0.0) { $0 + gWR[$1] * newWR[$1] }
            var grad = [Double](repeating: 0, count: m)
            for q in 0..<m {
                var s = gWR[q] * rowSums[q]
                for i in 0..<m where gWR[i] != 0 { s += gWR[i] * selected[i] * wr[i, q] }
                grad[q] = (s - gDotWR) / total
            }
            let bc1 = 1 - pow(beta1, Double(step)), bc2 = 1 - pow(beta2, Double(step))
            for q in 0..<m {
                adamM[q] = beta1 * adamM[q] + (1 - beta1) * grad[q]
                adamV[q] = beta2 * adamV[q] + (1 - beta2) * grad[q] * grad[q]
                let denom = adamV[q].squareRoot() / bc2.squareRoot() + epsilon
                w[q] -= lr / bc1 * adamM[q] / denom
            }

            let chosen = (0..<m).filter { selected[$0] >= 1 - 1e-4 }
            history.append(rankDiff(rank(subWinRates(chosen)), origRank))
        }

        let finalChosen = (0..<m).filter { 1 / (1 + _exp(-w[$0])) > 0.5 || $0 < k }
        let final = rankDiff(rank(subWinRates(finalChosen)), origRank)
        // The first history entry with the largest τ′ (a stable sort by −τ′).
        guard var best = history.first else { return final }
        for h in history.dropFirst() where h.tauPrime > best.tauPrime { best = h }
        let finalWins = final.tauPrime > best.tauPrime || (final.tauPrime == best.tauPrime && final.mrc > best.mrc)
        return finalWins ? final : best
    }
}
