// Stress, CFA and Cronbach's α per context of one model, with bootstrap intervals.
import Foundation
import StickArtifacts

extension Page {
    mutating func contextTable(doc: MetricsDocument, contexts: [String], intervals: [String: (Double, Double)]) {
        let variant = doc.stress.variant
        let other = ["legacy", "v17"].first { $0 != variant && doc.stress.variants[$0] != nil }
        let hasCFA = doc.cfa != nil
        line("<section aria-label=\"Stress and CFA per context\">")
        line("<h4>Stress and CFA per context</h4>")
        line("<div class=\"table-wrap\"><table class=\"contexts\">")
        // (title, numeric)
        var header: [(String, Bool)] = [("Context", false), ("Instrument", false), ("Stress (\(variant))", true)]
        if let other { header.append(("Stress (\(other))", true)) }
        if hasCFA { header += [("CFI", true), ("TLI", true), ("SRMR", true), ("RMSEA", true), ("CFA sub-models", false)] }
        header.append(("Cronbach's α", true))
        line("<thead><tr>" + header.map { "<th scope=\"col\"\($0.1 ? " class=\"num\"" : "")>\(HTML.esc($0.0))</th>" }.joined() + "</tr></thead>")
        line("<tbody>")
        func cell(_ x: Double?, _ ci: (Double, Double)? = nil, digits: Int = 4) -> String {
            var s = "<td class=\"num\(x.map { $0.isNaN } ?? true ? " missing" : "")\">\(HTML.num(x, digits))"
            if let ci { s += "<span class=\"ci\"> [\(HTML.num(ci.0, 3)), \(HTML.num(ci.1, 3))]</span>" }
            return s + "</td>"
        }
        for context in contexts {
            var row = "<tr><th scope=\"row\"><code>\(HTML.esc(context))</code></th>"
            row += "<td>\(HTML.esc(doc.instruments[context] ?? "—"))</td>"
            row += cell(doc.stress.perContext[context], intervals["stress/\(context)"])
            if let other { row += cell(doc.stress.variants[other]?.perContext[context]) }
            if hasCFA {
                for index in Report.cfaIndices {
                    row += cell(doc.cfa?.perContextMean[index]?[context], intervals["\(index)/\(context)"])
                }
                row += "<td>\(subModelStatus(doc.cfa?.perContext[context]))</td>"
            }
            row += cell(doc.cronbachAlpha.perContextMean[context], digits: 3)
            line(row + "</tr>")
        }
        line("</tbody>")
        var foot = "<tfoot><tr><th scope=\"row\">Mean</th><td></td>"
        foot += cell(doc.stress.mean, intervals["stress"])
        if let other { foot += cell(doc.stress.variants[other]?.mean) }
        if hasCFA {
            for index in Report.cfaIndices { foot += cell(doc.cfa?.overallMean[index], intervals[index]) }
            foot += "<td></td>"
        }
        foot += cell(doc.cronbachAlpha.overall, digits: 3)
        line(foot + "</tr></tfoot>")
        line("</table></div>")
        var note = "Stress: normalized stress of the non-metric 2-D MDS (lower is better). "
        if hasCFA {
            let rounding = doc.cfa?.rounding ?? "reference"
            note += "CFA: each index is the mean of the four sub-models' stored values"
            note += rounding == "reference" ? " (rounded to 4 decimals, as the reference's jsonlite does)" : " (full precision)"
            note += "; a sub-model that fails counts as CFI 0, TLI 0, SRMR 1, RMSEA 1."
        } else {
            note += "CFA: not run (score --no-cfa)."
        }
        if !intervals.isEmpty { note += " Brackets: bootstrap percentile intervals." }
        line("<p class=\"caption\">\(HTML.esc(note))</p>")
        line("</section>")
    }

    /// "4 ok" or the failing sub-models with their messages on hover.
    func subModelStatus(_ subs: OrderedMap<MetricsDocument.CFAFit>?) -> String {
        guard let subs else { return "—" }
        var ok = 0
        var failures: [String] = []
        for (name, fit) in subs.pairs {
            let status = fit.status
            if status == "ok" { ok += 1; continue }
            let message = fit.message
            failures.append("<span class=\"fail\"\(message.map { " title=\"\(HTML.esc($0))\"" } ?? "")>\(HTML.esc(name.replacingOccurrences(of: "_", with: " "))): \(HTML.esc(status))</span>")
        }
        var parts: [String] = []
        if ok > 0 { parts.append("\(ok) ok") }
        parts += failures
        return parts.joined(separator: "<br/>")
    }
}
