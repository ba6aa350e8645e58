// query against concurrent runs and leaky configs (issue: hardening): a second `query` on the same
// output is refused while the first runs, and credentials in an endpoint URL never reach a record,
// the journal or the console.
import Foundation
import StickArtifacts
import StickQuery
import StickTestSupport
import Testing

@Suite struct QueryHardeningTests {
    func sessions(_ scratch: ScratchDirectory, personas: String) throws -> String {
        let path = scratch.file("s.jsonl")
        let gen = try runTool("gen-prompts", ["demo", "--contexts", "no_conv", "--personas", personas, "-q", "-o", path])
        try #require(gen.status == 0, "\(gen.stderr)")
        return path
    }

    func config(_ scratch: ScratchDirectory, endpoint: String, attempts: Int = 4, concurrency: Int = 2,
                timeout: Double = 10) throws -> String {
        let path = scratch.file("model.yaml")
        try Data("""
            stick: model
            version: 1
            name: fake
            backend: openai
            endpoints: ["\(endpoint)"]
            model: model
            system_message: true
            cot: false
            reasoning: none
            conversation: {temperature: 0.7, max_tokens: 100, n: 1}
            answers: {temperature: 0, max_tokens: 10}
            concurrency: \(concurrency)
            timeout_seconds: \(timeout)
            retry: {max_attempts: \(attempts), initial_delay: 0.01, max_delay: 0.05}

            """.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a second query on the same output fails at once naming the first; the first finishes intact")
    func concurrentRunsOnOneOutput() throws {
        guard FakeOpenAIServer.script != nil else { print("skipped: no fake server script"); return }
        let server = try FakeOpenAIServer(flags: ["--latency-ms", "40"])
        defer { server.stop() }
        let scratch = try ScratchDirectory()
        let s = try sessions(scratch, personas: "0-9")
        let model = try config(scratch, endpoint: server.baseURL)
        let output = scratch.file("r.jsonl")

        let first = try BackgroundProcess(TestPaths.binaries.appendingPathComponent("query").path, [s, "--model", model, "-o", output, "-q"])
        var journalStarted = false
        for _ in 0..<500 where !journalStarted {
            Thread.sleep(forTimeInterval: 0.01)
            journalStarted = FileManager.default.fileExists(atPath: output + ".partial")
        }
        try #require(journalStarted && first.isRunning, "the first run ended before the second could start")

        let second = try runTool("query", [s, "--model", model, "-o", output, "-q"])
        let stillRunning = first.isRunning
        #expect(second.status == 1)
        #expect(second.stderr.contains("is being written by another process (pid \(first.pid) on "), "\(second.stderr)")
        #expect(stillRunning, "the second run should fail before the first ends")
        // --force does not take the output from a running process either.
        let forced = try runTool("query", [s, "--model", model, "-o", output, "-q", "--force"])
        #expect(forced.status == 1)
        #expect(forced.stderr.contains("another process"), "\(forced.stderr)")

        #expect(first.wait(seconds: 120) == 0)
        #expect(!FileManager.default.fileExists(atPath: output + ".lock"))
        let records = try responses(output)
        #expect(records.count == 300)
        #expect(Set(records.map { "\($0.session)#\($0.step)" }).count == 300)
        let validation = try runTool("stick", ["validate", output])
        #expect(validation.status == 0, "\(validation.stdoutText)")
        // The lock is gone with the first run: a rerun is the usual no-op.
        #expect(try runTool("query", [s, "--model", model, "-o", output, "-q"]).status == 0)
    }

    @Test("credentials and queries in an endpoint URL reach no record, journal or message")
    func credentialsInEndpoint() throws {
        let scratch = try ScratchDirectory()
        let s = try sessions(scratch, personas: "0")
        // Port 9 (discard) refuses connections: every call fails and is recorded with its error (the
        // HTTP client retries a refused connection until the timeout: keep it short).
        let model = try config(scratch, endpoint: "http://alice:hunter2@127.0.0.1:9/v1?api_key=s3cr3t", attempts: 1,
                               concurrency: 16, timeout: 0.5)
        let output = scratch.file("r.jsonl")
        let r = try runTool("query", [s, "--model", model, "-o", output])
        #expect(r.status != 0)
        let journal = try String(contentsOfFile: output + ".partial", encoding: .utf8)
        #expect(journal.contains("\"error\""), "no error records: \(journal.prefix(500))")
        #expect(journal.contains("127.0.0.1:9"), "the endpoint should still be named")
        for secret in ["hunter2", "alice", "s3cr3t"] {
            #expect(!journal.contains(secret), "\(secret) in the journal")
            #expect(!r.stderr.contains(secret), "\(secret) in the messages: \(r.stderr)")
        }
    }

    @Test("URLs in messages lose user info and queries")
    func redaction() {
        #expect(Redaction.urls(in: "http://u:p@h:1/v1/chat?key=x failed") == "http://REDACTED@h:1/v1/chat?REDACTED failed")
        #expect(Redaction.urls(in: "(https://h/v1#frag) and 'http://a@b'") == "(https://h/v1#frag) and 'http://REDACTED@b'")
        #expect(Redaction.urls(in: "no url: a@b?c") == "no url: a@b?c")
    }
}
