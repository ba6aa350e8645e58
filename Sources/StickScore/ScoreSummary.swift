// The human-readable summary `score` prints on stderr: the leaderboard's numbers per context and overall.
import Foundation
import StickPsychometrics

public enum ScoreSummary {
    public static func table(_ m: ModelScores) -> String {
        func f(_ x: Double) -> String { x.isFinite ? String(format: "%.4f", x) : "NaN" }
        let stress = m.stress()
        let cfi = m.cfaStored(.cfi).map(ScoreDocuments.mean)
        let srmr = m.cfaStored(.srmr).map(ScoreDocuments.mean)
        let rmsea = m.cfaStored(.rmsea).map(ScoreDocuments.mean)
        let width = max(8, m.contextNames.map(\.count).max() ?? 0)
        func pad(_ s: String) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
        var lines = ["\(m.model): \(m.personas.count) personas, \(m.contexts.count) contexts, \(m.values.count) values"]
        var header = pad("context") + "  RO(mean)  Stress(\(m.options.stressVariant.rawValue))"
        if m.options.cfa { header += "  CFI     SRMR    RMSEA" }
        header += "  alpha"
        lines.append(header)
        for (i, c) in m.contexts.enumerated() {
            let others = m.contexts.indices.filter { $0 != i }.map { m.rankOrder.pairwise[i, $0] }
            var line = pad(c.name) + "  " + f(ScoreDocuments.mean(others)) + "    " + f(stress[i]) + "        "
            if m.options.cfa { line += "  " + [cfi[i], srmr[i], rmsea[i]].map(f).joined(separator: "  ") }
            line += "  " + f(ScoreDocuments.mean(c.alpha))
            lines.append(line)
        }
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
