// The human-readable summary `score` prints on stderr: the leaderboard's numbers per context and overall.
import Foundation
import StickArtifacts
import StickPsychometrics

public enum ScoreSummary {
    public static func table(_ m: ModelScores) -> String {
        func f(_ x: Double) -> String { x.isFinite ? String(format: "%.4f", x) : "NaN" }
        let stress = m.stress()
        let cfi = m.cfaStored(.cfi).map(ScoreDocuments.mean)
        let srmr = m.cfaStored(.srmr).map(ScoreDocuments.mean)
        let rmsea = m.cfaStored(.rmsea).map(ScoreDocuments.mean)
        var lines = ["\(m.model): \(m.personas.count) personas, \(m.contexts.count) contexts, \(m.values.count) values"]
        var columns: [TextTable.Column] = [.init("context"), .init("RO(mean)", .right), .init("Stress(\(m.options.stressVariant.rawValue))", .right)]
        if m.options.cfa { columns += [.init("CFI", .right), .init("SRMR", .right), .init("RMSEA", .right)] }
        var table = TextTable(columns + [.init("alpha", .right)])
        for (i, c) in m.contexts.enumerated() {
            let others = m.contexts.indices.filter { $0 != i }.map { m.rankOrder.pairwise[i, $0] }
            var cells = [c.name, f(ScoreDocuments.mean(others)), f(stress[i])]
            if m.options.cfa { cells += [cfi[i], srmr[i], rmsea[i]].map(f) }
            table.append(cells + [f(ScoreDocuments.mean(c.alpha))])
        }
        lines.append(table.render())
        var overall = "Rank-Order \(f(m.rankOrder.overall))   Stress \(f(ScoreDocuments.mean(stress)))"
        if m.options.cfa {
            overall += "   CFI \(f(ScoreDocuments.mean(cfi)))   SRMR \(f(ScoreDocuments.mean(srmr)))   RMSEA \(f(ScoreDocuments.mean(rmsea)))"
        }
        lines.append(overall)
        if let b = m.bootstrap, let ci = b.interval("rank_order") {
            lines.append("bootstrap (\(b.replicates) replicates, \(Int(b.level * 100)) % percentile): Rank-Order [\(f(ci.lower)), \(f(ci.upper))]")
        }
        return lines.joined(separator: "\n")
    }
}
