// Confirmatory factor analysis of the four higher-order "magnifying glass" sub-models, reproducing
// `cfa(model, data, std.lv = TRUE)` of lavaan 0.6-14 as the reference pipeline runs it (StickPsychometrics/README.md §5):
// ML with the normal likelihood (S with divisor N), no mean structure, factor variances fixed to 1,
// all loadings free, correlated factors, unbounded residual variances. The optimiser lives in
// CFAEstimator.swift; this file holds the public API, the failure rules and the fit indices.
import CLapack
import Foundation

/// Outcome of one sub-model fit, as the reference pipeline classifies it (StickPsychometrics/README.md §5.1).
public enum CFAStatus: String, Sendable {
    case ok
    /// lavaan stopped with an error: an item without variance, a non-positive-definite sample covariance
    /// or non-convergence. The R script exits with a non-zero code.
    case error
    /// Some estimated factor correlation is ≥ 1: the R script's `return(-1)` makes Rscript exit with 1.
    case factorCorrelationAtLeastOne = "factor_correlation_ge_1"
}

/// The four fit indices the leaderboard uses.
public struct CFAIndices: Equatable, Sendable {
    public var cfi: Double
    public var tli: Double
    public var srmr: Double
    public var rmsea: Double

    public init(cfi: Double, tli: Double, srmr: Double, rmsea: Double) {
        self.cfi = cfi
        self.tli = tli
        self.srmr = srmr
        self.rmsea = rmsea
    }

    /// What the Python side stores when Rscript exits with a non-zero code.
    public static let failure = CFAIndices(cfi: 0, tli: 0, srmr: 1, rmsea: 1)
    public static let undefined = CFAIndices(cfi: .nan, tli: .nan, srmr: .nan, rmsea: .nan)
}

/// How `CFAFit.stored` treats a successful fit's indices.
public enum CFARounding: String, CaseIterable, Sendable {
    /// jsonlite `toJSON` (digits = 4), as the reference pipeline stores them.
    case reference
    /// Full precision (failures still get the failure values).
    case none
}

/// Result of fitting one sub-model to one context's answers.
public struct CFAFit: Sendable {
    public var status: CFAStatus
    /// Why the fit failed ("item5 has no variance", "sample covariance matrix is not positive-definite",
    /// "did not converge", "factor correlation >= 1"); nil when `status == .ok`. Informational.
    public var message: String?
    /// χ² = N · F_ML(θ̂). Like the fixtures' expected.json, the statistics (`chisq`, `baselineChisq`,
    /// `indices`) are NaN unless `status == .ok`: the reference never computes them otherwise.
    public var chisq: Double
    /// p(p+1)/2 − npar; structural, filled for every status.
    public var df: Int
    /// Independence-model χ² = N(Σ log sᵢᵢ − log|S|).
    public var baselineChisq: Double
    /// p(p−1)/2; structural, filled for every status.
    public var baselineDf: Int
    /// Full-precision CFI, TLI, SRMR (Bentler) and RMSEA.
    public var indices: CFAIndices
    /// Number of free parameters q = 2p + k(k−1)/2.
    public var npar: Int
    /// Estimated factor correlations, upper triangle row-major ((0,1), (0,2), (1,2), …): the final iterate,
    /// also for `factorCorrelationAtLeastOne` and non-convergence; nil when the data were rejected before
    /// estimation.
    public var factorCorrelations: [Double]?
    /// Estimated loadings and residual variances in column order (same availability as the correlations).
    public var loadings: [Double]?
    public var residualVariances: [Double]?
    /// Whether the optimiser reached the stationary point (false also when it was never started).
    public var converged: Bool
    /// Optimiser iterations used.
    public var iterations: Int

    /// The indices the pipeline keeps: for `ok` the (optionally jsonlite-rounded) indices, otherwise the
    /// failure values CFI 0, TLI 0, SRMR 1, RMSEA 1.
    public func stored(rounding: CFARounding) -> CFAIndices {
        guard status == .ok else { return .failure }
        switch rounding {
        case .none: return indices
        case .reference:
            return CFAIndices(cfi: JSONLiteRounding.round(indices.cfi), tli: JSONLiteRounding.round(indices.tli),
                              srmr: JSONLiteRounding.round(indices.srmr), rmsea: JSONLiteRounding.round(indices.rmsea))
        }
    }
}

/// R jsonlite's number formatting in `toJSON(digits = d)` (its C `num_to_char`), read back as a double
/// the way Python's `json.loads` does.
public enum JSONLiteRounding {
    /// * 1e-5 < |x| < 2³¹ − 1: modp_dtoa2, i.e. t = (|x| − ⌊|x|⌋)·10^d, f = ⌊t⌋, round up when t − f > 0.5
    ///   or t − f = 0.5 with f odd (the fixtures' README §1.3; here StickPsychometrics/README.md §5.1);
    /// * otherwise (tiny or huge, non-zero): `%.{n}g` with n = ⌈min(15, max(1, log10 x) + d)⌉ significant
    ///   digits, which is d + 1 = 5 significant digits for 0 < |x| ≤ 1e-5 (log10 of a negative value is NaN
    ///   in C, and fmax ignores NaN, so negatives always get d + 1).
    /// 0, NaN and ±∞ are returned unchanged.
    public static func round(_ x: Double, digits: Int = 4) -> Double {
        precondition((0...9).contains(digits), "jsonlite digits out of range")
        guard x.isFinite, x != 0 else { return x }
        let magnitude = abs(x)
        if magnitude > 1e-5 && magnitude < 2_147_483_647 {
            let scale = Double(powerOfTen(digits)) // exact
            let whole = magnitude.rounded(.towardZero)
            let t = (magnitude - whole) * scale
            var fraction = t.rounded(.towardZero)
            let diff = t - fraction
            if diff > 0.5 || (diff == 0.5 && fraction.truncatingRemainder(dividingBy: 2) == 1) { fraction += 1 }
            // whole·10^d + f is an exact integer, so one division gives the double nearest to the printed
            // decimal "whole.ffff", which is what json.loads returns. A carry (f = 10^d) is handled too.
            let value = (whole * scale + fraction) / scale
            return x < 0 ? -value : value
        }
        let log = x > 0 ? max(1, log10(x)) : 1
        let significant = Int(min(15, log + Double(digits)).rounded(.up))
        return Double(String(format: "%.*g", significant, x)) ?? x
    }

    private static func powerOfTen(_ n: Int) -> Int { (0..<n).reduce(1) { r, _ in r * 10 } }
}

public enum CFA {
    /// Fits a correlated-factors CFA with lavaan's conventions.
    /// - Parameters:
    ///   - data: N × p raw answers of the sub-model's items (the columns lavaan sees, in model order).
    ///   - factorOfItem: factor index (0..<factorCount) of each column.
    ///   - factorCount: k, the number of factors; every factor needs at least one item.
    public static func fit(data: Matrix, factorOfItem: [Int], factorCount: Int) -> CFAFit {
        fit(data: data, factorOfItem: factorOfItem, factorCount: factorCount,
            columnNames: (1...max(1, data.cols)).map { "column \($0)" })
    }

    /// `columnNames` only label failure messages.
    static func fit(data: Matrix, factorOfItem: [Int], factorCount: Int, columnNames: [String]) -> CFAFit {
        precondition(data.rows >= 2, "need at least two rows")
        precondition(data.cols == factorOfItem.count, "one factor index per column")
        precondition(factorCount >= 1 && factorOfItem.allSatisfy { (0..<factorCount).contains($0) },
                     "factor index out of range")
        precondition((0..<factorCount).allSatisfy { factorOfItem.contains($0) }, "every factor needs an item")
        _ = CFA.singleThreadedBLAS

        let p = data.cols, k = factorCount, n = data.rows
        let npar = 2 * p + k * (k - 1) / 2
        var fit = CFAFit(status: .error, message: nil, chisq: .nan, df: p * (p + 1) / 2 - npar, baselineChisq: .nan,
                         baselineDf: p * (p - 1) / 2, indices: .undefined, npar: npar, factorCorrelations: nil,
                         loadings: nil, residualVariances: nil, converged: false, iterations: 0)

        // lavaan's data check ("some variables have no values (only missings) or no variance").
        if let column = (0..<p).first(where: { c in (0..<n).allSatisfy { data[$0, c] == data[0, c] } }) {
            fit.message = "\(columnNames[column]) has no variance"
            return fit
        }

        let s = sampleCovariance(data)
        // lavaan inverts S with R's chol() (LAPACK dpotrf); a failing factorisation is fatal there.
        guard let logDetS = logDeterminantOfPositiveDefinite(s, p) else {
            fit.message = "sample covariance matrix is not positive-definite"
            return fit
        }
        let N = Double(n)
        var sumLogDiagonal = 0.0
        for i in 0..<p { sumLogDiagonal += log(s[i * p + i]) }
        let baselineChisq = N * (sumLogDiagonal - logDetS)

        let estimator = CFAEstimator(s: s, logDetS: logDetS, factorOf: factorOfItem, factorCount: k)
        let result = estimator.run()
        fit.iterations = result.iterations
        fit.converged = result.converged
        fit.loadings = Array(result.parameters[0..<p])
        fit.residualVariances = Array(result.parameters[p..<(2 * p)])
        fit.factorCorrelations = Array(result.parameters[(2 * p)...])
        guard result.converged else {
            fit.message = "did not converge"
            return fit
        }

        // The R script exits before fitMeasures() when a correlation is >= 1 (it never sees <= -1 as a problem).
        if fit.factorCorrelations!.contains(where: { $0 >= 1 }) {
            fit.status = .factorCorrelationAtLeastOne
            fit.message = "factor correlation >= 1"
            return fit
        }
        let chisq = N * result.discrepancy
        fit.status = .ok
        fit.chisq = chisq
        fit.baselineChisq = baselineChisq
        fit.indices = fitIndices(chisq: chisq, df: fit.df, baselineChisq: baselineChisq, baselineDf: fit.baselineDf,
                                 n: N, srmr: srmrBentler(s: s, sigma: result.sigma, p: p))
        return fit
    }

    /// Fits one sub-model from all K answers of a context: columns factor by factor in sub-model order,
    /// items ascending within a value (the order of the lavaan model syntax).
    public static func fit(subModel: CFASubModel, answers: Matrix, keying: ValueKeying) -> CFAFit {
        precondition(answers.cols == keying.itemCount, "answers must hold all K items")
        var columns: [Int] = []
        var factorOfItem: [Int] = []
        for (factor, value) in subModel.factors.enumerated() {
            guard let v = keying.index(of: value) else { preconditionFailure("keying lacks value \(value)") }
            columns += keying.items[v]
            factorOfItem += Array(repeating: factor, count: keying.items[v].count)
        }
        // lavaan sees the CSV columns item1…itemK.
        return fit(data: answers.selectingColumns(columns), factorOfItem: factorOfItem,
                   factorCount: subModel.factors.count, columnNames: columns.map { "item\($0 + 1)" })
    }

    /// lavaan's `fitMeasures` formulas (lav_fit_cfi, lav_fit_nnfi, lav_fit_rmsea with G = 1, c.hat = 1).
    public static func fitIndices(chisq t: Double, df: Int, baselineChisq tB: Double, baselineDf: Int, n: Double,
                                  srmr: Double) -> CFAIndices {
        let d = Double(df), dB = Double(baselineDf)
        // CFI: R's all.equal(x, 0) is an absolute test with tolerance 1.5e-8.
        let t1 = max(t - d, 0)
        let t2 = max(t - d, tB - dB, 0)
        let cfi = (abs(t1) < 1.5e-8 && abs(t2) < 1.5e-8) ? 1 : 1 - t1 / t2
        let denominator = (tB - dB) * d
        let tli = (df > 0 && denominator != 0) ? 1 - ((t - d) * dB) / denominator : 1
        let rmsea = df > 0 ? max(t / (n * d) - 1 / n, 0).squareRoot() : 0
        return CFAIndices(cfi: cfi, tli: tli, srmr: srmr, rmsea: rmsea)
    }

    /// Bentler's SRMR (lavaan's `srmr` here): residuals scaled by the observed SDs, diagonal included.
    static func srmrBentler(s: [Double], sigma: [Double], p: Int) -> Double {
        var sum = 0.0
        for i in 0..<p {
            for j in i..<p {
                let r = (s[i * p + j] - sigma[i * p + j]) / (s[i * p + i] * s[j * p + j]).squareRoot()
                sum += r * r
            }
        }
        return (sum / Double(p * (p + 1) / 2)).squareRoot()
    }

    /// Covariance with divisor N (lavaan's sample.cov.rescale), row-major p × p.
    static func sampleCovariance(_ data: Matrix) -> [Double] {
        let n = data.rows, p = data.cols
        var means = [Double](repeating: 0, count: p)
        for r in 0..<n { for c in 0..<p { means[c] += data[r, c] } }
        for c in 0..<p { means[c] /= Double(n) }
        var s = [Double](repeating: 0, count: p * p)
        for r in 0..<n {
            for i in 0..<p {
                let di = data[r, i] - means[i]
                for j in i..<p { s[i * p + j] += di * (data[r, j] - means[j]) }
            }
        }
        for i in 0..<p {
            for j in i..<p {
                s[i * p + j] /= Double(n)
                s[j * p + i] = s[i * p + j]
            }
        }
        return s
    }

    /// log|M| via Cholesky (dpotrf); nil if M is not numerically positive-definite.
    static func logDeterminantOfPositiveDefinite(_ m: [Double], _ p: Int) -> Double? {
        var factor = m
        let info = factor.withUnsafeMutableBufferPointer {
            LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(p), $0.baseAddress, Int32(p))
        }
        guard info == 0 else { return nil }
        var logDet = 0.0
        for i in 0..<p { logDet += 2 * log(factor[i * p + i]) }
        return logDet
    }

    /// OpenBLAS: one thread is much faster at p ≤ 14 (and a busy second core makes two threads slow).
    /// A lazily initialised constant, so the call happens exactly once per process.
    static let singleThreadedBLAS: Void = { openblas_set_num_threads(1) }()
}
