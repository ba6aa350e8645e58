// `stick report`: builds the page from small synthetic leaderboard + metrics documents written in
// the structure of LeaderboardDocument.json and MetricsDocument.json, parses it as XML (the page is
// well-formed by design) and checks its structure: the leaderboard table and its row order, the
// 9×9 heatmaps with hatched NaN cells, the value circles (Procrustes alignment recovers rotated,
// reflected and scaled theoretical positions), the Method section and citations, no network
// loads, escaping of hostile model names, metrics path resolution and the command.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import StickArtifacts
import StickCommands
import StickReport
import StickTestSupport
import Testing

// MARK: synthetic documents

private let reportContexts = ["chunk_0", "chunk_1", "chunk_2", "chunk_3", "chunk_4", "chunk_chess_0", "chunk_grammar_1",
                              "chunk_no_conv", "chunk_svs_no_conv"]
private let reportValues = ["Conformity", "Tradition", "Benevolence", "Universalism", "Self-Direction", "Stimulation",
                            "Hedonism", "Achievement", "Power", "Security"]
private let theory: [String: (Double, Double)] = [
    "Self-Direction": (-0.34, 0.94), "Stimulation": (-0.87, 0.50), "Hedonism": (-0.98, -0.17), "Achievement": (-0.64, -0.77),
    "Power": (0.00, -1.00), "Security": (0.65, -0.77), "Conformity": (0.49, -0.09), "Tradition": (0.98, -0.17),
    "Benevolence": (0.87, 0.50), "Universalism": (0.34, 0.94),
]
private let hostileName = "<script>alert('x')</script> & \"Eve\""
/// The context whose MDS configuration is missing (null value positions) in the first model.
private let contextWithoutPositions = 4

private func obj(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(pairs)) }
private func num(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .null }

/// Pairwise Rank-Order: symmetric, diagonal 1, one NaN pair (chunk_1 × chunk_3) when `nanPair`.
private func pairwiseValue(_ a: Int, _ b: Int, nanPair: Bool) -> Double {
    if a == b { return 1 }
    if nanPair && Set([a, b]) == Set([1, 3]) { return .nan }
    return 0.4 + 0.05 * Double((min(a, b) * 7 + max(a, b) * 3) % 10)
}

/// The theoretical points rotated by `angle`, reflected, scaled by 2.5 and shifted: what an MDS
/// could return for a perfectly circumplex-shaped model.
private func transformedTheory(angle: Double, reflect: Bool) -> [String: (Double, Double)] {
    var out: [String: (Double, Double)] = [:]
    for (v, p) in theory {
        let x = reflect ? -p.0 : p.0, y = p.1
        out[v] = (2.5 * (x * cos(angle) - y * sin(angle)) + 0.3, 2.5 * (x * sin(angle) + y * cos(angle)) - 0.1)
    }
    return out
}

/// A metrics document as `score` writes it (MetricsDocument.json), trimmed to what matters here.
private func metricsDocument(model: String, nanPair: Bool, bootstrap: Bool, parseAndUsage: Bool) -> JSONValue {
    let c = reportContexts
    var pairs: [JSONValue] = []
    for i in c.indices { for j in (i + 1)..<c.count { pairs.append([.string(c[i]), .string(c[j])]) } }
    let perValue = reportValues.enumerated().map { ($0.element, num(nanPair && $0.offset == 2 ? .nan : 0.5 + 0.03 * Double($0.offset))) }
    let stress = c.indices.map { 0.06 + 0.005 * Double($0) }
    let positions: [(String, JSONValue)] = c.enumerated().map { k, name in
        if k == contextWithoutPositions && nanPair { return (name, .null) }
        let pts = transformedTheory(angle: 0.6 * Double(k), reflect: k % 2 == 1)
        return (name, obj(reportValues.map { v in (v, [num(pts[v]!.0), num(pts[v]!.1)]) }))
    }
    let subModels = ["conservation", "openness_to_change", "self_transcendence", "self_enhancement"]
    let cfaPerContext: [(String, JSONValue)] = c.enumerated().map { k, name in
        (name, obj(subModels.enumerated().map { s, sub in
            let failed = k == 2 && s == 0
            var fields: [(String, JSONValue)] = [("status", .string(failed ? "error" : "ok"))]
            if failed { fields.append(("message", "sample covariance matrix is not positive-definite")) }
            fields += [("chisq", 40), ("df", 32), ("baseline_chisq", 400), ("baseline_df", 45),
                       ("cfi", num(failed ? .nan : 0.97)), ("tli", 0.96), ("srmr", 0.05), ("rmsea", 0.04), ("npar", 23),
                       ("factor_correlations", [0.5, 0.6, 0.7]), ("converged", .bool(!failed)),
                       ("stored", obj([("cfi", num(failed ? 0 : 0.97)), ("tli", num(failed ? 0 : 0.96)),
                                       ("srmr", num(failed ? 1 : 0.05)), ("rmsea", num(failed ? 1 : 0.04))]))]
            return (sub, obj(fields))
        }))
    }
    func perContextMean(_ ok: Double, _ failure: Double) -> JSONValue {
        obj(c.enumerated().map { k, name in (name, num(k == 2 ? (3 * ok + failure) / 4 : ok)) })
    }
    var doc: [(String, JSONValue)] = [
        ("stick", "metrics"), ("version", 1), ("tool", "stick 0.1.0"), ("model", .string(model)),
        ("inputs", [obj([("role", "answers"), ("name", "answers.jsonl"), ("sha256", "00")])]),
        ("options", obj([("stress_variant", "legacy"), ("cfa", true), ("cfa_rounding", "reference"), ("ipsative", false),
                         ("bootstrap", .number(bootstrap ? 100 : 0)), ("seed", 1)])),
        ("n_personas", 50),
        ("contexts", .array(c.map { .string($0) })),
        ("instruments", obj(c.map { ($0, .string($0.contains("svs") ? "SVS-57" : "PVQ-40")) })),
        ("value_order", .array(reportValues.map { .string($0) })),
        ("rank_order", obj([
            ("overall", num(nanPair ? .nan : 0.62)),
            ("per_value", obj(perValue)),
            ("pairs", .array(pairs)),
            ("per_value_pairs", obj(reportValues.map { ($0, .array(Array(repeating: num(0.6), count: 36))) })),
            ("pairwise", obj(c.indices.map { a in (c[a], obj(c.indices.map { b in (c[b], num(pairwiseValue(a, b, nanPair: nanPair))) })) })),
        ])),
        ("stress", obj([
            ("variant", "legacy"),
            ("per_context", obj(zip(c, stress).map { ($0, num($1)) })),
            ("mean", num(stress.reduce(0, +) / 9)),
            ("legacy", obj([("per_context", obj(zip(c, stress).map { ($0, num($1)) })), ("mean", num(stress.reduce(0, +) / 9)),
                            ("n_iter", obj(c.map { ($0, 3) }))])),
            ("v17", obj([("per_context", obj(zip(c, stress).map { ($0, num($1 / 3)) })), ("mean", num(stress.reduce(0, +) / 27)),
                         ("n_iter", obj(c.map { ($0, 15) }))])),
            ("value_positions", obj(positions)),
        ])),
        ("cfa", obj([
            ("rounding", "reference"),
            ("submodels", .array(subModels.map { .string($0) })),
            ("per_context", obj(cfaPerContext)),
            ("per_context_mean", obj([("cfi", perContextMean(0.97, 0)), ("tli", perContextMean(0.96, 0)),
                                      ("srmr", perContextMean(0.05, 1)), ("rmsea", perContextMean(0.04, 1))])),
            ("overall_mean", obj([("cfi", 0.95), ("tli", 0.94), ("srmr", 0.07), ("rmsea", 0.06)])),
        ])),
        ("cronbach_alpha", obj([("per_context", obj([])), ("per_context_mean", obj(c.map { ($0, 0.8) })),
                                ("per_value_mean", obj([])), ("overall", 0.8)])),
    ]
    if bootstrap {
        var intervals: [(String, JSONValue)] = [("rank_order", [0.55, 0.68])]
        for i in c.indices { for j in (i + 1)..<c.count { intervals.append(("rank_order/\(c[i])/\(c[j])", [0.3, 0.8])) } }
        intervals += c.map { ("stress/\($0)", [0.05, 0.1]) }
        intervals += reportValues.map { ("rank_order/value/\($0)", [0.4, 0.7]) }
        doc.append(("bootstrap", obj([("replicates", 100), ("seed", 1), ("level", 0.95), ("method", "percentile"),
                                      ("intervals", obj(intervals)), ("statistics", .array(intervals.map { .string($0.0) })),
                                      ("values", [])])))
    }
    doc.append(("warnings", .array(nanPair ? ["chunk_1: Benevolence's centred scores are constant"] : [])))
    if parseAndUsage {
        doc.append(("parse", obj(c.map { name in
            (name, obj([("matched", 1990), ("multiple", 6), ("none", 0), ("fallback", 3), ("error", 1)]))
        })))
        doc.append(("usage", obj([("prompt_tokens", 12_345_678), ("completion_tokens", 234_567)])))
    }
    return obj(doc)
}

/// A leaderboard entry as `rank -o` writes it (LeaderboardDocument.json).
private func leaderboardEntry(_ model: String, format: String, file: String, cardinal: Double, intervals: (Int, Int)?) -> JSONValue {
    var fields: [(String, JSONValue)] = [
        ("model", .string(model)), ("format", .string(format)), ("file", .string(file)),
        ("Ordinal (Win rate)", num(cardinal - 0.1)), ("Cardinal (Score)", num(cardinal)), ("RO Stability", 0.6),
        ("Stress", 0.08), ("CFI", 0.95), ("SRMR", num(.nan)), ("RMSEA", 0.05),
        ("values", obj([("RO-chunk_0-chunk_1", 0.6)])), ("win_rates", obj([("RO-chunk_0-chunk_1", 0.5)])),
    ]
    if let (lo, hi) = intervals {
        let dist: [JSONValue] = (1...3).map { $0 >= lo && $0 <= hi ? num(1 / Double(hi - lo + 1)) : 0 }
        fields.append(("rank_intervals", obj([
            ("cardinal", obj([("lower", .number(Double(lo))), ("upper", .number(Double(hi))), ("distribution", .array(dist))])),
            ("ordinal", obj([("lower", .number(Double(lo))), ("upper", .number(Double(hi))), ("distribution", .array(dist))])),
        ])))
    }
    return obj(fields)
}

/// The three models in leaderboard order: full details, hostile name without extras, reference import.
private let modelOrder = ["alpha-7B", hostileName, "gamma (reference)"]

/// Writes board.json under `dir`/runs and the metrics beside it; returns the board path.
/// alpha's file is relative to the board's directory, the hostile model's is absolute.
private func writeRun(_ dir: ScratchDirectory, missingSecond: Bool = false) throws -> String {
    let runs = dir.file("runs")
    try FileManager.default.createDirectory(atPath: runs + "/metrics", withIntermediateDirectories: true)
    try metricsDocument(model: modelOrder[0], nanPair: true, bootstrap: true, parseAndUsage: true).serialized()
        .write(toFile: runs + "/metrics/alpha.json", atomically: true, encoding: .utf8)
    if !missingSecond {
        try metricsDocument(model: modelOrder[1], nanPair: false, bootstrap: false, parseAndUsage: false).serialized()
            .write(toFile: runs + "/metrics/eve.json", atomically: true, encoding: .utf8)
    }
    let board = obj([
        ("stick", "leaderboard"), ("version", 1), ("tool", "stick 0.1.0"),
        ("contexts", .array(reportContexts.map { .string($0) })),
        ("columns", ["RO-chunk_0-chunk_1"]),
        ("models", [
            leaderboardEntry(modelOrder[0], format: "stick", file: "metrics/alpha.json", cardinal: 0.8, intervals: (1, 2)),
            leaderboardEntry(modelOrder[1], format: "stick", file: runs + "/metrics/eve.json", cardinal: 0.9, intervals: (1, 1)),
            leaderboardEntry(modelOrder[2], format: "reference", file: "analysis/gamma.json", cardinal: 0.7, intervals: (3, 3)),
        ]),
        ("diversity", obj([("cardinal", obj([("one_minus_W", 0.41), ("mean_pairwise_MRC", 0.2)])),
                           ("ordinal", obj([("one_minus_W", 0.39), ("mean_pairwise_MRC", 0.1)]))])),
        ("sensitivity", obj([("cardinal", obj([("tau_prime", 0.1), ("MRC", 0.25)])),
                             ("ordinal", obj([("tau_prime", 0), ("MRC", 0), ("note", "seeded generator")]))])),
        ("bootstrap", obj([("replicates", 100), ("fixed_models", [.string(modelOrder[2])])])),
        ("warnings", []),
    ])
    let path = runs + "/board.json"
    try board.serialized().write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

// MARK: a minimal DOM from the XML parser

private final class Node {
    let name: String
    let attributes: [String: String]
    /// Child elements and text, in document order.
    var content: [Either] = []
    enum Either {
        case element(Node)
        case text(String)
    }
    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    subscript(_ attribute: String) -> String? { attributes[attribute] }
    var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
    var children: [Node] { content.compactMap { if case .element(let n) = $0 { return n } else { return nil } } }

    /// Every descendant (depth first, document order) matching `predicate`.
    func all(_ predicate: (Node) -> Bool) -> [Node] {
        var out: [Node] = []
        for c in children {
            if predicate(c) { out.append(c) }
            out += c.all(predicate)
        }
        return out
    }
    func all(_ tag: String, class cls: String? = nil) -> [Node] {
        all { $0.name == tag && (cls == nil || $0.classes.contains(cls!)) }
    }
    /// The text of the element and its descendants, whitespace runs collapsed to one space.
    var textContent: String {
        rawText.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }
    var rawText: String {
        content.map { item -> String in
            switch item {
            case .element(let n): return n.rawText
            case .text(let t): return t
            }
        }.joined()
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    let root = Node(name: "#document", attributes: [:])
    var stack: [Node] = []
    var error: Error?
    override init() { super.init(); stack = [root] }
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let node = Node(name: elementName, attributes: attributes)
        stack.last!.content.append(.element(node))
        stack.append(node)
    }
    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last!.content.append(.text(string)) }
    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        stack.last!.content.append(.text(String(decoding: CDATABlock, as: UTF8.self)))
    }
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }
}

/// Parses the page as XML; fails the test (and returns nil) when it is not well-formed.
private func parsePage(_ html: String) -> Node? {
    let builder = TreeBuilder()
    let parser = XMLParser(data: Data(html.utf8))
    parser.delegate = builder
    let ok = parser.parse()
    #expect(ok && builder.error == nil, "the page is not well-formed: \(String(describing: parser.parserError ?? builder.error)) at line \(parser.lineNumber)")
    return ok ? builder.root : nil
}

private func loadPage(_ dir: ScratchDirectory, missingSecond: Bool = false) throws -> (ReportInput, String) {
    let board = try writeRun(dir, missingSecond: missingSecond)
    // The current directory is not the board's: relative metrics paths must fall back to the board's directory.
    let input = try ReportInput.load(leaderboard: board, currentDirectory: dir.path)
    return (input, Report.html(input, options: ReportOptions(generated: "2025-01-01")))
}

// MARK: tests

/// Stick report.
@Suite struct ReportTests {
    @Test("one leaderboard table with a row per model, in the leaderboard's order, and rank intervals")
    func leaderboardTable() throws {
        let dir = try ScratchDirectory()
        let (input, html) = try loadPage(dir)
        #expect(input.warnings.isEmpty, "\(input.warnings)")
        #expect(input.models.map { $0.metrics != nil } == [true, true, false])
        let root = try #require(parsePage(html))
        let tables = root.all { $0.name == "table" && $0["id"] == "leaderboard" }
        #expect(tables.count == 1)
        let table = try #require(tables.first)
        let body = try #require(table.all("tbody").first)
        let rows = body.children.filter { $0.name == "tr" }
        #expect(rows.map { $0["data-model"] } == modelOrder)
        // Header: #, Model, 7 summary columns, 2 rank columns; every sortable header says how.
        let headers = try #require(table.all("thead").first).all("th")
        #expect(headers.count == 11)
        #expect(headers.allSatisfy { $0["data-sort"] != nil })
        // Each row has as many cells as there are headers; NaN SRMR sorts last (empty data-value).
        for row in rows {
            let cells = row.children.filter { $0.name == "td" || $0.name == "th" }
            #expect(cells.count == 11)
            #expect(cells[7]["data-value"] == "" && cells[7].textContent == "NaN")
        }
        let first = rows[0].all("td", class: "rank")
        #expect(first.count == 2 && first[0].textContent.contains("1–2"))
        #expect(rows[0].all("svg", class: "rank-dist").count == 2)
        // The diversity/sensitivity line.
        let line = try #require(root.all("p", class: "benchbench").first).textContent
        #expect(line.contains("diversity 0.41") && line.contains("sensitivity 0.25"))
        // The sorting script is there (and is the only script).
        #expect(root.all("script").count == 1)
    }

    @Test("a 9×9 heatmap per model with details; NaN cells are hatched")
    func heatmaps() throws {
        let dir = try ScratchDirectory()
        let (_, html) = try loadPage(dir)
        let root = try #require(parsePage(html))
        let maps = root.all("svg", class: "heatmap")
        #expect(maps.count == 2)
        for (k, map) in maps.enumerated() {
            let cells = map.all("rect", class: "cell")
            #expect(cells.count == 81)
            #expect(cells.allSatisfy { $0.all("title").count == 1 })
            let nan = cells.filter { $0.classes.contains("nan") }
            if k == 0 {
                // chunk_1 × chunk_3 and its mirror.
                #expect(nan.map { "\($0["data-row"]!),\($0["data-col"]!)" }.sorted() == ["1,3", "3,1"])
                let fill = try #require(nan.first?["fill"])
                #expect(fill.hasPrefix("url(#"))
                let patternID = String(fill.dropFirst(5).dropLast())
                #expect(map.all { $0.name == "pattern" && $0["id"] == patternID }.count == 1)
                #expect(nan.first!.textContent.contains("NaN"))
                // Hover text carries the bootstrap interval.
                #expect(cells.first { $0["data-row"] == "0" && $0["data-col"] == "1" }!.textContent.contains("bootstrap"))
            } else {
                #expect(nan.isEmpty)
            }
            let diagonal = cells.filter { $0["data-row"] == $0["data-col"] }
            #expect(diagonal.count == 9 && diagonal.allSatisfy { $0["data-value"] == "1.0" })
            // A legend: the colour bar gradient and a NaN swatch.
            #expect(map.all("linearGradient").count == 1)
            #expect(map.all("text").contains { $0.textContent == "NaN" })
        }
    }

    @Test("value circles: 10 values per context, Procrustes-aligned onto the theoretical circumplex")
    func valueCircles() throws {
        let dir = try ScratchDirectory()
        let (_, html) = try loadPage(dir)
        let root = try #require(parsePage(html))
        let article = try #require(root.all { $0.name == "article" && $0["id"] == "model-0" }.first)
        let circles = article.all("svg", class: "value-circle")
        #expect(circles.map { $0["data-context"] } == reportContexts)
        for (k, svg) in circles.enumerated() {
            let theoryPoints = svg.all("circle", class: "theory")
            #expect(Set(theoryPoints.compactMap { $0["data-value"] }) == Set(reportValues))
            let observed = svg.all("circle", class: "obs")
            if k == contextWithoutPositions {
                #expect(observed.isEmpty)
                continue
            }
            #expect(Set(observed.compactMap { $0["data-value"] }) == Set(reportValues))
            // The positions were the theory rotated, reflected (odd contexts), scaled and shifted:
            // after alignment each observed point sits on its theoretical point.
            for o in observed {
                let t = try #require(theoryPoints.first { $0["data-value"] == o["data-value"] })
                let dx = Double(o["cx"]!)! - Double(t["cx"]!)!, dy = Double(o["cy"]!)! - Double(t["cy"]!)!
                #expect(abs(dx) < 0.02 && abs(dy) < 0.02, "\(o["data-value"]!) in \(reportContexts[k])")
            }
        }
        let captions = article.all("figure", class: "circle").map(\.textContent)
        #expect(captions[1].contains("misfit 0.000") && captions[1].contains("reflected"))
        #expect(captions[0].contains("misfit 0.000") && !captions[0].contains("reflected"))
        #expect(captions[contextWithoutPositions].contains("no MDS configuration"))
        #expect(article.textContent.contains("rotation, reflection"))
    }

    @Test("per-value bars with bootstrap whiskers, per-context Stress/CFA, parse rates and usage or 'not recorded'")
    func perModelDetails() throws {
        let dir = try ScratchDirectory()
        let (_, html) = try loadPage(dir)
        let root = try #require(parsePage(html))
        let alpha = try #require(root.all { $0.name == "article" && $0["id"] == "model-0" }.first)
        let bars = try #require(alpha.all("svg", class: "value-bars").first)
        #expect(bars.all("g", class: "bar").count == 10)
        #expect(bars.all("g", class: "ci").count == 10)
        let contexts = try #require(alpha.all("table", class: "contexts").first)
        #expect(try #require(contexts.all("tbody").first).all("tr").count == 9)
        #expect(contexts.textContent.contains("Stress (legacy)") && contexts.textContent.contains("Stress (v17)"))
        #expect(contexts.textContent.contains("conservation: error"))
        let parse = try #require(alpha.all("table", class: "parse").first)
        #expect(try #require(parse.all("tbody").first).all("tr").count == 9)
        #expect(parse.textContent.contains("99.8"))  // (1990 + 6) / 2000 parsed
        #expect(alpha.all("dl", class: "usage").first?.textContent.contains("12\u{202F}345\u{202F}678") == true)

        let eve = try #require(root.all { $0.name == "article" && $0["id"] == "model-1" }.first)
        #expect(eve.textContent.contains("Parse rates: not recorded."))
        #expect(eve.textContent.contains("Token usage: not recorded."))
        #expect(eve.all("g", class: "ci").isEmpty)

        let gamma = try #require(root.all { $0.name == "article" && $0["id"] == "model-2" }.first)
        #expect(gamma.all("svg").isEmpty)
        #expect(gamma.textContent.contains("only its leaderboard row"))
    }

    @Test("Method section with the citations; nothing is loaded from the network")
    func methodAndSelfContained() throws {
        let dir = try ScratchDirectory()
        let (_, html) = try loadPage(dir)
        let root = try #require(parsePage(html))
        let method = try #require(root.all { $0.name == "section" && $0["id"] == "method" }.first).textContent
        for phrase in ["Rank-Order stability", "Stress", "CFI", "Cardinal", "Ordinal", "legacy", "v17", "4 decimals", "NaN"] {
            #expect(method.contains(phrase), "\(phrase)")
        }
        let references = try #require(root.all { $0.name == "section" && $0["id"] == "references" }.first).textContent
        for citation in ["Kovač", "Portelas", "Sawayama", "Dominey", "Oudeyer", "PLOS ONE", "Schwartz, S. H. (1992)",
                         "Schwartz, S. H. (2012)", "(2001)", "Kruskal", "Hu, L., & Bentler", "Rosseel", "Zhang, G., & Hardt"] {
            #expect(references.contains(citation), "\(citation)")
        }
        // No element loads anything: no src, no <link>/<img>/<iframe>/<object>, and URLs only in <a href>
        // (and the SVG namespace, which is a name, not a load).
        let everything = root.all { _ in true }
        #expect(everything.allSatisfy { $0["src"] == nil })
        #expect(everything.allSatisfy { !["link", "img", "iframe", "object", "embed", "audio", "video", "source"].contains($0.name) })
        for node in everything {
            for (attribute, value) in node.attributes where value.lowercased().contains("http") || value.contains("//") {
                let allowed = (node.name == "a" && attribute == "href") || (attribute == "xmlns" && value == "http://www.w3.org/2000/svg")
                #expect(allowed, "\(node.name) \(attribute)=\(value)")
            }
        }
        for style in root.all("style") {
            #expect(!style.rawText.contains("url(") && !style.rawText.contains("@import"))
        }
        #expect(!html.contains("<script src") && !html.contains("<link"))
        // Every id is unique (SVG gradients and patterns included).
        let ids = everything.compactMap { $0["id"] }
        #expect(Set(ids).count == ids.count)
    }

    @Test("model names and other input strings are escaped")
    func escaping() throws {
        let dir = try ScratchDirectory()
        let (_, html) = try loadPage(dir)
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Eve&quot;"))
        let root = try #require(parsePage(html))
        #expect(root.all("script").count == 1)
        // The name round-trips through the parser intact, as text and as an attribute.
        #expect(root.all("h3").contains { $0.textContent == hostileName })
        #expect(root.all("tr").contains { $0["data-model"] == hostileName })
    }

    @Test("the same inputs give the same bytes")
    func deterministic() throws {
        let dir = try ScratchDirectory()
        let (input, html) = try loadPage(dir)
        #expect(Report.html(input, options: ReportOptions(generated: "2025-01-01")) == html)
    }

    @Test("a missing metrics file is a warning (or an error with strict); a non-leaderboard is refused")
    func missingMetrics() throws {
        let dir = try ScratchDirectory()
        let (input, html) = try loadPage(dir, missingSecond: true)
        #expect(input.models[1].metrics == nil)
        #expect(input.warnings.count == 1 && input.warnings[0].contains("not found"))
        let root = try #require(parsePage(html))
        #expect(root.all("svg", class: "heatmap").count == 1)
        #expect(try #require(root.all { $0["id"] == "model-1" }.first).textContent.contains("not found"))
        #expect(throws: StickError.self) {
            _ = try ReportInput.load(leaderboard: dir.file("runs/board.json"), currentDirectory: dir.path, strict: true)
        }
        let metrics = dir.file("runs/metrics/alpha.json")
        #expect(throws: StickError.self) { _ = try ReportInput.load(leaderboard: metrics) }
    }

    @Test("the report command writes the page and validates its options")
    func command() throws {
        let dir = try ScratchDirectory()
        let board = try writeRun(dir)
        let out = dir.file("report.html")
        // Relative metrics paths resolve against the board's directory whatever the process's directory is.
        var command = try ReportCommand.parseAsRoot([board, "-o", out, "--title", "Nightly <run>", "-q"])
        try command.run()
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("<title>Nightly &lt;run&gt;</title>"))
        let root = try #require(parsePage(html))
        #expect(root.all("svg", class: "heatmap").count == 2)
        #expect(throws: (any Error).self) { _ = try ReportCommand.parseAsRoot([board, "--title", "  "]) }
    }
}
