// One model's article: its leaderboard row, what it was scored with, the pairwise Rank-Order heatmap and
// the per-value stability bars, then the value circles, the per-context table, parsing and usage.
import Foundation
import StickArtifacts

extension Page {
    mutating func modelSection(index i: Int, entry: LeaderboardDocument.Entry, source: ReportModelSource) {
        let name = entry.model
        line("<article class=\"model\" id=\"model-\(i)\" aria-labelledby=\"model-\(i)-name\">")
        line("<h3 id=\"model-\(i)-name\"><span class=\"model-name\">\(HTML.esc(name))</span></h3>")
        // The leaderboard row, for every model.
        line("<dl class=\"headline\">")
        for column in Report.summaryColumns {
            line("<div><dt>\(HTML.esc(column.name))</dt><dd>\(HTML.num(entry.summary(column.name), 4))</dd></div>")
        }
        line("</dl>")
        guard let doc = source.metrics else {
            line("<p class=\"note\">No per-model details: \(HTML.esc(source.note ?? "no metrics document")).</p>")
            line("</article>")
            return
        }
        modelMeta(doc, path: source.path)
        let contexts = doc.contexts
        let values = doc.valueOrder
        let intervals = bootstrapIntervals(doc)
        let level = doc.bootstrap?.level

        // Heatmap and per-value bars side by side.
        line("<div class=\"panels\">")
        line("<figure class=\"panel\">")
        let svg = Charts.heatmap(id: "m\(i)", modelName: name, contexts: contexts, pair: { a, b in
            doc.rankOrder.pairwise[contexts[a]]?[contexts[b]]
        }, interval: { a, b in
            let (x, y) = a < b ? (a, b) : (b, a)
            return intervals["rank_order/\(contexts[x])/\(contexts[y])"]
        })
        line(svg)
        var caption = "Pairwise Rank-Order stability: for each pair of contexts, the Spearman correlation over personas of the centred value scores, averaged over the ten values. Hover a cell for its value"
        caption += intervals.isEmpty ? "." : " and bootstrap interval."
        caption += " The colour scale is fixed from 0 to 1 for every model (negative values take the colour of 0); the diagonal is 1 by definition."
        caption += " Hatched cells are NaN (a value's centred scores were constant in a context)."
        line("<figcaption>\(HTML.esc(caption))</figcaption>")
        line("</figure>")
        line("<figure class=\"panel\">")
        let perValue = doc.rankOrder.perValue.dictionary
        var valueIntervals: [String: (Double, Double)] = [:]
        for v in values {
            for key in Page.perValueIntervalKeys(v) where !(contexts.contains(v) && key == "rank_order/\(v)") {
                if let ci = intervals[key] { valueIntervals[v] = ci; break }
            }
        }
        line(Charts.valueBars(id: "m\(i)", modelName: name, values: values, stability: perValue, intervals: valueIntervals))
        var barCaption = "Rank-Order stability of each value (mean over the context pairs; NaN if any pair is NaN)."
        barCaption += " Overall: \(HTML.num(doc.rankOrder.overall, 3))"
        if let ci = intervals["rank_order"] { barCaption += " [\(HTML.num(ci.0, 3)), \(HTML.num(ci.1, 3))]" }
        barCaption += "."
        if valueIntervals.isEmpty {
            barCaption += intervals.isEmpty ? " No bootstrap was run." : " The bootstrap recorded no per-value intervals."
        } else {
            barCaption += " Whiskers: \(level.map { HTML.percent($0, 0) } ?? "") bootstrap percentile intervals."
        }
        line("<figcaption>\(HTML.esc(barCaption))</figcaption>")
        line("</figure>")
        line("</div>")

        valueCircles(index: i, doc: doc, contexts: contexts, values: values)
        contextTable(doc: doc, contexts: contexts, intervals: intervals)
        parseAndUsage(doc: doc, contexts: contexts)
        let warnings = doc.warnings
        if !warnings.isEmpty {
            line("<div class=\"warnings\" role=\"note\"><h4>Warnings from score</h4><ul>")
            for w in warnings { line("<li>\(HTML.esc(w))</li>") }
            line("</ul></div>")
        }
        line("</article>")
    }

    /// Where a per-value bootstrap interval may be stored (score does not record one yet; the first
    /// name found is used).
    static func perValueIntervalKeys(_ value: String) -> [String] {
        ["rank_order/value/\(value)", "rank_order_value/\(value)", "rank_order/per_value/\(value)", "rank_order/\(value)"]
    }

    mutating func modelMeta(_ doc: MetricsDocument, path: String?) {
        var bits: [String] = ["\(doc.personaCount) personas"]
        var counts: [String: Int] = [:]
        var order: [String] = []
        for s in doc.instruments.values {
            if counts[s] == nil { order.append(s) }
            counts[s, default: 0] += 1
        }
        bits.append(order.map { "\(HTML.esc($0)) ×\(counts[$0]!)" }.joined(separator: ", "))
        let options = doc.options
        bits.append("Stress variant <code>\(HTML.esc(options.stressVariant))</code>")
        if !options.cfa { bits.append("no CFA") }
        bits.append("CFA rounding <code>\(HTML.esc(options.cfaRounding))</code>")
        if options.bootstrap > 0 {
            // As a JSON number is shown: integers below 10^15 in full, larger ones as a Double.
            let seed = options.seed < 1_000_000_000_000_000 ? String(options.seed) : "\(Double(options.seed))"
            bits.append("\(options.bootstrap) bootstrap replicates (seed \(HTML.esc(seed)))")
        }
        bits.append("scored by \(HTML.esc(doc.tool))")
        if let path { bits.append("<code>\(HTML.esc(path))</code>") }
        line("<p class=\"meta\">\(bits.joined(separator: " · "))</p>")
    }

    func bootstrapIntervals(_ doc: MetricsDocument) -> [String: (Double, Double)] {
        var out: [String: (Double, Double)] = [:]
        for (k, a) in doc.bootstrap?.intervals.pairs ?? [] where a.count == 2 { out[k] = (a[0], a[1]) }
        return out
    }
}
