// benchbench (Zhang & Hardt, PyPI `benchbench` 1.0.x) as rank_models.py uses it (StickPsychometrics/README.md §7.3):
// rank helpers, Kendall's τ_b and W, the diversity of a board's columns, and the sensitivity of the
// cardinal and ordinal aggregates. Pure math on a models × columns matrix.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StickRandom

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
            for j in (i + 1)..<n {
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
        let mrc = maxRankChange(new, old)
        return mrc == 0 ? (0, 0) : ((1 - kendallTauB(new, old)) / 2, mrc)
    }

    /// The MRC half of `rankDiff` (0 when Σ|new − old| ≤ 1e-8).
    static func maxRankChange(_ new: [Double], _ old: [Double]) -> Double {
        precondition(new.count == old.count, "rankDiff: lengths differ")
        var total = 0.0, largest = 0.0
        for i in new.indices {
            let d = abs(new[i] - old[i])
            total += d
            largest = max(largest, d)
        }
        return total <= tieTolerance ? 0 : largest / Double(new.count - 1)
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
                total += maxRankChange(rankings[a], rankings[b])
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
    /// `cardinal.get_sensitivity(min_value=0.01, lr=1, num_steps=1000, stop_threshold=1e-5,
    /// normalize_epsilon=True)`: re-weights the columns by gradient descent so that the ranking by the
    /// weighted mean moves as far as possible from the ranking by the plain mean, once with the weighted
    /// and once with the unweighted loss, and returns the larger (τ′, MRC) tuple (τ′ decides, then MRC).
    /// Columns whose standard deviation is ≤ 1e-8 or NaN (any NaN cell) are left out, as in the
    /// reference. Returns NaN when no column is left (the reference fails there).
    ///
    /// The descent is chaotic in the last bits (a one-ulp change of the start, or a different column
    /// order, can move the result), so it is reproduced in the reference's own arithmetic (see
    /// `TorchCPUArithmetic.swift`): w and the normalised weights are float32, the data and scores float64,
    /// the loss is accumulated in float32 (it decides when to stop), and torch's reduction orders and
    /// autograd formulas are followed. The loss of every step equals torch 2.13's (CPU, AVX2 kernels) bit
    /// for bit on the boards the tests use; other torch builds (AVX-512, ARM) may differ.
    public static func cardinalSensitivity(_ values: Matrix) -> (tauPrime: Double, mrc: Double) {
        let keep = (0..<values.cols).filter { TorchCPU.welfordStd(values.column($0)) > 1e-8 }
        guard !keep.isEmpty, values.rows > 0 else { return (.nan, .nan) }
        let data = values.selectingColumns(keep)
        let a = cardinalRun(data, weighted: true)
        let b = cardinalRun(data, weighted: false)
        // Python's max(a, b): b only when b > a in tuple order.
        return (b.tauPrime > a.tauPrime || (b.tauPrime == a.tauPrime && b.mrc > a.mrc)) ? b : a
    }

    /// A float64 models × columns tensor with torch's sum orders. `torch.tensor(DataFrame.values)` is
    /// column-major, but the column selection (`data[:, kept]`) returns a row-major copy, and every
    /// tensor the descent sums derives from that copy.
    private struct Tensor2D {
        let rows: Int, cols: Int
        var storage: [Double]

        init(_ m: Matrix) {
            rows = m.rows
            cols = m.cols
            storage = m.storage
        }

        /// Sum over the columns of each row (`x.sum(1)`: contiguous, `vectorized_inner_sum`).
        func rowSums() -> [Double] {
            storage.withUnsafeBufferPointer { x in
                (0..<rows).map { TorchCPU.innerSum(x, offset: $0 * cols, count: cols, lanes: TorchCPU.doubleLanes) }
            }
        }

        /// Sum over the rows of each column (`x.sum(0)`: strided, `vectorized_outer_sum`).
        func columnSums() -> [Double] {
            storage.withUnsafeBufferPointer { x in
                TorchCPU.outerSums(x, reduced: rows, reducedStride: cols, outputs: cols, outputStride: 1,
                                   lanes: TorchCPU.doubleLanes)
            }
        }
    }

    /// normalize_func: (softmax(w) + c) / Σ(softmax(w) + c), c = 0.01/0.99, all float32, with the
    /// intermediates the backward pass needs.
    private struct Normalised {
        var softmax: [Float], shifted: [Float], total: Float, weights: [Float]

        init(_ w: [Float]) {
            let minValue = 0.01
            let offset = Float(minValue / (1 - minValue))   // a Python float added to a float32 tensor
            softmax = TorchCPU.softmax(w)
            shifted = softmax.map { $0 + offset }
            total = TorchCPU.innerSum(shifted, lanes: TorchCPU.floatLanes)
            let s = total
            weights = shifted.map { $0 / s }
        }
    }

    /// One `get_sensitivity` run with a fixed loss type.
    private static func cardinalRun(_ data: Matrix, weighted: Bool) -> (tauPrime: Double, mrc: Double) {
        let m = data.rows, n = data.cols
        let dn = Double(n), dm = Double(m)
        let d = Tensor2D(data)

        // Z = (D − colmean) / colstd; the reference recomputes the std on the centred data.
        let colMeans = d.columnSums().map { $0 / dm }
        var z = d
        for r in 0..<m { for c in 0..<n { z.storage[r * n + c] -= colMeans[c] } }
        let zStd = (0..<n).map { c in TorchCPU.welfordStd((0..<m).map { z.storage[$0 * n + c] }) }
        for r in 0..<m { for c in 0..<n { z.storage[r * n + c] /= zStd[c] } }

        let oldRank = rank(d.rowSums().map { $0 / dn })
        // The pairs (i, j) with oldRank[j] < oldRank[i], in the reference's loop order, and their weights.
        var pairs: [(i: Int, j: Int, c: Double)] = []
        for i in 0..<m {
            for j in 0..<m where oldRank[j] < oldRank[i] {
                pairs.append((i, j, weighted ? oldRank[i] - oldRank[j] : 1))
            }
        }

        var w = [Float](repeating: 1, count: n)
        var product = z
        var lastLoss = Double(0x3F3F3F3F)
        for _ in 0..<1000 {
            let nw = Normalised(w)
            for r in 0..<m {
                for c in 0..<n { product.storage[r * n + c] = z.storage[r * n + c] * Double(nw.weights[c]) }
            }
            let score = product.rowSums().map { $0 / dn }

            // appr_rank_diff: float32 loss += float64 term; max(t, 0.0) keeps t unless 0 > t, so t = 0 still
            // passes gradient. dL/dscore is exact (sums of half-integers).
            var loss: Float = 0
            var g = [Double](repeating: 0, count: m)
            for (i, j, c) in pairs {
                let t = score[j] - score[i]
                if 0 > t { continue }
                loss += Float(weighted ? c * t : t)
                g[j] += c
                g[i] -= c
            }
            if Double(loss) <= 1e-8 { break }

            // Backward. mean: g/n per row; mul: (g/n)·Z summed over the models in float64, then cast to the
            // float32 of the weights.
            for r in 0..<m {
                let gr = g[r] / dn
                for c in 0..<n { product.storage[r * n + c] = gr * z.storage[r * n + c] }
            }
            let gradW3 = product.columnSums().map { Float($0) }
            // w3 = w2 / S: w2 gets g/S, S gets Σ −g·((w2/S)/S), which the sum's backward broadcasts.
            let s = nw.total
            let gradS = TorchCPU.innerSum((0..<n).map { (-gradW3[$0]) * ((nw.shifted[$0] / s) / s) },
                                          lanes: TorchCPU.floatLanes)
            let gradW2 = (0..<n).map { gradW3[$0] / s + gradS }
            let gradW = TorchCPU.softmaxBackward(grad: gradW2, output: nw.softmax)
            for c in 0..<n { w[c] -= gradW[c] }   // SGD, lr = 1

            let lossValue = Double(loss)
            if abs(lossValue - lastLoss) < 1e-5 { break }
            lastLoss = lossValue
        }

        // ε = norm(w) / colstd (float32 / float64 → float64), scaled to max 1; new score = row mean of D·ε.
        let nw = Normalised(w)
        let colStd = (0..<n).map { TorchCPU.welfordStd(data.column($0)) }
        var eps = (0..<n).map { Double(nw.weights[$0]) / colStd[$0] }
        let maxEps = eps.max()!
        eps = eps.map { $0 / maxEps }
        var scaled = d
        for r in 0..<m { for c in 0..<n { scaled.storage[r * n + c] = d.storage[r * n + c] * eps[c] } }
        return rankDiff(rank(scaled.rowSums().map { $0 / dn }), oldRank)
    }
}

// MARK: - Ordinal sensitivity

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
        let k = m / 5                     // inv_indices = 0 ..< k
        let wr = winningRateMatrix(values).storage

        func subWinRates(_ selected: [Int]) -> [Double] {
            // WR[sel][:, sel].mean(1)[inv]: the inv models are the first k of the sorted selection.
            (0..<min(k, selected.count)).map { p in
                var sum = 0.0
                for j in selected { sum += wr[selected[p] * m + j] }
                return sum / Double(selected.count)
            }
        }

        let origRank = rank(subWinRates(Array(0..<k)))
        var pairs: [(Int, Int)] = []      // (i, j) with origRank_i < origRank_j, in the reference's order
        for i in 0..<k { for j in 0..<k where origRank[i] < origRank[j] { pairs.append((i, j)) } }

        var w = [Double](repeating: 0, count: m)
        var adamM = [Double](repeating: 0, count: m), adamV = [Double](repeating: 0, count: m)
        let lr = 0.01, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8
        var history: [(tauPrime: Double, mrc: Double)] = []
        var rng = SplitMix64(seed: seed)
        var selected = [Double](repeating: 0, count: m)
        var rowSums = [Double](repeating: 0, count: m)
        var newWR = [Double](repeating: 0, count: m)
        var gWR = [Double](repeating: 0, count: m)
        var grad = [Double](repeating: 0, count: m)

        for step in 1...1000 {
            // Bernoulli(sigmoid(w)) draws in model order; every inv model not drawn is added back.
            var total = 0.0
            for q in 0..<m {
                let drawn = rng.nextUniform() < 1 / (1 + exp(-w[q]))
                selected[q] = drawn || q < k ? 1 : 0
                total += selected[q]
            }
            for i in 0..<m {
                var sum = 0.0
                for j in 0..<m { sum += wr[i * m + j] * selected[j] }
                rowSums[i] = sum
                newWR[i] = selected[i] * sum / total
            }

            // Loss Σ max(newWR_i − newWR_j, −0.01) over the pairs; the reference stops when no term
            // carries a gradient (no pair, or every pair clipped).
            for q in 0..<m { gWR[q] = 0 }
            var anyActive = false
            for (i, j) in pairs where !(-0.01 > newWR[i] - newWR[j]) {
                anyActive = true
                gWR[i] += 1
                gWR[j] -= 1
            }
            if !anyActive { break }

            // d newWR_i / d sel_q = (δ_iq·rowSum_i + sel_i·WR_iq − newWR_i) / total, passed straight
            // through the sample to w.
            var gDotWR = 0.0
            for i in 0..<k { gDotWR += gWR[i] * newWR[i] }
            for q in 0..<m {
                var s = gWR[q] * rowSums[q]
                for i in 0..<k where gWR[i] != 0 { s += gWR[i] * selected[i] * wr[i * m + q] }
                grad[q] = (s - gDotWR) / total
            }
            // Adam (torch defaults: betas 0.9 / 0.999, eps 1e-8, no weight decay).
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

        let finalChosen = (0..<m).filter { 1 / (1 + exp(-w[$0])) > 0.5 || $0 < k }
        let final = rankDiff(rank(subWinRates(finalChosen)), origRank)
        // The first history entry with the largest τ′ (a stable sort by −τ′).
        guard var best = history.first else { return final }
        for h in history.dropFirst() where h.tauPrime > best.tauPrime { best = h }
        let finalWins = final.tauPrime > best.tauPrime || (final.tauPrime == best.tauPrime && final.mrc > best.mrc)
        return finalWins ? final : best
    }
}
