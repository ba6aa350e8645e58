// The page's skeleton: head, header with the table of contents, the sections (one file each:
// Page+Leaderboard, Page+Model, Page+ValueCircles, Page+ContextTable, Page+ParseAndUsage), the Method
// section and the footer. Page is layout only: it reads the typed leaderboard and metrics documents
// (LeaderboardDocument, MetricsDocument) that ReportInput loaded.
import Foundation
import StickArtifacts

/// Builds the page text.
struct Page {
    let input: ReportInput
    let options: ReportOptions
    let entries: [LeaderboardDocument.Entry]
    var out = ""

    init(input: ReportInput, options: ReportOptions) {
        self.input = input
        self.options = options
        entries = input.leaderboard.models
    }

    mutating func line(_ s: String) { out += s; out += "\n" }

    var hasRankIntervals: Bool { entries.contains { $0.cardinalRank != nil || $0.ordinalRank != nil } }

    mutating func render() -> String {
        let board = input.leaderboard
        line("<!DOCTYPE html>")
        line("<html lang=\"en\">")
        line("<head>")
        line("<meta charset=\"utf-8\"/>")
        line("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
        line("<meta name=\"generator\" content=\"\(HTML.esc(stickToolName)) report\"/>")
        line("<title>\(HTML.esc(options.title))</title>")
        line("<style>/*<![CDATA[*/\n\(Page.css)\n/*]]>*/</style>")
        line("</head>")
        line("<body>")
        line("<a class=\"skip\" href=\"#leaderboard-section\">Skip to the leaderboard</a>")
        line("<header class=\"page-header\">")
        line("<h1>\(HTML.esc(options.title))</h1>")
        var meta: [String] = ["\(entries.count) model\(entries.count == 1 ? "" : "s")"]
        let contexts = board.contexts
        if !contexts.isEmpty { meta.append("\(contexts.count) contexts") }
        if let n = board.bootstrap?.replicates { meta.append("\(n) bootstrap replicates") }
        if let tool = board.tool { meta.append("ranked by \(HTML.esc(tool))") }
        if let path = input.leaderboardPath { meta.append("from <code>\(HTML.esc(path))</code>") }
        if let generated = options.generated { meta.append("generated \(HTML.esc(generated))") }
        line("<p class=\"meta\">\(meta.joined(separator: " · "))</p>")
        line("<nav aria-label=\"Contents\"><ul class=\"toc\">")
        line("<li><a href=\"#leaderboard-section\">Leaderboard</a></li>")
        line("<li><a href=\"#models\">Models</a><ul>")
        for (i, e) in entries.enumerated() {
            line("<li><a href=\"#model-\(i)\">\(HTML.esc(e.model))</a></li>")
        }
        line("</ul></li>")
        line("<li><a href=\"#method\">Method</a></li>")
        line("<li><a href=\"#references\">References</a></li>")
        line("</ul></nav>")
        line("</header>")
        line("<main>")
        leaderboardSection(contexts: contexts)
        line("<section id=\"models\" aria-labelledby=\"models-heading\">")
        line("<h2 id=\"models-heading\">Models</h2>")
        for (i, e) in entries.enumerated() {
            modelSection(index: i, entry: e, source: i < input.models.count ? input.models[i] : ReportModelSource(metrics: nil, note: "no details"))
        }
        line("</section>")
        out += Page.method
        line("</main>")
        line("<footer class=\"page-footer\"><p>Written by \(HTML.esc(stickToolName)) <code>report</code>. This page loads nothing from the network; "
             + "sorting the leaderboard is the only part that needs JavaScript.</p></footer>")
        line("<script>//<![CDATA[\n\(Page.script)\n//]]></script>")
        line("</body>")
        line("</html>")
        return out
    }
}
