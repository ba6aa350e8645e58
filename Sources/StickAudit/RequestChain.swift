// The request chain of a responses artifact: each stored request hashes to its request_sha256, and each
// step's request is the one the session engine builds from the session and the recorded history.
// Sessions are replayed in parallel: a session's requests depend only on its own history, except the
// reference-mode fallback draws, which follow the sessions' file order within a context — so in that
// mode the sessions of one context are replayed one after another (contexts still in parallel).
import Foundation
import StickArtifacts
import StickQuery

enum RequestChain {
    struct Summary {
        /// Records whose request was rebuilt and matched.
        var rebuilt = 0
        /// Records that carry the request itself (the rest carry only its sha256: `query --no-requests`).
        var storedRequests = 0
        var sessions = 0
    }

    /// A session's records, as read, to replay.
    struct SessionRecords: Sendable {
        var session: SessionRecord
        var records: [Int: ResponseRecord] = [:]
        var lines: [Int: Int] = [:]
    }

    /// A session's lines, undecoded: the reader only splits the file by session, the replays decode.
    struct SessionLines: Sendable {
        var session: SessionRecord
        var lines: [(number: Int, bytes: [UInt8])] = []
    }

    /// Streams `responses` one session at a time (records come in (session, step) order, sessions in the
    /// sessions file's order) and replays each; throws naming the first record (file:line) that differs —
    /// the first by file order, whichever replay finishes first.
    static func verify(sessions sessionsPath: String, responses responsesPath: String, responsesName: String,
                       config: ModelConfig, fallback: FallbackMode, storeRequests: Bool?) async throws -> Summary {
        let sessionsReader = try JSONLReader<SessionRecord>(path: sessionsPath, kind: .sessions)
        var sessions: [String: (order: Int, record: SessionRecord)] = [:]
        while let (line, s) = try sessionsReader.next() {
            if let problem = s.inconsistency() { throw StickError("session '\(s.id)' \(problem)", file: sessionsReader.name, line: line) }
            guard sessions[s.id] == nil else { throw StickError("session id '\(s.id)' appears twice", file: sessionsReader.name, line: line) }
            sessions[s.id] = (sessions.count, s)
        }
        sessionsReader.close()

        // Each session's stored requests are checked against their hashes before it is replayed (decode).
        let verifier = RequestVerifier(config: config, fallback: fallback, storedRequestsHashed: true)
        let storedRequests = AtomicCount()
        let referenceDraws: Bool = { if case .reference = fallback { return true }; return false }()
        let reader = try LineReader(path: responsesPath)
        defer { reader.close() }
        _ = try reader.nextNonBlank()  // the header, checked by the audit already
        let decoder = JSONDecoder()
        var current: SessionLines?
        var lastOrder = -1
        var summary = Summary()
        var seen = Set<String>()

        // Replays in flight, oldest first: awaited in that order, so the first failure met is the earliest
        // session's. A window bounds the lines held in memory.
        var inFlight: [Task<Result<Int, AuditFailure>, Never>] = []
        let window = max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)
        // Reference mode: the last replay of each context, which the next one of that context waits for.
        var contextTails: [String: Task<Result<Int, AuditFailure>, Never>] = [:]

        func awaitOldest() async throws {
            let outcome = await inFlight.removeFirst().value
            switch outcome {
            case .success(let n): summary.rebuilt += n
            case .failure(let failure): throw failure
            }
        }
        func drain() async throws {
            while !inFlight.isEmpty { try await awaitOldest() }
        }
        func dispatch() async throws {
            guard let work = current else { return }
            current = nil
            let previous = referenceDraws ? contextTails[work.session.context] : nil
            let task = Task { () -> Result<Int, AuditFailure> in
                if let previous { _ = await previous.value }
                return await replay(work, verifier: verifier, responsesName: responsesName, storeRequests: storeRequests,
                                    storedRequests: storedRequests)
            }
            if referenceDraws { contextTails[work.session.context] = task }
            inFlight.append(task)
            if inFlight.count >= window { try await awaitOldest() }
        }

        do {
            while let raw = try reader.nextNonBlank() {
                let line = reader.lineNumber
                // The session a line belongs to, read without decoding the record (the replay decodes it and
                // checks it says the same); a line the scan cannot read is decoded here, for its error.
                let id: String
                if let scanned = topLevelString(raw, key: sessionKey) {
                    id = scanned
                } else {
                    do { id = try decoder.decode(ResponseRecord.self, from: Data(raw)).session } catch {
                        throw StickError(describeDecodingError(error), file: responsesName, line: line)
                    }
                }
                if id != current?.session.id {
                    try await dispatch()
                    guard let (order, session) = sessions[id] else {
                        throw AuditFailure("\(responsesName):\(line): session '\(id)' is not in the sessions")
                    }
                    guard order > lastOrder else {
                        throw AuditFailure("\(responsesName):\(line): session '\(id)' comes out of the sessions' order (or twice)")
                    }
                    lastOrder = order
                    seen.insert(id)
                    current = SessionLines(session: session)
                }
                current!.lines.append((line, Array(raw)))
            }
            try await dispatch()
        } catch {
            // A replay still running covers earlier lines than any reading error, and so do the lines read
            // of the session at hand: their failures come first.
            try await drain()
            if let work = current, case .failure(let failure) = decode(work, responsesName: responsesName, storeRequests: storeRequests) {
                throw failure
            }
            throw error
        }
        try await drain()
        if let missing = sessions.filter({ !seen.contains($0.key) }).min(by: { $0.value.order < $1.value.order }) {
            throw AuditFailure("\(responsesName): session '\(missing.key)' has no responses")
        }
        summary.sessions = sessions.count
        summary.storedRequests = storedRequests.value
        return summary
    }

    /// Decodes one session's records, checks its stored requests against their hashes (in line order),
    /// then replays it; the number of records rebuilt, or the failure naming its first record.
    static func replay(_ raw: SessionLines, verifier: RequestVerifier, responsesName: String,
                       storeRequests: Bool?, storedRequests: AtomicCount) async -> Result<Int, AuditFailure> {
        let work: SessionRecords
        switch decode(raw, responsesName: responsesName, storeRequests: storeRequests) {
        case .success(let w): work = w
        case .failure(let f): return .failure(f)
        }
        let id = work.session.id
        storedRequests.add(work.records.values.reduce(0) { $0 + ($1.request == nil ? 0 : 1) })
        let replayed: Set<Int>
        do { replayed = try await verifier.verify(work.session, records: work.records) } catch let m as RequestMismatch {
            return .failure(AuditFailure("\(responsesName):\(work.lines[m.step] ?? 0): session \(m.session) step \(m.step): \(m.field): "
                + "stored \(m.stored), rebuilt \(m.recomputed)"))
        } catch {
            return .failure(AuditFailure("\(responsesName): \(error)"))
        }
        if let extra = work.records.keys.filter({ !replayed.contains($0) }).min() {
            return .failure(AuditFailure("\(responsesName):\(work.lines[extra]!): session \(id) step \(extra) is a response the "
                + "session never asks (an earlier step failed or the record is foreign)"))
        }
        return .success(work.records.count)
    }

    /// A session's records decoded (each naming the session, no step twice) with their stored requests
    /// checked against their hashes, or the failure of the first line (by line) that fails.
    static func decode(_ raw: SessionLines, responsesName: String, storeRequests: Bool?) -> Result<SessionRecords, AuditFailure> {
        let id = raw.session.id
        var work = SessionRecords(session: raw.session)
        let decoder = JSONDecoder()
        for (line, bytes) in raw.lines {
            let r: ResponseRecord
            do { r = try decoder.decode(ResponseRecord.self, from: Data(bytes)) } catch {
                return .failure(AuditFailure("\(responsesName):\(line): \(describeDecodingError(error))"))
            }
            guard r.session == id else {
                return .failure(AuditFailure("\(responsesName):\(line): the record names session '\(r.session)' and '\(id)' (a key twice)"))
            }
            if let first = work.lines[r.step] {
                return .failure(AuditFailure("\(responsesName):\(line): session \(id) step \(r.step) appears twice (first on line \(first))"))
            }
            work.records[r.step] = r
            work.lines[r.step] = line
        }
        if let failure = storedRequestsFailure(work, responsesName: responsesName, storeRequests: storeRequests) { return .failure(failure) }
        return .success(work)
    }

    /// The first record (by line) whose stored request does not hash to its request_sha256, or that has
    /// no request where the header says requests were stored.
    static func storedRequestsFailure(_ work: SessionRecords, responsesName: String, storeRequests: Bool?) -> AuditFailure? {
        for (step, line) in work.lines.sorted(by: { $0.value < $1.value }) {
            let r = work.records[step]!
            if let request = r.request {
                let sha = SHA256Hex.of(request.body())
                if sha != r.requestSHA256 {
                    return AuditFailure("\(responsesName):\(line): session \(work.session.id) step \(step): request_sha256: "
                        + "stored \(r.requestSHA256), the stored request hashes to \(sha)")
                }
            } else if storeRequests == true {
                return AuditFailure("\(responsesName):\(line): session \(work.session.id) step \(step): the header says requests "
                    + "were stored (store_requests true), this record has none")
            }
        }
        return nil
    }

    static let sessionKey = Array("session".utf8)

    /// The value of top-level key `key` of the JSON object in `line` when it is a string without escapes;
    /// nil when the line is not such an object, the key is absent or its value is anything else.
    static func topLevelString(_ line: ArraySlice<UInt8>, key: [UInt8]) -> String? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var i = line.startIndex
        let end = line.endIndex
        func skipSpace() { while i < end, line[i] == 0x20 || line[i] == 0x09 || line[i] == 0x0A || line[i] == 0x0D { i += 1 } }
        /// Past the string starting at `i` (a quote); whether it held an escape. False at the end of input.
        func skipString(escaped: inout Bool) -> Bool {
            i += 1
            while i < end {
                if line[i] == backslash { escaped = true; i += 2; continue }
                if line[i] == quote { i += 1; return true }
                i += 1
            }
            return false
        }
        skipSpace()
        guard i < end, line[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        while true {
            skipSpace()
            guard i < end, line[i] == quote else { return nil }
            let keyStart = i + 1
            var escaped = false
            guard skipString(escaped: &escaped) else { return nil }
            let isKey = !escaped && line[keyStart..<(i - 1)].elementsEqual(key)
            skipSpace()
            guard i < end, line[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            guard i < end else { return nil }
            if isKey {
                guard line[i] == quote else { return nil }
                let valueStart = i + 1
                var valueEscaped = false
                guard skipString(escaped: &valueEscaped), !valueEscaped else { return nil }
                return String(decoding: line[valueStart..<(i - 1)], as: UTF8.self)
            }
            // Skip the value: a string, a nested object or array (strings inside skipped whole), or a scalar.
            var depth = 0
            while i < end {
                let c = line[i]
                if c == quote {
                    var ignored = false
                    guard skipString(escaped: &ignored) else { return nil }
                    if depth == 0 { break }
                    continue
                }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    depth += 1
                } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    if depth == 0 { break }
                    depth -= 1
                    if depth == 0 { i += 1; break }
                } else if c == UInt8(ascii: ","), depth == 0 {
                    break
                }
                i += 1
            }
            skipSpace()
            guard i < end, line[i] == UInt8(ascii: ",") else { return nil }
            i += 1
        }
    }
}

/// A count the replays add to as they finish.
final class AtomicCount: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()
    func add(_ n: Int) { lock.lock(); count += n; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
