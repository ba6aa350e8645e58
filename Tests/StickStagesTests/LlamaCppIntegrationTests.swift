// query against a REAL llama.cpp server (llama-cpp-python's OpenAI-compatible server) serving a GGUF model:
// transport, request format, response parsing and the artifact, end to end through the `query` executable.
//
// Needs `pip install 'llama-cpp-python[server]'` and $STICK_LLAMA_MODEL naming a .gguf file (CI builds a tiny
// random-weight model with ../shared/tools/make-tiny-gguf.py; see .ci/run). Without them the suite is skipped,
// unless STICK_REQUIRE_LLAMA=1 (set by CI), in which case the test fails.
import Foundation
import StickArtifacts
import StickQuery
import StickTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

enum LlamaCpp {
    static let environment = ProcessInfo.processInfo.environment

    /// STICK_REQUIRE_LLAMA=1: a missing model or llama-cpp-python is a failure, not a skip.
    static let required = ["1", "true", "yes"].contains(environment["STICK_REQUIRE_LLAMA"]?.lowercased() ?? "")

    /// The model from $STICK_LLAMA_MODEL, when that file exists.
    static var model: String? {
        guard let m = environment["STICK_LLAMA_MODEL"], !m.isEmpty, FileManager.default.fileExists(atPath: m) else { return nil }
        return m
    }

    /// Why the real server cannot run here, or nil when it can (checked once).
    static let unavailableReason: String? = {
        guard let m = environment["STICK_LLAMA_MODEL"], !m.isEmpty else {
            return "STICK_LLAMA_MODEL is not set (point it at a .gguf model, e.g. one written by ../shared/tools/make-tiny-gguf.py)"
        }
        guard FileManager.default.fileExists(atPath: m) else { return "STICK_LLAMA_MODEL=\(m) does not exist" }
        let check: ProcessResult
        do {
            check = try runProcess("/usr/bin/env", ["python3", "-c", "import llama_cpp.server"])
        } catch {
            return "cannot run python3: \(error)"
        }
        return check.status == 0 ? nil
            : "python3 cannot import llama_cpp.server (pip install 'llama-cpp-python[server]')"
    }()

    /// Run the suite when the server can run, or when it is required (then the test records why it cannot).
    static var shouldRun: Bool { required || unavailableReason == nil }

    /// The skip message: what is missing and how to provide it.
    static var skipComment: Comment {
        Comment(rawValue: "needs a real llama.cpp server: \(unavailableReason ?? "unavailable"). .ci/run shows the setup; "
            + "STICK_REQUIRE_LLAMA=1 makes this a failure instead of a skip")
    }
}


/// `python3 -m llama_cpp.server` serving `model` on a free loopback port; killed (SIGKILL) by `stop()`.
final class LlamaCppServer: BackgroundProcess, @unchecked Sendable {
    let port: Int
    let logPath: String
    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Starts the server and waits until GET /v1/models answers (at most `startupTimeout` seconds).
    /// The context must hold a whole session's history: the tiny model's 653-token vocabulary spells most words
    /// letter by letter, so the longest of these demo sessions reaches ~4,250 tokens; 4096 is too few.
    init(model: String, logPath: String, contextSize: Int = 8192, startupTimeout: TimeInterval = 120) async throws {
        let port = try freeLoopbackPort()
        self.port = port
        self.logPath = logPath
        try? FileManager.default.removeItem(atPath: logPath)
        try super.init("/usr/bin/env", ["python3", "-m", "llama_cpp.server", "--model", model, "--n_threads", "2",
                                        "--host", "127.0.0.1", "--port", String(port), "--n_ctx", String(contextSize)],
                       stdout: logPath, stderr: logPath)

        let deadline = Date().addingTimeInterval(startupTimeout)
        let probe = URL(string: baseURL + "/models")!
        while true {
            guard process.isRunning else {
                throw StickError("the llama.cpp server exited with status \(process.terminationStatus) before answering:\n\(logTail())")
            }
            var request = URLRequest(url: probe)
            request.timeoutInterval = 2
            if let (_, response) = try? await URLSession.shared.data(for: request),
               (response as? HTTPURLResponse)?.statusCode == 200 {
                return
            }
            guard Date() < deadline else {
                stop()
                throw StickError("the llama.cpp server did not answer GET /v1/models within \(Int(startupTimeout)) s:\n\(logTail())")
            }
            try await Task.sleep(nanoseconds: 250_000_000)
        }
    }

    /// The last lines of the server's log, for failure messages.
    func logTail(_ lines: Int = 30) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

@Suite(.enabled(if: LlamaCpp.shouldRun, LlamaCpp.skipComment),
       .timeLimit(.minutes(5)))
struct LlamaCppIntegrationTests {
    @Test func queryRunsDemoSessionsAgainstARealLlamaCppServer() async throws {
        if let reason = LlamaCpp.unavailableReason {
            // Only reached when required (STICK_REQUIRE_LLAMA=1, set by CI): missing llama.cpp or model is a failure.
            Issue.record("llama.cpp integration test cannot run: \(reason)")
            return
        }
        let model = try #require(LlamaCpp.model)
        let scratch = try ScratchDirectory()
        let server = try await LlamaCppServer(model: model, logPath: scratch.file("server.log"))
        defer { server.stop() }

        let config = scratch.file("llama.yaml")
        try """
            stick: model
            version: 1
            name: llama-cpp-integration
            backend: openai
            endpoints:
              - \(server.baseURL)
            model: model
            api_key_env: STICK_LLAMA_TEST_NO_KEY
            system_message: true
            cot: false
            reasoning: none
            conversation:
              temperature: 0.7
              max_tokens: 16
              n: 1
            answers:
              temperature: 0
              max_tokens: 10
              logprobs: true
              top_logprobs: 3
            concurrency: 2
            timeout_seconds: 120
            retry:
              max_attempts: 3
              initial_delay: 0.5
              max_delay: 5

            """.write(toFile: config, atomically: true, encoding: .utf8)

        let sessions = scratch.file("sessions.jsonl")
        try demoSessions(sessions, contexts: ["no_conv", "forum_0", "svs_no_conv"], personas: [0])
        let output = scratch.file("responses.jsonl.zst")
        let started = Date()
        let run = try runTool("query", [sessions, "--model", config, "-o", output, "-q"])
        let seconds = Date().timeIntervalSince(started)
        try #require(run.status == 0, "query exited \(run.status): \(run.stderr)\nserver log:\n\(server.logTail())")
        print("LlamaCppIntegrationTests: query took \(String(format: "%.1f", seconds)) s")

        let report = try ArtifactValidation.validate(file: output)
        #expect(report.ok, "\(report.problems)")
        #expect(report.kind == "responses")
        let records = try responses(output)
        #expect(records.count == 30 + 33 + 26)
        #expect(report.records == records.count)
        let keys = records.map { "\($0.session)#\($0.step)" }
        #expect(Set(keys).count == keys.count, "each (session, step) once")
        #expect(Set(records.map(\.context)) == ["no_conv", "forum_0", "svs_no_conv"])
        for r in records {
            let id = "\(r.context)/\(r.personaIndex)#\(r.step)"
            #expect(r.error == nil, "\(id): \(r.error ?? "")")
            #expect(r.finishReason?.isEmpty == false, "\(id): no finish_reason")
            #expect((r.usage?.promptTokens ?? 0) > 0, "\(id): no prompt tokens")
            #expect((r.usage?.completionTokens ?? 0) > 0, "\(id): no completion tokens")
            if r.kind == .conversation {
                #expect(r.content?.isEmpty == false, "\(id): empty conversation content")
            }
        }
        #expect(records.contains { $0.kind == .conversation }, "forum_0 has conversation turns")
        // Answers asked with logprobs carry the server's token alternatives, and parse can read letters from them.
        let answers = records.filter { $0.kind == .answer }
        #expect(answers.allSatisfy { ($0.topLogprobs?.isEmpty == false) }, "answers without top_logprobs")
        let parsed = try runTool("parse", ["--sessions", sessions, output, "--strategy", "logprobs", "-o", scratch.file("a.jsonl"), "-q"])
        #expect(parsed.status == 0, "\(parsed.stderr)")
    }
}
