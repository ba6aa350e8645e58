// The request chain, for `stick audit`: a session replayed from its recorded responses through the same
// engine that ran it (SessionEngine), so each step's request is rebuilt from the session, the recorded
// history (conversation replies, SVS letters) and the model config — never sent — and compared with
// what the record says was sent.
import Foundation
import StickArtifacts
import StickBackends

/// One replayed step: the request the engine builds now, the record of what was sent, and (for steps
/// the engine parses while running, the SVS ones) the letter it reads from the recorded reply.
public struct ReplayedStep: Sendable {
    public var session: String
    public var step: Int
    public var request: ChatRequest
    public var record: ResponseRecord
    public var expectedLetter: String?
    public var expectedFallback: Bool?
}

/// A step whose record disagrees with the replay: `field` of record (session, step), stored vs rebuilt.
public struct RequestMismatch: Error, Sendable, CustomStringConvertible {
    public var session: String
    public var step: Int
    public var field: String
    public var stored: String
    public var recomputed: String
    public var description: String {
        "session \(session) step \(step): \(field) is \(stored), the replay gives \(recomputed)"
    }
}

/// Replays sessions in the order given; in reference fallback mode the draws follow that order, as
/// when the run was made.
public final class RequestVerifier: @unchecked Sendable {
    private let engine: SessionEngine

    /// With `storedRequestsHashed` the caller has checked every stored request against its request_sha256:
    /// a rebuilt request equal to the stored one then has its hash, and is not encoded and hashed again.
    public init(config: ModelConfig, fallback: FallbackMode, storedRequestsHashed: Bool = false) {
        var engine = SessionEngine(config: config, backend: NeverCalledBackend(), retry: RetryPolicy(maxAttempts: 1),
                                   storeRequests: false, gate: RequestGate(limit: 1), fallbacks: FallbackSource(mode: fallback))
        engine.replayCheck = { try Self.check($0, storedRequestsHashed: storedRequestsHashed) }
        self.engine = engine
    }

    /// Parses a responses header's `fallback` param ("seeded:N" or "reference:N").
    public static func fallbackMode(_ text: String?) -> FallbackMode? {
        guard let text, let colon = text.firstIndex(of: ":"), let seed = UInt64(text[text.index(after: colon)...]) else { return nil }
        switch text[..<colon] {
        case "seeded": return .seeded(seed)
        case "reference": return .reference(seed)
        default: return nil
        }
    }

    /// Replays `session` from `records` (by step); throws the `RequestMismatch` of the lowest step (PVQ
    /// items replay concurrently: the lowest, not the first found, so the report is the same every time),
    /// or a StickError for a step the session asks that has no record. Returns the steps replayed.
    public func verify(_ session: SessionRecord, records: [Int: ResponseRecord]) async throws -> Set<Int> {
        let seen = StepSet()
        let mismatches = MismatchSet()
        var engine = self.engine
        let check = engine.replayCheck!
        // A mismatch is collected, not thrown: the replay goes on from the record, as the run did.
        engine.replayCheck = { step in
            seen.insert(step.step)
            do { try check(step) } catch let m as RequestMismatch { mismatches.insert(m) }
        }
        try await engine.run(session, done: records, emit: { _ in })
        if let first = mismatches.lowest { throw first }
        return seen.steps
    }

    /// Whether `a` and `b` encode to the same body: equal, doubles to the bit (-0 and 0 are == but written apart).
    static func sameBody(_ a: ChatRequest, _ b: ChatRequest) -> Bool {
        a == b && a.parameters.temperature.bitPattern == b.parameters.temperature.bitPattern
            && a.parameters.topP?.bitPattern == b.parameters.topP?.bitPattern
    }

    static func check(_ replayed: ReplayedStep, storedRequestsHashed: Bool) throws {
        let record = replayed.record
        func mismatch(_ field: String, _ stored: String, _ recomputed: String) -> RequestMismatch {
            RequestMismatch(session: replayed.session, step: replayed.step, field: field, stored: stored, recomputed: recomputed)
        }
        let equalToStoredHashed = storedRequestsHashed && record.request.map { sameBody($0, replayed.request) } == true
        if !equalToStoredHashed, case let rebuilt = SHA256Hex.of(replayed.request.body()), record.requestSHA256 != rebuilt {
            // Name the first message that differs when the request was stored.
            if let stored = record.request {
                if stored.model != replayed.request.model { throw mismatch("request.model", stored.model, replayed.request.model) }
                if stored.parameters != replayed.request.parameters {
                    throw mismatch("request.parameters", "\(stored.parameters)", "\(replayed.request.parameters)")
                }
                for (i, pair) in zip(stored.messages, replayed.request.messages).enumerated() where pair.0 != pair.1 {
                    throw mismatch("request.messages[\(i)]", "\(pair.0.role): \(AuditText.clip(pair.0.content))",
                                   "\(pair.1.role): \(AuditText.clip(pair.1.content))")
                }
                if stored.messages.count != replayed.request.messages.count {
                    throw mismatch("request.messages", "\(stored.messages.count) messages", "\(replayed.request.messages.count) messages")
                }
            }
            throw mismatch("request_sha256", record.requestSHA256, rebuilt)
        }
        if let letter = replayed.expectedLetter, record.letter != letter {
            throw mismatch("letter", record.letter.map { "\"\($0)\"" } ?? "absent", "\"\(letter)\"")
        }
        if let fallback = replayed.expectedFallback, record.fallback != fallback {
            throw mismatch("fallback", record.fallback.map { "\($0)" } ?? "absent", "\(fallback)")
        }
    }
}

/// Short one-line renderings of stored and recomputed values for messages.
public enum AuditText {
    public static func clip(_ text: String, _ limit: Int = 80) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "\\n")
        return flat.count <= limit ? "\"\(flat)\"" : "\"\(flat.prefix(limit))…\""
    }
}

private final class StepSet: @unchecked Sendable {
    private var set = Set<Int>()
    private let lock = NSLock()
    func insert(_ step: Int) { lock.lock(); set.insert(step); lock.unlock() }
    var steps: Set<Int> { lock.lock(); defer { lock.unlock() }; return set }
}

private final class MismatchSet: @unchecked Sendable {
    private var all: [RequestMismatch] = []
    private let lock = NSLock()
    func insert(_ m: RequestMismatch) { lock.lock(); all.append(m); lock.unlock() }
    var lowest: RequestMismatch? { lock.lock(); defer { lock.unlock() }; return all.min { $0.step < $1.step } }
}

/// The backend of a replay: every step comes from a record, so nothing is ever sent.
private struct NeverCalledBackend: ChatBackend {
    func complete(_ request: ChatRequest, context: RequestContext) async throws -> ChatResult {
        throw StickError("the audit sends no requests")
    }
    func shutdown() async {}
}
