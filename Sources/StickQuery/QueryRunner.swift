// The query stage as a library call: sessions + model config → responses artifact, with bounded
// concurrency, retries, and resume. Records are appended to a journal (`OUTPUT.partial`) as calls
// finish; a rerun of the same command replays the journal and sends only what is missing or failed.
// When every call has succeeded the journal is written out in (session, step) order as OUTPUT.
import Foundation
import StickArtifacts
import StickBackends

public struct QueryOptions: Sendable {
    public var sessions: String
    public var output: String
    public var concurrency: Int?
    public var fallback: FallbackMode
    public var storeRequests: Bool
    public var progress: ProgressStyle
    public var progressInterval: Double
    /// Start over: discard an existing output and journal.
    public var force: Bool

    public enum ProgressStyle: Sendable { case quiet, lines, bar }

    public init(sessions: String, output: String, concurrency: Int? = nil, fallback: FallbackMode = .seeded(0),
                storeRequests: Bool = true, progress: ProgressStyle = .lines, progressInterval: Double = 5,
                force: Bool = false) {
        self.force = force
        self.sessions = sessions
        self.output = output
        self.concurrency = concurrency
        self.fallback = fallback
        self.storeRequests = storeRequests
        self.progress = progress
        self.progressInterval = progressInterval
    }
}

public struct QuerySummary: Sendable {
    public var expectedCalls: Int
    public var succeeded: Int
    public var failed: Int
    public var replayed: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var seconds: Double
    public var complete: Bool { failed == 0 && succeeded == expectedCalls }
}

/// Appends records to the journal; one `write` per record, so a kill leaves at most a torn last line.
actor Journal {
    private let handle: FileHandle
    private var offset: UInt64
    /// Where the latest record of each (session, step) lies, so the final artifact is written without
    /// parsing the journal again.
    private(set) var index: [JournalKey: JournalEntry]
    /// Session id → its ordinal in the sessions file.
    private let order: [String: Int]

    init(handle: FileHandle, offset: UInt64, index: [JournalKey: JournalEntry], order: [String: Int]) {
        self.handle = handle
        self.offset = offset
        self.index = index
        self.order = order
    }

    func append(_ record: ResponseRecord) throws {
        var data = record.jsonLine()
        data.append(0x0A)
        try handle.write(contentsOf: data)
        JournalEntry.note(record, sessionOrdinal: order[record.session]!, offset: offset, length: data.count - 1, in: &index)
        offset += UInt64(data.count)
    }

    func close() throws { try handle.close() }
}

/// (session ordinal in the sessions file, step) packed into one integer: compact in memory, and its
/// order is the artifact's order.
public struct JournalKey: Hashable, Comparable, Sendable {
    let packed: Int

    init(sessionOrdinal: Int, step: Int) {
        precondition(step >= 0 && step < 1 << 24, "step out of range")
        packed = sessionOrdinal << 24 | step
    }

    public static func < (a: JournalKey, b: JournalKey) -> Bool { a.packed < b.packed }
}

public struct JournalEntry: Sendable {
    var offset: UInt64
    var length: Int
    var ok: Bool
    var promptTokens: Int
    var completionTokens: Int

    /// A success is never replaced by a later record of the same call (successes are not re-sent).
    static func note(_ r: ResponseRecord, sessionOrdinal: Int, offset: UInt64, length: Int,
                     in index: inout [JournalKey: JournalEntry]) {
        let key = JournalKey(sessionOrdinal: sessionOrdinal, step: r.step)
        if let existing = index[key], existing.ok { return }
        index[key] = JournalEntry(offset: offset, length: length, ok: r.error == nil,
                                  promptTokens: r.usage?.promptTokens ?? 0, completionTokens: r.usage?.completionTokens ?? 0)
    }
}

public enum QueryRunner {
    static let journalSuffix = ".partial"

    public static func run(config: ModelConfig, configSHA256: String, backend: ChatBackend,
                           options: QueryOptions) async throws -> QuerySummary {
        let started = DispatchTime.now()
        // Sessions: spooled to a file first (streaming) when they come from stdin, so they can be hashed
        // and re-read.
        var sessionsPath = options.sessions
        var spool: String?
        let sessionsSHA: String
        if sessionsPath == "-" {
            spool = NSTemporaryDirectory() + "stick-sessions-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
            sessionsPath = spool!
            sessionsSHA = try Inputs.spool("-", to: sessionsPath).sha256
        } else {
            sessionsSHA = try SHA256Hex.ofFile(sessionsPath).sha256
        }
        defer { if let spool { try? FileManager.default.removeItem(atPath: spool) } }
        // First pass: ids and call counts only, so memory stays flat however many sessions there are.
        struct SessionSketch: Decodable { var id: String; var calls: Int; var procedure: Procedure }
        let sketches = try JSONLReader<SessionSketch>(path: sessionsPath, kind: .sessions)
        var order: [String: Int] = [:]
        var callsOf: [String: Int] = [:]
        // Lines of sessions whose calls form one long sequential chain (SVS: ~60 calls in a row); they
        // start first so that they do not become the tail of the run.
        var sequentialLines = Set<Int>()
        while let (line, s) = try sketches.next() {
            guard order[s.id] == nil else { throw StickError("session id '\(s.id)' appears twice", file: options.sessions, line: line) }
            guard (1...SessionRecord.maxCalls).contains(s.calls) else {
                throw StickError("session '\(s.id)' has \(s.calls) calls (1 to \(SessionRecord.maxCalls))", file: sketches.name, line: line)
            }
            order[s.id] = order.count
            callsOf[s.id] = s.calls
            if s.procedure == .svs { sequentialLines.insert(line) }
        }
        sketches.close()
        let expected = callsOf.values.reduce(0, +)

        var params = JSONObject()
        params["model"] = .string(config.name)
        params["model_config_sha256"] = .string(configSHA256)
        params["fallback"] = .string(describe(options.fallback))
        params["store_requests"] = .bool(options.storeRequests)
        // What `parse` needs to read the answers the way this model was asked for them.
        params["cot"] = .bool(config.cot)
        params["reasoning"] = .string(config.reasoning.rawValue)
        let inputs = [InputProvenance(role: "sessions", name: options.sessions, sha256: sessionsSHA),
                      InputProvenance(role: "model_config", name: config.name, sha256: configSHA256)]
        let header = ArtifactHeader(kind: .responses, params: params, inputs: inputs)

        // The journal: resume from it, or start it. One process at a time per output: a second `query`
        // on the same -o fails here, naming the first, before it reads or truncates anything.
        let journalPath = options.output == "-"
            ? NSTemporaryDirectory() + "stick-responses-\(getpid()).jsonl" + journalSuffix
            : options.output + journalSuffix
        let outputLock = options.output == "-" ? nil : try OutputLock(options.output + ".lock", protecting: options.output)
        defer { outputLock?.release() }
        if options.force {
            try? FileManager.default.removeItem(atPath: journalPath)
            if options.output != "-" { try? FileManager.default.removeItem(atPath: options.output) }
        }
        var done: [String: [Int: ResponseRecord]] = [:]
        var replayed = 0
        var index: [JournalKey: JournalEntry] = [:]
        if FileManager.default.fileExists(atPath: journalPath) {
            (done, index) = try readJournal(journalPath, expecting: header, order: order, calls: callsOf)
            replayed = index.values.filter(\.ok).count
        } else {
            if options.output != "-", FileManager.default.fileExists(atPath: options.output) {
                // Rerunning a finished command is a no-op, like make; other inputs need --force.
                let existing = try JSONLReader<ResponseRecord>(path: options.output, kind: .responses)
                let same = existing.header.inputs.map(\.sha256) == header.inputs.map(\.sha256)
                    && existing.header.params == header.params
                existing.close()
                guard same else {
                    throw StickError("holds responses of other sessions, another model config or other options; "
                        + "use --force to replace it", file: options.output)
                }
                return QuerySummary(expectedCalls: expected, succeeded: expected, failed: 0, replayed: expected,
                                    promptTokens: 0, completionTokens: 0, seconds: 0)
            }
        }
        // Append-only: every write lands at the end, whatever the file offset says.
        let fd = open(journalPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw StickError("cannot open for appending: \(String(cString: strerror(errno)))", file: journalPath) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        if try handle.seekToEnd() == 0 { try handle.write(contentsOf: try StickJSON.headerLine(header)) }
        let journal = Journal(handle: handle, offset: try handle.seekToEnd(), index: index, order: order)

        let engine = SessionEngine(config: config, backend: backend, retry: config.retry ?? RetryPolicy(),
                                   storeRequests: options.storeRequests,
                                   gate: RequestGate(limit: options.concurrency ?? config.concurrency ?? 32),
                                   fallbacks: FallbackSource(mode: options.fallback),
                                   rateLimiter: config.rateLimits.map { RateLimiter($0) })
        let progress = ProgressReporter(style: options.progress, total: expected, alreadyDone: replayed,
                                        interval: options.progressInterval)
        let emit: @Sendable (ResponseRecord) async throws -> Void = { record in
            try await journal.append(record)
            await progress.record(record)
        }
        // Second pass: sessions stream in as workers free up, long sequential sessions first (a reader
        // of their lines, then one of the others; in reference mode file order); finished ones are skipped.
        let sequential: Bool = { if case .reference = options.fallback { return true }; return false }()
        let longFirst = !sequential && !sequentialLines.isEmpty
        let passes = longFirst
            ? [try JSONLReader<SessionRecord>(path: sessionsPath, kind: .sessions),
               try JSONLReader<SessionRecord>(path: sessionsPath, kind: .sessions)]
            : [try JSONLReader<SessionRecord>(path: sessionsPath, kind: .sessions)]
        defer { passes.forEach { $0.close() } }
        var pass = 0
        let doneCounts = done.mapValues(\.count)
        func nextPending() throws -> SessionRecord? {
            while pass < passes.count {
                let include: (Int) -> Bool = !longFirst ? { _ in true }
                    : pass == 0 ? { sequentialLines.contains($0) } : { !sequentialLines.contains($0) }
                while let (line, s) = try passes[pass].next(including: include) {
                    if let problem = s.inconsistency() {
                        throw StickError("session '\(s.id)' \(problem)", file: options.sessions, line: line)
                    }
                    if (doneCounts[s.id] ?? 0) < s.calls { return s }
                }
                pass += 1
            }
            return nil
        }
        // As many sessions in flight as requests may be: each running session has at least one call
        // ready (SVS and conversation steps are sequential), so the request gate never sits idle while
        // sessions wait to be admitted. PVQ sessions queue their items at the gate together, which keeps
        // requests that share a prefix close in time.
        let sessionLimit = max(1, options.concurrency ?? config.concurrency ?? 32)
        let doneSnapshot = done
        let reportTask = Task { await progress.runTicker() }
        do {
            if sequential {
                // Reference-compatible fallbacks are drawn in request order: one session at a time.
                while let s = try nextPending() { try await engine.run(s, done: doneSnapshot[s.id] ?? [:], emit: emit) }
            } else {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<sessionLimit {
                        guard let s = try nextPending() else { break }
                        group.addTask { try await engine.run(s, done: doneSnapshot[s.id] ?? [:], emit: emit) }
                    }
                    while try await group.next() != nil {
                        if let s = try nextPending() {
                            group.addTask { try await engine.run(s, done: doneSnapshot[s.id] ?? [:], emit: emit) }
                        }
                    }
                }
            }
        } catch {
            reportTask.cancel()
            try? await journal.close()
            throw error
        }
        reportTask.cancel()
        try await journal.close()
        await progress.finish()

        // Count what the journal now holds, then write the ordered artifact if nothing is missing.
        let final = await journal.index
        let summary = QuerySummary(expectedCalls: expected, succeeded: final.values.filter(\.ok).count,
                                   failed: final.values.filter { !$0.ok }.count, replayed: replayed,
                                   promptTokens: final.values.reduce(0) { $0 + $1.promptTokens },
                                   completionTokens: final.values.reduce(0) { $0 + $1.completionTokens },
                                   seconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
        if summary.complete {
            var finalHeader = header
            finalHeader.summary = JSONObject([
                ("calls", .number(Double(expected))),
                ("prompt_tokens", .number(Double(summary.promptTokens))),
                ("completion_tokens", .number(Double(summary.completionTokens))),
            ])
            try writeOrdered(journalPath: journalPath, index: final, header: finalHeader, output: options.output)
            try FileManager.default.removeItem(atPath: journalPath)
        }
        return summary
    }

    static func describe(_ mode: FallbackMode) -> String {
        switch mode {
        case .seeded(let s): return "seeded:\(s)"
        case .reference(let s): return "reference:\(s)"
        }
    }

    /// Reads a journal left by an earlier run: checks it belongs to these inputs, cuts a torn last line,
    /// and returns the successful records by session and step, and where each record lies.
    static func readJournal(_ path: String, expecting header: ArtifactHeader, order: [String: Int], calls: [String: Int])
        throws -> ([String: [Int: ResponseRecord]], [JournalKey: JournalEntry]) {
        // A kill can leave a partial last line: drop it (that call is sent again).
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        var end = size
        while end > 0 {
            try handle.seek(toOffset: end - 1)
            if try handle.read(upToCount: 1) == Data([0x0A]) { break }
            end -= 1
        }
        if end < size { try handle.truncate(atOffset: end) }
        try handle.close()

        let lines = try LineReader(path: path)
        defer { lines.close() }
        guard let first = try lines.next(), let existing = try? JSONDecoder().decode(ArtifactHeader.self, from: Data(first)) else {
            throw StickError("is not a responses journal", file: path, line: 1)
        }
        try existing.require(.responses, file: path)
        guard existing.inputs.map(\.sha256) == header.inputs.map(\.sha256), existing.params == header.params else {
            throw StickError("holds responses of other sessions, another model config or other options; "
                + "use --force to start over or another output name", file: path, line: 1)
        }
        var done: [String: [Int: ResponseRecord]] = [:]
        var index: [JournalKey: JournalEntry] = [:]
        var offset = UInt64(first.count + 1)
        let decoder = JSONDecoder()
        while let line = try lines.next() {
            defer { offset += UInt64(line.count + 1) }
            var record: ResponseRecord
            do { record = try decoder.decode(ResponseRecord.self, from: Data(line)) } catch {
                throw StickError(describeDecodingError(error), file: path, line: lines.lineNumber)
            }
            guard let ordinal = order[record.session] else {
                throw StickError("holds session '\(record.session)', which is not in the sessions", file: path,
                                 line: lines.lineNumber)
            }
            guard record.step >= 0, record.step < calls[record.session] ?? 0 else {
                throw StickError("step \(record.step) of session '\(record.session)' is out of range (it has "
                    + "\(calls[record.session] ?? 0) calls)", file: path, line: lines.lineNumber)
            }
            JournalEntry.note(record, sessionOrdinal: ordinal, offset: offset, length: line.count, in: &index)
            if record.error != nil { continue }
            record.request = nil  // only the hash is needed to check a replay
            done[record.session, default: [:]][record.step] = record
        }
        return (done, index)
    }

    static func writeOrdered(journalPath: String, index: [JournalKey: JournalEntry],
                             header: ArtifactHeader, output: String) throws {
        guard let handle = FileHandle(forReadingAtPath: journalPath) else { throw StickError("cannot read", file: journalPath) }
        defer { try? handle.close() }
        let keys = index.keys.sorted()
        try withOutput(output) { out in
            try out.write(try StickJSON.headerLine(header))
            for key in keys {
                let entry = index[key]!
                try handle.seek(toOffset: entry.offset)
                var data = try handle.read(upToCount: entry.length) ?? Data()
                data.append(0x0A)
                try out.write(data)
            }
        }
    }
}
