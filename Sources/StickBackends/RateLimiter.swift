// Requests-per-minute and tokens-per-minute limits: token buckets refilled continuously, which a call
// waits on before it is sent (tokens are estimated as prompt characters / 4 + max_tokens).
import Foundation
import StickArtifacts

public actor RateLimiter {
    private struct Bucket {
        var capacity: Double
        var level: Double
        var perSecond: Double
    }

    private var requests: Bucket?
    private var tokens: Bucket?
    private var last = DispatchTime.now()

    public init(_ limits: RateLimits) {
        // Bursts of at most one second's worth, so the limit holds over any window, not just per minute.
        requests = limits.requestsPerMinute.map { Bucket(capacity: max(1, $0 / 60), level: max(1, $0 / 60), perSecond: $0 / 60) }
        tokens = limits.tokensPerMinute.map { Bucket(capacity: max(1, $0 / 60), level: max(1, $0 / 60), perSecond: $0 / 60) }
    }

    private func refill() {
        let now = DispatchTime.now()
        let dt = Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9
        last = now
        if var r = requests { r.level = min(r.capacity, r.level + dt * r.perSecond); requests = r }
        if var t = tokens { t.level = min(t.capacity, t.level + dt * t.perSecond); tokens = t }
    }

    /// Waits until one request of about `estimatedTokens` tokens may go out, then takes it from the buckets.
    public func admit(estimatedTokens: Int) async throws {
        while true {
            refill()
            let needTokens = min(Double(estimatedTokens), tokens?.capacity ?? 0)
            var wait = 0.0
            if let r = requests, r.level < 1 { wait = max(wait, (1 - r.level) / r.perSecond) }
            if let t = tokens, t.level < needTokens { wait = max(wait, (needTokens - t.level) / t.perSecond) }
            if wait <= 0 {
                requests?.level -= 1
                tokens?.level -= needTokens
                return
            }
            try await Task.sleep(nanoseconds: UInt64(min(wait, 5) * 1e9))
        }
    }
}
