// The leaderboard as files: the reference's leaderboard.csv (same columns, same numbers), a Markdown
// table and the leaderboard artifact (LeaderboardDocument: columns, win rates, diversity, sensitivity, rank intervals).
import Foundation
import StickArtifacts
import StickPsychometrics

public enum LeaderboardWriter {
    /// The reference's leaderboard.csv columns, in its order.
    public static let summaryColumns = LeaderboardDocument.summaryColumns

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

    /// The leaderboard artifact, models in `order`; its inputs are the metrics files in the order rank read
    /// them (which the Ordinal sensitivity depends on), its params those rank ran with.
    public static func document(_ board: RankedLeaderboard, order: [Int], contexts: [String],
                                params: LeaderboardDocument.Parameters) -> LeaderboardDocument {
        let t = board.table
        func interval(_ r: RankInterval) -> LeaderboardDocument.RankInterval {
            LeaderboardDocument.RankInterval(lower: r.lower, upper: r.upper, distribution: r.distribution)
        }
        let models = order.map { i in
            LeaderboardDocument.Entry(
                model: t.models[i], format: board.inputs[i].format, file: board.inputs[i].file, summary: summary(t.rows[i]),
                values: OrderedMap(Array(zip(t.columns, t.values.row(i)))), winRates: OrderedMap(Array(zip(t.columns, t.winRates.row(i)))),
                cardinalRank: board.cardinalRanks.map { interval($0[i]) }, ordinalRank: board.ordinalRanks.map { interval($0[i]) })
        }
        var diversity: LeaderboardDocument.Pair<LeaderboardDocument.Diversity>?
        if let d = board.cardinalDiversity, let o = board.ordinalDiversity {
            diversity = .init(cardinal: .init(oneMinusW: d.oneMinusW, meanPairwiseMRC: d.meanPairwiseMRC),
                              ordinal: .init(oneMinusW: o.oneMinusW, meanPairwiseMRC: o.meanPairwiseMRC))
        }
        var sensitivity: LeaderboardDocument.Pair<LeaderboardDocument.Sensitivity>?
        if let c = board.cardinalSensitivity, let o = board.ordinalSensitivity {
            sensitivity = .init(cardinal: .init(tauPrime: c.tauPrime, mrc: c.mrc),
                                ordinal: .init(tauPrime: o.tauPrime, mrc: o.mrc,
                                               note: "seeded generator of this toolkit; the reference's depends on torch's random stream"))
        }
        let inputs = board.inputs.map { InputProvenance(role: "metrics", name: $0.file, sha256: $0.sha256) }
        return LeaderboardDocument(
            inputs: inputs, params: params, contexts: contexts, columns: t.columns, models: models, diversity: diversity, sensitivity: sensitivity,
            bootstrap: board.replicates > 0 ? .init(replicates: board.replicates, fixedModels: board.fixedModels) : nil,
            warnings: board.warnings)
    }
}
