// `stick report`: one self-contained HTML page for a leaderboard run — the sortable leaderboard with
// rank intervals, per model the pairwise Rank-Order heatmap, the value circle against Schwartz's
// circumplex, per-value stability, Stress/CFA per context, parse rates and token usage, and a Method
// section. No network: CSS, the sorting script and every chart (SVG) are inline, and every string
// taken from the inputs is escaped. The markup is also well-formed XML, so tests can parse it.
import Foundation
import StickArtifacts

public struct ReportOptions: Sendable {
    /// The page title (<title> and <h1>).
    public var title: String = "Stick to Your Role! — value stability leaderboard"
    /// Shown in the header when set (e.g. a date); nothing time-dependent is written otherwise, so the
    /// same inputs give the same bytes.
    public var generated: String?

    public init(title: String? = nil, generated: String? = nil) {
        if let title { self.title = title }
        self.generated = generated
    }
}

public enum Report {
    /// The leaderboard.csv columns and whether higher is better.
    static let summaryColumns: [(name: String, higherIsBetter: Bool, hint: String)] = [
        ("Ordinal (Win rate)", true, "mean share of the other models beaten, column by column"),
        ("Cardinal (Score)", true, "mean of the 72 columns"),
        ("RO Stability", true, "mean pairwise Rank-Order stability (36 context pairs)"),
        ("Stress", false, "mean MDS Stress over the 9 contexts (lower is better)"),
        ("CFI", true, "mean comparative fit index of the CFA"),
        ("SRMR", false, "mean standardized root mean square residual (lower is better)"),
        ("RMSEA", false, "mean root mean square error of approximation (lower is better)"),
    ]
    static let statuses = ["matched", "multiple", "none", "fallback", "error"]
    static let cfaIndices = ["cfi", "tli", "srmr", "rmsea"]

    /// Reads the leaderboard and its metrics files and returns the page.
    public static func html(leaderboard path: String, options: ReportOptions = ReportOptions(), strict: Bool = false) throws -> String {
        html(try ReportInput.load(leaderboard: path, strict: strict), options: options)
    }

    /// The page for already loaded documents.
    public static func html(_ input: ReportInput, options: ReportOptions = ReportOptions()) -> String {
        var page = Page(input: input, options: options)
        return page.render()
    }
}

/// Builds the page text.
struct Page {
    let input: ReportInput
    let options: ReportOptions
    let entries: [JSONValue]
    var out = ""

    init(input: ReportInput, options: ReportOptions) {
        self.input = input
        self.options = options
        entries = input.leaderboard["models"]?.arrayValue ?? []
    }

    mutating func line(_ s: String) { out += s; out += "\n" }

    var hasRankIntervals: Bool { entries.contains { $0["rank_intervals"]?.objectValue != nil } }

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
        let contexts = (board["contexts"]?.arrayValue ?? []).compactMap(\.stringValue)
        if !contexts.isEmpty { meta.append("\(contexts.count) contexts") }
        if let n = board.at("bootstrap", "replicates")?.intValue { meta.append("\(n) bootstrap replicates") }
        if let tool = board["tool"]?.stringValue { meta.append("ranked by \(HTML.esc(tool))") }
        if let path = input.leaderboardPath { meta.append("from <code>\(HTML.esc(path))</code>") }
        if let generated = options.generated { meta.append("generated \(HTML.esc(generated))") }
        line("<p class=\"meta\">\(meta.joined(separator: " · "))</p>")
        line("<nav aria-label=\"Contents\"><ul class=\"toc\">")
        line("<li><a href=\"#leaderboard-section\">Leaderboard</a></li>")
        line("<li><a href=\"#models\">Models</a><ul>")
        for (i, e) in entries.enumerated() {
            line("<li><a href=\"#model-\(i)\">\(HTML.esc(e["model"]?.stringValue ?? "?"))</a></li>")
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

    // MARK: leaderboard

    mutating func leaderboardSection(contexts: [String]) {
        let board = input.leaderboard
        line("<section id=\"leaderboard-section\" aria-labelledby=\"leaderboard-heading\">")
        line("<h2 id=\"leaderboard-heading\">Leaderboard</h2>")
        line("<div class=\"table-wrap\">")
        line("<table id=\"leaderboard\" class=\"sortable\">")
        var caption = "One row per model, in the order of the leaderboard file. Higher is better except for Stress, SRMR and RMSEA."
        if hasRankIntervals {
            let replicates = board.at("bootstrap", "replicates")?.intValue.map { " over \($0) bootstrap replicates" } ?? ""
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
            let xs = entries.compactMap { $0[column.name]?.number }.filter(\.isFinite)
            best.append((column.higherIsBetter ? xs.max() : xs.min()) ?? .nan)
        }
        line("<tbody>")
        for (i, e) in entries.enumerated() {
            let name = e["model"]?.stringValue ?? "?"
            let format = e["format"]?.stringValue ?? "stick"
            line("<tr data-model=\"\(HTML.esc(name))\">")
            line("<td class=\"num\" data-value=\"\(i + 1)\">\(i + 1)</td>")
            var nameCell = "<a href=\"#model-\(i)\">\(HTML.esc(name))</a>"
            if format != "stick" { nameCell += " <span class=\"badge\" title=\"input format\">\(HTML.esc(format))</span>" }
            line("<th scope=\"row\" data-value=\"\(HTML.esc(name))\">\(nameCell)</th>")
            for (k, column) in Report.summaryColumns.enumerated() {
                let x = e[column.name]?.number
                let isBest = x.map { $0.isFinite && $0 == best[k] } ?? false
                let title = x.map { $0.isFinite ? " title=\"\($0)\"" : " title=\"NaN\"" } ?? ""
                line("<td class=\"num\(isBest ? " best" : "")\(x.map { $0.isNaN } ?? true ? " missing" : "")\" data-value=\"\(HTML.data(x))\"\(title)>\(HTML.num(x, 4))</td>")
            }
            if hasRankIntervals {
                for kind in ["cardinal", "ordinal"] {
                    if let ri = e.at("rank_intervals", kind), let lo = ri["lower"]?.intValue, let hi = ri["upper"]?.intValue {
                        let dist = (ri["distribution"]?.arrayValue ?? []).map { $0.number ?? .nan }
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
        if let fixed = board.at("bootstrap", "fixed_models")?.arrayValue, !fixed.isEmpty {
            line("<p class=\"note\">Models without bootstrap replicates (their point values are used in every replicate): "
                 + fixed.compactMap(\.stringValue).map { "<span class=\"model-name\">\(HTML.esc($0))</span>" }.joined(separator: ", ") + ".</p>")
        }
        if !contexts.isEmpty {
            line("<p class=\"note\">Contexts: " + contexts.map { "<code>\(HTML.esc($0))</code>" }.joined(separator: ", ") + ".</p>")
        }
        let warnings = (board["warnings"]?.arrayValue ?? []).compactMap(\.stringValue) + input.warnings
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
        for kind in ["cardinal", "ordinal"] {
            let d = board.at("diversity", kind), s = board.at("sensitivity", kind)
            guard d != nil || s != nil else { continue }
            var text = "<strong>\(kind.capitalized)</strong>: "
            var bits: [String] = []
            if let w = d?["one_minus_W"]?.number { bits.append("diversity \(HTML.num(w, 2)) (1 − Kendall's W)") }
            if let mrc = s?["MRC"]?.number {
                var t = "sensitivity \(HTML.num(mrc, 2)) (MRC"
                if let tau = s?["tau_prime"]?.number { t += ", τ′ \(HTML.num(tau, 2))" }
                bits.append(t + ")")
            }
            text += bits.joined(separator: "; ")
            if let note = s?["note"]?.stringValue { text += " <span class=\"aside\">(\(HTML.esc(note)))</span>" }
            parts.append(text)
        }
        if parts.isEmpty {
            line("<p class=\"benchbench\">Diversity and sensitivity: not computed (rank ran with --no-benchbench).</p>")
        } else {
            line("<p class=\"benchbench\">Diversity and sensitivity (benchbench, Zhang &amp; Hardt 2024) — " + parts.joined(separator: " · ") + "</p>")
        }
    }

    // MARK: one model

    mutating func modelSection(index i: Int, entry: JSONValue, source: ReportModelSource) {
        let name = entry["model"]?.stringValue ?? "?"
        line("<article class=\"model\" id=\"model-\(i)\" aria-labelledby=\"model-\(i)-name\">")
        line("<h3 id=\"model-\(i)-name\"><span class=\"model-name\">\(HTML.esc(name))</span></h3>")
        // The leaderboard row, for every model.
        line("<dl class=\"headline\">")
        for column in Report.summaryColumns {
            line("<div><dt>\(HTML.esc(column.name))</dt><dd>\(HTML.num(entry[column.name]?.number, 4))</dd></div>")
        }
        line("</dl>")
        guard let doc = source.metrics else {
            line("<p class=\"note\">No per-model details: \(HTML.esc(source.note ?? "no metrics document")).</p>")
            line("</article>")
            return
        }
        modelMeta(doc, path: source.path)
        let contexts = (doc["contexts"]?.arrayValue ?? []).compactMap(\.stringValue)
        let values = (doc["value_order"]?.arrayValue ?? []).compactMap(\.stringValue)
        let intervals = bootstrapIntervals(doc)
        let level = doc.at("bootstrap", "level")?.number

        // Heatmap and per-value bars side by side.
        line("<div class=\"panels\">")
        line("<figure class=\"panel\">")
        let pairwise = doc.at("rank_order", "pairwise")
        let svg = Charts.heatmap(id: "m\(i)", modelName: name, contexts: contexts, pair: { a, b in
            pairwise?[contexts[a]]?[contexts[b]]?.number
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
        var perValue: [String: Double] = [:]
        if let o = doc.at("rank_order", "per_value")?.objectValue {
            for (k, v) in o.pairs { perValue[k] = v.number ?? .nan }
        }
        var valueIntervals: [String: (Double, Double)] = [:]
        for v in values {
            for key in Page.perValueIntervalKeys(v) where !(contexts.contains(v) && key == "rank_order/\(v)") {
                if let ci = intervals[key] { valueIntervals[v] = ci; break }
            }
        }
        line(Charts.valueBars(id: "m\(i)", modelName: name, values: values, stability: perValue, intervals: valueIntervals))
        var barCaption = "Rank-Order stability of each value (mean over the context pairs; NaN if any pair is NaN)."
        if let overall = doc.at("rank_order", "overall")?.number {
            barCaption += " Overall: \(HTML.num(overall, 3))"
            if let ci = intervals["rank_order"] { barCaption += " [\(HTML.num(ci.0, 3)), \(HTML.num(ci.1, 3))]" }
            barCaption += "."
        }
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
        let warnings = (doc["warnings"]?.arrayValue ?? []).compactMap(\.stringValue)
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

    mutating func modelMeta(_ doc: JSONValue, path: String?) {
        var bits: [String] = []
        if let n = doc["n_personas"]?.intValue { bits.append("\(n) personas") }
        if let instruments = doc["instruments"]?.objectValue {
            var counts: [String: Int] = [:]
            var order: [String] = []
            for (_, v) in instruments.pairs {
                let s = v.stringValue ?? "?"
                if counts[s] == nil { order.append(s) }
                counts[s, default: 0] += 1
            }
            bits.append(order.map { "\(HTML.esc($0)) ×\(counts[$0]!)" }.joined(separator: ", "))
        }
        if let options = doc["options"]?.objectValue {
            if let v = options["stress_variant"]?.stringValue { bits.append("Stress variant <code>\(HTML.esc(v))</code>") }
            if let c = options["cfa"]?.boolValue, !c { bits.append("no CFA") }
            if let r = options["cfa_rounding"]?.stringValue { bits.append("CFA rounding <code>\(HTML.esc(r))</code>") }
            if let b = options["bootstrap"]?.intValue, b > 0 {
                var t = "\(b) bootstrap replicates"
                if let seed = options["seed"] { t += " (seed \(HTML.esc(seed.scalarText)))" }
                bits.append(t)
            }
        }
        if let tool = doc["tool"]?.stringValue { bits.append("scored by \(HTML.esc(tool))") }
        if let path { bits.append("<code>\(HTML.esc(path))</code>") }
        line("<p class=\"meta\">\(bits.joined(separator: " · "))</p>")
    }

    func bootstrapIntervals(_ doc: JSONValue) -> [String: (Double, Double)] {
        var out: [String: (Double, Double)] = [:]
        guard let o = doc.at("bootstrap", "intervals")?.objectValue else { return out }
        for (k, v) in o.pairs {
            if let a = v.arrayValue, a.count == 2, let lo = a[0].number, let hi = a[1].number { out[k] = (lo, hi) }
        }
        return out
    }

    // MARK: value circles

    mutating func valueCircles(index i: Int, doc: JSONValue, contexts: [String], values: [String]) {
        line("<section class=\"circles-section\" aria-labelledby=\"circles-\(i)-heading\">")
        line("<h4 id=\"circles-\(i)-heading\">Value circle per context</h4>")
        guard let positions = doc.at("stress", "value_positions")?.objectValue else {
            line("<p class=\"note\">Value positions: not recorded in this metrics file.</p>")
            line("</section>")
            return
        }
        line("<ul class=\"value-legend\" aria-label=\"Values\">")
        // Around the circle, as theory orders them; values unknown to the circumplex last.
        let legendOrder = Circumplex.order.filter(values.contains) + values.filter { !Circumplex.order.contains($0) }
        for v in legendOrder {
            line("<li><span class=\"swatch\" style=\"background:\(Circumplex.colour(v))\"></span><abbr title=\"\(HTML.esc(v))\">\(HTML.esc(Circumplex.label(v)))</abbr> \(HTML.esc(v))</li>")
        }
        line("<li><span class=\"swatch ring\"></span>theoretical position</li>")
        line("</ul>")
        line("<div class=\"circles\">")
        for (k, context) in contexts.enumerated() {
            var points: [String: (Double, Double)] = [:]
            if let o = positions[context]?.objectValue {
                for (v, xy) in o.pairs {
                    if let a = xy.arrayValue, a.count == 2, let x = a[0].number, let y = a[1].number { points[v] = (x, y) }
                }
            }
            let panel = Charts.valueCircle(id: "m\(i)c\(k)", context: context, values: values, positions: points)
            line("<figure class=\"circle\">")
            line(panel.svg)
            var caption = "<code>\(HTML.esc(context))</code>"
            if let misfit = panel.misfit {
                caption += "<br/>misfit \(HTML.num(misfit, 3))\(panel.reflected ? " · reflected" : "")"
            } else {
                caption += "<br/>no MDS configuration"
            }
            line("<figcaption>\(caption)</figcaption>")
            line("</figure>")
        }
        line("</div>")
        line("<p class=\"caption\">Each filled dot is the centroid of a value's items in the context's 2-D MDS configuration; the ring of the same colour is "
             + "Schwartz's theoretical position, and the line joins them. An MDS configuration is defined only up to rotation, reflection, "
             + "translation and scale, so each one is aligned to the theoretical points by Procrustes (least squares, Schönemann 1966) before "
             + "drawing. Misfit is the share of the theoretical configuration's spread left unexplained after the alignment "
             + "(0 = same shape, 1 = unrelated).</p>")
        line("</section>")
    }

    // MARK: per context table

    mutating func contextTable(doc: JSONValue, contexts: [String], intervals: [String: (Double, Double)]) {
        let variant = doc.at("stress", "variant")?.stringValue ?? "legacy"
        let other = ["legacy", "v17"].first { $0 != variant && doc.at("stress", $0, "per_context") != nil }
        let hasCFA = doc["cfa"]?.objectValue != nil
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
            row += "<td>\(HTML.esc(doc.at("instruments", context)?.stringValue ?? "—"))</td>"
            row += cell(doc.at("stress", "per_context", context)?.number, intervals["stress/\(context)"])
            if let other { row += cell(doc.at("stress", other, "per_context", context)?.number) }
            if hasCFA {
                for index in Report.cfaIndices {
                    row += cell(doc.at("cfa", "per_context_mean", index, context)?.number, intervals["\(index)/\(context)"])
                }
                row += "<td>\(subModelStatus(doc.at("cfa", "per_context", context)))</td>"
            }
            row += cell(doc.at("cronbach_alpha", "per_context_mean", context)?.number, digits: 3)
            line(row + "</tr>")
        }
        line("</tbody>")
        var foot = "<tfoot><tr><th scope=\"row\">Mean</th><td></td>"
        foot += cell(doc.at("stress", "mean")?.number, intervals["stress"])
        if let other { foot += cell(doc.at("stress", other, "mean")?.number) }
        if hasCFA {
            for index in Report.cfaIndices { foot += cell(doc.at("cfa", "overall_mean", index)?.number, intervals[index]) }
            foot += "<td></td>"
        }
        foot += cell(doc.at("cronbach_alpha", "overall")?.number, digits: 3)
        line(foot + "</tr></tfoot>")
        line("</table></div>")
        var note = "Stress: normalized stress of the non-metric 2-D MDS (lower is better). "
        if hasCFA {
            let rounding = doc.at("cfa", "rounding")?.stringValue ?? "reference"
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
    func subModelStatus(_ v: JSONValue?) -> String {
        guard let subs = v?.objectValue else { return "—" }
        var ok = 0
        var failures: [String] = []
        for (name, fit) in subs.pairs {
            let status = fit["status"]?.stringValue ?? "?"
            if status == "ok" { ok += 1; continue }
            let message = fit["message"]?.stringValue
            failures.append("<span class=\"fail\"\(message.map { " title=\"\(HTML.esc($0))\"" } ?? "")>\(HTML.esc(name.replacingOccurrences(of: "_", with: " "))): \(HTML.esc(status))</span>")
        }
        var parts: [String] = []
        if ok > 0 { parts.append("\(ok) ok") }
        parts += failures
        return parts.joined(separator: "<br/>")
    }

    // MARK: parse rates and usage

    mutating func parseAndUsage(doc: JSONValue, contexts: [String]) {
        line("<section aria-label=\"Answer parsing and token usage\">")
        line("<h4>Answer parsing and token usage</h4>")
        if let parse = doc["parse"]?.objectValue {
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
        if let usage = doc["usage"]?.objectValue {
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
