// `stick audit`: an honest run (the demo pipeline's stages on the embedded demo dataset, dummy model)
// audits clean, and each kind of tampering is caught by the check meant for it, naming the record.
import Foundation
import StickArtifacts
import StickAudit
import StickParse
import StickScore
import StickTestSupport
import Testing

/// The honest run, made once: the demo pipeline's commands (pipelines/demo.yaml) for the dummy model,
/// packed as its pack stage does; `directory` is the unpacked run (with MANIFEST.json).
final class HonestRun: @unchecked Sendable {
    let scratch: ScratchDirectory
    let archive: String
    let directory: String

    static let shared: Result<HonestRun, Error> = Result { try HonestRun() }

    private init() throws {
        scratch = try ScratchDirectory()
        let out = scratch.file("demo-run")
        let root = TestPaths.packageRoot.path
        try FileManager.default.createDirectory(atPath: out + "/dummy", withIntermediateDirectories: true)
        func stick(_ arguments: [String]) throws {
            let r = try runTool("stick", arguments, currentDirectory: root)
            guard r.status == 0 else { throw StickError("stick \(arguments.joined(separator: " ")) failed: \(r.stderr)") }
        }
        try stick(["gen-prompts", "demo", "-o", "\(out)/sessions.jsonl.zst"])
        try stick(["query", "\(out)/sessions.jsonl.zst", "--model", "pipelines/models/dummy.yaml", "-o", "\(out)/dummy/responses.jsonl.zst"])
        try stick(["parse", "--sessions", "\(out)/sessions.jsonl.zst", "\(out)/dummy/responses.jsonl.zst", "--on-no-match", "seeded",
                   "-o", "\(out)/dummy/answers.jsonl.zst"])
        try stick(["score", "\(out)/dummy/answers.jsonl.zst", "-o", "\(out)/dummy/metrics.json", "--values", "\(out)/dummy/value-scores.csv"])
        archive = "\(out)/dummy.tar.zst"
        try stick(["pack", "\(out)/dummy", "--add", "\(out)/sessions.jsonl.zst", "--add", "pipelines/models/dummy.yaml=model.yaml",
                   "--add", "pipelines/designs/demo.yaml=design.yaml", "-o", archive])
        directory = scratch.file("unpacked")
        try Archives.extract(archive, into: directory)
    }

    /// A second model (the simulator) on the same sessions, and the leaderboard of both, as the demo
    /// pipeline's rank stage writes it.
    func leaderboardSet() throws -> (archives: [String], leaderboard: String) {
        let out = scratch.file("demo-run")
        let root = TestPaths.packageRoot.path
        func stick(_ arguments: [String]) throws {
            let r = try runTool("stick", arguments, currentDirectory: root)
            guard r.status == 0 else { throw StickError("stick \(arguments.joined(separator: " ")) failed: \(r.stderr)") }
        }
        let m = "simulator-0.5"
        if !FileManager.default.fileExists(atPath: "\(out)/leaderboard.json") {
            try FileManager.default.createDirectory(atPath: "\(out)/\(m)", withIntermediateDirectories: true)
            try stick(["query", "\(out)/sessions.jsonl.zst", "--model", "pipelines/models/\(m).yaml", "-o", "\(out)/\(m)/responses.jsonl.zst"])
            try stick(["parse", "--sessions", "\(out)/sessions.jsonl.zst", "\(out)/\(m)/responses.jsonl.zst", "--on-no-match", "seeded",
                       "-o", "\(out)/\(m)/answers.jsonl.zst"])
            try stick(["score", "\(out)/\(m)/answers.jsonl.zst", "-o", "\(out)/\(m)/metrics.json"])
            try stick(["pack", "\(out)/\(m)", "--add", "\(out)/sessions.jsonl.zst", "--add", "pipelines/models/\(m).yaml=model.yaml",
                       "-o", "\(out)/\(m).tar.zst"])
            try stick(["rank", "\(out)/\(m)/metrics.json", "\(out)/dummy/metrics.json", "--sort", "Cardinal (Score)",
                       "-o", "\(out)/leaderboard.json"])
        }
        return (["\(out)/\(m).tar.zst", archive], "\(out)/leaderboard.json")
    }

    /// A copy of the unpacked run to tamper with.
    func copy(into scratch: ScratchDirectory) throws -> String {
        let target = scratch.file("run")
        try FileManager.default.copyItem(atPath: directory, toPath: target)
        return target
    }
}

/// Rewrites line `line` (1-based) of a JSONL artifact (compressed by its name) with `edit`.
func editLine(_ path: String, line: Int, _ edit: (JSONValue) -> JSONValue) throws {
    var lines = try readLines(path)
    lines[line - 1] = edit(try OrderedJSON.parse(Data(lines[line - 1].utf8))).serialized()
    try writeLines(path, lines)
}

func writeLines(_ path: String, _ lines: [String]) throws {
    let temporary = path + ".new" + (path.hasSuffix(".zst") ? ".zst" : "")
    try withOutput(temporary) { try $0.write(lines.joined(separator: "\n") + "\n") }
    try FileManager.default.removeItem(atPath: path)
    try FileManager.default.moveItem(atPath: temporary, toPath: path)
}

/// Sets `value` at `path` (object keys and array indices) inside `json`.
func setting(_ json: JSONValue, _ path: [Any], _ value: JSONValue) -> JSONValue {
    guard let first = path.first else { return value }
    let rest = Array(path.dropFirst())
    switch json {
    case .object(var o):
        let key = first as! String
        o[key] = setting(o[key] ?? .null, rest, value)
        return .object(o)
    case .array(var a):
        let i = first as! Int
        a[i] = setting(a[i], rest, value)
        return .array(a)
    default: return json
    }
}

/// Packs the (tampered) directory again, the manifest re-hashed to match, and audits the archive.
func auditRepacked(_ directory: String, in scratch: ScratchDirectory, design: String? = nil) async throws -> AuditReport {
    try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(ArchiveManifest.fileName))
    let archive = scratch.file("tampered.tar.zst")
    try? FileManager.default.removeItem(atPath: archive)
    try Archives.pack(directory: directory, to: archive)
    return try await Audit.run(AuditOptions(target: archive, design: design))
}

func check(_ report: AuditReport, _ artifact: String, _ name: String) -> AuditCheck? {
    report.checks.first { $0.artifact == artifact && $0.check == name }
}

@Suite(.serialized)
struct AuditTests {
    func honest() throws -> HonestRun { try HonestRun.shared.get() }

    @Test("the demo pipeline's pack stages put everything the audit needs into the archive")
    func pipelinesPackEverything() throws {
        for file in ["pipelines/demo.yaml", "pipelines/leaderboard.yaml"] {
            let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent(file), encoding: .utf8)
            let pack = try #require(text.split(separator: "\n").first { $0.contains("cmd: stick pack") })
            #expect(pack.contains("--add ${out}/sessions.jsonl.zst"), "\(file)")
            #expect(pack.contains(".yaml=model.yaml"), "\(file)")
            #expect(pack.contains("=design.yaml"), "\(file)")
        }
        let members = try #require(try Archives.manifest(of: try honest().archive)).members.map(\.path)
        #expect(Set(members) == ["answers.jsonl.zst", "design.yaml", "metrics.json", "model.yaml", "responses.jsonl.zst",
                                 "sessions.jsonl.zst", "value-scores.csv"])
    }

    @Test("an honest run audits clean, as an archive (CLI, exit 0) and as an unpacked directory")
    func honestRunIsClean() async throws {
        let run = try honest()
        let cli = try runTool("stick", ["audit", run.archive])
        #expect(cli.status == 0, "\(cli.stderr)")
        for name in ["members' size and sha256", "= gen-prompts rerun", "requests = session engine replay", "= parse rerun", "= score rerun"] {
            #expect(cli.stdoutText.contains(name))
        }
        #expect(!cli.stdoutText.contains("FAIL"))
        let report = try await Audit.run(AuditOptions(target: run.directory))
        #expect(report.passed, "\(report.table)")
        // Every check ran: the table lists the requests rebuilt (9400 calls in the demo design).
        #expect(check(report, "responses.jsonl.zst", "requests = session engine replay")?.detail.hasPrefix("9400 requests rebuilt") == true)
        #expect(check(report, "metrics.json", "= score rerun")?.detail == "identical (and value-scores.csv)")
    }

    @Test("an answer letter changed (manifest re-hashed) is named by the parse rerun: file:line, field, values")
    func answerLetterChanged() async throws {
        let scratch = try ScratchDirectory()
        let dir = try honest().copy(into: scratch)
        let path = dir + "/answers.jsonl.zst"
        let line = 5
        let old = try OrderedJSON.parse(Data(try readLines(path)[line - 1].utf8))
        let oldLetter = try #require(old["letter"]?.stringValue)
        let newLetter = oldLetter == "A" ? "B" : "A"
        try editLine(path, line: line) { setting($0, ["letter"], .string(newLetter)) }
        let report = try await auditRepacked(dir, in: scratch)
        #expect(!report.passed)
        let parse = try #require(check(report, "answers.jsonl.zst", "= parse rerun"))
        #expect(parse.result == .fail)
        #expect(parse.detail.contains("answers.jsonl.zst:\(line): letter: stored \"\(newLetter)\", recomputed \"\(oldLetter)\""), "\(parse.detail)")
        // The metrics were made from other answers: the chain breaks there too.
        #expect(check(report, "metrics.json", "inputs")?.result == .fail)
    }

    @Test("a response changed with answers and metrics recomputed to match is caught by the request chain (SVS history)")
    func responseChangedDownstreamConsistent() async throws {
        let scratch = try ScratchDirectory()
        let dir = try honest().copy(into: scratch)
        let path = dir + "/responses.jsonl.zst"
        var lines = try readLines(path)
        // An SVS rating whose letter enters the history of the next step of its session.
        var target: (index: Int, session: String, step: Int, letter: String)?
        for (i, text) in lines.enumerated().dropFirst() {
            let r = try OrderedJSON.parse(Data(text.utf8))
            guard r["kind"]?.stringValue == "answer", let letter = r["letter"]?.stringValue, i + 1 < lines.count else { continue }
            let next = try OrderedJSON.parse(Data(lines[i + 1].utf8))
            if next["session"] == r["session"] {
                target = (i, r["session"]!.stringValue!, r["step"]!.intValue!, letter)
                break
            }
        }
        let t = try #require(target)
        let newLetter = t.letter == "A" ? "B" : "A"
        var record = try OrderedJSON.parse(Data(lines[t.index].utf8))
        record = setting(record, ["content"], .string("(\(newLetter))"))
        record = setting(record, ["letter"], .string(newLetter))
        record = setting(record, ["fallback"], .bool(false))
        lines[t.index] = record.serialized()
        try writeLines(path, lines)
        // Downstream recomputed consistently: parse and score again from the tampered responses.
        try Parser.run(sessions: dir + "/sessions.jsonl.zst", responses: path, output: dir + "/answers.jsonl.zst", csv: nil,
                       options: ParseOptions(strategy: .reference, noMatch: .seeded(0)))
        let input = try ScoreInputReader.readAnswers(dir + "/answers.jsonl.zst")
        let scores = try Scorer.score(input)
        try withOutput(dir + "/metrics.json") { try $0.write(ScoreDocuments.metrics(scores, sources: input.sources).json.serialized() + "\n") }
        try withOutput(dir + "/value-scores.csv") { try $0.write(ScoreDocuments.valueScoresCSV(scores)) }

        let report = try await auditRepacked(dir, in: scratch)
        #expect(!report.passed)
        // Only the request chain notices: the next step was asked with the old letter in its history.
        let failing = report.checks.filter { $0.result == .fail }
        #expect(failing.map(\.check) == ["requests = session engine replay"], "\(report.table)")
        let detail = failing.first?.detail ?? ""
        #expect(detail.contains("responses.jsonl.zst:\(t.index + 2): session \(t.session) step \(t.step + 1): request.messages["), "\(detail)")
        #expect(detail.contains("(\(t.letter))") && detail.contains("(\(newLetter))"), "\(detail)")
    }

    @Test("a stored request edited without its hash is caught: request_sha256 mismatch named by line")
    func requestEdited() async throws {
        let scratch = try ScratchDirectory()
        let dir = try honest().copy(into: scratch)
        let path = dir + "/responses.jsonl.zst"
        try editLine(path, line: 7) { setting($0, ["request", "messages", 0, "content"], .string("You are someone else entirely.")) }
        let report = try await auditRepacked(dir, in: scratch)
        let requests = try #require(check(report, "responses.jsonl.zst", "requests = session engine replay"))
        #expect(requests.result == .fail)
        #expect(requests.detail.contains("responses.jsonl.zst:7:") && requests.detail.contains("request_sha256"), "\(requests.detail)")
        #expect(requests.detail.contains("the stored request hashes to"))
    }

    @Test("a request edited with its hash recomputed is caught by the replay, naming the message")
    func requestEditedAndRehashed() async throws {
        let scratch = try ScratchDirectory()
        let dir = try honest().copy(into: scratch)
        let path = dir + "/responses.jsonl.zst"
        try editLine(path, line: 7) { json in
            var edited = setting(json, ["request", "messages", 0, "content"], .string("You are someone else entirely."))
            let request = try! JSONDecoder().decode(ChatRequest.self, from: Data(edited["request"]!.serialized().utf8))
            edited = setting(edited, ["request_sha256"], .string(SHA256Hex.of(request.body())))
            return edited
        }
        let report = try await auditRepacked(dir, in: scratch)
        let requests = try #require(check(report, "responses.jsonl.zst", "requests = session engine replay"))
        #expect(requests.result == .fail)
        #expect(requests.detail.contains("responses.jsonl.zst:7:") && requests.detail.contains("request.messages[0]"), "\(requests.detail)")
        #expect(requests.detail.contains("You are someone else entirely."))
    }

    @Test("a metrics value edited is named by the score rerun: path, stored vs recomputed")
    func metricsValueEdited() async throws {
        let scratch = try ScratchDirectory()
        let dir = try honest().copy(into: scratch)
        let path = dir + "/metrics.json"
        let document = try OrderedJSON.parse(try Inputs.readAll(path))
        let original = try #require(document["rank_order"]?["overall"])
        let edited = setting(document, ["rank_order", "overall"], .number(0.5))
        try withOutput(path) { try $0.write(edited.serialized() + "\n") }
        let report = try await auditRepacked(dir, in: scratch)
        let score = try #require(check(report, "metrics.json", "= score rerun"))
        #expect(score.result == .fail)
        #expect(score.detail.contains("metrics.json: rank_order.overall: stored 0.5, recomputed \(original.serialized())"), "\(score.detail)")
        #expect(report.checks.filter { $0.result == .fail }.count == 1, "\(report.table)")
    }

    @Test("a sessions file from another design is caught: the responses name other sessions")
    func sessionsFromAnotherDesign() async throws {
        let scratch = try ScratchDirectory()
        let dir = try honest().copy(into: scratch)
        let designText = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("pipelines/designs/demo.yaml"), encoding: .utf8)
        let other = scratch.file("other-design.yaml")
        try designText.replacingOccurrences(of: "permutation_seed: demo_no_conv", with: "permutation_seed: another_seed")
            .write(toFile: other, atomically: true, encoding: .utf8)
        let r = try runTool("stick", ["gen-prompts", "demo", "--design", other, "-o", dir + "/sessions.jsonl.zst.new.zst"])
        #expect(r.status == 0, "\(r.stderr)")
        try FileManager.default.removeItem(atPath: dir + "/sessions.jsonl.zst")
        try FileManager.default.moveItem(atPath: dir + "/sessions.jsonl.zst.new.zst", toPath: dir + "/sessions.jsonl.zst")
        let report = try await auditRepacked(dir, in: scratch, design: other)
        #expect(!report.passed)
        let chain = try #require(check(report, "responses.jsonl.zst", "inputs"))
        #expect(chain.result == .fail && chain.detail.contains("names sessions"), "\(chain.detail)")
        #expect(chain.detail.contains("which is not in the run"))
        // Without the other design at hand, the sessions' design cannot even be found.
        let plain = try await Audit.run(AuditOptions(target: scratch.file("tampered.tar.zst")))
        #expect(check(plain, "sessions.jsonl.zst", "input design")?.result == .fail)
    }

    @Test("an input missing is caught: no model config, no answers")
    func inputMissing() async throws {
        let scratch = try ScratchDirectory()
        let dir = try honest().copy(into: scratch)
        try FileManager.default.removeItem(atPath: dir + "/model.yaml")
        let report = try await auditRepacked(dir, in: scratch)
        let chain = try #require(check(report, "responses.jsonl.zst", "inputs"))
        #expect(chain.result == .fail && chain.detail.contains("names model_config 'dummy'"), "\(chain.detail)")
        #expect(check(report, "responses.jsonl.zst", "requests = session engine replay")?.result == .fail)

        let scratch2 = try ScratchDirectory()
        let dir2 = try honest().copy(into: scratch2)
        try FileManager.default.removeItem(atPath: dir2 + "/answers.jsonl.zst")
        let report2 = try await auditRepacked(dir2, in: scratch2)
        #expect(check(report2, "answers", "present")?.detail == "the run has no 'answers' artifact")
        #expect(!report2.passed)
    }

    @Test("a tampered member under an unchanged manifest, and a link in a run directory, fail the manifest check (CLI exit 1)")
    func manifestAndLinks() async throws {
        let scratch = try ScratchDirectory()
        let dir = try honest().copy(into: scratch)
        try editLine(dir + "/answers.jsonl.zst", line: 3) { setting($0, ["score"], .number(1)) }
        let cli = try runTool("stick", ["audit", dir])
        #expect(cli.status == 1)
        #expect(cli.stderr.contains("audit failed: MANIFEST.json") && cli.stderr.contains("answers.jsonl.zst"), "\(cli.stderr)")

        let scratch2 = try ScratchDirectory()
        let linked = try honest().copy(into: scratch2)
        try FileManager.default.removeItem(atPath: linked + "/model.yaml")
        try FileManager.default.createSymbolicLink(atPath: linked + "/model.yaml", withDestinationPath: "/etc/passwd")
        let report = try await Audit.run(AuditOptions(target: linked))
        #expect(report.checks.count == 1 && report.firstFailure?.detail.contains("link") == true, "\(report.table)")
    }

    @Test("a set of runs and their leaderboard: rank rerun reproduces it (CLI exit 0); an edited value is named (exit 1)")
    func leaderboardOfRuns() throws {
        let (archives, leaderboard) = try honest().leaderboardSet()
        let clean = try runTool("stick", ["audit"] + archives + ["--leaderboard", leaderboard])
        #expect(clean.status == 0, "\(clean.stdoutText)\n\(clean.stderr)")
        #expect(clean.stdoutText.contains("= rank rerun") && clean.stdoutText.contains("ok: 2 models identical"), "\(clean.stdoutText)")

        let scratch = try ScratchDirectory()
        let edited = scratch.file("leaderboard.json")
        let document = try OrderedJSON.parse(try Inputs.readAll(leaderboard))
        try withOutput(edited) { try $0.write(setting(document, ["models", 0, "Cardinal (Score)"], .number(0.99)).serialized() + "\n") }
        let caught = try runTool("stick", ["audit"] + archives + ["--leaderboard", edited])
        #expect(caught.status == 1)
        #expect(caught.stderr.contains("= rank rerun") && caught.stderr.contains("models[0].Cardinal (Score): stored 0.99"), "\(caught.stderr)")

        // A leaderboard naming a model that is not among the runs.
        let one = try runTool("stick", ["audit", archives[1], "--leaderboard", leaderboard])
        #expect(one.status == 1)
        #expect(one.stderr.contains("is not one of the audited runs"), "\(one.stderr)")
    }
}
