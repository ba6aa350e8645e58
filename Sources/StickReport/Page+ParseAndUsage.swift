// Answer parsing and token usage of one model, as `parse` and `query` recorded them (free-form objects
// of the metrics document).
import Foundation
import StickArtifacts

extension Page {
    mutating func parseAndUsage(doc: MetricsDocument, contexts: [String]) {
        line("<section aria-label=\"Answer parsing and token usage\">")
        line("<h4>Answer parsing and token usage</h4>")
        if let parse = doc.parse {
            // Either {context: {status: count}} or {per_context: {...}}; a top-level {status: count} is one row.
            var rows: [(String, JSONObject)] = []
            let perContext = parse["per_context"]?.objectValue ?? parse
            for (k, v) in perContext.pairs {
                if let o = v.objectValue, Report.statuses.contains(where: { o[$0] != nil }) { rows.append((k, o)) }
            }
            if rows.isEmpty, Report.statuses.contains(where: { parse[$0] != nil }) { rows.append(("all contexts", parse)) }
            rows.sort { (contexts.firstIndex(of: $0.0) ?? Int.max) < (contexts.firstIndex(of: $1.0) ?? Int.max) }
            line("<div class=\"table-wrap\"><table class=\"parse\">")
            line("<caption>How each answer was obtained (counts of questionnaire items).</caption>")
            line("<thead><tr><th scope=\"col\">Context</th>" + Report.statuses.map { "<th scope=\"col\" class=\"num\">\($0)</th>" }.joined()
                 + "<th scope=\"col\" class=\"num\">total</th><th scope=\"col\" class=\"num\">parsed</th></tr></thead><tbody>")
            var totals = [Double](repeating: 0, count: Report.statuses.count)
            for (name, o) in rows {
                let counts = Report.statuses.map { o[$0]?.number ?? 0 }
                for k in counts.indices { totals[k] += counts[k].isFinite ? counts[k] : 0 }
                line(parseRow("<code>\(HTML.esc(name))</code>", counts))
            }
            line("</tbody>")
            if rows.count > 1 { line("<tfoot>" + parseRow("Total", totals) + "</tfoot>") }
            line("</table></div>")
            line("<p class=\"caption\">Parsed = matched or multiple (the answer named an option). Fallback answers were drawn at random, "
                 + "as the reference does when nothing matches; none and error leave the item missing.</p>")
        } else {
            line("<p class=\"note\">Parse rates: not recorded.</p>")
        }
        if let usage = doc.usage {
            var items: [String] = []
            let prompt = usage["prompt_tokens"]?.number, completion = usage["completion_tokens"]?.number
            if let prompt { items.append("<div><dt>Prompt tokens</dt><dd>\(HTML.int(prompt))</dd></div>") }
            if let completion { items.append("<div><dt>Completion tokens</dt><dd>\(HTML.int(completion))</dd></div>") }
            if let prompt, let completion { items.append("<div><dt>Total</dt><dd>\(HTML.int(prompt + completion))</dd></div>") }
            for (k, v) in usage.pairs where !["prompt_tokens", "completion_tokens", "per_context"].contains(k) {
                if let x = v.number { items.append("<div><dt>\(HTML.esc(k.replacingOccurrences(of: "_", with: " ")))</dt><dd>\(HTML.int(x))</dd></div>") }
            }
            if !items.isEmpty {
                line("<p class=\"usage-label\">Token usage, all contexts:</p>")
                line("<dl class=\"usage\">" + items.joined() + "</dl>")
            }
            if let per = usage["per_context"]?.objectValue {
                line("<div class=\"table-wrap\"><table class=\"usage\"><thead><tr><th scope=\"col\">Context</th><th scope=\"col\" class=\"num\">prompt tokens</th>"
                     + "<th scope=\"col\" class=\"num\">completion tokens</th></tr></thead><tbody>")
                for (k, v) in per.pairs {
                    line("<tr><th scope=\"row\"><code>\(HTML.esc(k))</code></th><td class=\"num\">\(HTML.int(v["prompt_tokens"]?.number ?? .nan))</td>"
                         + "<td class=\"num\">\(HTML.int(v["completion_tokens"]?.number ?? .nan))</td></tr>")
                }
                line("</tbody></table></div>")
            }
            if items.isEmpty && usage["per_context"] == nil { line("<p class=\"note\">Token usage: recorded but empty.</p>") }
        } else {
            line("<p class=\"note\">Token usage: not recorded.</p>")
        }
        line("</section>")
    }

    func parseRow(_ label: String, _ counts: [Double]) -> String {
        let total = counts.reduce(0, +)
        let parsed = counts[0] + counts[1]
        var row = "<tr><th scope=\"row\">\(label)</th>"
        for (k, c) in counts.enumerated() {
            let flag = (k >= 2 && c > 0) ? " flag" : ""
            row += "<td class=\"num\(flag)\">\(HTML.int(c))</td>"
        }
        row += "<td class=\"num\">\(HTML.int(total))</td><td class=\"num\">\(total > 0 ? HTML.rate(parsed / total) : "—")</td></tr>"
        return row
    }
}
