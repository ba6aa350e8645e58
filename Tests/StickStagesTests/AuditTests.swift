// `stick audit`: an honest run (the demo pipeline's stages on the embedded demo dataset, dummy model)
// audits clean, and each kind of tampering is caught by the check meant for it, naming the record.
import Foundation
import StickArtifacts
@testable import StickAudit
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
    /// pipeline's rank stage writes it (sorted, with a seed other than the default).
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
            try stick(["rank", "\(out)/\(m)/metrics.json", "\(out)/dummy/metrics.json", "--sort", "Cardinal (Score)", "--seed", "7",
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

/// Runs `stick` from the package root; throws its stderr when it fails.
func stickInRoot(_ arguments: [String]) throws {
    let r = try runTool("stick", arguments, currentDirectory: TestPaths.packageRoot.path)
    guard r.status == 0 else { throw StickError("stick \(arguments.joined(separator: " ")) failed: \(r.stderr)") }
}

/// A run of `model` (a model config path) on `sessions`, made and packed as the demo pipeline does, with
/// extra query flags; returns the archive.
func packedRun(_ model: String, sessions: String, queryFlags: [String], parseFlags: [String], in scratch: ScratchDirectory) throws -> String {
    let out = scratch.file("run-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    try stickInRoot(["query", sessions, "--model", model, "-o", "\(out)/responses.jsonl.zst"] + queryFlags)
    try stickInRoot(["parse", "--sessions", sessions, "\(out)/responses.jsonl.zst", "-o", "\(out)/answers.jsonl.zst"] + parseFlags)
    try stickInRoot(["score", "\(out)/answers.jsonl.zst", "-o", "\(out)/metrics.json"])
    let archive = out + ".tar.zst"
    try stickInRoot(["pack", out, "--add", sessions, "--add", "\(model)=model.yaml", "--add", "pipelines/designs/demo.yaml=design.yaml",
                     "-o", archive])
    return archive
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

/// Element `i` of a JSON array.
func element(_ value: JSONValue?, _ i: Int) -> JSONValue? {
    if case .array(let a)? = value, a.indices.contains(i) { return a[i] }
    return nil
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

    @Test("a sharded run (shards queried from gen-prompts --shard on stdin, merged, packed beside the merge) audits clean; a shard that is not the merge's fails")
    func shardedRunIsClean() async throws {
        let scratch = try ScratchDirectory()
        let run = scratch.file("run")
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        try stickInRoot(["gen-prompts", "demo", "-q", "-o", scratch.file("sessions.jsonl.zst")])
        for k in 1...3 {
            let sessions = try runTool("stick", ["gen-prompts", "demo", "-q", "--shard", "\(k)/3", "-o", "-"])
            try #require(sessions.status == 0, "\(sessions.stderr)")
            let query = try runTool("stick", ["query", "-", "--model", "pipelines/models/dummy.yaml", "-q", "-o", "\(run)/responses.shard-\(k).jsonl.zst"],
                                    stdin: sessions.stdout, currentDirectory: TestPaths.packageRoot.path)
            try #require(query.status == 0, "\(query.stderr)")
        }
        try stickInRoot(["merge", "\(run)/responses.shard-1.jsonl.zst", "\(run)/responses.shard-2.jsonl.zst", "\(run)/responses.shard-3.jsonl.zst",
                         "-o", "\(run)/responses.jsonl.zst"])
        try stickInRoot(["parse", "--sessions", scratch.file("sessions.jsonl.zst"), "\(run)/responses.jsonl.zst", "-q", "-o", "\(run)/answers.jsonl.zst"])
        try stickInRoot(["score", "\(run)/answers.jsonl.zst", "-o", "\(run)/metrics.json"])
        func pack(_ archive: String) throws {
            try stickInRoot(["pack", run, "--add", scratch.file("sessions.jsonl.zst"), "--add", "pipelines/models/dummy.yaml=model.yaml",
                             "--add", "pipelines/designs/demo.yaml=design.yaml", "-o", archive])
        }
        try pack(scratch.file("run.tar.zst"))
        let report = try await Audit.run(AuditOptions(target: scratch.file("run.tar.zst")))
        #expect(report.passed, "\(report.table)")
        #expect(check(report, "responses.jsonl.zst", "inputs")?.detail.contains("merged = responses.shard-3.jsonl.zst") == true)
        #expect(check(report, "responses.jsonl.zst", "requests = session engine replay")?.detail.hasPrefix("9400 requests rebuilt") == true)

        // Another responses artifact beside the merge, not one it was merged from (shard 1 queried with another
        // model): which run is audited is ambiguous.
        let shard = try runTool("stick", ["gen-prompts", "demo", "-q", "--shard", "1/3", "-o", "-"])
        let other = try runTool("stick", ["query", "-", "--model", "pipelines/models/simulator-0.5.yaml", "-q", "-o", "\(run)/other.jsonl.zst"],
                                stdin: shard.stdout, currentDirectory: TestPaths.packageRoot.path)
        try #require(other.status == 0, "\(other.stderr)")
        try pack(scratch.file("tampered.tar.zst"))
        let tampered = try await Audit.run(AuditOptions(target: scratch.file("tampered.tar.zst")))
        #expect(!tampered.passed)
        #expect(check(tampered, "responses", "present")?.result == .fail, "\(tampered.table)")
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

    @Test("a set of runs and their leaderboard (seed 7, sorted): rank rerun with the recorded order and params reproduces it (CLI exit 0); an edited value is named (exit 1)")
    func leaderboardOfRuns() throws {
        let (archives, leaderboard) = try honest().leaderboardSet()
        let document = try OrderedJSON.parse(try Inputs.readAll(leaderboard))
        // rank recorded its inputs as given (relative to where it ran) and its parameters.
        guard case .array(let inputs)? = document["inputs"] else { Issue.record("no inputs recorded"); return }
        #expect(inputs.map { $0["name"]?.stringValue?.hasSuffix("/metrics.json") == true } == [true, true])
        #expect(document["params"]?["seed"] == .number(7) && document["params"]?["sort"] == .string("Cardinal (Score)"))
        // Given in another order than rank's: the audit matches the runs by sha256 and reruns in the recorded order.
        let clean = try runTool("stick", ["audit"] + archives.reversed() + ["--leaderboard", leaderboard])
        #expect(clean.status == 0, "\(clean.stdoutText)\n\(clean.stderr)")
        #expect(clean.stdoutText.contains("= rank rerun") && clean.stdoutText.contains("ok: 2 models identical (seed 7, sorted by Cardinal (Score))"),
                "\(clean.stdoutText)")

        let scratch = try ScratchDirectory()
        let edited = scratch.file("leaderboard.json")
        try withOutput(edited) { try $0.write(setting(document, ["models", 0, "Cardinal (Score)"], .number(0.99)).serialized() + "\n") }
        let caught = try runTool("stick", ["audit"] + archives + ["--leaderboard", edited])
        #expect(caught.status == 1)
        #expect(caught.stderr.contains("= rank rerun") && caught.stderr.contains("models[0].Cardinal (Score): stored 0.99"), "\(caught.stderr)")

        // A leaderboard naming a model that is not among the runs.
        let one = try runTool("stick", ["audit", archives[1], "--leaderboard", leaderboard])
        #expect(one.status == 1)
        #expect(one.stderr.contains("inputs[0]") && one.stderr.contains("is not one of the audited runs' metrics"), "\(one.stderr)")
    }

    /// Reruns rank for the leaderboard set against `document` (written to a scratch file; the runs themselves
    /// are audited by leaderboardOfRuns): the failure's text, nil when it holds.
    func rerankFailure(_ document: JSONValue) throws -> String? {
        let (archives, _) = try honest().leaderboardSet()
        let scratch = try ScratchDirectory()
        let edited = scratch.file("leaderboard.json")
        try withOutput(edited) { try $0.write(document.serialized() + "\n") }
        let runs = try archives.map { try Audit.RunMetrics(of: $0) }
        do { _ = try Audit.rerank(runs, leaderboard: edited) } catch { return "\(error)" }
        return nil
    }

    @Test("a leaderboard whose recorded input hash matches no run fails, naming the input and its sha256")
    func leaderboardInputHashEdited() throws {
        let (_, leaderboard) = try honest().leaderboardSet()
        let document = try OrderedJSON.parse(try Inputs.readAll(leaderboard))
        let name = try #require(element(document["inputs"], 1)?["name"]?.stringValue)
        let forged = String(repeating: "0", count: 64)
        let failure = try #require(try rerankFailure(setting(document, ["inputs", 1, "sha256"], .string(forged))))
        #expect(failure.contains("inputs[1] '\(name)' (sha256 \(forged)) is not one of the audited runs' metrics"), "\(failure)")
    }

    @Test("a run not in the leaderboard fails, naming the run")
    func runMissingFromLeaderboard() throws {
        let (archives, leaderboard) = try honest().leaderboardSet()
        let document = try OrderedJSON.parse(try Inputs.readAll(leaderboard))
        let first = try #require(element(document["inputs"], 0))
        let failure = try #require(try rerankFailure(setting(document, ["inputs"], .array([first]))))
        // inputs[0] is the first metrics given to rank: the simulator's, archives[0]; the dummy's run is left over.
        #expect(failure.contains("\(archives[1]): its metrics") && failure.contains("are not in the leaderboard"), "\(failure)")
    }

    @Test("a leaderboard whose recorded params were edited fails: benchbench off, sort direction flipped")
    func leaderboardParamsEdited() throws {
        let (_, leaderboard) = try honest().leaderboardSet()
        let document = try OrderedJSON.parse(try Inputs.readAll(leaderboard))
        #expect(try rerankFailure(document) == nil, "the honest leaderboard")
        let noBenchbench = try #require(try rerankFailure(setting(document, ["params", "benchbench"], .bool(false))))
        #expect(noBenchbench.contains("diversity"), "\(noBenchbench)")
        let flipped = try #require(try rerankFailure(setting(document, ["params", "ascending"], .bool(true))))
        #expect(flipped.contains("models[0].model"), "\(flipped)")
        // Rank's seed enters the Ordinal sensitivity only from 10 models on (benchbench's k = m / 5): with
        // two it cannot show, and the audit does not pretend it can. A leaderboard without params cannot
        // be checked at all.
        guard case .object(var old) = document else { Issue.record("not an object"); return }
        old["params"] = nil
        old["inputs"] = nil
        let unrecorded = try #require(try rerankFailure(.object(old)))
        #expect(unrecorded.contains("records no inputs or no params"), "\(unrecorded)")
    }

    @Test("a run queried with --no-requests audits clean, the table saying the chain was matched by request_sha256 only; a hash edited is named")
    func runWithoutStoredRequests() async throws {
        let scratch = try ScratchDirectory()
        let archive = try packedRun("pipelines/models/dummy.yaml", sessions: try honest().directory + "/sessions.jsonl.zst",
                                    queryFlags: ["--no-requests"], parseFlags: ["--on-no-match", "seeded"], in: scratch)
        let report = try await Audit.run(AuditOptions(target: archive))
        #expect(report.passed, "\(report.table)")
        let replay = try #require(check(report, "responses.jsonl.zst", "requests = session engine replay"))
        #expect(replay.detail.hasPrefix("9400 requests rebuilt") && replay.detail.contains("matched by request_sha256 (no request stored)"),
                "\(replay.detail)")
        let note = try #require(check(report, "responses.jsonl.zst", "stored requests"))
        #expect(note.result == .info && note.detail.contains("none stored (query --no-requests)"), "\(note.detail)")
        #expect(report.table.contains("matched to its request_sha256 only"))
        // The honest run stores its requests: no such row.
        let honestReport = try await Audit.run(AuditOptions(target: try honest().directory))
        #expect(check(honestReport, "responses.jsonl.zst", "stored requests") == nil)

        // The chain is still checked: a request_sha256 edited is named by line.
        let dir = scratch.file("unpacked")
        try Archives.extract(archive, into: dir)
        try editLine(dir + "/responses.jsonl.zst", line: 7) { setting($0, ["request_sha256"], .string(String(repeating: "a", count: 64))) }
        let tampered = try await auditRepacked(dir, in: scratch)
        let failed = try #require(check(tampered, "responses.jsonl.zst", "requests = session engine replay"))
        #expect(failed.result == .fail)
        #expect(failed.detail.contains("responses.jsonl.zst:7:") && failed.detail.contains("request_sha256: stored aaaa"), "\(failed.detail)")
    }

    @Test("a request removed from a run whose header says requests were stored fails, naming the line")
    func storedRequestRemoved() async throws {
        let scratch = try ScratchDirectory()
        let dir = try honest().copy(into: scratch)
        try editLine(dir + "/responses.jsonl.zst", line: 9) { json in
            guard case .object(var o) = json else { return json }
            o["request"] = nil
            return .object(o)
        }
        let report = try await auditRepacked(dir, in: scratch)
        let replay = try #require(check(report, "responses.jsonl.zst", "requests = session engine replay"))
        #expect(replay.result == .fail)
        #expect(replay.detail.contains("responses.jsonl.zst:9:") && replay.detail.contains("store_requests true"), "\(replay.detail)")
    }

    @Test("a run queried with --on-no-match reference (fake server, replies without a letter) audits clean; replayed with seeded draws it does not")
    func referenceFallbackRun() async throws {
        let scratch = try ScratchDirectory()
        let server = try FakeOpenAIServer()
        defer { server.stop() }
        let model = scratch.file("fake.yaml")
        try """
            stick: model
            version: 1
            name: fake
            backend: openai
            endpoints: [\(server.baseURL)]
            model: model
            system_message: true
            cot: false
            reasoning: none
            conversation: {temperature: 0.7, max_tokens: 100, n: 1}
            answers: {temperature: 0, max_tokens: 10}
            concurrency: 16
            """.write(toFile: model, atomically: true, encoding: .utf8)
        // The SVS context (where the draws enter the history) and a PVQ one, 20 personas.
        let sessions = scratch.file("sessions.jsonl.zst")
        try stickInRoot(["gen-prompts", "demo", "--contexts", "no_conv,svs_no_conv", "--personas", "0-19", "-o", sessions])
        let archive = try packedRun(model, sessions: sessions, queryFlags: ["--on-no-match", "reference", "--concurrency", "16"],
                                    parseFlags: ["--on-no-match", "reference"], in: scratch)
        // Several SVS sessions with fallback draws: the replay must make them in the sessions' order.
        let responses = try JSONLReader<ResponseRecord>(path: archive + "#responses.jsonl.zst", kind: .responses).readAll()
        let drawn = Set(responses.filter { $0.fallback == true }.map(\.session))
        #expect(drawn.count >= 2, "sessions with fallback draws: \(drawn)")

        let report = try await Audit.run(AuditOptions(target: archive))
        #expect(report.passed, "\(report.table)")
        let replay = try #require(check(report, "responses.jsonl.zst", "requests = session engine replay"))
        #expect(replay.detail.contains("fallback draws reference:0"), "\(replay.detail)")

        // The same responses claimed to be drawn in seeded mode: a fallback letter differs.
        let dir = scratch.file("unpacked")
        try Archives.extract(archive, into: dir)
        try editLine(dir + "/responses.jsonl.zst", line: 1) { setting($0, ["params", "fallback"], .string("seeded:0")) }
        let tampered = try await auditRepacked(dir, in: scratch)
        let failed = try #require(check(tampered, "responses.jsonl.zst", "requests = session engine replay"))
        #expect(failed.result == .fail && (failed.detail.contains(": letter: ") || failed.detail.contains("request.messages[")),
                "\(failed.detail)")
    }

    @Test("the reader's scan for a record's session (records are decoded by the replays) agrees with the decoder, and gives up on what it cannot read")
    func sessionScan() throws {
        func scan(_ text: String) -> String? { RequestChain.topLevelString(ArraySlice(Array(text.utf8)), key: RequestChain.sessionKey) }
        #expect(scan(#"{"a":"x\"session\":\"evil\"","session":"good","step":1}"#) == "good")
        #expect(scan(#"{"nested":{"session":"inner","k":[1,{"session":"deeper"}]},"session":"outer"}"#) == "outer")
        #expect(scan(#"{"list":["session",{"session":"x"}], "session" : "s" }"#) == "s")
        #expect(scan(#"{"n":-1.5e3,"b":true,"z":null,"session":"t"}"#) == "t")
        #expect(scan(#"{"back\\":"\\","session":"u"}"#) == "u")
        for unreadable in [#"{"session":"with\"escape"}"#, #"{"session":3}"#, "[1]", #"{"x":"unterminated"#, "{}", #"{"a":1"#, ""] {
            #expect(scan(unreadable) == nil, "\(unreadable)")
        }
        // Every record of a real run: the scan says what the decoder says.
        let lines = try readLines(try honest().directory + "/responses.jsonl.zst").dropFirst()
        for line in lines.prefix(2000) {
            let decoded = try JSONDecoder().decode(ResponseRecord.self, from: Data(line.utf8))
            #expect(scan(line) == decoded.session)
        }
    }
}
