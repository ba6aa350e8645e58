// scikit-learn's IsotonicRegression(increasing=True).fit_transform(x, y) with unit weights, reproduced
// step for step (sklearn ≥ 1.4 with SciPy ≥ 1.12): lexsort by (x, y), `_make_unique` pooling of x values
// closer than 1e-15 (mean of their y), SciPy's PAVA (`_pava_pybind.pava`, Busing 2022) with the pooled
// counts as weights, then the fitted function evaluated back at every x by np.interp through interp1d.
// SMACOF calls this every iteration with the same x (the dissimilarities), so the x-only work (sort
// order, pooling groups) is done once in `IsotonicPlan`.

/// What interp1d does with an x above the last threshold (possible only for an x within 1e-15 of, but
/// above, the first x of the last pooled group).
public enum IsotonicOutOfBounds: Sendable {
    /// `out_of_bounds="nan"`, sklearn's default (and what MDS used up to 1.6).
    case nan
    /// `out_of_bounds="clip"` (MDS from 1.7 on).
    case clip
}

/// The x-dependent part of an isotonic fit, reusable for many y vectors of the same length.
struct IsotonicPlan {
    let count: Int
    /// Indices sorted by x ascending (ties by index; ties in x are re-sorted by y per fit).
    private var order: [Int]
    /// Runs [start, end) of `order` whose x are exactly equal (lexsort orders them by y).
    private let exactTieRuns: [Range<Int>]
    /// Pooled groups over sorted positions: group g covers sorted positions groupStart[g] ..< groupStart[g+1].
    private let groupStart: [Int]
    /// Each group's threshold x (its first, smallest x).
    private let groupX: [Double]
    /// For each sorted position: its group and whether its x equals the group's threshold exactly.
    private let positionGroup: [Int]
    private let positionExact: [Bool]
    /// x in sorted order (exact ties are equal, so re-sorting them by y does not change this).
    private let sortedX: [Double]
    private let outOfBounds: IsotonicOutOfBounds
    // Scratch reused by every fit.
    private var means: [Double]
    private var weights: [Double]
    private var blockIndex: [Int]

    /// numpy.finfo(float64).resolution, `_make_unique`'s pooling threshold.
    static let resolution = 1e-15

    init(x: [Double], outOfBounds: IsotonicOutOfBounds) {
        count = x.count
        self.outOfBounds = outOfBounds
        order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
        var runs: [Range<Int>] = []
        var start = 0
        while start < count {
            var end = start + 1
            while end < count && x[order[end]] == x[order[start]] { end += 1 }
            if end - start > 1 { runs.append(start..<end) }
            start = end
        }
        exactTieRuns = runs
        // _make_unique: a new group starts when x − (first x of the current group) ≥ resolution.
        var starts: [Int] = []
        var thresholds: [Double] = []
        var group = [Int](repeating: 0, count: count)
        var exact = [Bool](repeating: true, count: count)
        for p in 0..<count {
            let value = x[order[p]]
            if p == 0 || value - thresholds[thresholds.count - 1] >= IsotonicPlan.resolution {
                starts.append(p)
                thresholds.append(value)
            }
            group[p] = thresholds.count - 1
            exact[p] = value == thresholds[thresholds.count - 1]
        }
        starts.append(count)
        groupStart = starts
        groupX = thresholds
        positionGroup = group
        positionExact = exact
        sortedX = order.map { x[$0] }
        means = [Double](repeating: 0, count: thresholds.count)
        weights = [Double](repeating: 0, count: thresholds.count)
        blockIndex = [Int](repeating: 0, count: thresholds.count + 1)
    }

    /// Fitted values for `y` (indexed like the plan's x) written to `out` (same indexing).
    /// `y` and `out` must hold `count` elements; they may not alias.
    mutating func fitTransform(_ y: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        guard count > 0 else { return }
        // lexsort((y, x)): exact ties in x are ordered by y (stable); they are rare, so sort only them.
        for run in exactTieRuns {
            order[run].sort { y[$0] < y[$1] || (y[$0] == y[$1] && $0 < $1) }
        }
        let groups = groupX.count
        order.withUnsafeBufferPointer { order in
            means.withUnsafeMutableBufferPointer { means in
                weights.withUnsafeMutableBufferPointer { weights in
                    // _make_unique: running sum of y (unit weights) in sorted order, divided by the count.
                    for g in 0..<groups {
                        var sum = y[order[groupStart[g]]]
                        var weight = 1.0
                        var p = groupStart[g] + 1
                        while p < groupStart[g + 1] {
                            sum += y[order[p]]
                            weight += 1
                            p += 1
                        }
                        means[g] = sum / weight
                        weights[g] = weight
                    }
                    blockIndex.withUnsafeMutableBufferPointer { r in
                        IsotonicPlan.pava(means.baseAddress!, weights.baseAddress!, r.baseAddress!, groups)
                    }
                    // Evaluate the fitted step function at every x, as interp1d → np.interp does.
                    let last = groups - 1
                    for p in 0..<count {
                        let g = positionGroup[p]
                        let value: Double
                        if groups == 1 {
                            value = means[0]  // sklearn: a single threshold predicts it everywhere
                        } else if positionExact[p] {
                            value = means[g]
                        } else if g == last {
                            // Above X_max: interp1d fills NaN; with clip, x is clipped to X_max first.
                            value = outOfBounds == .clip ? means[last] : .nan
                        } else {
                            // np.interp between this group's threshold and the next one's.
                            let xp = groupX[g], xn = groupX[g + 1]
                            let slope = (means[g + 1] - means[g]) / (xn - xp)
                            value = slope * (sortedX[p] - xp) + means[g]
                        }
                        out[order[p]] = value
                    }
                }
            }
        }
    }

    /// SciPy 1.12's `pava` (Busing 2022, Algorithm 1 with SciPy's `>=` modifications), in place:
    /// on return x[0 ..< n] holds the isotonic solution. w is the weight per element, r scratch of n + 1.
    static func pava(_ x: UnsafeMutablePointer<Double>, _ w: UnsafeMutablePointer<Double>,
                     _ r: UnsafeMutablePointer<Int>, _ n: Int) {
        guard n > 0 else { return }
        r[0] = 0
        if n > 1 { r[1] = 1 }
        var b = 0
        var xbPrev = x[b]
        var wbPrev = w[b]
        var i = 1
        while i < n {
            b += 1
            var xb = x[i]
            var wb = w[i]
            var sb = 0.0
            if xbPrev >= xb {
                b -= 1
                sb = wbPrev * xbPrev + wb * xb
                wb += wbPrev
                xb = sb / wb
                while i < n - 1 && xb >= x[i + 1] {
                    i += 1
                    sb += w[i] * x[i]
                    wb += w[i]
                    xb = sb / wb
                }
                while b > 0 && x[b - 1] >= xb {
                    b -= 1
                    sb += w[b] * x[b]
                    wb += w[b]
                    xb = sb / wb
                }
            }
            x[b] = xb; xbPrev = xb
            w[b] = wb; wbPrev = wb
            r[b + 1] = i + 1
            i += 1
        }
        var f = n - 1
        var k = b
        while k >= 0 {
            let t = r[k]
            let xk = x[k]
            var j = f
            while j >= t { x[j] = xk; j -= 1 }
            f = t - 1
            k -= 1
        }
    }
}
