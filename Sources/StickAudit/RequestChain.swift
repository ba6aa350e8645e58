// The request chain of a responses artifact: each stored request hashes to its request_sha256, and each
// step's request is the one the session engine builds from the session and the recorded history.
import Foundation
import StickArtifacts
import StickQuery

enum RequestChain {
    /// Streams `responses` one session at a time (records come in (session, step) order, sessions in the
    /// sessions file's order); returns a summary, throws naming the first record (file:line) that differs.
    static func verify(sessions sessionsPath: String, responses responsesPath: String, responsesName: String,
                       config: ModelConfig, fallback: FallbackMode) async throws -> String {
        let sessionsReader = try JSONLReader<SessionRecord>(path: sessionsPath, kind: .sessions)
        var sessions: [String: (order: Int, record: SessionRecord)] = [:]
        while let (line, s) = try sessionsReader.next() {
            if let problem = s.inconsistency() { throw StickError("session '\(s.id)' \(problem)", file: sessionsReader.name, line: line) }
            guard sessions[s.id] == nil else { throw StickError("session id '\(s.id)' appears twice", file: sessionsReader.name, line: line) }
            sessions[s.id] = (sessions.count, s)
        }
        sessionsReader.close()

        let verifier = RequestVerifier(config: config, fallback: fallback)
        let reader = try JSONLReader<ResponseRecord>(path: responsesPath, kind: .responses)
        defer { reader.close() }
        var current: String?
        var records: [Int: ResponseRecord] = [:]
        var lines: [Int: Int] = [:]
        var lastOrder = -1
        var verified = 0, storedRequests = 0
        var seen = Set<String>()

        func finish() async throws {
            guard let id = current, let session = sessions[id]?.record else { return }
            let replayed: Set<Int>
            do { replayed = try await verifier.verify(session, records: records) } catch let m as RequestMismatch {
                throw AuditFailure("\(responsesName):\(lines[m.step] ?? 0): session \(m.session) step \(m.step): \(m.field): "
                    + "stored \(m.stored), rebuilt \(m.recomputed)")
            } catch let e as StickError {
                throw AuditFailure("\(responsesName): \(e.description)")
            }
            if let extra = records.keys.filter({ !replayed.contains($0) }).min() {
                throw AuditFailure("\(responsesName):\(lines[extra]!): session \(id) step \(extra) is a response the session never asks "
                    + "(an earlier step failed or the record is foreign)")
            }
            verified += records.count
        }

        while let (line, r) = try reader.next() {
            if let request = r.request {
                storedRequests += 1
                let sha = SHA256Hex.of(request.body())
                guard sha == r.requestSHA256 else {
                    throw AuditFailure("\(responsesName):\(line): session \(r.session) step \(r.step): request_sha256: "
                        + "stored \(r.requestSHA256), the stored request hashes to \(sha)")
                }
            }
            if r.session != current {
                try await finish()
                guard let order = sessions[r.session]?.order else {
                    throw AuditFailure("\(responsesName):\(line): session '\(r.session)' is not in the sessions")
                }
                guard order > lastOrder else {
                    throw AuditFailure("\(responsesName):\(line): session '\(r.session)' comes out of the sessions' order (or twice)")
                }
                lastOrder = order
                seen.insert(r.session)
                current = r.session
                records = [:]
                lines = [:]
            }
            guard records[r.step] == nil else {
                throw AuditFailure("\(responsesName):\(line): session \(r.session) step \(r.step) appears twice (first on line \(lines[r.step]!))")
            }
            records[r.step] = r
            lines[r.step] = line
        }
        try await finish()
        if let missing = sessions.filter({ !seen.contains($0.key) }).min(by: { $0.value.order < $1.value.order }) {
            throw AuditFailure("\(responsesName): session '\(missing.key)' has no responses")
        }
        let answered = sessions.count
        return "\(verified) requests rebuilt (\(storedRequests) stored requests hash to their sha256), \(answered) sessions"
    }
}
