// Deciding what to run and running it.
//
// A stage runs when it is not in the lock, or its command (after interpolation), a param value, a dep's
// content or the set of its deps/outs changed, or an out is missing or was modified since the lock —
// or with --force / `always_changed: true`. A stage whose only reason is that an upstream stage runs
// is decided again when that stage has finished: if the upstream outputs came out identical it is
// skipped ("upstream outputs unchanged").
//
// A run holds the pipeline's run lock (PipelineRunLock) from before planning to the end.
// Running a stage: its declared outs are checked again (OutputPlaces) and deleted (as DVC does, so a
// stage never sees its previous outputs) and their parent directories created; then each command runs with `/bin/sh -c` in the
// working directory, stdin /dev/null, PATH starting with the directory of the `stick` executable.
// stdout and stderr go to `<wdir>/.stick/logs/<stage>.log` and, unless quiet, to the terminal
// prefixed with `stage | `. After success every out must exist; their hashes and the deps' hashes
// (taken just before the stage started) go into the lock, which is rewritten atomically. On the first
// failure nothing new starts; running stages finish (and are recorded when they succeed).
import Foundation
import StickArtifacts

public struct PipelineOptions: Sendable {
    /// Stage or group names to bring up to date (with everything upstream); empty: every stage.
    public var targets: [String]
    /// Stages run at once.
    public var jobs: Int
    /// Print the plan only.
    public var dryRun: Bool
    /// Run every selected stage, up to date or not.
    public var force: Bool
    /// Put first on the commands' PATH (the directory of the `stick` executable).
    public var toolDirectory: String?
    /// Copy the stages' output to the log callback, prefixed with the stage name.
    public var echoOutput: Bool
    /// The commands' environment before PATH is adjusted; nil: this process's.
    public var environment: [String: String]?
    /// Where stage logs go; nil: `<wdir>/.stick/logs`.
    public var logDirectory: String?
    /// Directories outside the working directory where outputs may be too (`--allow-outs-under`).
    public var allowOutsUnder: [String]
    /// Where the stages run: here (`.local`) or as Slurm jobs.
    public var executor: PipelineExecutor = .local
    /// Set to stop the run from outside (the command's SIGINT/SIGTERM handler): see PipelineCancellation.
    public var cancellation: PipelineCancellation?

    public init(targets: [String] = [], jobs: Int = ProcessInfo.processInfo.activeProcessorCount, dryRun: Bool = false,
                force: Bool = false, toolDirectory: String? = nil, echoOutput: Bool = true,
                environment: [String: String]? = nil, logDirectory: String? = nil, allowOutsUnder: [String] = []) {
        self.targets = targets
        self.jobs = max(1, jobs)
        self.dryRun = dryRun
        self.force = force
        self.toolDirectory = toolDirectory
        self.echoOutput = echoOutput
        self.environment = environment
        self.logDirectory = logDirectory
        self.allowOutsUnder = allowOutsUnder
    }
}

/// What will happen to one stage, and why.
public struct StagePlan: Sendable, Equatable {
    public enum Action: String, Sendable { case run, skip }
    public var stage: String
    public var action: Action
    public var reason: String

    /// The plan as people read it: action, stage, reason (a dry run says "would run").
    public static func table(_ plan: [StagePlan], dryRun: Bool) -> String {
        var table = TextTable([.init("action", minimumWidth: 4), .init("stage"), .init("reason")], showsHeader: false)
        for p in plan { table.append([dryRun && p.action == .run ? "would run" : p.action.rawValue, p.stage, p.reason]) }
        return table.render()
    }
}

/// A stage that failed: how, and the end of what it wrote on stderr.
public struct StageFailure: Error, Sendable, CustomStringConvertible {
    public var stage: String
    /// What went wrong, e.g. "exit status 1 (command 2 of 2: `false`)".
    public var message: String
    public var exit: ShellExit?
    public var stderrTail: [String]
    public var logPath: String?

    public var description: String { "stage '\(stage)' failed: \(message)" }
}

public struct PipelineReport: Sendable {
    public var plan: [StagePlan]
    /// Stages that ran and succeeded, in the order they finished.
    public var ran: [String] = []
    /// Stages found up to date.
    public var skipped: [String] = []
    public var failed: [StageFailure] = []
    /// Stages left alone because of a failure.
    public var notStarted: [String] = []
    /// Stages stopped by a cancellation (not recorded, outputs deleted).
    public var interrupted: [String] = []
    /// `--detach`: the stages submitted and their Slurm job (`ID` or `ID_TASK` for an array task).
    public var submitted: [(stage: String, job: String)] = []
    /// Slurm jobs cancelled because the run was interrupted.
    public var cancelledJobs: [String] = []
    /// The outs of the selection's final stages (what no selected stage reads).
    public var finalOutputs: [String] = []
    public var seconds: Double = 0
    public var succeeded: Bool { failed.isEmpty }
}

public final class PipelineRunner: @unchecked Sendable {
    public let spec: PipelineSpec
    public let graph: PipelineGraph
    public let options: PipelineOptions
    private let hasher = ContentHasher()

    public init(spec: PipelineSpec, options: PipelineOptions = PipelineOptions()) throws {
        self.spec = spec
        self.graph = try PipelineGraph(spec, allowOutsUnder: options.allowOutsUnder)
        self.options = options
    }

    public convenience init(specPath: String, overrides: [VarOverride] = [], options: PipelineOptions = PipelineOptions()) throws {
        try self.init(spec: PipelineSpec.load(specPath, overrides: overrides), options: options)
    }

    public var logDirectory: String { options.logDirectory ?? spec.workingDirectory + "/.stick/logs" }

    public func logPath(of stage: String) -> String { logDirectory + "/" + Paths.safeFileName(stage) + ".log" }

    /// Where a stage's service writes: beside the stage's log.
    public func serviceLogPath(of stage: String) -> String { logDirectory + "/" + Paths.safeFileName(stage) + ".service.log" }

    // MARK: Deciding

    /// The selected stages (targets and their upstream) with what a run would do, in topological order.
    public func plan() throws -> [StagePlan] {
        let selection = try graph.selection(options.targets)
        try checkSources(selection)
        let lock = try PipelineLock.load(spec.lockPath)
        var running = Set<String>()
        var plan: [StagePlan] = []
        for name in selection {
            let (run, reason) = try evaluate(graph.stage(name), lock: lock, pendingUpstream: running)
            if run { running.insert(name) }
            plan.append(StagePlan(stage: name, action: run ? .run : .skip, reason: reason))
        }
        return plan
    }

    private func checkSources(_ selection: [String]) throws {
        let missing = graph.missingSources(in: selection)
        guard let first = missing.first else { return }
        let more = missing.count > 1 ? " (and \(missing.count - 1) more: \(missing.dropFirst().prefix(5).map { "'\($0.dep)' of '\($0.stage)'" }.joined(separator: ", ")))" : ""
        throw StickError("stage '\(first.stage)': dependency '\(first.dep)' does not exist and no stage produces it\(more)",
                         file: spec.path, line: graph.stage(first.stage).line)
    }

    /// Whether `stage` must run, and why. Deps produced by a stage in `pendingUpstream` are not hashed.
    func evaluate(_ stage: PipelineStage, lock: PipelineLock, pendingUpstream: Set<String>) throws -> (Bool, String) {
        if options.force { return (true, "forced (--force)") }
        if stage.alwaysChanged { return (true, "always_changed") }
        guard let entry = lock.stages[stage.name] else { return (true, "never run (not in the lock)") }
        if entry.cmd != stage.commands { return (true, "command changed") }
        for p in stage.params {
            guard let old = entry.params[p.name] else { return (true, "param '\(p.name)' is new") }
            if old.canonicalJSON != p.value.canonicalJSON { return (true, "param '\(p.name)' changed (\(old) → \(p.value))") }
        }
        if let gone = entry.params.keys.sorted().first(where: { name in !stage.params.contains { $0.name == name } }) {
            return (true, "param '\(gone)' no longer used")
        }
        if let added = stage.deps.first(where: { entry.deps[$0] == nil }) { return (true, "new dependency '\(added)'") }
        if let gone = entry.deps.keys.sorted().first(where: { !stage.deps.contains($0) }) { return (true, "dependency '\(gone)' removed") }
        var pending: String?
        for d in stage.deps {
            let from = graph.producers[stage.name]?[d] ?? []
            if let u = from.first(where: pendingUpstream.contains) {
                if pending == nil { pending = "upstream '\(u)' runs first" }
                continue
            }
            guard let h = try hasher.hash(spec.absolutePath(d)) else { return (true, "dependency '\(d)' is missing") }
            if h.sha256 != entry.deps[d]?.sha256 { return (true, "dependency '\(d)' changed") }
        }
        if let added = stage.outs.first(where: { entry.outs[$0] == nil }) { return (true, "new output '\(added)'") }
        if let gone = entry.outs.keys.sorted().first(where: { !stage.outs.contains($0) }) { return (true, "output '\(gone)' removed from the stage") }
        for o in stage.outs {
            guard let h = try hasher.hash(spec.absolutePath(o)) else { return (true, "output '\(o)' is missing") }
            if h.sha256 != entry.outs[o]?.sha256 { return (true, "output '\(o)' was modified") }
        }
        if let pending { return (true, pending) }
        return (false, "up to date")
    }

    // MARK: Running

    private enum Completion {
        case success(LockEntry, Double)
        case failure(StageFailure)
    }

    private final class Mailbox: @unchecked Sendable {
        let condition = NSCondition()
        var done: [(String, Completion)] = []
    }

    /// Brings the selection up to date. `log` receives the plan, progress, the stages' output (when
    /// echoing) and the summary, one line per call, from any thread. Failures are in the report.
    /// Holds the run lock (PipelineRunLock) throughout, except for a dry run, which writes nothing.
    public func run(log: @escaping @Sendable (String) -> Void) throws -> PipelineReport {
        let started = Date()
        let runLock = options.dryRun ? nil : try PipelineRunLock.acquire(spec.runLockPath, spec: spec.path)
        defer { runLock?.release() }
        // A new run supersedes a detached submission (`stick pipeline status` follows only the latest).
        if !options.dryRun { try? FileManager.default.removeItem(atPath: submissionPath) }
        let selection = try graph.selection(options.targets)
        let plan = try self.plan()
        for line in StagePlan.table(plan, dryRun: options.dryRun).split(separator: "\n") { log(String(line)) }
        var report = PipelineReport(plan: plan)
        let finals = graph.finalStages(of: selection)
        report.finalOutputs = finals.flatMap { graph.stage($0).outs }
        if options.dryRun {
            let n = plan.filter { $0.action == .run }.count
            log("dry run: \(n) stage\(n == 1 ? "" : "s") would run, \(plan.count - n) up to date; nothing was run")
            report.skipped = plan.filter { $0.action == .skip }.map(\.stage)
            return report
        }

        switch options.executor {
        case .local: try runLocally(selection: selection, plan: plan, report: &report, log: log)
        case .slurm(let slurm): try runOnSlurm(slurm, selection: selection, plan: plan, report: &report, log: log)
        }
        summarize(&report, started: started, log: log)
        if let signal = options.cancellation?.signal {
            throw PipelineInterrupted(signal: signal, stages: report.interrupted, notStarted: report.notStarted,
                                      cancelledJobs: report.cancelledJobs)
        }
        return report
    }

    /// The summary line and the final outputs.
    func summarize(_ report: inout PipelineReport, started: Date, log: @Sendable (String) -> Void) {
        report.seconds = Date().timeIntervalSince(started)
        var parts = ["\(report.ran.count) ran", "\(report.skipped.count) up to date"]
        if !report.failed.isEmpty { parts.append("\(report.failed.count) failed") }
        if !report.submitted.isEmpty { parts.append("\(report.submitted.count) submitted (detached)") }
        if !report.interrupted.isEmpty { parts.append("\(report.interrupted.count) interrupted") }
        if !report.notStarted.isEmpty { parts.append("\(report.notStarted.count) not started") }
        log("pipeline \(spec.path): \(parts.joined(separator: ", ")) in \(String(format: "%.1f", report.seconds)) s")
        if report.succeeded, !report.finalOutputs.isEmpty {
            log("outputs: \(report.finalOutputs.joined(separator: " "))")
        }
    }

    /// The local executor: stages as child processes, up to `jobs` at once.
    private func runLocally(selection: [String], plan: [StagePlan], report: inout PipelineReport,
                            log: @escaping @Sendable (String) -> Void) throws {
        var lock = try PipelineLock.load(spec.lockPath)
        let planned = Dictionary(uniqueKeysWithValues: plan.map { ($0.stage, $0) })
        var waiting = selection
        var running = Set<String>()
        var succeeded = Set<String>()
        let mailbox = Mailbox()
        let selected = Set(selection)
        // An error of our own (the lock cannot be written): like a failure, start nothing new, let the
        // running stages finish, then throw it.
        var fatal: Error?
        func saveLock() {
            do { try lock.save(spec.lockPath) } catch { if fatal == nil { fatal = error } }
        }
        func fail(_ failure: StageFailure) {
            if lock.stages.removeValue(forKey: failure.stage) != nil { saveLock() }
            report.failed.append(failure)
            logFailure(failure, log)
        }
        // Stopped by a cancellation: not a failure, but not recorded either, and its partial outputs go.
        func interrupted(_ name: String) {
            if lock.stages.removeValue(forKey: name) != nil { saveLock() }
            removeOutputs(graph.stage(name))
            report.interrupted.append(name)
            log("■ \(name) interrupted")
        }

        while true {
            var progressed = true
            while progressed && report.failed.isEmpty && fatal == nil && options.cancellation?.isCancelled != true {
                progressed = false
                for name in waiting where running.count < options.jobs {
                    let ups = (graph.upstream[name] ?? []).filter(selected.contains)
                    guard ups.allSatisfy(succeeded.contains) else { continue }
                    waiting.removeAll { $0 == name }
                    progressed = true
                    let stage = graph.stage(name)
                    let run: Bool, reason: String
                    var depHashes: [String: ContentHash] = [:]
                    var missing: String?
                    do {
                        (run, reason) = try evaluate(stage, lock: lock, pendingUpstream: [])
                        if run {
                            for d in stage.deps {
                                if let h = try hasher.hash(spec.absolutePath(d)) { depHashes[d] = h } else if missing == nil { missing = d }
                            }
                        }
                    } catch {
                        fail(StageFailure(stage: name, message: "cannot check the stage: \(error)", exit: nil, stderrTail: [], logPath: nil))
                        break
                    }
                    if !run {
                        if planned[name]?.action == .run { log("skip  \(name)  up to date (upstream outputs unchanged)") }
                        report.skipped.append(name)
                        succeeded.insert(name)
                        continue
                    }
                    if let missing {
                        let from = graph.producers[name]?[missing] ?? []
                        fail(StageFailure(stage: name, message: "dependency '\(missing)' does not exist"
                            + (from.isEmpty ? "" : " (\(from.joined(separator: ", ")) did not create it)"), exit: nil, stderrTail: [], logPath: nil))
                        break
                    }
                    running.insert(name)
                    let hashes = depHashes
                    log("▶ \(name)" + (planned[name]?.reason == reason ? "" : "  (\(reason))"))
                    let thread = Thread { [self] in
                        let result = self.execute(stage, depHashes: hashes, log: log)
                        mailbox.condition.lock()
                        mailbox.done.append((name, result))
                        mailbox.condition.signal()
                        mailbox.condition.unlock()
                    }
                    thread.start()
                    if running.count >= options.jobs { break }
                }
            }
            if running.isEmpty { break }
            mailbox.condition.lock()
            while mailbox.done.isEmpty { mailbox.condition.wait() }
            let done = mailbox.done
            mailbox.done.removeAll()
            mailbox.condition.unlock()
            for (name, completion) in done {
                running.remove(name)
                switch completion {
                case .success(let entry, let seconds):
                    lock.stages[name] = entry
                    saveLock()
                    report.ran.append(name)
                    succeeded.insert(name)
                    log("✓ \(name)  (\(String(format: "%.1f", seconds)) s)")
                case .failure(let failure) where options.cancellation?.isCancelled == true:
                    interrupted(failure.stage)
                case .failure(let failure):
                    fail(failure)
                }
            }
        }
        if let fatal { throw fatal }
        report.notStarted = waiting
    }

    func logFailure(_ f: StageFailure, _ log: @Sendable (String) -> Void) {
        var lines = ["✗ \(f.stage) failed: \(f.message)"]
        if !f.stderrTail.isEmpty {
            lines.append("  stderr (last \(f.stderrTail.count) line\(f.stderrTail.count == 1 ? "" : "s")):")
            lines += f.stderrTail.map { "    \($0)" }
        }
        if let p = f.logPath { lines.append("  log: \(p)") }
        lines.forEach(log)
    }

    /// Runs one stage's commands (on a worker thread).
    private func execute(_ stage: PipelineStage, depHashes: [String: ContentHash], log: @escaping @Sendable (String) -> Void) -> Completion {
        let started = Date()
        let logPath = self.logPath(of: stage.name)
        func fail(_ message: String, exit: ShellExit? = nil, tail: [String] = []) -> Completion {
            .failure(StageFailure(stage: stage.name, message: message, exit: exit, stderrTail: tail, logPath: logPath))
        }
        if let problem = prepareOutputs(stage) { return fail(problem) }
        let sink: StageOutputSink
        do {
            sink = try StageOutputSink(path: logPath, prefix: options.echoOutput ? "\(stage.name) | " : nil, log: log)
        } catch {
            return fail("\(error)")
        }
        defer { sink.close() }
        var environment = options.environment ?? ProcessInfo.processInfo.environment
        if let tools = options.toolDirectory {
            let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
            environment["PATH"] = tools + (path.isEmpty ? "" : ":" + path)
        }
        var service: ServiceProcess?
        defer { service?.stop() }
        if let s = stage.service {
            let serviceLog = serviceLogPath(of: stage.name)
            try? FileManager.default.removeItem(atPath: serviceLog)
            sink.note("service $ \(s.command)")
            do {
                service = try ServiceProcess(s.command, in: spec.workingDirectory, environment: environment, logPath: serviceLog)
                sink.note("service: waiting for \(s.readyURL) (up to \(ServiceProcess.seconds(s.timeout)) s)")
                try service!.waitUntilReady(s, cancellation: options.cancellation)
            } catch {
                return fail("\((error as? StickError)?.message ?? "\(error)") (service log: \(serviceLog))", tail: service?.tail() ?? [])
            }
            sink.note("service: ready")
        }
        for (i, command) in stage.commands.enumerated() {
            if options.cancellation?.isCancelled == true { return fail("interrupted") }
            sink.note("$ \(command)")
            let exit: ShellExit
            do {
                exit = try ShellProcess.run(command, in: spec.workingDirectory, environment: environment,
                                            cancellation: options.cancellation, onStdout: { sink.write($0, stderr: false) }, onStderr: { sink.write($0, stderr: true) })
            } catch {
                return fail("cannot run the command: \(error)")
            }
            sink.flushLines()
            guard exit.succeeded else {
                let which = stage.commands.count > 1 ? "command \(i + 1) of \(stage.commands.count)" : "command"
                let shown = command.count > 200 ? String(command.prefix(200)) + "…" : command
                return fail("\(exit.description) (\(which): \(shown))", exit: exit, tail: sink.stderrTail)
            }
        }
        switch lockEntry(stage, depHashes: depHashes) {
        case .success(let entry): return .success(entry, Date().timeIntervalSince(started))
        case .failure(let problem): return fail(problem.message, tail: sink.stderrTail)
        }
    }

    /// Deletes a stage's outs (after it was interrupted: what it wrote is incomplete).
    func removeOutputs(_ stage: PipelineStage) {
        let fm = FileManager.default
        for o in stage.outs {
            let abs = spec.absolutePath(o)
            guard graph.outputPlaces.problem(with: abs) == nil else { continue }
            hasher.forget(abs)
            if fm.fileExists(atPath: abs) || (try? fm.destinationOfSymbolicLink(atPath: abs)) != nil {
                try? fm.removeItem(atPath: abs)
            }
        }
    }

    /// Before a stage runs: its log directory made, its outs checked again (an earlier stage may have made
    /// a symlink since the graph was built) and deleted, their parent directories created. A problem, or nil.
    func prepareOutputs(_ stage: PipelineStage) -> String? {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
            for o in stage.outs {
                let abs = spec.absolutePath(o)
                if let problem = graph.outputPlaces.problem(with: abs) {
                    return "refusing to delete and write the output '\(o)': it \(problem)"
                }
                hasher.forget(abs)
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: abs, isDirectory: &isDir) || (try? fm.destinationOfSymbolicLink(atPath: abs)) != nil {
                    try fm.removeItem(atPath: abs)
                }
                try fm.createDirectory(atPath: (abs as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            }
        } catch {
            return "cannot prepare the outputs: \(error.localizedDescription)"
        }
        return nil
    }

    struct Problem: Error { var message: String }

    /// After a stage succeeded: its lock entry (every out must exist), or what is wrong.
    func lockEntry(_ stage: PipelineStage, depHashes: [String: ContentHash]) -> Result<LockEntry, Problem> {
        var outs: [String: ContentHash] = [:]
        for o in stage.outs {
            hasher.forget(spec.absolutePath(o))
            do {
                guard let h = try hasher.hash(spec.absolutePath(o)) else {
                    return .failure(Problem(message: "the commands succeeded but did not create the output '\(o)'"))
                }
                outs[o] = h
            } catch {
                return .failure(Problem(message: "cannot hash the output '\(o)': \(error)"))
            }
        }
        var params: [String: PipelineValue] = [:]
        for p in stage.params { params[p.name] = p.value }
        return .success(LockEntry(cmd: stage.commands, deps: depHashes, outs: outs, params: params))
    }

    /// The content hashes of a stage's deps now, or the first missing one.
    func hashDeps(_ stage: PipelineStage) throws -> (hashes: [String: ContentHash], missing: String?) {
        var hashes: [String: ContentHash] = [:], missing: String?
        for d in stage.deps {
            hasher.forget(spec.absolutePath(d))
            if let h = try hasher.hash(spec.absolutePath(d)) { hashes[d] = h } else if missing == nil { missing = d }
        }
        return (hashes, missing)
    }
}

/// A stage's output: everything into its log file; lines to the log callback (prefixed) when echoing;
/// the last stderr lines kept for the failure report.
final class StageOutputSink: @unchecked Sendable {
    private let fd: Int32
    private let prefix: String?
    private let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var partial: [Bool: [UInt8]] = [false: [], true: []]
    private var tail: [String] = []
    private let tailLines = 20

    init(path: String, prefix: String?, log: @escaping @Sendable (String) -> Void) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StickError("cannot create the log: \(String(cString: strerror(errno)))", file: path) }
        self.prefix = prefix
        self.log = log
    }

    var stderrTail: [String] { lock.withLock { tail } }

    func note(_ line: String) {
        lock.withLock { writeRaw(Array((line + "\n").utf8)) }
    }

    func write(_ data: Data, stderr: Bool) {
        lock.withLock {
            let bytes = [UInt8](data)
            writeRaw(bytes)
            var buffer = partial[stderr]! + bytes
            var start = 0
            while let nl = buffer[start...].firstIndex(of: 0x0A) {
                emit(Array(buffer[start..<nl]), stderr: stderr)
                start = nl + 1
            }
            buffer.removeFirst(start)
            partial[stderr] = buffer
        }
    }

    /// Emits unterminated last lines.
    func flushLines() {
        lock.withLock {
            for key in [false, true] where !(partial[key]!.isEmpty) {
                emit(partial[key]!, stderr: key)
                partial[key] = []
            }
        }
    }

    private func emit(_ bytes: [UInt8], stderr: Bool) {
        var line = String(decoding: bytes, as: UTF8.self)
        if line.hasSuffix("\r") { line.removeLast() }
        if let r = line.lastIndex(of: "\r") { line = String(line[line.index(after: r)...]) }  // progress bars
        if stderr {
            tail.append(line)
            if tail.count > tailLines { tail.removeFirst(tail.count - tailLines) }
        }
        if let prefix { log(prefix + line) }
    }

    private func writeRaw(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    func close() { Foundation.close(fd) }
}
