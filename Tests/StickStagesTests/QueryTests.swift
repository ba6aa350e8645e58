// query: the reference's exact requests against the deterministic fake server, faults and retries,
// kill -9 and resume, secrets, and the message/parsing rules on hand-written cases.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StickArtifacts
import StickBackends
import StickDataset
import StickGenPrompts
import StickParse
import StickQuery
import StickRandom
import StickTestSupport
import Testing

/// The fixtures' run: leaderboard sessions of personas 0–4, queried against the fake server (salt dev-1)
/// with reference-compatible fallbacks. Returns the sessions and responses files.
func referenceStreamRun(_ variant: String, in scratch: ScratchDirectory) async throws -> (String, String, QuerySummary) {
    let ref = try ImportedReference.get()
    let sessions = scratch.file("sessions.jsonl.zst")
    let (design, sha, source) = try Design.load("leaderboard")
    try GenPrompts.run(dataset: ref.dataset, design: design, designSHA256: sha, designSource: source,
                       selection: .init(personas: Set(0..<5)), output: sessions)
    // qwen3: the zoo's Qwen3 config (the reference's Qwen3ReasoningVllmModel) against a reasoning server.
    let server = try FakeOpenAIServer(flags: variant == "qwen3" ? ["--reasoning", "field"] : [])
    defer { server.stop() }
    let output = scratch.file("responses.jsonl.zst")
    var config = modelConfig(variant, endpoint: server.baseURL, cot: variant == "cot")
    if variant == "qwen3" {
        config = try zooConfig("Qwen3-8B", endpoint: server.baseURL)
    }
    let summary = try await runQuery(config, sessions: sessions, output: output, fallback: .reference(0))
    return (sessions, output, summary)
}

@Suite(.enabled(if: fakeServerAvailable, "needs ../shared/tools/fake-openai-server.py"))
struct QueryAgainstFakeServerTests {
    @Test(.enabled(if: referenceAvailable, "needs ../shared/reference and fixtures"), arguments: ["plain", "cot", "qwen3"])
    func reproducesTheReferenceRequestStream(variant: String) async throws {
        let scratch = try ScratchDirectory()
        let (_, output, summary) = try await referenceStreamRun(variant, in: scratch)
        #expect(summary.complete && summary.expectedCalls == 2010)
        let ours = Dictionary(uniqueKeysWithValues: try responses(output).map { ("\($0.context)/\($0.personaIndex)/\($0.step)", $0) })
        let expected = try fixtureRequests(variant)
        #expect(ours.count == expected.count)
        var same = 0
        for e in expected {
            guard let r = ours["\(e.context)/\(e.persona_index)/\(e.step)"], let q = r.request else {
                Issue.record("missing \(e.context)/\(e.persona_index)/\(e.step)")
                continue
            }
            let messagesEqual = q.messages.map { FixtureRequest.Message(role: $0.role, content: $0.content) } == e.messages
            let ok = messagesEqual && q.model == e.model && q.parameters.temperature == e.temperature
                && q.parameters.maxTokens == e.max_tokens && q.parameters.n == (e.kind == "conversation" ? 1 : nil)
            if ok { same += 1 } else if same < 3 { Issue.record("request \(e.context)/\(e.persona_index)/\(e.step) differs") }
        }
        #expect(same == expected.count)
    }

    @Test func survivesInjectedFaultsAndGetsTheSameAnswers() async throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl")
        try demoSessions(sessions, contexts: ["no_conv", "forum_0", "svs_no_conv"], personas: [0, 1, 2])
        let clean = try FakeOpenAIServer()
        defer { clean.stop() }
        let flaky = try FakeOpenAIServer(flags: ["--fault-rate", "0.3", "--faults", "429,500,503,reset,garbage,slow,empty-choices",
                                                 "--slow-ms", "4000"])
        defer { flaky.stop() }
        let a = try await runQuery(modelConfig("m", endpoint: clean.baseURL), sessions: sessions, output: scratch.file("a.jsonl"))
        // A 1 s client timeout turns every "slow" fault into a timeout that must be retried.
        let b = try await runQuery(modelConfig("m", endpoint: flaky.baseURL, timeout: 1, attempts: 30), sessions: sessions,
                                   output: scratch.file("b.jsonl"))
        #expect(a.complete && b.complete && a.expectedCalls == 3 * (30 + 33 + 26))
        let ra = try responses(scratch.file("a.jsonl")), rb = try responses(scratch.file("b.jsonl"))
        #expect(ra.map(timeless) == rb.map(timeless))
        #expect(rb.contains { $0.attempts > 1 }, "faults were injected, so some calls needed retries")
        #expect(Set(rb.map { "\($0.session)#\($0.step)" }).count == rb.count)
    }

    @Test func failedCallsAreRecordedAndRetriedOnRerun() async throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl")
        try demoSessions(sessions, contexts: ["no_conv"], personas: [0])
        let output = scratch.file("r.jsonl")
        // Every attempt fails: the run ends incomplete, with error records in the journal and no output.
        let down = try FakeOpenAIServer(flags: ["--fault-rate", "1", "--faults", "500"])
        let config = modelConfig("m", endpoint: down.baseURL, attempts: 2)
        let first = try await runQuery(config, sessions: sessions, output: output)
        down.stop()
        #expect(!first.complete && first.failed == 30)
        #expect(!FileManager.default.fileExists(atPath: output))
        // The same command against a working server (same config) completes, each call once.
        let up = try FakeOpenAIServer()
        defer { up.stop() }
        var fixed = config
        fixed.endpoints = [up.baseURL]
        let second = try await runQuery(fixed, sessions: sessions, output: output)
        #expect(second.complete && second.succeeded == 30)
        #expect(try responses(output).count == 30)
        #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
    }

    @Test func resumeRefusesAJournalOfOtherInputs() async throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl")
        try demoSessions(sessions, contexts: ["no_conv"], personas: [0])
        let output = scratch.file("r.jsonl")
        let down = try FakeOpenAIServer(flags: ["--fault-rate", "1", "--faults", "503"])
        defer { down.stop() }
        _ = try await runQuery(modelConfig("m", endpoint: down.baseURL, attempts: 1), sessions: sessions, output: output)
        await #expect(throws: StickError.self) {
            _ = try await runQuery(modelConfig("another-model", endpoint: down.baseURL, attempts: 1), sessions: sessions, output: output)
        }
    }

    @Test func killNineThenResumeGivesTheUninterruptedArtifact() throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl")
        try demoSessions(sessions, contexts: ["no_conv", "forum_0", "svs_no_conv"], personas: [0, 1])
        let server = try FakeOpenAIServer(flags: ["--latency-ms", "15"])
        defer { server.stop() }
        let config = scratch.file("model.yaml")
        try writeModelConfig(config, name: "killed", backend: "openai",
                             extra: ["endpoints: [\"\(server.baseURL)\"]", "concurrency: 4"])
        let output = scratch.file("r.jsonl.zst")
        // Start, wait until some calls are journalled, kill -9, twice; then let it finish.
        for round in 0..<2 {
            let process = try BackgroundProcess(TestPaths.binaries.appendingPathComponent("query").path,
                                                [sessions, "--model", config, "-o", output, "--quiet"])
            let journal = output + ".partial"
            for _ in 0..<400 {
                let lines = (try? String(contentsOfFile: journal, encoding: .utf8))?.split(separator: "\n").count ?? 0
                if lines > 20 * (round + 1) { break }
                Thread.sleep(forTimeInterval: 0.02)
            }
            process.stop()
            #expect(!FileManager.default.fileExists(atPath: output), "no final output after a kill")
        }
        let finish = try runTool("query", [sessions, "--model", config, "-o", output, "--quiet"])
        #expect(finish.status == 0, "\(finish.stderr)")
        let resumed = try responses(output)
        // The same run, uninterrupted.
        let straight = scratch.file("straight.jsonl")
        let again = try runTool("query", [sessions, "--model", config, "-o", straight, "--quiet"])
        #expect(again.status == 0)
        #expect(resumed.map(timeless) == (try responses(straight)).map(timeless))
        #expect(resumed.count == 2 * (30 + 33 + 26))
    }

    @Test func theAPIKeyNeverReachesOutputsOrLogs() throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl")
        try demoSessions(sessions, contexts: ["forum_0"], personas: [0])
        let secret = "sk-test-DO-NOT-LEAK-\(UUID().uuidString)"
        let server = try FakeOpenAIServer(flags: ["--fault-rate", "0.5", "--faults", "429,500"])
        defer { server.stop() }
        var env = ProcessInfo.processInfo.environment
        env["STICK_TEST_KEY"] = secret
        for (name, endpoint) in [("up", server.baseURL), ("down", "http://127.0.0.1:9/v1")] {
            let config = scratch.file("\(name).yaml")
            try writeModelConfig(config, name: name, backend: "openai",
                                 extra: ["endpoints: [\"\(endpoint)\"]", "api_key_env: STICK_TEST_KEY",
                                         "retry: {max_attempts: 2, initial_delay: 0.01, max_delay: 0.05}"])
            let out = scratch.file("\(name).jsonl")
            let result = try runTool("query", [sessions, "--model", config, "-o", out], environment: env)
            #expect(!result.stderr.contains(secret) && !result.stdoutText.contains(secret))
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: scratch.path) {
            let text = String(decoding: try Inputs.readAll(scratch.file(file)), as: UTF8.self)
            #expect(!text.contains(secret), "\(file) holds the key")
        }
        #expect(FileManager.default.fileExists(atPath: scratch.file("down.jsonl.partial")), "the failed run kept its journal")
    }
}

@Suite struct QueryOfflineTests {
    @Test func dummyBackendIsDeterministicAndCompletesEveryProcedure() throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl")
        try demoSessions(sessions, personas: [0, 1])
        let model = TestPaths.packageRoot.appendingPathComponent("pipelines/models/dummy.yaml").path
        for name in ["a.jsonl.zst", "b.jsonl.zst"] {
            let r = try runTool("query", [sessions, "--model", model, "-o", scratch.file(name), "-q"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = try responses(scratch.file("a.jsonl.zst")), b = try responses(scratch.file("b.jsonl.zst"))
        #expect(a.map(timeless) == b.map(timeless))
        #expect(a.count == 2 * (30 + 4 * 33 + 26))
        #expect(a.filter { $0.kind == .conversation }.allSatisfy { $0.content == DummyBackend.filler })
        // Every SVS item is answered once per session, after the 4 value choices.
        let svs = a.filter { $0.context == "svs_no_conv" && $0.personaIndex == 0 }
        #expect(svs.filter { $0.kind == .choice }.count == 4)
        #expect(svs.compactMap(\.item).sorted() == Array(0..<22))
        #expect(try ArtifactValidation.validate(file: scratch.file("a.jsonl.zst")).ok)
    }

    @Test func pipeFromGenPromptsToQuery() throws {
        let model = TestPaths.packageRoot.appendingPathComponent("pipelines/models/dummy.yaml").path
        let sessions = try runTool("gen-prompts", ["demo", "--contexts", "no_conv", "--personas", "0", "-q"])
        let r = try runTool("query", ["-", "--model", model, "-o", "-", "-q"], stdin: sessions.stdout)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdoutText.split(separator: "\n")
        #expect(lines.count == 31 && lines[0].hasPrefix("{\"stick\":\"responses\",\"version\":1"))
    }

    @Test func dryRunCountsCalls() throws {
        let scratch = try ScratchDirectory()
        try demoSessions(scratch.file("s.jsonl"), personas: [0])
        let model = TestPaths.packageRoot.appendingPathComponent("pipelines/models/dummy.yaml").path
        let r = try runTool("query", [scratch.file("s.jsonl"), "--model", model, "--dry-run", "--price-in", "1", "--price-out", "2"])
        #expect(r.status == 0)
        #expect(r.stdoutText.contains("svs_no_conv") && r.stdoutText.contains("estimated cost"))
        let total = r.stdoutText.split(separator: "\n").first { $0.hasPrefix("total") }?.split(separator: " ")
        #expect(total?[2] == "188")  // 30 + 4 × 33 + 26 calls
    }

    @Test func fixAlternatingAndConstructMessages() {
        // protocol.md §3.3: no system role, with a conversation.
        let conv = Prompting.conversationHistory(["open", "r1", "r2", "r3"])
        let m = Prompting.construct(persona: "You are P", systemMessage: false, conversation: conv, description: "D", item: "I")
        #expect(m.map(\.role) == ["user", "assistant", "user", "assistant", "user", "assistant", "user"])
        #expect(m[1].content == "OK" && m.last?.content == "D\n\nI")
        // No system role, no conversation: one user message.
        #expect(Prompting.construct(persona: "P", systemMessage: false, conversation: [], description: "D", item: "I")
            == [.user("P\n\nD\n\nI")])
        // The interlocutor's turn: an empty user message after its system prompt (§5).
        let turn = Prompting.conversationTurn(turn: 1, texts: ["open", "r1"], persona: "P", interlocutor: "S", systemMessage: true)
        #expect(turn == [.system("S"), .user(""), .assistant("open"), .user("r1")])
        let noSystem = Prompting.conversationTurn(turn: 1, texts: ["open", "r1"], persona: "P", interlocutor: "S", systemMessage: false)
        #expect(noSystem == [.user("S"), .assistant("open"), .user("r1")])
        let persona = Prompting.conversationTurn(turn: 2, texts: ["open", "r1", "r2"], persona: "P", interlocutor: "S", systemMessage: false)
        #expect(persona == [.user("P"), .assistant("OK"), .user("open"), .assistant("r1"), .user("r2")])
    }

    @Test func answerParsingRules() {
        let letters = ["A", "B", "C", "D", "E", "F"]
        func plain(_ s: String) -> String? {
            AnswerParsing.matchLetter(AnswerParsing.answerText(ChatResult(content: s), cot: false, reasoning: .none), letters: letters)
        }
        func cot(_ s: String) -> String? {
            AnswerParsing.matchLetter(AnswerParsing.answerText(ChatResult(content: s), cot: true, reasoning: .none), letters: letters)
        }
        #expect(plain("(D) or (B)") == "B")  // alphabetically earliest, not first in the text
        #expect(plain("I'd say (C)") == "C")
        #expect(plain("B)") == nil && plain("(b)") == nil && plain("B") == nil)
        #expect(cot("Let me think (A).\n\nAnswer: (E)") == "E")
        #expect(cot("no tag (A)") == nil)
        #expect(cot("Answer: (A)\n\nFinal Answer: (A)") == nil)  // two "Answer:" tags
        #expect(cot("Answer: " + String(repeating: "x", count: 40) + "(C)") == nil)  // beyond the 40-character crop
        let think = ChatResult(content: "hmm (A) </think> so (F)")
        #expect(AnswerParsing.matchLetter(AnswerParsing.answerText(think, cot: false, reasoning: .thinkTag), letters: letters) == "F")
        #expect(AnswerParsing.answerText(ChatResult(content: "no tag"), cot: false, reasoning: .thinkTag) == nil)
        let split = ChatResult(content: "(B)", reasoning: "thinking (A)")
        #expect(AnswerParsing.matchLetter(AnswerParsing.answerText(split, cot: false, reasoning: .reasoningContent), letters: letters) == "B")
    }

    @Test func propertyRandomTextNeverCrashes() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["(", ")", "A", "B", "b", " ", "\n", "Answer:", "</think>", "<think>", "é", "🙂", "\u{0}", "(A)", "x", "Answer: (",
                      "Not like me", "like me"]
        let letters = ["A", "B", "C"], options = ["Not like me", "A little like me", "Like me"]
        for _ in 0..<1000 {
            func random() -> String { (0..<Int.random(in: 0...30, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() }
            let result = ChatResult(content: Bool.random(using: &rng) ? random() : nil, reasoning: Bool.random(using: &rng) ? random() : nil,
                                    topLogprobs: [[TokenLogprob(token: random(), logprob: -Double.random(in: 0...5, using: &rng))]])
            for cot in [false, true] {
                for reasoning: ModelConfig.Reasoning in [.none, .reasoningContent, .thinkTag] {
                    let text = AnswerParsing.answerText(result, cot: cot, reasoning: reasoning)
                    if let l = AnswerParsing.matchLetter(text, letters: letters) { #expect(letters.contains(l)) }
                    if let l = Parser.lenientMatch(text ?? result.content, letters: letters, options: options) { #expect(letters.contains(l)) }
                }
            }
            if let l = Parser.logprobLetter(result.topLogprobs, letters: letters) { #expect(letters.contains(l)) }
        }
    }

    @Test func propertyExactlyOneLetterIsAlwaysFound() {
        var rng = SystemRandomNumberGenerator()
        let letters = ["A", "B", "C", "D", "E", "F", "G", "H", "I"]
        for _ in 0..<500 {
            let letter = letters.randomElement(using: &rng)!
            let noise = String((0..<Int.random(in: 0...60, using: &rng)).map { _ in "abcxyz (){}[]ABCDEFGHI\n".randomElement(using: &rng)! })
                .replacingOccurrences(of: "(", with: "[")
            let text = noise + "(\(letter))" + noise
            #expect(AnswerParsing.matchLetter(text, letters: letters) == letter)
        }
    }
}

@Suite struct SimulatorAndReplayTests {
    /// Mean over value pairs of context pairs of the Spearman correlation of centred value scores
    /// across personas (the shape of the Rank-Order statistic, computed here independently).
    static func meanCrossContextCorrelation(_ records: [ResponseRecord], sessions: [String: SessionRecord]) -> Double {
        var sums: [String: [Int: [String: (Double, Int)]]] = [:]
        for r in records where r.kind == .answer {
            let s = sessions[r.session]!, item = s.items[r.item!]
            let letter = String(r.content!.dropFirst().prefix(1))
            let score = Double(item.scores[item.letters.firstIndex(of: letter)!])
            for v in s.values where v.items.contains(r.item! + 1) {
                let old = sums[r.context, default: [:]][r.personaIndex, default: [:]][v.name] ?? (0, 0)
                sums[r.context, default: [:]][r.personaIndex, default: [:]][v.name] = (old.0 + score, old.1 + 1)
            }
        }
        let values = sessions.values.first!.values.map(\.name)
        func centred(_ c: String) -> [[Double]] {
            (0..<50).map { p in
                let row = values.map { sums[c]![p]![$0]!.0 / Double(sums[c]![p]![$0]!.1) }
                let mean = row.reduce(0, +) / Double(row.count)
                return row.map { $0 - mean }
            }
        }
        func ranks(_ x: [Double]) -> [Double] {
            let order = x.indices.sorted { x[$0] < x[$1] }
            var r = [Double](repeating: 0, count: x.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
                for k in i...j { r[order[k]] = Double(i + j) / 2 }
                i = j + 1
            }
            return r
        }
        func pearson(_ a: [Double], _ b: [Double]) -> Double {
            let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
            let cov = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
            let va = a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) }, vb = b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }
            return cov / (va * vb).squareRoot()
        }
        let contexts = sums.keys.sorted()
        var total = 0.0, n = 0
        for (i, a) in contexts.enumerated() {
            for b in contexts[(i + 1)...] {
                let ma = centred(a), mb = centred(b)
                for k in values.indices {
                    total += pearson(ranks(ma.map { $0[k] }), ranks(mb.map { $0[k] }))
                    n += 1
                }
            }
        }
        return total / Double(n)
    }

    @Test func simulatorStabilityOrdersTheMeasuredStability() throws {
        let scratch = try ScratchDirectory()
        let sessionsFile = scratch.file("s.jsonl")
        try demoSessions(sessionsFile, contexts: ["no_conv", "forum_0", "chess_0"])
        let sessions = Dictionary(uniqueKeysWithValues: try JSONLReader<SessionRecord>(path: sessionsFile, kind: .sessions)
            .readAll().map { ($0.id, $0) })
        var measured: [Double] = []
        for s in ["0", "0.5", "0.9"] {
            let model = TestPaths.packageRoot.appendingPathComponent("pipelines/models/simulator-\(s).yaml").path
            let out = scratch.file("sim-\(s).jsonl")
            let r = try runTool("query", [sessionsFile, "--model", model, "-o", out, "-q"])
            #expect(r.status == 0, "\(r.stderr)")
            measured.append(Self.meanCrossContextCorrelation(try responses(out), sessions: sessions))
        }
        #expect(abs(measured[0]) < 0.1, "stability 0 gives ≈ 0: \(measured)")
        #expect(measured[0] < measured[1] && measured[1] < measured[2], "\(measured)")
        #expect(measured[2] > 0.5)
    }

    @Test func replayServesRecordedAnswersAndRefusesUnknownRequests() throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl")
        try demoSessions(sessions, contexts: ["no_conv", "svs_no_conv"], personas: [0])
        let dummy = TestPaths.packageRoot.appendingPathComponent("pipelines/models/dummy.yaml").path
        #expect(try runTool("query", [sessions, "--model", dummy, "-o", scratch.file("first.jsonl"), "-q"]).status == 0)
        let replay = scratch.file("replay.yaml")
        try writeModelConfig(replay, name: "dummy", backend: "replay", model: "dummy",
                             extra: ["replay: [\"\(scratch.file("first.jsonl"))\"]"])
        #expect(try runTool("query", [sessions, "--model", replay, "-o", scratch.file("again.jsonl"), "-q"]).status == 0)
        let first = try responses(scratch.file("first.jsonl")), again = try responses(scratch.file("again.jsonl"))
        #expect(first.map(timeless) == again.map(timeless))
        // Other sessions were never recorded: every call fails, non-retryably, and the run says so.
        let other = scratch.file("other.jsonl")
        try demoSessions(other, contexts: ["no_conv"], personas: [1])
        let refused = try runTool("query", [other, "--model", replay, "-o", scratch.file("x.jsonl"), "-q"])
        #expect(refused.status == 1 && refused.stderr.contains("30 calls are missing or failed"))
    }
}

@Suite(.enabled(if: fakeServerAvailable, "needs ../shared/tools/fake-openai-server.py"))
struct QueryLimitsTests {
    @Test func perEndpointLimitKeepsUnderTheServersConcurrency() async throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl")
        try demoSessions(sessions, contexts: ["no_conv"], personas: [0, 1])
        // The server refuses (429) a request that arrives while 3 others are in flight. (Our limit is 2:
        // the server counts a request in flight until just after its answer is sent, so a limit equal to
        // the server's would race with it.)
        let server = try FakeOpenAIServer(flags: ["--max-concurrency", "3", "--latency-ms", "20"])
        defer { server.stop() }
        var limited = modelConfig("limited", endpoint: server.baseURL, attempts: 1, concurrency: 8)
        limited.endpointConcurrency = 2
        let ok = try await runQuery(limited, sessions: sessions, output: scratch.file("ok.jsonl"))
        #expect(ok.complete && ok.failed == 0)
        // Without the per-endpoint limit the same run overruns the server and, with one attempt, loses calls.
        let unlimited = modelConfig("unlimited", endpoint: server.baseURL, attempts: 1, concurrency: 8)
        let lost = try await runQuery(unlimited, sessions: sessions, output: scratch.file("lost.jsonl"))
        #expect(lost.failed > 0)
    }

    @Test func requestsPerMinuteSpacesTheCalls() async throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl")
        try demoSessions(sessions, contexts: ["no_conv"], personas: [0])
        let server = try FakeOpenAIServer()
        defer { server.stop() }
        var config = modelConfig("rpm", endpoint: server.baseURL)
        config.rateLimits = RateLimits(requestsPerMinute: 900)  // 15 per second
        let start = Date()
        let summary = try await runQuery(config, sessions: sessions, output: scratch.file("r.jsonl"))
        let elapsed = Date().timeIntervalSince(start)
        #expect(summary.complete)
        // 30 calls at 15/s after a burst of 15: at least one second.
        #expect(elapsed > 0.9, "took \(elapsed) s")
    }
}

@Suite struct ParseTests {
    @Test(.enabled(if: referenceAvailable && fakeServerAvailable, "needs ../shared reference, fixtures and fake server"),
          arguments: ["plain", "cot", "qwen3"])
    func endToEndReproducesTheReferenceScores(variant: String) async throws {
        let scratch = try ScratchDirectory()
        let (sessions, responsesFile, _) = try await referenceStreamRun(variant, in: scratch)
        let csv = scratch.file("answers.csv")
        let summary = try Parser.run(sessions: sessions, responses: responsesFile, output: scratch.file("answers.jsonl.zst"),
                                     csv: csv, options: ParseOptions(noMatch: .reference(0)))
        #expect(summary.contexts.count == 9)
        let expected = try String(contentsOfFile: TestPaths.fixtures! + "/reference-stream/\(variant)/expected-scores.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let ours = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(ours.count == expected.count)
        // expected: context,persona_index,item_index,letter,score,fallback; ours: model first, status last.
        let mismatches = zip(ours.map { Array($0[1...6]) }, expected).filter { $0.0 != $0.1 }
        #expect(mismatches.isEmpty, "\(mismatches.count) rows differ, first: \(String(describing: mismatches.first))")
        #expect(try ArtifactValidation.validate(file: scratch.file("answers.jsonl.zst")).ok)
    }

    @Test func lenientAcceptsNearMissesTheReferenceRejects() {
        let letters = ["A", "B", "C", "D", "E", "F"]
        let options = ["Not like me at all", "Not like me", "A little like me", "Somewhat like me", "Like me", "Very much like me"]
        for (text, want) in [("B)", "B"), ("(b)", "B"), ("Answer: B", "B"), ("C", "C"), ("d.", "D"), ("I pick E) here", "E"),
                             ("Somewhat like me.", "D")] {
            #expect(AnswerParsing.matches(text, letters: letters).isEmpty, "\(text)")
            #expect(Parser.lenientMatch(text, letters: letters, options: options) == want, "\(text)")
        }
        // The longest option found wins ("Like me" is inside "Somewhat like me"); a tie stays unmatched.
        #expect(Parser.lenientMatch("Like me", letters: letters, options: options) == "E")
        #expect(Parser.lenientMatch("a little like me, or somewhat like me", letters: letters, options: options) == nil)
        #expect(Parser.lenientMatch("no idea", letters: letters, options: options) == nil)
    }

    @Test func statusesAndNoMatchPolicies() throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl")
        try demoSessions(sessions, contexts: ["no_conv"], personas: [0])
        let session = try #require(try JSONLReader<SessionRecord>(path: sessions, kind: .sessions).readAll().first)
        // Hand-written generations for the first five items, then "(A)" for the rest.
        let texts = ["(B)", "(D) or (B)", "no letter here", "b)", "(Z)"] + Array(repeating: "(A)", count: 25)
        let responsesFile = scratch.file("r.jsonl")
        let header = ArtifactHeader(kind: .responses, params: JSONObject([("model", "hand"), ("cot", false), ("reasoning", "none")]))
        try withOutput(responsesFile) { out in
            let w = try JSONLWriter(output: out, header: header)
            for (i, t) in texts.enumerated() {
                try w.write(ResponseRecord(session: session.id, context: "no_conv", personaIndex: 0, step: i, kind: .answer, item: i,
                                           requestSHA256: String(repeating: "0", count: 64), content: t, latencyMS: 1, attempts: 1))
            }
        }
        func parse(_ options: ParseOptions) throws -> [AnswerRecord] {
            let out = scratch.file("a-\(UUID().uuidString).jsonl")
            try Parser.run(sessions: sessions, responses: responsesFile, output: out, csv: nil, options: options)
            return try JSONLReader<AnswerRecord>(path: out, kind: .answers).readAll()
        }
        let seeded = try parse(ParseOptions(noMatch: .seeded(1)))
        #expect(seeded.map(\.status).prefix(5) == [.matched, .multiple, .fallback, .fallback, .fallback])
        #expect(seeded[1].letter == "B")
        let item0 = session.items[0]
        #expect(seeded[0].score == item0.scores[1] && seeded[0].option == item0.permutation[1])
        #expect(try parse(ParseOptions(noMatch: .seeded(1))) == seeded, "seeded fallbacks are reproducible")
        let missing = try parse(ParseOptions(noMatch: .missing))
        #expect(missing[2].status == AnswerRecord.Status.none && missing[2].letter == nil && missing[2].score == nil)
        let lenient = try parse(ParseOptions(strategy: .lenient, noMatch: .missing))
        #expect(lenient[3].letter == "B" && lenient[3].status == .matched)
        // In reference mode the draws are Python's random.Random(7).randint(0, 5), in request order (2, then 1).
        var python = PythonRandomProbe(seed: 7)
        let reference = try parse(ParseOptions(noMatch: .reference(7)))
        #expect(reference[2].letter == session.items[2].letters[python.next(6)])
        #expect(reference[3].letter == session.items[3].letters[python.next(6)])
    }
}

/// Python's random.Random(seed).randint(0, n-1), through the package's own generator.
struct PythonRandomProbe {
    var rng: StickRandom.PythonRandom
    init(seed: UInt64) { rng = StickRandom.PythonRandom(seed: seed) }
    mutating func next(_ n: Int) -> Int { rng.randint(0, n - 1) }
}

/// Records the waits `completeWithRetries` asks for instead of sleeping.
final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []
    var waits: [Double] { lock.lock(); defer { lock.unlock() }; return recorded }
    var sleep: RetrySleep { { seconds in self.lock.withLock { self.recorded.append(seconds) } } }
}

/// A backend that fails with the given errors, in turn, then answers "(A)".
final class ScriptedBackend: ChatBackend, @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [BackendError]
    private(set) var attempts = 0
    /// The endpoint each attempt was asked to use.
    private(set) var preferred: [Int?] = []
    init(_ failures: [BackendError]) { self.failures = failures }
    func complete(_ request: ChatRequest, context: RequestContext) async throws -> ChatResult {
        let failure: BackendError? = lock.withLock {
            attempts += 1
            preferred.append(context.endpoint)
            return failures.isEmpty ? nil : failures.removeFirst()
        }
        if let failure { throw failure }
        return ChatResult(content: "(A)")
    }
    func shutdown() async {}
}

@Suite struct RetryTests {
    static let request = ChatRequest(model: "model", messages: [.user("Pick one.\n(A) yes\n(B) no")],
                                     parameters: GenerationParameters(temperature: 0, maxTokens: 10))
    static let context = RequestContext(sessionID: "s", context: "c", personaIndex: 0, step: 0)
    static let policy = RetryPolicy(maxAttempts: 4, initialDelay: 0.5, maxDelay: 30)

    static func run(_ backend: ChatBackend, attempts: Int = 4) async throws -> (AttemptOutcome, [Double]) {
        let recorder = SleepRecorder()
        var policy = Self.policy
        policy.maxAttempts = attempts
        let outcome = try await completeWithRetries(backend, request, context: context, policy: policy, sleep: recorder.sleep)
        return (outcome, recorder.waits)
    }

    @Test func aBrokenAttemptIsRetriedOnceAtOnceThenBacksOff() async throws {
        let reset = BackendError("reset", retryable: true, retryAtOnce: true)
        // One reset: the second attempt follows at once.
        let once = ScriptedBackend([reset])
        let (a, waitsA) = try await Self.run(once)
        #expect(a.attempts == 2 && once.attempts == 2 && waitsA.isEmpty)
        #expect((try? a.result.get())?.content == "(A)")
        // Three resets: the first is retried at once, the next two back off (ceilings 0.5 s, then 1 s).
        let thrice = ScriptedBackend([reset, reset, reset])
        let (b, waitsB) = try await Self.run(thrice)
        #expect(b.attempts == 4 && waitsB.count == 2)
        #expect(waitsB.count == 2 && waitsB[0] <= 0.5 && waitsB[1] <= 1.0)
        // A 503 first: it backs off; the reset after it still gets its one immediate retry.
        let mixed = ScriptedBackend([BackendError("503", retryable: true, status: 503), reset])
        let (c, waitsC) = try await Self.run(mixed)
        #expect(c.attempts == 3 && waitsC.count == 1)
    }

    @Test func theRetryAtOnceGoesToTheSameEndpointAndBackoffsChooseAfresh() async throws {
        var reset = BackendError("reset", retryable: true, retryAtOnce: true)
        reset.endpoint = 1
        var garbage = BackendError("garbage", retryable: true, retryAtOnce: true)
        garbage.endpoint = 0
        let backend = ScriptedBackend([reset, reset, garbage])
        let (outcome, _) = try await Self.run(backend)
        #expect(outcome.attempts == 4)
        #expect(backend.preferred == [nil, 1, nil, nil])
    }

    @Test func retryAfterIsHonouredAndNonRetryableErrorsStop() async throws {
        let limited = ScriptedBackend([BackendError("429", retryable: true, retryAfter: 2, status: 429),
                                       BackendError("429", retryable: true, retryAfter: 2, status: 429)])
        let (a, waits) = try await Self.run(limited)
        #expect(a.attempts == 3 && waits.count == 2 && waits.allSatisfy { $0 >= 2 })
        // Not retryable: never retried, whatever retryAtOnce says.
        let fatal = ScriptedBackend([BackendError("400", retryable: false, status: 400, retryAtOnce: true)])
        let (b, waitsB) = try await Self.run(fatal)
        #expect(b.attempts == 1 && waitsB.isEmpty && fatal.attempts == 1)
    }
}

/// The OpenAI backend's classification of the fake server's faults, seen through the retry loop: every
/// attempt faults (--fault-rate 1), so each call uses all its attempts and the waits show how each fault was
/// retried.
@Suite(.enabled(if: fakeServerAvailable, "needs ../shared/tools/fake-openai-server.py"))
struct RetryAgainstFakeServerTests {
    static func faultedRun(_ kind: String, attempts: Int = 3) async throws -> (AttemptOutcome, [Double], [String: Any]) {
        let server = try FakeOpenAIServer(flags: ["--fault-rate", "1", "--faults", kind])
        defer { server.stop() }
        let backend = OpenAIBackend(baseURLs: [server.baseURL], apiKey: nil, timeoutSeconds: 10, maxConnectionsPerHost: 2)
        let (outcome, waits) = try await RetryTests.run(backend, attempts: attempts)
        await backend.shutdown()
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(server.port)/stats")!)
        let stats = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return (outcome, waits, stats["faults"] as? [String: Any] ?? [:])
    }

    @Test(arguments: ["reset", "garbage"])
    func aResetOrGarbageBodyIsRetriedAtOnceOnce(kind: String) async throws {
        let (outcome, waits, faults) = try await Self.faultedRun(kind)
        #expect(outcome.attempts == 3)
        #expect(faults[kind] as? Int == 3, "each attempt reached the server and was faulted")
        // Attempt 2 followed at once; only attempt 3 waited (the first backoff: at most initial_delay).
        #expect(waits.count == 1 && waits.allSatisfy { $0 <= 0.5 })
        guard case .failure(let error) = outcome.result else { Issue.record("the call cannot succeed"); return }
        #expect(error.retryAtOnce && error.endpoint == 0)
    }

    /// A retry after a backoff goes to the other endpoint, so that three attempts on two servers alternate
    /// (the least-loaded choice alone would send every one to the first: the loads are even between attempts).
    @Test func aBackedOffRetryGoesToAnotherEndpoint() async throws {
        let servers = try (0..<2).map { _ in try FakeOpenAIServer(flags: ["--fault-rate", "1", "--faults", "503"]) }
        defer { servers.forEach { $0.stop() } }
        let backend = OpenAIBackend(baseURLs: servers.map(\.baseURL), apiKey: nil, timeoutSeconds: 10, maxConnectionsPerHost: 2)
        let (outcome, waits) = try await RetryTests.run(backend, attempts: 3)
        await backend.shutdown()
        #expect(outcome.attempts == 3 && waits.count == 2)
        var faulted: [Int] = []
        for server in servers {
            let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(server.port)/stats")!)
            let stats = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            faulted.append((stats["faults"] as? [String: Any])?["503"] as? Int ?? 0)
        }
        #expect(faulted == [2, 1], "attempts per server: \(faulted)")
    }

    @Test(arguments: ["429", "503"])
    func rateLimitsAndServerErrorsBackOff(kind: String) async throws {
        let (outcome, waits, faults) = try await Self.faultedRun(kind)
        #expect(outcome.attempts == 3 && faults[kind] as? Int == 3)
        #expect(waits.count == 2, "every retry waited")
        if kind == "429" {
            #expect(waits.allSatisfy { $0 >= 1 }, "Retry-After: 1 honoured: \(waits)")
        } else {
            #expect(waits.count == 2 && waits[0] <= 0.5 && waits[1] <= 1.0)
        }
        guard case .failure(let error) = outcome.result else { Issue.record("the call cannot succeed"); return }
        #expect(!error.retryAtOnce && error.status == Int(kind))
    }
}
