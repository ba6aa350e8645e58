// Ranks and rank correlations with scipy's conventions (rankdata "average", spearmanr via numpy's
// corrcoef operation order), the building block of Rank-Order, Ipsative and the Stress item matrix.

public enum Ranks {
    /// scipy.stats.rankdata(method="average"): 1-based ranks, ties get the mean of their positions.
    public static func average(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
        var ranks = [Double](repeating: 0, count: x.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && x[order[end]] == x[order[start]] { end += 1 }
            // Positions start+1 … end share their mean rank.
            let rank = Double(start + 1 + end) / 2
            for k in start..<end { ranks[order[k]] = rank }
            start = end
        }
        return ranks
    }
}

public enum Correlation {
    /// True when every element equals the first exactly (scipy's ConstantInputWarning test).
    public static func isConstant(_ x: [Double]) -> Bool {
        guard let first = x.first else { return true }
        return x.allSatisfy { $0 == first }
    }

    /// Pearson correlation in numpy.corrcoef's order of operations: covariances with divisor n − 1,
    /// then divided by each standard deviation in turn, clipped to [−1, 1].
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "vectors differ in length")
        let n = x.count
        guard n > 1 else { return .nan }
        let mx = x.reduce(0, +) / Double(n)
        let my = y.reduce(0, +) / Double(n)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<n {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        let divisor = Double(n - 1)
        let r = (sxy / divisor) / (sxx / divisor).squareRoot() / (syy / divisor).squareRoot()
        return r.isNaN ? r : min(max(r, -1), 1)
    }

    /// scipy.stats.spearmanr of two vectors: Pearson of the average ranks; NaN when either input is
    /// constant (the reference turns scipy's ConstantInputWarning into NaN).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        if isConstant(x) || isConstant(y) { return .nan }
        return pearson(Ranks.average(x), Ranks.average(y))
    }

    /// Spearman from precomputed average ranks (callers correlating one vector many times rank it once).
    /// The caller must have handled constant inputs.
    public static func spearman(ranks x: [Double], ranks y: [Double]) -> Double { pearson(x, y) }
}
