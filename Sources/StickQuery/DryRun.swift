// `query --dry-run`: the calls each context will make and an estimate of their tokens, from the real
// prompts with placeholder replies as long as max_tokens allows (so the estimate is an upper bound
// for completions). Tokens are estimated as characters / 4.
import Foundation
import StickArtifacts
import StickBackends

struct PlaceholderBackend: ChatBackend {
    func complete(_ request: ChatRequest, context: RequestContext) async throws -> ChatResult {
        let promptChars = request.messages.reduce(0) { $0 + $1.content.count }
        if let letters = context.answerLetters {
            let text = "(\(letters[0]))"
            return ChatResult(content: text, finishReason: "stop",
                              usage: TokenUsage(promptTokens: (promptChars + 3) / 4, completionTokens: request.parameters.maxTokens))
        }
        let text = String(repeating: "x", count: request.parameters.maxTokens * 4)
        return ChatResult(content: text, finishReason: "length",
                          usage: TokenUsage(promptTokens: (promptChars + 3) / 4, completionTokens: request.parameters.maxTokens))
    }

    func shutdown() async {}
}

public struct DryRunLine: Sendable {
    public var context: String
    public var sessions: Int
    public var calls: Int
    public var promptTokens: Int
    public var completionTokens: Int
}

actor DryRunTally {
    var lines: [String: DryRunLine] = [:]
    var order: [String] = []

    func add(_ r: ResponseRecord) {
        if lines[r.context] == nil {
            lines[r.context] = DryRunLine(context: r.context, sessions: 0, calls: 0, promptTokens: 0, completionTokens: 0)
            order.append(r.context)
        }
        lines[r.context]!.calls += 1
        lines[r.context]!.promptTokens += r.usage?.promptTokens ?? 0
        lines[r.context]!.completionTokens += r.usage?.completionTokens ?? 0
    }

    func session(_ context: String) {
        if lines[context] == nil {
            lines[context] = DryRunLine(context: context, sessions: 0, calls: 0, promptTokens: 0, completionTokens: 0)
            order.append(context)
        }
        lines[context]!.sessions += 1
    }

    func result() -> [DryRunLine] { order.map { lines[$0]! } }
}

extension QueryRunner {
    public static func dryRun(config: ModelConfig, sessions path: String) async throws -> [DryRunLine] {
        let reader = try JSONLReader<SessionRecord>(path: path, kind: .sessions)
        defer { reader.close() }
        let engine = SessionEngine(config: config, backend: PlaceholderBackend(), retry: RetryPolicy(maxAttempts: 1),
                                   storeRequests: false, gate: RequestGate(limit: 64), fallbacks: FallbackSource(mode: .seeded(0)))
        let tally = DryRunTally()
        while let (_, session) = try reader.next() {
            await tally.session(session.context)
            try await engine.run(session, done: [:]) { await tally.add($0) }
        }
        return await tally.result()
    }
}
