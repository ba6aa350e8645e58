// stick merge: shards 1/3, 2/3, 3/3 → query each → merge → parse → score equals the unsharded run
// (dummy backend and the fake server); refusals name both files and the field; partial merges compose;
// parse and score take the shards directly. Reference-mode query: the same records at any concurrency.
import Foundation
import StickArtifacts
import StickBackends
import StickDataset
import StickGenPrompts
import StickParse
import StickQuery
import StickTestSupport
import Testing

/// Sessions of the demo design (optionally some contexts), whole or one shard.
private func demoShard(_ file: String, contexts: [String]? = nil, shard: (Int, Int)? = nil) throws {
    let demo = try Dataset.load("demo")
    let (design, sha, source) = try Design.load("demo")
    try GenPrompts.run(dataset: demo, design: design, designSHA256: sha, designSource: source,
                       selection: .init(contexts: contexts, shard: shard.map { (index: $0.0, count: $0.1) }), output: file)
}

/// The lines after the header.
private func records(_ path: String) throws -> [String] { Array(try readLines(path).dropFirst()) }

private func header(_ path: String) throws -> ArtifactHeader {
    try JSONDecoder().decode(ArtifactHeader.self, from: Data(try readLines(path)[0].utf8))
}

/// A metrics document without its `inputs` (they name the files, which differ by construction).
private func metricsWithoutInputs(_ path: String) throws -> String {
    guard case .object(var o) = try OrderedJSON.parse(try Inputs.readAll(path)) else { throw StickError("not an object", file: path) }
    o["inputs"] = nil
    return JSONValue.object(o).serialized()
}

/// Runs the whole study unsharded and as three shards, and checks every stage's merged artifact against
/// the unsharded one.
private func checkShardedEqualsUnsharded(_ config: ModelConfig, contexts: [String]?, in scratch: ScratchDirectory) async throws {
    let s = scratch.file
    try demoShard(s("sessions.jsonl"), contexts: contexts)
    _ = try await runQuery(config, sessions: s("sessions.jsonl"), output: s("responses.jsonl.zst"))
    try Parser.run(sessions: s("sessions.jsonl"), responses: s("responses.jsonl.zst"), output: s("answers.jsonl"), csv: nil,
                   options: ParseOptions())
    var result = try runTool("score", [s("answers.jsonl"), "-o", s("metrics.json"), "-q"])
    #expect(result.status == 0, "\(result.stderr)")

    for k in 1...3 {
        try demoShard(s("sessions-\(k).jsonl"), contexts: contexts, shard: (k, 3))
        let summary = try await runQuery(config, sessions: s("sessions-\(k).jsonl"), output: s("responses-\(k).jsonl.zst"))
        #expect(summary.complete)
        try Parser.run(sessions: s("sessions-\(k).jsonl"), responses: s("responses-\(k).jsonl.zst"), output: s("answers-\(k).jsonl"),
                       csv: nil, options: ParseOptions())
        #expect(try header(s("responses-\(k).jsonl.zst")).params["shard"] == .string("\(k)/3"))
    }
    // Shards in any order on the command line.
    result = try runTool("stick", ["merge", s("sessions-3.jsonl"), s("sessions-1.jsonl"), s("sessions-2.jsonl"), "-o", s("merged-sessions.jsonl")])
    #expect(result.status == 0, "\(result.stderr)")
    result = try runTool("stick", ["merge", s("responses-2.jsonl.zst"), s("responses-1.jsonl.zst"), s("responses-3.jsonl.zst"),
                                   "-o", s("merged-responses.jsonl.zst")])
    #expect(result.status == 0, "\(result.stderr)")
    result = try runTool("parse", ["--sessions", s("merged-sessions.jsonl"), s("merged-responses.jsonl.zst"), "-o", s("merged-answers.jsonl"), "-q"])
    #expect(result.status == 0, "\(result.stderr)")
    result = try runTool("score", [s("merged-answers.jsonl"), "-o", s("merged-metrics.json"), "-q"])
    #expect(result.status == 0, "\(result.stderr)")

    // Sessions: the same records, byte for byte; the header's params those of the unsharded run.
    #expect(try records(s("merged-sessions.jsonl")) == records(s("sessions.jsonl")))
    let mergedSessions = try header(s("merged-sessions.jsonl")), wholeSessions = try header(s("sessions.jsonl"))
    #expect(mergedSessions.params == wholeSessions.params)
    #expect(mergedSessions.inputs.filter { $0.role == "merged" }.map(\.sha256)
        == (try [3, 1, 2].map { try SHA256Hex.ofFile(s("sessions-\($0).jsonl")).sha256 }))
    // Responses: the same records but for the timing; the same summary (calls, tokens).
    let merged = try responses(s("merged-responses.jsonl.zst")).map(timeless), whole = try responses(s("responses.jsonl.zst")).map(timeless)
    #expect(merged.count == whole.count && merged == whole)
    #expect(try header(s("merged-responses.jsonl.zst")).summary == header(s("responses.jsonl.zst")).summary)
    // Answers and metrics: byte-identical but for the names and hashes of the inputs.
    #expect(try records(s("merged-answers.jsonl")) == records(s("answers.jsonl")))
    #expect(try header(s("merged-answers.jsonl")).params == header(s("answers.jsonl")).params)
    #expect(try header(s("merged-answers.jsonl")).summary == header(s("answers.jsonl")).summary)
    #expect(try metricsWithoutInputs(s("merged-metrics.json")) == metricsWithoutInputs(s("metrics.json")))

    // Merging the answers of the shards, and giving the shards to parse and score directly, is the same.
    result = try runTool("stick", ["merge", s("answers-1.jsonl"), s("answers-2.jsonl"), s("answers-3.jsonl"), "-o", s("answers-m.jsonl")])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try records(s("answers-m.jsonl")) == records(s("answers.jsonl")))
    #expect(try header(s("answers-m.jsonl")).params == header(s("answers.jsonl")).params)
    result = try runTool("parse", ["--sessions", s("sessions-1.jsonl"), "--sessions", s("sessions-2.jsonl"), "--sessions", s("sessions-3.jsonl"),
                                   s("responses-1.jsonl.zst"), s("responses-2.jsonl.zst"), s("responses-3.jsonl.zst"), "-o", s("answers-p.jsonl"), "-q"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try records(s("answers-p.jsonl")) == records(s("answers.jsonl")))
    result = try runTool("score", [s("answers-1.jsonl"), s("answers-2.jsonl"), s("answers-3.jsonl"), "-o", s("metrics-s.json"), "-q"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try metricsWithoutInputs(s("metrics-s.json")) == metricsWithoutInputs(s("metrics.json")))
}

@Suite struct MergeTests {
    @Test func shardedDummyRunEqualsTheUnshardedRun() async throws {
        let scratch = try ScratchDirectory()
        let config = ModelConfig(name: "dummy", backend: .dummy, model: "dummy", seed: 0)
        try await checkShardedEqualsUnsharded(config, contexts: nil, in: scratch)
    }

    @Test(.enabled(if: fakeServerAvailable, "needs ../shared/tools/fake-openai-server.py"))
    func shardedFakeServerRunEqualsTheUnshardedRun() async throws {
        let scratch = try ScratchDirectory()
        let server = try FakeOpenAIServer()
        defer { server.stop() }
        let demo = try Design.load("demo").0
        // Three contexts, one of them with a conversation, to keep the run short.
        let contexts = [demo.contexts[0].id] + demo.contexts.filter { $0.conversation != nil }.prefix(1).map(\.id)
            + [demo.contexts.last!.id]
        try await checkShardedEqualsUnsharded(modelConfig("fake", endpoint: server.baseURL, concurrency: 16),
                                              contexts: Array(Set(contexts)).sorted(), in: scratch)
    }

    @Test func ordinalsOfShardSetsAreTheRunsOrder() {
        // Hand-computed: 10 sessions in 3 shards are 0,3,6,9 | 1,4,7 | 2,5,8.
        #expect((0..<4).map(ShardSet(members: [1], count: 3).ordinal) == [0, 3, 6, 9])
        #expect((0..<3).map(ShardSet(members: [2], count: 3).ordinal) == [1, 4, 7])
        // Shards 1 and 3 merged: 0,2,3,5,6,8,9.
        #expect((0..<7).map(ShardSet(members: [1, 3], count: 3).ordinal) == [0, 2, 3, 5, 6, 8, 9])
        #expect((0..<5).map(ShardSet.whole.ordinal) == [0, 1, 2, 3, 4])
        #expect(ShardSet("1,3/3") == ShardSet(members: [1, 3], count: 3))
        for bad in ["", "1", "0/3", "4/3", "3,1/3", "1,1/3", "1/0", "a/3", "1//3", "1,/3"] { #expect(ShardSet(bad) == nil, "\(bad)") }
    }

    @Test func partialMergesCompose() throws {
        let scratch = try ScratchDirectory()
        let s = scratch.file
        try demoShard(s("all.jsonl"))
        for k in 1...4 { try demoShard(s("s\(k).jsonl"), shard: (k, 4)) }
        try ArtifactMerge.merge([s("s3.jsonl"), s("s1.jsonl")], output: s("s13.jsonl"))
        #expect(try header(s("s13.jsonl")).params["shard"] == .string("1,3/4"))
        try ArtifactMerge.merge([s("s4.jsonl"), s("s13.jsonl"), s("s2.jsonl")], output: s("all-merged.jsonl"))
        #expect(try records(s("all-merged.jsonl")) == records(s("all.jsonl")))
        #expect(try header(s("all-merged.jsonl")).params == header(s("all.jsonl")).params)
        // Through stdout too.
        let out = try runTool("stick", ["merge", s("s1.jsonl"), s("s2.jsonl"), s("s3.jsonl"), s("s4.jsonl"), "-o", "-", "-q"])
        #expect(out.status == 0)
        #expect(Array(out.stdoutText.split(separator: "\n").dropFirst().map(String.init)) == (try records(s("all.jsonl"))))
    }

    /// Runs `stick merge` expecting failure; returns stderr; the output must not exist.
    private func refused(_ inputs: [String], output: String) throws -> String {
        let result = try runTool("stick", ["merge"] + inputs + ["-o", output])
        #expect(result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: output))
        return result.stderr
    }

    @Test func mismatchesAreRefusedNamingBothFilesAndTheField() async throws {
        let scratch = try ScratchDirectory()
        let s = scratch.file
        for k in 1...2 { try demoShard(s("s\(k).jsonl"), contexts: ["no_conv"], shard: (k, 2)) }
        try demoShard(s("other-split.jsonl"), contexts: ["no_conv"], shard: (2, 3))
        try demoShard(s("other-contexts.jsonl"), contexts: [try Design.load("demo").0.contexts.last!.id], shard: (2, 2))
        let dummy = ModelConfig(name: "dummy", backend: .dummy, model: "dummy", seed: 0)
        let other = ModelConfig(name: "dummy", backend: .dummy, model: "dummy", seed: 1)
        let backend = try dummy.makeBackend()
        _ = try await QueryRunner.run(config: dummy, configSHA256: "a", backend: backend,
                                      options: QueryOptions(sessions: s("s1.jsonl"), output: s("r1.jsonl"), progress: .quiet))
        _ = try await QueryRunner.run(config: other, configSHA256: "b", backend: try other.makeBackend(),
                                      options: QueryOptions(sessions: s("s2.jsonl"), output: s("r2.jsonl"), progress: .quiet))
        let out = s("out.jsonl")
        var e = try refused([s("s1.jsonl"), s("r1.jsonl")], output: out)
        #expect(e.contains("s1.jsonl") && e.contains("r1.jsonl") && e.contains("one kind"))
        e = try refused([s("r1.jsonl"), s("r2.jsonl")], output: out)
        #expect(e.contains("r1.jsonl and ") && e.contains("r2.jsonl") && e.contains("params.model_config_sha256"))
        e = try refused([s("s1.jsonl"), s("other-split.jsonl")], output: out)
        #expect(e.contains("params.shard") && e.contains("1/2") && e.contains("2/3"))
        e = try refused([s("s1.jsonl"), s("other-contexts.jsonl")], output: out)
        #expect(e.contains("params.contexts") && e.contains("other-contexts.jsonl"))
        e = try refused([s("s1.jsonl"), s("s1.jsonl")], output: out)
        #expect(e.contains("both hold shard 1/2"))

        // A session held twice (a forged shard), a record out of order, a torn line: file and line.
        let lines = try readLines(s("s2.jsonl"))
        let first1 = try readLines(s("s1.jsonl"))[1]
        try (([lines[0], first1] + lines.dropFirst(2)).joined(separator: "\n") + "\n").write(toFile: s("forged.jsonl"), atomically: true, encoding: .utf8)
        e = try refused([s("s1.jsonl"), s("forged.jsonl")], output: out)
        #expect(e.contains("appears twice"))
        try (([lines[0], lines[2], lines[1]] + lines.dropFirst(3)).joined(separator: "\n") + "\n").write(toFile: s("swapped.jsonl"), atomically: true, encoding: .utf8)
        e = try refused([s("s1.jsonl"), s("swapped.jsonl")], output: out)
        #expect(e.contains("swapped.jsonl:3:") && e.contains("out of order"))
        try (lines.prefix(3).joined(separator: "\n") + "\n" + lines[3].prefix(100)).write(toFile: s("torn.jsonl"), atomically: true, encoding: .utf8)
        e = try refused([s("s1.jsonl"), s("torn.jsonl")], output: out)
        #expect(e.contains("torn.jsonl:4:"))
        // Score refuses answers of two models with the merge's reason.
        try Parser.run(sessions: s("s1.jsonl"), responses: s("r1.jsonl"), output: s("a1.jsonl"), csv: nil, options: ParseOptions())
        try Parser.run(sessions: s("s2.jsonl"), responses: s("r2.jsonl"), output: s("a2.jsonl"), csv: nil, options: ParseOptions())
        let score = try runTool("score", [s("a1.jsonl"), s("a2.jsonl"), "-o", s("m.json")])
        #expect(score.status == 1 && score.stderr.contains("shards of one model") && score.stderr.contains("params.model_config_sha256"))
    }

    @Test func oneWriterPerOutput() throws {
        let scratch = try ScratchDirectory()
        let s = scratch.file
        for k in 1...2 { try demoShard(s("s\(k).jsonl"), contexts: ["no_conv"], shard: (k, 2)) }
        let lock = try OutputLock(s("out.jsonl") + ".lock", protecting: s("out.jsonl"))
        let e = try refused([s("s1.jsonl"), s("s2.jsonl")], output: s("out.jsonl"))
        #expect(e.contains("being written by another process"))
        lock.release()
        #expect(try runTool("stick", ["merge", s("s1.jsonl"), s("s2.jsonl"), "-o", s("out.jsonl")]).status == 0)
    }
}

@Suite(.enabled(if: fakeServerAvailable && referenceAvailable, "needs the fake server and ../shared/reference"))
struct ReferenceFallbackConcurrencyTests {
    /// Reference-mode draws happen in file order whatever the concurrency: the records (requests included)
    /// equal those of a run with one session at a time; the run has fallbacks, so draws are exercised.
    @Test func referenceModeRecordsDoNotDependOnConcurrency() async throws {
        let scratch = try ScratchDirectory()
        let ref = try ImportedReference.get()
        let sessions = scratch.file("sessions.jsonl")
        let (design, sha, source) = try Design.load("leaderboard")
        try GenPrompts.run(dataset: ref.dataset, design: design, designSHA256: sha, designSource: source,
                           selection: .init(contexts: design.contexts.filter { $0.instrument.lowercased().contains("svs") }.map(\.id),
                                            personas: Set(0..<12)), output: sessions)
        let server = try FakeOpenAIServer()
        defer { server.stop() }
        var runs: [[ResponseRecord]] = []
        for concurrency in [1, 32] {
            let output = scratch.file("responses-\(concurrency).jsonl")
            let summary = try await runQuery(modelConfig("plain", endpoint: server.baseURL, concurrency: concurrency),
                                             sessions: sessions, output: output, fallback: .reference(0), concurrency: concurrency)
            #expect(summary.complete)
            runs.append(try responses(output).map(timeless))
        }
        #expect(runs[0].contains { $0.fallback == true })
        #expect(runs[0] == runs[1])
    }
}
