// Retries with exponential backoff and full jitter, honouring Retry-After, for a bounded number of attempts.
import Foundation
import StickArtifacts

extension RetryPolicy {
    /// The wait before attempt `attempt` (1-based; attempt 1 follows the first failure).
    public func delay(before attempt: Int, retryAfter: Double?) -> Double {
        let ceiling = min(maxDelay, initialDelay * pow(2, Double(attempt - 1)))
        let jittered = Double.random(in: 0...ceiling)
        return max(jittered, min(retryAfter ?? 0, maxDelay))
    }
}

public struct AttemptOutcome: Sendable {
    public var result: Result<ChatResult, BackendError>
    public var attempts: Int
}

/// Runs `request` against `backend` until it succeeds, fails for good, or runs out of attempts.
public func completeWithRetries(_ backend: ChatBackend, _ request: ChatRequest, context: RequestContext,
                                policy: RetryPolicy) async throws -> AttemptOutcome {
    var attempt = 0
    while true {
        attempt += 1
        do {
            return AttemptOutcome(result: .success(try await backend.complete(request, context: context)), attempts: attempt)
        } catch let error as BackendError {
            guard error.retryable, attempt < policy.maxAttempts else {
                return AttemptOutcome(result: .failure(error), attempts: attempt)
            }
            let wait = policy.delay(before: attempt, retryAfter: error.retryAfter)
            try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
        }
    }
}
