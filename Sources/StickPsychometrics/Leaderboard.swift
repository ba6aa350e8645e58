// The across-model leaderboard (StickPsychometrics/README.md §7.1–7.2, `rank_models.py`): the 72 columns per model,
// the Cardinal score, the Ordinal win rate and the leaderboard.csv summary. Pure math on plain data;
// reading the per-model JSON files and writing CSVs belong to the caller.

/// The per-model numbers the leaderboard uses (a model's analysis JSON, reduced to what §7 reads).
public struct ModelMetrics: Sendable, Equatable {
    public var name: String
    /// `Pairwise_Rank-Order`: context → context → r. Either order of a pair may be present; NaN is allowed
    /// (a constant centred value score makes the pair undefined).
    public var pairwiseRankOrder: [String: [String: Double]]
    /// `All_Stress`: context → Stress (NaN allowed).
    public var stress: [String: Double]
    /// "CFI"/"SRMR"/"RMSEA" → context → sub-model → stored value (4-decimal or failure value).
    public var cfaStored: [String: [String: [String: Double]]]

    public init(name: String, pairwiseRankOrder: [String: [String: Double]], stress: [String: Double],
                cfaStored: [String: [String: [String: Double]]]) {
        self.name = name
        self.pairwiseRankOrder = pairwiseRankOrder
        self.stress = stress
        self.cfaStored = cfaStored
    }
}

/// One line of leaderboard.csv.
public struct LeaderboardRow: Sendable, Equatable {
    public var model: String
    /// Row mean of the win rates (`Ordinal (Win rate)`).
    public var ordinal: Double
    /// Mean of the 72 columns, NaN skipped (`Cardinal (Score)`).
    public var cardinal: Double
    /// Mean of the Rank-Order columns, NaN skipped.
    public var roStability: Double
    /// 1 − mean(1 − Stress columns); likewise SRMR and RMSEA. CFI is a plain mean. All skip NaN.
    public var stress: Double
    public var cfi: Double
    public var srmr: Double
    public var rmsea: Double

    /// The leaderboard.csv header after "Model", in column order.
    public static let csvHeader = ["Ordinal (Win rate)", "Cardinal (Score)", "RO Stability", "Stress", "CFI",
                                   "SRMR", "RMSEA"]

    /// The values in `csvHeader` order.
    public var csvValues: [Double] { [ordinal, cardinal, roStability, stress, cfi, srmr, rmsea] }
}

/// The across-model table: columns.csv, win_rates.csv and leaderboard.csv in one value.
public struct LeaderboardTable: Sendable, Equatable {
    /// Model names in input (row) order.
    public var models: [String]
    /// Column names exactly as in columns.csv (`RO-a-b`, `1 - Stress-ctx`, `CFI-ctx`, `1 - SRMR-ctx`,
    /// `1 - RMSEA-ctx`).
    public var columns: [String]
    /// models × columns.
    public var values: Matrix
    /// models × columns, the share of other models each cell beats.
    public var winRates: Matrix
    /// One per model, in row order.
    public var rows: [LeaderboardRow]
}

public enum LeaderboardError: Error, Equatable, CustomStringConvertible {
    case noModels
    case missingPair(model: String, a: String, b: String)
    case missingStress(model: String, context: String)
    case missingCFA(model: String, metric: String, context: String)
    /// The reference asserts exactly four sub-models per context.
    case wrongSubModelCount(model: String, metric: String, context: String, count: Int)

    public var description: String {
        switch self {
        case .noModels: return "no models to rank"
        case let .missingPair(m, a, b): return "\(m): no Pairwise_Rank-Order value for \(a) / \(b)"
        case let .missingStress(m, c): return "\(m): no Stress value for context \(c)"
        case let .missingCFA(m, metric, c): return "\(m): no \(metric) values for context \(c)"
        case let .wrongSubModelCount(m, metric, c, n):
            return "\(m): \(metric) in context \(c) has \(n) sub-models, expected 4"
        }
    }
}

public enum Leaderboard {
    /// The canonical context order (StickPsychometrics/README.md §1.1); it defines the 36 pairs and the column order.
    public static let contexts = ["chunk_0", "chunk_1", "chunk_2", "chunk_3", "chunk_4", "chunk_chess_0",
                                  "chunk_grammar_1", "chunk_no_conv", "chunk_svs_no_conv"]

    /// The CFA indices in column order, and whether each is stored as 1 − x (smaller is better).
    static let cfaMetrics: [(name: String, decreasing: Bool)] = [("CFI", false), ("SRMR", true), ("RMSEA", true)]

    /// The canonical sub-model order, used to sum the four stored values in the reference's order.
    static let subModelOrder = CFASubModel.all.map(\.name)

    /// All pairs (a, b) with a before b, in `itertools.combinations` order.
    public static func pairs(_ contexts: [String]) -> [(String, String)] {
        var out: [(String, String)] = []
        for i in contexts.indices {
            for j in (i + 1)..<contexts.count { out.append((contexts[i], contexts[j])) }
        }
        return out
    }

    /// The column names, exactly as columns.csv spells them: C(c, 2) + 4c columns.
    public static func columnNames(contexts: [String] = contexts) -> [String] {
        var names = pairs(contexts).map { "RO-\($0.0)-\($0.1)" }
        names += contexts.map { "1 - Stress-\($0)" }
        for metric in cfaMetrics {
            names += contexts.map { (metric.decreasing ? "1 - " : "") + "\(metric.name)-\($0)" }
        }
        return names
    }

    /// One model's row of the table, in `columnNames` order.
    public static func columnValues(_ model: ModelMetrics, contexts: [String] = contexts) throws -> [Double] {
        var row: [Double] = []
        for (a, b) in pairs(contexts) {
            // The reference reads pairwise[a][b]; the matrix is symmetric, so accept either order.
            guard let r = model.pairwiseRankOrder[a]?[b] ?? model.pairwiseRankOrder[b]?[a] else {
                throw LeaderboardError.missingPair(model: model.name, a: a, b: b)
            }
            row.append(r)
        }
        for context in contexts {
            guard let s = model.stress[context] else {
                throw LeaderboardError.missingStress(model: model.name, context: context)
            }
            row.append(1 - s)
        }
        for metric in cfaMetrics {
            for context in contexts {
                guard let perSubModel = model.cfaStored[metric.name]?[context] else {
                    throw LeaderboardError.missingCFA(model: model.name, metric: metric.name, context: context)
                }
                guard perSubModel.count == 4 else {
                    throw LeaderboardError.wrongSubModelCount(model: model.name, metric: metric.name,
                                                              context: context, count: perSubModel.count)
                }
                // Sum in the canonical sub-model order (the JSON's order) so the mean is reproducible.
                let keys = subModelOrder.allSatisfy { perSubModel[$0] != nil } ? subModelOrder
                    : perSubModel.keys.sorted()
                let mean = keys.reduce(0.0) { $0 + perSubModel[$1]! } / 4
                row.append(metric.decreasing ? 1 - mean : mean)
            }
        }
        return row
    }

    /// Builds columns, win rates and the leaderboard rows; rows keep the input order.
    public static func build(_ models: [ModelMetrics], contexts: [String] = contexts) throws -> LeaderboardTable {
        guard !models.isEmpty else { throw LeaderboardError.noModels }
        let names = columnNames(contexts: contexts)
        let values = Matrix(try models.map { try columnValues($0, contexts: contexts) })
        let wins = winRates(values)

        let nPairs = contexts.count * (contexts.count - 1) / 2
        let c = contexts.count
        let roRange = 0..<nPairs
        let stressRange = nPairs..<(nPairs + c)
        let cfiRange = (nPairs + c)..<(nPairs + 2 * c)
        let srmrRange = (nPairs + 2 * c)..<(nPairs + 3 * c)
        let rmseaRange = (nPairs + 3 * c)..<(nPairs + 4 * c)

        var rows: [LeaderboardRow] = []
        for (i, model) in models.enumerated() {
            let row = values.row(i)
            rows.append(LeaderboardRow(
                model: model.name,
                ordinal: mean(wins.row(i)),
                cardinal: nanMean(row),
                roStability: nanMean(row[roRange]),
                stress: 1 - nanMean(row[stressRange]),
                cfi: nanMean(row[cfiRange]),
                srmr: 1 - nanMean(row[srmrRange]),
                rmsea: 1 - nanMean(row[rmseaRange])))
        }
        return LeaderboardTable(models: models.map(\.name), columns: names, values: values, winRates: wins,
                                rows: rows)
    }

    /// `compute_win_rates`: W[i, j] = #{k : x[k, j] < x[i, j]} / (M − 1). Strictly less, so a tie is no
    /// win; every comparison with NaN is false, so a NaN cell wins nothing and is never beaten. The divisor
    /// is always M − 1 (the self term is always 0).
    public static func winRates(_ values: Matrix) -> Matrix {
        let m = values.rows
        var out = Matrix(rows: m, cols: values.cols)
        let divisor = Double(m - 1)
        for j in 0..<values.cols {
            for i in 0..<m {
                let x = values[i, j]
                var count = 0
                for k in 0..<m where values[k, j] < x { count += 1 }
                out[i, j] = Double(count) / divisor
            }
        }
        return out
    }

    /// pandas `mean(skipna=True)`: the mean of the non-NaN values; NaN when there are none.
    public static func nanMean<C: Collection>(_ x: C) -> Double where C.Element == Double {
        var sum = 0.0, count = 0
        for v in x where !v.isNaN {
            sum += v
            count += 1
        }
        return count == 0 ? .nan : sum / Double(count)
    }

    /// Plain mean (NaN propagates).
    static func mean<C: Collection>(_ x: C) -> Double where C.Element == Double {
        x.reduce(0, +) / Double(x.count)
    }

    /// The line `rank_models.py` prints after the benchbench measures, e.g.
    /// "Diversity: 0.52 (W); Sensitivity: 0.73 (MRC)" (Python's `:.2f`, round-half-even on the binary value).
    public static func benchbenchLine(diversity: Double, sensitivity: Double) -> String {
        "Diversity: \(formatFixed2(diversity)) (W); Sensitivity: \(formatFixed2(sensitivity)) (MRC)"
    }

    /// Python `format(x, ".2f")`: correctly rounded from the exact binary value, exact halves to even;
    /// "nan"/"inf"/"-inf" for non-finite values and a "-" for every negative value (also "-0.00").
    public static func formatFixed2(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        let a = abs(x)
        let sign = x.sign == .minus ? "-" : ""
        guard a < 1e13 else { return sign + String(Int64((a * 100).rounded(.toNearestOrEven)) / 100) }
        // 100·a = p + err exactly (err is the FMA residual), so comparisons against n or n + ½ are exact.
        let p = a * 100
        let err = (-p).addingProduct(a, 100)
        func compare(_ t: Double) -> Double { (p - t) + err }   // sign of 100·a − t
        var n = p.rounded(.down)
        if compare(n) < 0 { n -= 1 }
        if compare(n + 1) >= 0 { n += 1 }
        let half = compare(n + 0.5)
        if half > 0 || (half == 0 && n.truncatingRemainder(dividingBy: 2) != 0) { n += 1 }
        let hundredths = Int64(n)
        let frac = hundredths % 100
        return "\(sign)\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
