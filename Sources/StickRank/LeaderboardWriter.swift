// The leaderboard as files: the reference's leaderboard.csv (same columns, same numbers), a Markdown
// table and a JSON document with everything (columns, win rates, diversity, sensitivity, rank intervals).
import Foundation
import StickArtifacts
import StickPsychometrics

public enum LeaderboardWriter {
    /// The reference's leaderboard.csv columns, in its order.
    public static let summaryColumns = ["Ordinal (Win rate)", "Cardinal (Score)", "RO Stability", "Stress", "CFI", "SRMR", "RMSEA"]

    static func summary(_ row: LeaderboardRow) -> [Double] {
        [row.ordinal, row.cardinal, row.roStability, row.stress, row.cfi, row.srmr, row.rmsea]
    }

    /// Row order: the input order, or sorted by a summary column (descending unless `ascending`).
    public static func order(_ board: RankedLeaderboard, sortBy column: String?, ascending: Bool) throws -> [Int] {
        let indices = Array(board.table.models.indices)
        guard let column else { return indices }
        if column == "Model" {
            return indices.sorted { ascending ? board.table.models[$0] < board.table.models[$1] : board.table.models[$0] > board.table.models[$1] }
        }
        let key: (Int) -> Double
        if let j = summaryColumns.firstIndex(of: column) {
            key = { summary(board.table.rows[$0])[j] }
        } else if let j = board.table.columns.firstIndex(of: column) {
            key = { board.table.values[$0, j] }
        } else {
            throw StickError("no column '\(column)': use Model, one of \(summaryColumns.joined(separator: ", ")) or a leaderboard column such as RO-chunk_0-chunk_1")
        }
        // NaN sorts last either way; ties keep the input order.
        return indices.sorted { a, b in
            let x = key(a), y = key(b)
            if x.isNaN || y.isNaN { return !x.isNaN && y.isNaN }
            return ascending ? x < y : x > y
        }
    }

    /// Python's repr of a float, as pandas writes CSV cells (NaN as an empty cell).
    static func cell(_ x: Double) -> String { x.isNaN ? "" : "\(x)" }

    static func interval(_ r: RankInterval) -> String { r.lower == r.upper ? "\(r.lower)" : "\(r.lower)–\(r.upper)" }

    public static func csv(_ board: RankedLeaderboard, order: [Int]) -> String {
        var header = ["Model"] + summaryColumns
        if board.cardinalRanks != nil { header += ["Cardinal rank CI", "Ordinal rank CI"] }
        var out = header.map(CSV.field).joined(separator: ",") + "\n"
        for i in order {
            var fields = [CSV.field(board.table.models[i])] + summary(board.table.rows[i]).map(cell)
            if let c = board.cardinalRanks, let o = board.ordinalRanks { fields += [interval(c[i]), interval(o[i])] }
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    public static func markdown(_ board: RankedLeaderboard, order: [Int]) -> String {
        func f(_ x: Double) -> String { x.isNaN ? "NaN" : String(format: "%.4f", x) }
        var header = ["#", "Model"] + summaryColumns
        if board.cardinalRanks != nil { header += ["Cardinal rank (\(board.replicates) bootstrap)", "Ordinal rank"] }
        var lines = ["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
        for (position, i) in order.enumerated() {
            var fields = ["\(position + 1)", Markdown.cell(board.table.models[i])] + summary(board.table.rows[i]).map(f)
            if let c = board.cardinalRanks, let o = board.ordinalRanks { fields += [interval(c[i]), interval(o[i])] }
            lines.append("| " + fields.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines += printedLines(board)
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the reference prints after its rankings (rank_models.py via benchbench).
    public static func printedLines(_ board: RankedLeaderboard) -> [String] {
        var lines: [String] = []
        if let d = board.cardinalDiversity, let s = board.cardinalSensitivity {
            lines.append("Cardinal: " + Leaderboard.benchbenchLine(diversity: d.oneMinusW, sensitivity: s.mrc))
        }
        if let d = board.ordinalDiversity, let s = board.ordinalSensitivity {
            lines.append("Ordinal: " + Leaderboard.benchbenchLine(diversity: d.oneMinusW, sensitivity: s.mrc)
                + " [sensitivity from our seeded generator, not torch's]")
        }
        return lines
    }

    static func num(_ x: Double) -> JSONValue { .finite(x) }
    static func obj(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(pairs) }

    public static func json(_ board: RankedLeaderboard, order: [Int], contexts: [String]) -> JSONValue {
        let t = board.table
        var doc: [(String, JSONValue)] = [
            ("stick", .string(ArtifactKind.leaderboard.rawValue)), ("version", .number(Double(ArtifactKind.leaderboard.currentVersion))), ("tool", .string(stickToolName)),
            ("contexts", .array(contexts.map { .string($0) })),
            ("columns", .array(t.columns.map { .string($0) })),
        ]
        doc.append(("models", .array(order.map { i in
            let row = t.rows[i]
            var fields: [(String, JSONValue)] = [
                ("model", .string(t.models[i])), ("format", .string(board.inputs[i].format)), ("file", .string(board.inputs[i].file)),
            ]
            fields += zip(summaryColumns, summary(row)).map { ($0, num($1)) }
            fields.append(("values", obj(zip(t.columns, t.values.row(i)).map { ($0, num($1)) })))
            fields.append(("win_rates", obj(zip(t.columns, t.winRates.row(i)).map { ($0, num($1)) })))
            if let c = board.cardinalRanks, let o = board.ordinalRanks {
                fields.append(("rank_intervals", obj([
                    ("cardinal", obj([("lower", .number(Double(c[i].lower))), ("upper", .number(Double(c[i].upper))),
                                      ("distribution", .array(c[i].distribution.map(num)))])),
                    ("ordinal", obj([("lower", .number(Double(o[i].lower))), ("upper", .number(Double(o[i].upper))),
                                     ("distribution", .array(o[i].distribution.map(num)))])),
                ])))
            }
            return obj(fields)
        })))
        if let d = board.cardinalDiversity, let o = board.ordinalDiversity {
            doc.append(("diversity", obj([
                ("cardinal", obj([("one_minus_W", num(d.oneMinusW)), ("mean_pairwise_MRC", num(d.meanPairwiseMRC))])),
                ("ordinal", obj([("one_minus_W", num(o.oneMinusW)), ("mean_pairwise_MRC", num(o.meanPairwiseMRC))])),
            ])))
        }
        if let c = board.cardinalSensitivity, let o = board.ordinalSensitivity {
            doc.append(("sensitivity", obj([
                ("cardinal", obj([("tau_prime", num(c.tauPrime)), ("MRC", num(c.mrc))])),
                ("ordinal", obj([("tau_prime", num(o.tauPrime)), ("MRC", num(o.mrc)),
                                 ("note", .string("seeded generator of this toolkit; the reference's depends on torch's random stream"))])),
            ])))
        }
        if board.replicates > 0 {
            doc.append(("bootstrap", obj([("replicates", .number(Double(board.replicates))),
                                          ("fixed_models", .array(board.fixedModels.map { .string($0) }))])))
        }
        doc.append(("warnings", .array(board.warnings.map { .string($0) })))
        return obj(doc)
    }

}
