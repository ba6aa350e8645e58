// The leaderboard section: the sortable table of the summary columns with rank intervals, benchbench's
// diversity and sensitivity, the fixed models, the contexts and the warnings.
import Foundation
import StickArtifacts

extension Page {
    mutating func leaderboardSection(contexts: [String]) {
        let board = input.leaderboard
        line("<section id=\"leaderboard-section\" aria-labelledby=\"leaderboard-heading\">")
        line("<h2 id=\"leaderboard-heading\">Leaderboard</h2>")
        line("<div class=\"table-wrap\">")
        line("<table id=\"leaderboard\" class=\"sortable\">")
        var caption = "One row per model, in the order of the leaderboard file. Higher is better except for Stress, SRMR and RMSEA."
        if hasRankIntervals {
            let replicates = board.bootstrap.map(\.replicates).map { " over \($0) bootstrap replicates" } ?? ""
            caption += " Rank intervals: percentile interval of the model's rank\(replicates); the bars show how often each rank occurred (dark: inside the interval)."
        }
        caption += " Click a column header to sort."
        line("<caption>\(HTML.esc(caption))</caption>")
        line("<thead><tr>")
        line("<th scope=\"col\" data-sort=\"num\" data-better=\"low\" title=\"Position in the leaderboard file\">#</th>")
        line("<th scope=\"col\" data-sort=\"text\">Model</th>")
        for column in Report.summaryColumns {
            line("<th scope=\"col\" class=\"num\" data-sort=\"num\" data-better=\"\(column.higherIsBetter ? "high" : "low")\" title=\"\(HTML.esc(column.hint))\">\(HTML.esc(column.name))</th>")
        }
        if hasRankIntervals {
            line("<th scope=\"col\" data-sort=\"num\" data-better=\"low\" title=\"Bootstrap interval of the Cardinal rank\">Cardinal rank</th>")
            line("<th scope=\"col\" data-sort=\"num\" data-better=\"low\" title=\"Bootstrap interval of the Ordinal rank\">Ordinal rank</th>")
        }
        line("</tr></thead>")
        // The best value of each column is emphasised.
        var best: [Double] = []
        for column in Report.summaryColumns {
            let xs = entries.compactMap { $0.summary(column.name) }.filter(\.isFinite)
            best.append((column.higherIsBetter ? xs.max() : xs.min()) ?? .nan)
        }
        line("<tbody>")
        for (i, e) in entries.enumerated() {
            let name = e.model
            let format = e.format ?? "stick"
            line("<tr data-model=\"\(HTML.esc(name))\">")
            line("<td class=\"num\" data-value=\"\(i + 1)\">\(i + 1)</td>")
            var nameCell = "<a href=\"#model-\(i)\">\(HTML.esc(name))</a>"
            if format != "stick" { nameCell += " <span class=\"badge\" title=\"input format\">\(HTML.esc(format))</span>" }
            line("<th scope=\"row\" data-value=\"\(HTML.esc(name))\">\(nameCell)</th>")
            for (k, column) in Report.summaryColumns.enumerated() {
                let x = e.summary(column.name)
                let isBest = x.map { $0.isFinite && $0 == best[k] } ?? false
                let title = x.map { $0.isFinite ? " title=\"\($0)\"" : " title=\"NaN\"" } ?? ""
                line("<td class=\"num\(isBest ? " best" : "")\(x.map { $0.isNaN } ?? true ? " missing" : "")\" data-value=\"\(HTML.data(x))\"\(title)>\(HTML.num(x, 4))</td>")
            }
            if hasRankIntervals {
                for (kind, interval) in [("cardinal", e.cardinalRank), ("ordinal", e.ordinalRank)] {
                    if let ri = interval {
                        let lo = ri.lower, hi = ri.upper, dist = ri.distribution
                        let text = lo == hi ? "\(lo)" : "\(lo)–\(hi)"
                        line("<td class=\"rank\" data-value=\"\(Double(lo) + Double(hi) / 1000)\"><span class=\"rank-ci\">\(text)</span> "
                             + Charts.rankBars(distribution: dist, lower: lo, upper: hi, label: kind.capitalized) + "</td>")
                    } else {
                        line("<td class=\"rank missing\" data-value=\"\">—</td>")
                    }
                }
            }
            line("</tr>")
        }
        line("</tbody>")
        line("</table>")
        line("</div>")
        benchbenchLine()
        if let fixed = board.bootstrap?.fixedModels, !fixed.isEmpty {
            line("<p class=\"note\">Models without bootstrap replicates (their point values are used in every replicate): "
                 + fixed.map { "<span class=\"model-name\">\(HTML.esc($0))</span>" }.joined(separator: ", ") + ".</p>")
        }
        if !contexts.isEmpty {
            line("<p class=\"note\">Contexts: " + contexts.map { "<code>\(HTML.esc($0))</code>" }.joined(separator: ", ") + ".</p>")
        }
        let warnings = board.warnings + input.warnings
        if !warnings.isEmpty {
            line("<div class=\"warnings\" role=\"note\"><h3>Warnings</h3><ul>")
            for w in warnings { line("<li>\(HTML.esc(w))</li>") }
            line("</ul></div>")
        }
        line("</section>")
    }

    mutating func benchbenchLine() {
        let board = input.leaderboard
        var parts: [String] = []
        let figures = [("cardinal", board.diversity?.cardinal, board.sensitivity?.cardinal),
                       ("ordinal", board.diversity?.ordinal, board.sensitivity?.ordinal)]
        for (kind, d, s) in figures {
            guard d != nil || s != nil else { continue }
            var text = "<strong>\(kind.capitalized)</strong>: "
            var bits: [String] = []
            if let w = d?.oneMinusW { bits.append("diversity \(HTML.num(w, 2)) (1 − Kendall's W)") }
            if let mrc = s?.mrc {
                var t = "sensitivity \(HTML.num(mrc, 2)) (MRC"
                if let tau = s?.tauPrime { t += ", τ′ \(HTML.num(tau, 2))" }
                bits.append(t + ")")
            }
            text += bits.joined(separator: "; ")
            if let note = s?.note { text += " <span class=\"aside\">(\(HTML.esc(note)))</span>" }
            parts.append(text)
        }
        if parts.isEmpty {
            line("<p class=\"benchbench\">Diversity and sensitivity: not computed (rank ran with --no-benchbench).</p>")
        } else {
            line("<p class=\"benchbench\">Diversity and sensitivity (benchbench, Zhang &amp; Hardt 2024) — " + parts.joined(separator: " · ") + "</p>")
        }
    }
}
