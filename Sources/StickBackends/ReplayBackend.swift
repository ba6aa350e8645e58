// Answers from earlier runs: a request is looked up by the sha256 of its exact body in responses
// artifacts (or a cache file of them); a request never seen before is a non-retryable error.
import Foundation
import StickArtifacts

public final class ReplayBackend: ChatBackend, @unchecked Sendable {
    let answers: [String: ChatResult]

    /// `recorded` maps request sha256 to the result recorded for it.
    public init(recorded: [String: ChatResult]) { answers = recorded }

    public func complete(_ request: ChatRequest, context: RequestContext) async throws -> ChatResult {
        let sha = context.requestSHA256 ?? SHA256Hex.of(request.body())
        guard let r = answers[sha] else {
            throw BackendError("replay: no recorded response for session \(context.sessionID) step \(context.step) "
                + "(request sha256 \(sha))", retryable: false)
        }
        return r
    }

    public func shutdown() async {}
}
