// The query stage as a library call: sessions + model config → responses artifact, with bounded
// concurrency, retries, and resume. Records are appended to a journal (`OUTPUT.partial`) as calls
// finish; a rerun of the same command replays the journal and sends only what is missing or failed.
// When every call has succeeded the journal is written out in (session, step) order as OUTPUT.
import Foundation
import StickArtifacts
import StickBackends
import StickGenPrompts

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
    private let encoder = StickJSON.encoder()
    private(set) var succeeded = 0
    private(set) var failed = 0
    private(set) var promptTokens = 0
    private(set) var completionTokens = 0

    init(handle: FileHandle) { self.handle = handle }

    func append(_ record: ResponseRecord) throws {
        var data = try encoder.encode(record)
        data.append(0x0A)
        try handle.write(contentsOf: data)
        if record.error == nil { succeeded += 1 } else { failed += 1 }
        promptTokens += record.usage?.promptTokens ?? 0
        completionTokens += record.usage?.completionTokens ?? 0
    }

    func close() throws { try handle.close() }
}

public enum QueryRunner {
    static let journalSuffix = ".partial"

    public static func run(config: ModelConfig, configSHA256: String, backend: ChatBackend,
                           options: QueryOptions) async throws -> QuerySummary {
        let started = DispatchTime.now()
        // Sessions: spooled to a file first when they come from stdin, so they can be hashed and re-read.
        var sessionsPath = options.sessions
        var spool: String?
        if sessionsPath == "-" {
            let data = try Inputs.readAll("-")
            spool = NSTemporaryDirectory() + "stick-sessions-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
            try data.write(to: URL(fileURLWithPath: spool!))
            sessionsPath = spool!
        }
        defer { if let spool { try? FileManager.default.removeItem(atPath: spool) } }
        let sessionsSHA = try SHA256Hex.ofFile(sessionsPath).sha256
        let reader = try JSONLReader<SessionRecord>(path: sessionsPath, kind: .sessions)
        var sessions: [SessionRecord] = []
        while let (_, s) = try reader.next() { sessions.append(s) }
        reader.close()
        let order = Dictionary(uniqueKeysWithValues: sessions.enumerated().map { ($1.id, $0) })
        guard order.count == sessions.count else { throw StickError("duplicate session ids", file: options.sessions) }
        let expected = sessions.reduce(0) { $0 + $1.calls }

        var params = JSONObject()
        params["model"] = .string(config.name)
        params["model_config_sha256"] = .string(configSHA256)
        params["fallback"] = .string(describe(options.fallback))
        params["store_requests"] = .bool(options.storeRequests)
        let inputs = [InputProvenance(role: "sessions", name: options.sessions, sha256: sessionsSHA),
                      InputProvenance(role: "model_config", name: config.name, sha256: configSHA256)]
        let header = ArtifactHeader(kind: .responses, params: params, inputs: inputs)

        // The journal: resume from it, or start it.
        let journalPath = options.output == "-"
            ? NSTemporaryDirectory() + "stick-responses-\(getpid()).jsonl" + journalSuffix
            : options.output + journalSuffix
        if options.force {
            try? FileManager.default.removeItem(atPath: journalPath)
            if options.output != "-" { try? FileManager.default.removeItem(atPath: options.output) }
        }
        var done: [String: [Int: ResponseRecord]] = [:]
        var replayed = 0
        if FileManager.default.fileExists(atPath: journalPath) {
            (done, replayed) = try readJournal(journalPath, expecting: header)
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
            FileManager.default.createFile(atPath: journalPath, contents: try StickJSON.headerLine(header))
        }
        guard let handle = FileHandle(forWritingAtPath: journalPath) else { throw StickError("cannot append", file: journalPath) }
        try handle.seekToEnd()
        let journal = Journal(handle: handle)

        let engine = SessionEngine(config: config, backend: backend, retry: config.retry ?? RetryPolicy(),
                                   storeRequests: options.storeRequests,
                                   gate: RequestGate(limit: options.concurrency ?? config.concurrency ?? 32),
                                   fallbacks: FallbackSource(mode: options.fallback))
        let progress = ProgressReporter(style: options.progress, total: expected, alreadyDone: replayed,
                                        interval: options.progressInterval)
        let emit: @Sendable (ResponseRecord) async throws -> Void = { record in
            try await journal.append(record)
            await progress.record(record)
        }
        let pending = sessions.filter { s in (done[s.id]?.count ?? 0) < s.calls }
        let sessionLimit = max(1, (options.concurrency ?? config.concurrency ?? 32) / 4 + 1)
        let sequential: Bool = { if case .reference = options.fallback { return true }; return false }()
        let doneSnapshot = done
        let reportTask = Task { await progress.runTicker() }
        do {
            if sequential {
                // Reference-compatible fallbacks are drawn in request order: one session at a time.
                for s in pending { try await engine.run(s, done: doneSnapshot[s.id] ?? [:], emit: emit) }
            } else {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    var iterator = pending.makeIterator()
                    for _ in 0..<sessionLimit {
                        guard let s = iterator.next() else { break }
                        group.addTask { try await engine.run(s, done: doneSnapshot[s.id] ?? [:], emit: emit) }
                    }
                    while try await group.next() != nil {
                        if let s = iterator.next() {
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
        let (index, tokens) = try indexJournal(journalPath, order: order)
        var summary = QuerySummary(expectedCalls: expected, succeeded: index.filter { $0.value.ok }.count,
                                   failed: index.filter { !$0.value.ok }.count, replayed: replayed,
                                   promptTokens: tokens.0, completionTokens: tokens.1,
                                   seconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
        if summary.failed == 0 && summary.succeeded < expected {
            // A session stopped early after a failure recorded in a previous run that then succeeded: not complete.
            summary.failed = 0
        }
        if summary.complete {
            var final = header
            final.summary = JSONObject([
                ("calls", .number(Double(expected))),
                ("prompt_tokens", .number(Double(summary.promptTokens))),
                ("completion_tokens", .number(Double(summary.completionTokens))),
            ])
            try writeOrdered(journalPath: journalPath, index: index, header: final, output: options.output)
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
    /// and returns the successful records by session and step.
    static func readJournal(_ path: String, expecting header: ArtifactHeader) throws -> ([String: [Int: ResponseRecord]], Int) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        // A kill can leave a partial last line: drop it (and it is re-sent).
        if let lastNewline = data.lastIndex(of: 0x0A), lastNewline < data.count - 1 {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: UInt64(lastNewline + 1))
            try handle.close()
        }
        let reader = try JSONLReader<ResponseRecord>(path: path, kind: .responses)
        defer { reader.close() }
        guard reader.header.inputs.map(\.sha256) == header.inputs.map(\.sha256), reader.header.params == header.params else {
            throw StickError("holds responses of other sessions, another model config or other options; "
                + "use another output name or remove it", file: path, line: 1)
        }
        var done: [String: [Int: ResponseRecord]] = [:]
        var count = 0
        while let (_, read) = try reader.next() {
            var record = read
            if record.error != nil { continue }
            record.request = nil  // only the hash is needed to check a replay
            if done[record.session]?[record.step] == nil { count += 1 }
            done[record.session, default: [:]][record.step] = record
        }
        return (done, count)
    }

    struct IndexEntry { var offset: UInt64; var length: Int; var ok: Bool }

    /// Byte ranges of the latest record of each (session, step), keyed in artifact order.
    static func indexJournal(_ path: String, order: [String: Int]) throws -> ([[Int]: IndexEntry], (Int, Int)) {
        struct Key: Decodable {
            var session: String
            var step: Int
            var error: String?
            var usage: TokenUsage?
        }
        let lines = try LineReader(path: path)
        defer { lines.close() }
        var index: [[Int]: IndexEntry] = [:]
        var tokens: [[Int]: (Int, Int)] = [:]
        var offset: UInt64 = 0
        let decoder = JSONDecoder()
        var first = true
        while let line = try lines.next() {
            defer { offset += UInt64(line.count + 1) }
            if first { first = false; continue }
            let key = try decoder.decode(Key.self, from: Data(line))
            guard let s = order[key.session] else { continue }
            let k = [s, key.step]
            // A success is never replaced by a later failure (there is none: successes are not re-sent).
            if let existing = index[k], existing.ok, key.error != nil { continue }
            index[k] = IndexEntry(offset: offset, length: line.count, ok: key.error == nil)
            tokens[k] = (key.usage?.promptTokens ?? 0, key.usage?.completionTokens ?? 0)
        }
        let sums = tokens.values.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        return (index, sums)
    }

    static func writeOrdered(journalPath: String, index: [[Int]: IndexEntry], header: ArtifactHeader, output: String) throws {
        guard let handle = FileHandle(forReadingAtPath: journalPath) else { throw StickError("cannot read", file: journalPath) }
        defer { try? handle.close() }
        try withOutput(output) { out in
            try out.write(try StickJSON.headerLine(header))
            for key in index.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                let entry = index[key]!
                try handle.seek(toOffset: entry.offset)
                var data = try handle.read(upToCount: entry.length) ?? Data()
                data.append(0x0A)
                try out.write(data)
            }
        }
    }
}
