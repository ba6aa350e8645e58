// Retries with exponential backoff and full jitter, honouring Retry-After, for a bounded number of attempts.
// An attempt that broke off in transit (the connection reset or closed under it, or a 200 whose body is not
// JSON) is retried once at once: such faults are one-off, and on a long sequential chain (SVS: 61 calls in a
// row) a backoff after each of them is most of the run's time. Later failures of the call back off as usual.
import Foundation
import StickArtifacts

extension RetryPolicy {
    /// The wait before the `backoff`-th backed-off retry (1-based): full jitter under an exponential ceiling,
    /// but never less than the server's Retry-After (both capped at `maxDelay`).
    public func delay(before backoff: Int, retryAfter: Double?) -> Double {
        let ceiling = min(maxDelay, initialDelay * pow(2, Double(backoff - 1)))
        let jittered = Double.random(in: 0...ceiling)
        return max(jittered, min(retryAfter ?? 0, maxDelay))
    }
}

public struct AttemptOutcome: Sendable {
    public var result: Result<ChatResult, BackendError>
    public var attempts: Int
}

/// How a retry waits (seconds); tests pass a recorder instead of a clock.
public typealias RetrySleep = @Sendable (Double) async throws -> Void

public let taskSleep: RetrySleep = { seconds in try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) }

/// Runs `request` against `backend` until it succeeds, fails for good, or runs out of attempts. The first
/// `retryAtOnce` failure of a call is retried without waiting, at the same endpoint; every other retryable failure waits
/// `policy.delay` (the n-th such wait with ceiling `initialDelay · 2^(n-1)`, at least Retry-After) and is then
/// sent to another endpoint when there is one with room.
public func completeWithRetries(_ backend: ChatBackend, _ request: ChatRequest, context: RequestContext,
                                policy: RetryPolicy, sleep: RetrySleep = taskSleep) async throws -> AttemptOutcome {
    var attempt = 0
    var backoffs = 0
    var retriedAtOnce = false
    var context = context
    while true {
        attempt += 1
        do {
            return AttemptOutcome(result: .success(try await backend.complete(request, context: context)), attempts: attempt)
        } catch let error as BackendError {
            guard error.retryable, attempt < policy.maxAttempts else {
                return AttemptOutcome(result: .failure(error), attempts: attempt)
            }
            if error.retryAtOnce && !retriedAtOnce {
                retriedAtOnce = true
                context.endpoint = error.endpoint
                try Task.checkCancellation()
                continue
            }
            context.endpoint = nil
            context.avoidEndpoint = error.endpoint
            backoffs += 1
            try await sleep(policy.delay(before: backoffs, retryAfter: error.retryAfter))
        }
    }
}
