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
    /// `--endpoint`: the base URLs used instead of the config's (recorded, redacted, in the header).
    public var endpointOverride: [String]?

    public enum ProgressStyle: Sendable { case quiet, lines, bar }

    public init(sessions: String, output: String, concurrency: Int? = nil, fallback: FallbackMode = .seeded(0),
                storeRequests: Bool = true, progress: ProgressStyle = .lines, progressInterval: Double = 5,
                force: Bool = false, endpointOverride: [String]? = nil) {
        self.force = force
        self.endpointOverride = endpointOverride
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

public enum QueryRunner {
    static let journalSuffix = ".partial"

    public static func run(config: ModelConfig, configSHA256: String, backend: ChatBackend,
                           options: QueryOptions) async throws -> QuerySummary {
        let started = DispatchTime.now()
        let input = try SessionsInput(options.sessions)
        defer { input.removeSpool() }
        let survey = try SessionSurvey(input)
        let header = responsesHeader(config: config, configSHA256: configSHA256, options: options, input: input)

        // One process at a time per output: a second `query` on the same -o fails here, naming the
        // first, before it reads or truncates anything.
        let journalPath = options.output == "-"
            ? NSTemporaryDirectory() + "stick-responses-\(getpid()).jsonl" + journalSuffix
            : options.output + journalSuffix
        let outputLock = options.output == "-" ? nil : try OutputLock(options.output + ".lock", protecting: options.output)
        defer { outputLock?.release() }
        if options.force {
            try? FileManager.default.removeItem(atPath: journalPath)
            if options.output != "-" { try? FileManager.default.removeItem(atPath: options.output) }
        }
        var index = JournalIndex(calls: survey.calls)
        if FileManager.default.fileExists(atPath: journalPath) {
            try readJournal(journalPath, expecting: header, order: survey.order, index: &index)
        } else if try finishedBefore(options.output, header: header) {
            // Rerunning a finished command is a no-op, like make.
            return QuerySummary(expectedCalls: survey.expected, succeeded: survey.expected, failed: 0,
                                replayed: survey.expected, promptTokens: 0, completionTokens: 0, seconds: 0)
        }
        let replayed = index.succeeded
        let journal = try openJournal(journalPath, header: header, index: index, order: survey.order)
        // The journal's copy becomes the only one unless earlier records are to be replayed: its first append
        // would otherwise copy every slot (16 bytes per call).
        let replay: JournalIndex? = replayed > 0 ? index : nil
        index = JournalIndex(calls: [])
        let progress = ProgressReporter(style: options.progress, total: survey.expected, alreadyDone: replayed,
                                        interval: options.progressInterval)
        let reportTask = Task { await progress.runTicker() }
        do {
            try await runSessions(config: config, backend: backend, options: options, input: input, survey: survey,
                                  replay: replay, journalPath: journalPath, journal: journal, progress: progress)
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
        let summary = QuerySummary(expectedCalls: survey.expected, succeeded: final.succeeded, failed: final.failed,
                                   replayed: replayed, promptTokens: final.promptTokens,
                                   completionTokens: final.completionTokens,
                                   seconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
        if summary.complete {
            var finalHeader = header
            finalHeader.summary = JSONObject([
                ("calls", .number(Double(survey.expected))),
                ("prompt_tokens", .number(Double(summary.promptTokens))),
                ("completion_tokens", .number(Double(summary.completionTokens))),
            ])
            try writeOrdered(journalPath: journalPath, index: final, header: finalHeader, output: options.output)
            try FileManager.default.removeItem(atPath: journalPath)
        }
        return summary
    }

    /// The sessions file: spooled to a file first (streaming) when it comes from stdin, so that it can be
    /// hashed and read again.
    struct SessionsInput {
        /// As given (for messages and the header).
        let name: String
        let path: String
        let sha256: String
        let spool: String?
        let header: ArtifactHeader

        init(_ name: String) throws {
            self.name = name
            if name == "-" {
                let spool = NSTemporaryDirectory() + "stick-sessions-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
                self.spool = spool
                path = spool
                sha256 = try Inputs.spool("-", to: spool).sha256
            } else {
                spool = nil
                path = name
                sha256 = try SHA256Hex.ofFile(name).sha256
            }
            struct Nothing: Decodable {}
            let reader = try JSONLReader<Nothing>(path: path, kind: .sessions)
            header = reader.header
            reader.close()
        }

        func removeSpool() { if let spool { try? FileManager.default.removeItem(atPath: spool) } }
    }

    /// First pass over the sessions: ids and call counts only, so memory stays flat however many
    /// sessions there are.
    struct SessionSurvey {
        /// Session id → ordinal in the file.
        var order: [String: Int] = [:]
        /// Calls per session, by ordinal.
        var calls: [Int] = []
        /// Lines of sessions whose calls form one long sequential chain (SVS: ~60 calls in a row); they
        /// start first so that they do not become the tail of the run.
        var sequentialLines = Set<Int>()
        var expected: Int { calls.reduce(0, +) }

        init(_ input: SessionsInput) throws {
            struct SessionSketch: FastDecodable {
                var id: String
                var calls: Int
                var procedure: Procedure

                /// The whole record read by hand costs less than the three members through JSONDecoder.
                static func fastDecode(_ json: UnsafeBufferPointer<UInt8>) -> SessionSketch? {
                    SessionRecord.fastDecode(json).map { SessionSketch(id: $0.id, calls: $0.calls, procedure: $0.procedure) }
                }
            }
            let sketches = try JSONLReader<SessionSketch>(path: input.path, kind: .sessions)
            defer { sketches.close() }
            while let (line, s) = try sketches.next() {
                guard order[s.id] == nil else { throw StickError("session id '\(s.id)' appears twice", file: input.name, line: line) }
                guard (1...SessionRecord.maxCalls).contains(s.calls) else {
                    throw StickError("session '\(s.id)' has \(s.calls) calls (1 to \(SessionRecord.maxCalls))", file: sketches.name, line: line)
                }
                order[s.id] = calls.count
                calls.append(s.calls)
                if s.procedure == .svs { sequentialLines.insert(line) }
            }
        }
    }

    /// The responses header: the model, how it was asked, and where the sessions came from — the
    /// sessions' shard (`K/N`, for `stick merge`) and their source (the sessions header's params and the
    /// sha256 of its inputs), so that shards of one run can be told from shards of another.
    static func responsesHeader(config: ModelConfig, configSHA256: String, options: QueryOptions,
                                input: SessionsInput) -> ArtifactHeader {
        var params = JSONObject()
        params["model"] = .string(config.name)
        params["model_config_sha256"] = .string(configSHA256)
        params["fallback"] = .string(describe(options.fallback))
        params["store_requests"] = .bool(options.storeRequests)
        // What `parse` needs to read the answers the way this model was asked for them.
        params["cot"] = .bool(config.cot)
        params["reasoning"] = .string(config.reasoning.rawValue)
        if let shard = input.header.params["shard"] { params["shard"] = shard }
        // Where the calls went when not where the config says; redacted, as every URL that reaches an artifact.
        if let override = options.endpointOverride {
            params["endpoint_override"] = .array(override.map { .string(Redaction.urls(in: $0)) })
        }
        params["sessions_source"] = .object(ShardedRun.source(of: input.header))
        let inputs = [InputProvenance(role: "sessions", name: options.sessions, sha256: input.sha256),
                      InputProvenance(role: "model_config", name: config.name, sha256: configSHA256)]
        return ArtifactHeader(kind: .responses, params: params, inputs: inputs)
    }

    /// True when `output` already holds the responses of this very command; an output of other inputs
    /// needs --force.
    static func finishedBefore(_ output: String, header: ArtifactHeader) throws -> Bool {
        guard output != "-", FileManager.default.fileExists(atPath: output) else { return false }
        let existing = try JSONLReader<ResponseRecord>(path: output, kind: .responses)
        let same = existing.header.inputs.map(\.sha256) == header.inputs.map(\.sha256)
            && existing.header.params == header.params
        existing.close()
        guard same else {
            throw StickError("holds responses of other sessions, another model config or other options; "
                + "use --force to replace it", file: output)
        }
        return true
    }

    /// Opens the journal for appending (every write lands at the end, whatever the file offset says),
    /// writing the header when it is new.
    static func openJournal(_ path: String, header: ArtifactHeader, index: JournalIndex, order: [String: Int]) throws -> Journal {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw StickError("cannot open for appending: \(String(cString: strerror(errno)))", file: path) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        if try handle.seekToEnd() == 0 { try handle.write(contentsOf: try StickJSON.headerLine(header)) }
        return Journal(handle: handle, path: path, offset: try handle.seekToEnd(), index: index, order: order)
    }

    /// Second pass: sessions stream in as workers free up, long sequential sessions first (a reader of
    /// their lines, then one of the others); finished ones are skipped, except in reference mode, where
    /// they are replayed from the journal (no request is sent) to keep the fallback generators in step.
    /// As many sessions run as requests may be in flight: each running session has at least one call
    /// ready (SVS and conversation steps are sequential), so the request gate never sits idle while
    /// sessions wait to be admitted. PVQ sessions queue their items at the gate together, which keeps
    /// requests that share a prefix close in time. In reference mode a session's no-match draws wait
    /// until the earlier sessions of its context have finished (`DrawTurns`): sessions run concurrently,
    /// draws happen in file order. Sessions of a context are admitted in file order, so the sessions a
    /// draw waits for are always running or done.
    static func runSessions(config: ModelConfig, backend: ChatBackend, options: QueryOptions, input: SessionsInput,
                            survey: SessionSurvey, replay: JournalIndex?, journalPath: String, journal: Journal,
                            progress: ProgressReporter) async throws {
        let reference: Bool = { if case .reference = options.fallback { return true }; return false }()
        let turns = reference ? DrawTurns() : nil
        let engine = SessionEngine(config: config, backend: backend, retry: config.retry ?? RetryPolicy(),
                                   storeRequests: options.storeRequests,
                                   gate: RequestGate(limit: options.concurrency ?? config.concurrency ?? 32),
                                   fallbacks: FallbackSource(mode: options.fallback),
                                   rateLimiter: config.rateLimits.map { RateLimiter($0) }, turns: turns)
        let emit: @Sendable (ResponseRecord) async throws -> Void = { record in
            try await journal.append(record)
            await progress.record(record)
        }
        let longFirst = !survey.sequentialLines.isEmpty
        let passes = longFirst
            ? [try JSONLReader<SessionRecord>(path: input.path, kind: .sessions),
               try JSONLReader<SessionRecord>(path: input.path, kind: .sessions)]
            : [try JSONLReader<SessionRecord>(path: input.path, kind: .sessions)]
        defer { passes.forEach { $0.close() } }
        let replaySource = replay != nil ? FileHandle(forReadingAtPath: journalPath) : nil
        defer { try? replaySource?.close() }
        var pass = 0
        var ranks: [String: Int] = [:]
        /// The next session to run, its rank among its context's sessions, and its replayed records.
        func nextPending() throws -> (SessionRecord, Int, [Int: ResponseRecord])? {
            while pass < passes.count {
                let include: (Int) -> Bool = !longFirst ? { _ in true }
                    : pass == 0 ? { survey.sequentialLines.contains($0) } : { !survey.sequentialLines.contains($0) }
                while let (line, s) = try passes[pass].next(including: include) {
                    if let problem = s.inconsistency() {
                        throw StickError("session '\(s.id)' \(problem)", file: options.sessions, line: line)
                    }
                    let ordinal = survey.order[s.id]!
                    let rank = ranks[s.context, default: 0]
                    ranks[s.context] = rank + 1
                    let succeeded = replay?.succeeded(in: ordinal) ?? 0
                    if succeeded == s.calls && !reference { continue }
                    let done = try replay.map { index in
                        try replaySource.map { try replayed(ordinal, index: index, journal: $0, path: journalPath) } ?? [:]
                    } ?? [:]
                    return (s, rank, done)
                }
                pass += 1
            }
            return nil
        }
        @Sendable func runOne(_ s: SessionRecord, rank: Int, done: [Int: ResponseRecord]) async throws {
            do { try await engine.run(s, done: done, emit: emit, rank: rank) } catch {
                await turns?.finish(context: s.context, rank: rank)
                throw error
            }
            await turns?.finish(context: s.context, rank: rank)
        }
        let sessionLimit = max(1, options.concurrency ?? config.concurrency ?? 32)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<sessionLimit {
                guard let (s, rank, done) = try nextPending() else { break }
                group.addTask { try await runOne(s, rank: rank, done: done) }
            }
            while try await group.next() != nil {
                if let (s, rank, done) = try nextPending() {
                    group.addTask { try await runOne(s, rank: rank, done: done) }
                }
            }
        }
    }

    static func describe(_ mode: FallbackMode) -> String {
        switch mode {
        case .seeded(let s): return "seeded:\(s)"
        case .reference(let s): return "reference:\(s)"
        }
    }
}
