// report and rank against hostile leaderboards (issue: hardening): a metrics entry that names a
// device is refused (it used to be read until memory ran out), and model names cannot break the
// Markdown table.
import Foundation
import StickArtifacts
import StickReport
import StickTestSupport
import Testing

@Suite struct HostileReportTests {
    @Test("a leaderboard entry naming /dev/zero or a huge file is a warning, not a read without end")
    func deviceAsMetricsFile() throws {
        let scratch = try ScratchDirectory()
        let big = scratch.file("big.json")
        try Data(repeating: 0x20, count: 3 << 20).write(to: URL(fileURLWithPath: big))
        func entry(_ name: String, _ file: String) -> String {
            #"{"model":"\#(name)","format":"stick","file":"\#(file)","Cardinal (Score)":0.5}"#
        }
        let board = scratch.file("board.json")
        try Data(#"{"stick":"leaderboard","version":1,"tool":"t","contexts":[],"columns":[],"models":["#.utf8
            + Data([entry("zero", "/dev/zero"), entry("big", big)].joined(separator: ",").utf8) + Data("]}".utf8))
            .write(to: URL(fileURLWithPath: board))
        // A small cap shows the cap at work on the big file; the device is refused whatever the cap.
        let saved = InputLimits.maxLineBytes
        InputLimits.maxLineBytes = 1 << 20
        defer { InputLimits.maxLineBytes = saved }
        let input = try ReportInput.load(leaderboard: board)
        #expect(input.warnings.count == 2, "\(input.warnings)")
        #expect(input.warnings[0].contains("/dev/zero: is a device or socket, not a file"), "\(input.warnings)")
        #expect(input.warnings[1].contains("document larger than 1048576 bytes"), "\(input.warnings)")

        let strict = try runTool("stick", ["report", board, "-o", scratch.file("r.html"), "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("/dev/zero: is a device"), "\(strict.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("r.html")))
    }

    @Test("model names cannot add rows, columns or markup to leaderboard.md")
    func markdownEscaping() throws {
        guard let root = MetricFixtures.root else { print("skipped: needs ../shared/fixtures"); return }
        let scratch = try ScratchDirectory()
        let hostile = "evil | injected\n| 1 | fake row |\n<img src=x onerror=alert(1)>"
        var files: [String] = []
        for (i, name) in ["model_200", "model_201", "model_202"].enumerated() {
            var doc = try OrderedJSON.parse(try Inputs.readAll(root.appendingPathComponent("ranking_12_models/models/\(name).json").path))
            if i == 1, case .object(var o) = doc {
                o["model"] = .string(hostile)
                doc = .object(o)
            }
            let path = scratch.file("\(name).json")
            try doc.serialized().write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        let r = try runTool("rank", files + ["-o", scratch.file("lb.json"), "--csv", scratch.file("lb.csv"), "--markdown", scratch.file("lb.md"), "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let md = try String(contentsOfFile: scratch.file("lb.md"), encoding: .utf8)
        let rows = md.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(rows.count == 2 + 3, "\(md)")
        #expect(md.contains(#"evil \| injected \| 1 \| fake row \| &lt;img src=x onerror=alert(1)&gt;"#), "\(md)")
        #expect(!md.contains("<img"))
        // Every row has the header's number of cells (escaped bars do not split cells).
        func cells(_ row: Substring) -> Int { row.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count }
        #expect(Set(rows.map(cells)).count == 1)
        // The CSV keeps the name intact (quoted).
        #expect(try String(contentsOfFile: scratch.file("lb.csv"), encoding: .utf8).contains("\"" + hostile + "\""))
    }

    @Test func markdownCells() {
        #expect(Markdown.cell("a|b\\c\nd\r\ne\tf<g>&") == #"a\|b\\c d e f&lt;g&gt;&amp;"#)
        #expect(Markdown.cell("Llama-3.1-8B (cot)") == "Llama-3.1-8B (cot)")
    }
}
