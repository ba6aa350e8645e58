// Cronbach's alpha as the reference computes it (StickPsychometrics/README.md §6): pingouin.cronbach_alpha on the
// centred answers a(p, i) − m(p) of each value's items. Informational: the leaderboard does not use it.

/// Cronbach's alpha of every context and its NaN-propagating means.
public struct CronbachAlphaSummary: Sendable, Equatable {
    /// `perContext[c][v]`.
    public var perContext: [[Double]]
    /// Mean over values, per context.
    public var perContextMean: [Double]
    /// Mean over contexts, per value.
    public var perValueMean: [Double]
    /// Mean of `perContextMean`.
    public var overall: Double
}

public enum CronbachAlpha {
    /// α per value (keying order) of one context: `alpha` of the centred answers a(p, i) − m(p) of the
    /// value's items, m(p) being the mean of all K answers (SVS: unkeyed items included).
    public static func perValue(answers: Matrix, keying: ValueKeying) -> [Double] {
        precondition(answers.cols == keying.itemCount,
                     "answers have \(answers.cols) items, the keying expects \(keying.itemCount)")
        let centred = ValueScoring.centredAnswers(answers)
        return keying.items.map { alpha(centred.selectingColumns($0)) }
    }

    /// α per context and the means the reference reports (plain means, NaN propagates).
    /// - Parameter contexts: (answers, keying) per context; every keying must list the same values.
    public static func summary(_ contexts: [(answers: Matrix, keying: ValueKeying)]) -> CronbachAlphaSummary {
        summary(perContext: contexts.map { perValue(answers: $0.answers, keying: $0.keying) })
    }

    /// The means of already computed per-context alphas (`perContext[c][v]`).
    public static func summary(perContext: [[Double]]) -> CronbachAlphaSummary {
        let values = perContext.first?.count ?? 0
        precondition(perContext.allSatisfy { $0.count == values }, "every context needs the same values")
        let perContextMean = perContext.map { ValueScoring.numpyMean($0) }
        let perValueMean = (0..<values).map { v in ValueScoring.numpyMean(perContext.map { $0[v] }) }
        return CronbachAlphaSummary(perContext: perContext, perContextMean: perContextMean,
                                    perValueMean: perValueMean, overall: ValueScoring.numpyMean(perContextMean))
    }

    /// pingouin.cronbach_alpha of a personas × k item matrix (no centring here):
    /// α = k/(k−1) · (1 − tr C / ΣC), C the item covariance matrix with ddof = 1 (np.cov's order:
    /// column means, centred cross-products, times 1/(n−1)).
    ///
    /// Returns NaN when α is undefined: k < 2 or n < 2 (pingouin asserts), NaN input, or every column
    /// constant over personas. The last is 0/0; the reference returns floating-point noise there
    /// (covariances ~1e-32 left by the centring's rounding), so a column counts as constant when its
    /// spread is within 1e-12 of its magnitude — rounding noise, far below any real answer variation.
    public static func alpha(_ items: Matrix) -> Double {
        let n = items.rows, k = items.cols
        guard n >= 2, k >= 2, !items.storage.contains(where: { $0.isNaN }) else { return .nan }
        var deviations = [[Double]]()
        deviations.reserveCapacity(k)
        var allConstant = true
        for j in 0..<k {
            let x = items.column(j)
            let lo = x.min()!, hi = x.max()!
            if hi - lo > 1e-12 * max(1, abs(lo), abs(hi)) { allConstant = false }
            let mean = ValueScoring.numpyMean(x)
            deviations.append(x.map { $0 - mean })
        }
        if allConstant { return .nan }
        let inv = 1.0 / Double(n - 1)
        var trace = 0.0, total = 0.0
        for j in 0..<k {
            var columnSum = 0.0
            for l in 0..<k {
                var s = 0.0
                for p in 0..<n { s += deviations[j][p] * deviations[l][p] }
                let c = s * inv
                columnSum += c
                if j == l { trace += c }
            }
            total += columnSum
        }
        return (Double(k) / Double(k - 1)) * (1 - trace / total)
    }
}
