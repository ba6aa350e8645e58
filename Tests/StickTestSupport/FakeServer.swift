// The deterministic fake OpenAI server (../shared/tools/fake-openai-server.py) and running `query` in process
// against it: model configs, demo sessions, reading responses back.
import Foundation
import StickArtifacts
import StickBackends
import StickDataset
import StickGenPrompts
import StickQuery

/// ../shared/tools/fake-openai-server.py on a free loopback port.
package final class FakeOpenAIServer: PythonServer, @unchecked Sendable {
    package var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    package static var script: String? {
        let p = TestPaths.shared.appendingPathComponent("tools/fake-openai-server.py").path
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }

    package init(salt: String = "dev-1", flags: [String] = []) throws {
        let portFile = NSTemporaryDirectory() + "fake-port-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: portFile) }
        try super.init(arguments: [Self.script!, "--salt", salt, "--port", "0", "--port-file", portFile] + flags, portFile: portFile)
    }
}

package func modelConfig(_ name: String, endpoint: String, cot: Bool = false, timeout: Double = 30, attempts: Int = 8,
                 concurrency: Int = 8) -> ModelConfig {
    ModelConfig(name: name, backend: .openai, endpoints: [endpoint], model: "model", cot: cot,
                timeoutSeconds: timeout, retry: RetryPolicy(maxAttempts: attempts, initialDelay: 0.01, maxDelay: 0.1),
                concurrency: concurrency)
}

package func runQuery(_ config: ModelConfig, sessions: String, output: String, fallback: FallbackMode = .seeded(0),
              concurrency: Int? = nil) async throws -> QuerySummary {
    let backend = try config.makeBackend()
    defer { Task { await backend.shutdown() } }
    return try await QueryRunner.run(config: config, configSHA256: SHA256Hex.of(config.name), backend: backend,
                                     options: QueryOptions(sessions: sessions, output: output, concurrency: concurrency,
                                                           fallback: fallback, progress: .quiet))
}

package func responses(_ path: String) throws -> [ResponseRecord] {
    let reader = try JSONLReader<ResponseRecord>(path: path, kind: .responses)
    return try reader.readAll()
}

/// A record without the fields that depend on timing.
package func timeless(_ r: ResponseRecord) -> ResponseRecord {
    var c = r
    c.latencyMS = 0
    c.attempts = 1
    return c
}

package func demoSessions(_ file: String, contexts: [String]? = nil, personas: Set<Int>? = nil) throws {
    let demo = try Dataset.load("demo")
    let (design, sha, source) = try Design.load("demo")
    try GenPrompts.run(dataset: demo, design: design, designSHA256: sha, designSource: source,
                       selection: .init(contexts: contexts, personas: personas), output: file)
}

package let fakeServerAvailable = FakeOpenAIServer.script != nil

/// Writes a model config file: the reference's defaults (system role, no CoT, turns 0.7/100, answers 0/10)
/// plus `extra` YAML lines.
package func writeModelConfig(_ path: String, name: String, backend: String, model: String = "model", extra: [String]) throws {
    let lines = ["stick: model", "version: 1", "name: \(name)", "backend: \(backend)", "model: \(model)",
                 "system_message: true", "cot: false", "reasoning: none",
                 "conversation: {temperature: 0.7, max_tokens: 100, n: 1}", "answers: {temperature: 0, max_tokens: 10}"] + extra
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
}

