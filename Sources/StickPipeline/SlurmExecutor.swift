// `stick pipeline run --executor slurm` (and `--detach` + `status`, at the end): the stages the plan says must run are submitted as Slurm jobs
// (SlurmScript: job arrays, afterok dependencies), then the runner waits, polling `squeue` (no
// accounting needed): a stage has finished when its job wrote `.stick/slurm/STAGE.exit`, and failed when
// that status is not 0 or its job left the queue without writing one (cancelled, time limit, node
// failure). Each stage's log (`.stick/logs/STAGE.log`) is streamed, prefixed with the stage name. A
// stage that succeeded is hashed and recorded in the lock as the local runner does; on a failure the
// jobs downstream of it are cancelled (`scancel`) and reported as not started. Unlike the local
// executor, every stage the plan marks to run is submitted at once, so a stage whose upstream comes
// out unchanged still runs.
import Foundation
import StickArtifacts

extension PipelineRunner {
    private func slurmCommand(_ words: [String], environment: [String: String]) throws -> (ShellExit, String, String) {
        final class Buffer: @unchecked Sendable { var out = Data(), err = Data(); let lock = NSLock() }
        let b = Buffer()
        let exit = try ShellProcess.run(words.map(ShellQuoting.quote).joined(separator: " "), in: spec.workingDirectory,
                                        environment: environment,
                                        onStdout: { d in b.lock.withLock { b.out.append(d) } },
                                        onStderr: { d in b.lock.withLock { b.err.append(d) } })
        return (exit, String(decoding: b.out, as: UTF8.self), String(decoding: b.err, as: UTF8.self))
    }

    func runOnSlurm(_ slurm: SlurmOptions, selection: [String], plan: [StagePlan], report: inout PipelineReport,
                    log: @escaping @Sendable (String) -> Void) throws {
        var lock = try PipelineLock.load(spec.lockPath)
        report.skipped = plan.filter { $0.action == .skip }.map(\.stage)
        let toRun = plan.filter { $0.action == .run }.map(\.stage)
        guard !toRun.isEmpty else { return }
        var environment = options.environment ?? ProcessInfo.processInfo.environment
        if let tools = options.toolDirectory {
            let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
            environment["PATH"] = tools + (path.isEmpty ? "" : ":" + path)
        }
        let fm = FileManager.default
        let slurmDirectory = spec.workingDirectory + "/.stick/slurm"
        try fm.createDirectory(atPath: slurmDirectory, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: spec.workingDirectory + "/.stick/logs", withIntermediateDirectories: true)
        for name in toRun {
            if let problem = prepareOutputs(graph.stage(name)) {
                let f = StageFailure(stage: name, message: problem, exit: nil, stderrTail: [], logPath: nil)
                report.failed.append(f)
                logFailure(f, log)
                report.notStarted = toRun.filter { $0 != name }
                return
            }
            for p in [SlurmScript.statusRelativePath(name), SlurmScript.logRelativePath(name)] {
                try? fm.removeItem(atPath: spec.workingDirectory + "/" + p)
            }
            _ = fm.createFile(atPath: spec.workingDirectory + "/" + SlurmScript.logRelativePath(name), contents: nil)
        }

        // Submit, upstream first.
        let jobs = SlurmScript.jobs(graph, stages: toRun)
        var ids: [String] = []
        func cancel(_ which: [String]) {
            guard !which.isEmpty else { return }
            _ = try? slurmCommand(["scancel"] + which, environment: environment)
        }
        // Interrupted (SIGINT/SIGTERM): every job not finished is cancelled; its stages are not recorded and
        // their outputs deleted.
        func interrupt(_ unfinished: [String]) {
            let jobIndexes = jobs.indices.filter { $0 < ids.count && jobs[$0].stages.contains { unfinished.contains($0.name) } }
            cancel(jobIndexes.map { ids[$0] })
            report.cancelledJobs = jobIndexes.map { ids[$0] }
            for name in unfinished {
                if lock.stages.removeValue(forKey: name) != nil { try? lock.save(spec.lockPath) }
                removeOutputs(graph.stage(name))
            }
            let submitted = Set(jobIndexes.flatMap { jobs[$0].stages.map(\.name) })
            report.interrupted = unfinished.filter(submitted.contains)
            report.notStarted = unfinished.filter { !submitted.contains($0) }
            if !report.cancelledJobs.isEmpty { log("cancelled Slurm job\(report.cancelledJobs.count == 1 ? "" : "s") \(report.cancelledJobs.joined(separator: ", ")): interrupted") }
        }
        for (i, job) in jobs.enumerated() {
            if options.cancellation?.isCancelled == true {
                interrupt(toRun)
                return
            }
            let script = slurmDirectory + "/job-\(i)-" + Paths.safeFileName(job.name) + ".sh"
            try SlurmScript.body(job).write(toFile: script, atomically: true, encoding: .utf8)
            var args = SlurmScript.sbatchArguments(job, options: slurm)
            if !job.upstream.isEmpty { args.append("--dependency=afterok:" + job.upstream.map { ids[$0] }.joined(separator: ":")) }
            let (exit, out, err) = try slurmCommand(["sbatch"] + args + [script], environment: environment)
            let id = out.split(separator: "\n").first.map { String($0.split(separator: ";")[0]) } ?? ""
            guard exit.succeeded, !id.isEmpty, id.allSatisfy(\.isNumber) else {
                cancel(ids)
                throw StickError("sbatch failed for '\(job.name)' (\(exit.description)): \(err.trimmingCharacters(in: .whitespacesAndNewlines))", file: spec.path)
            }
            ids.append(id)
            log("submitted \(job.name) as Slurm job \(id)" + (job.isArray ? " (array of \(job.stages.count): \(job.stages.map(\.name).joined(separator: ", ")))" : ""))
        }

        if slurm.detach {
            var submission = SlurmSubmission(spec: spec.path, stages: [:])
            for (i, job) in jobs.enumerated() {
                for (t, stage) in job.stages.enumerated() {
                    submission.stages[stage.name] = .init(job: ids[i], task: job.isArray ? t : nil)
                    report.submitted.append((stage.name, job.isArray ? "\(ids[i])_\(t)" : ids[i]))
                }
            }
            try submission.save(submissionPath)
            log("detached: \(toRun.count) stage\(toRun.count == 1 ? "" : "s") submitted (\(submissionPath)); follow with: stick pipeline status \(spec.path)")
            return
        }

        // Wait.
        var where_: [String: (job: Int, task: Int)] = [:]
        for (i, job) in jobs.enumerated() { for (t, s) in job.stages.enumerated() { where_[s.name] = (i, t) } }
        var pending = toRun
        var queueSilentSince: Date?
        var offsets: [String: UInt64] = [:], partial: [String: [UInt8]] = [:]
        func stream(_ name: String, final: Bool = false) {
            guard let h = FileHandle(forReadingAtPath: spec.workingDirectory + "/" + SlurmScript.logRelativePath(name)) else { return }
            defer { try? h.close() }
            try? h.seek(toOffset: offsets[name] ?? 0)
            let data = (try? h.readToEnd()) ?? Data()
            offsets[name, default: 0] += UInt64(data.count)
            var buffer = (partial[name] ?? []) + [UInt8](data)
            while let nl = buffer.firstIndex(of: 0x0A) {
                if options.echoOutput { log("\(name) | " + String(decoding: buffer[..<nl], as: UTF8.self)) }
                buffer.removeSubrange(...nl)
            }
            if final, !buffer.isEmpty, options.echoOutput { log("\(name) | " + String(decoding: buffer, as: UTF8.self)); buffer = [] }
            partial[name] = buffer
        }
        func tail(_ name: String) -> [String] {
            let text = (try? String(contentsOfFile: spec.workingDirectory + "/" + SlurmScript.logRelativePath(name), encoding: .utf8)) ?? ""
            return Array(text.split(separator: "\n").map(String.init).suffix(20))
        }
        func downstream(of job: Int) -> Set<Int> {
            var found = Set<Int>(), changed = true
            while changed {
                changed = false
                for (i, j) in jobs.enumerated() where !found.contains(i) && j.upstream.contains(where: { $0 == job || found.contains($0) }) {
                    found.insert(i)
                    changed = true
                }
            }
            return found
        }
        while !pending.isEmpty {
            if let cancellation = options.cancellation {
                if cancellation.sleep(slurm.pollInterval) {
                    interrupt(pending)
                    return
                }
            } else {
                Thread.sleep(forTimeInterval: slurm.pollInterval)
            }
            let (qexit, qout, qerr) = try slurmCommand(["squeue", "-h", "-o", "%F", "-j", ids.joined(separator: ",")], environment: environment)
            let queued: Set<String>
            // squeue fails on ids it no longer knows; then (every job gone) nothing is queued.
            if qexit.succeeded || qerr.contains("Invalid job id") {
                if queueSilentSince != nil { log("squeue answers again") }
                queueSilentSince = nil
                queued = Set(qout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            } else {
                // A busy or restarting controller does not answer for a while (squeue times out after
                // MessageTimeout): the jobs go on, so keep reading their status files and ask again, counting
                // every job as queued; give up only when squeue has failed for `queueFailureGrace` seconds.
                let message = qerr.trimmingCharacters(in: .whitespacesAndNewlines)
                let since = queueSilentSince ?? Date(), grace = String(format: "%g", slurm.queueFailureGrace)
                if queueSilentSince == nil {
                    queueSilentSince = since
                    log("squeue failed (\(qexit.description)): \(message); asking again for up to \(grace) s")
                }
                if Date().timeIntervalSince(since) > slurm.queueFailureGrace {
                    throw StickError("squeue has failed for \(grace) s (\(qexit.description)): \(message); "
                        + "Slurm jobs \(ids.joined(separator: ", ")) may still be running (scancel them, or follow them with squeue)", file: spec.path)
                }
                queued = Set(ids)
            }
            for name in pending {
                stream(name)
                let (jobIndex, task) = where_[name]!
                let job = jobs[jobIndex], id = ids[jobIndex]
                let shown = job.isArray ? "\(id)_\(task)" : id
                let statusPath = spec.workingDirectory + "/" + SlurmScript.statusRelativePath(name)
                var failure: String?
                var exitStatus: ShellExit?
                if let text = try? String(contentsOfFile: statusPath, encoding: .utf8) {
                    let code = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                    pending.removeAll { $0 == name }
                    stream(name, final: true)
                    if code == 0 {
                        let stage = graph.stage(name)
                        let (hashes, missing) = try hashDeps(stage)
                        if let missing {
                            failure = "dependency '\(missing)' is missing after the job"
                        } else {
                            switch lockEntry(stage, depHashes: hashes) {
                            case .success(let entry):
                                lock.stages[name] = entry
                                try lock.save(spec.lockPath)
                                report.ran.append(name)
                                log("✓ \(name)  (Slurm job \(shown))")
                            case .failure(let p): failure = p.message
                            }
                        }
                    } else {
                        exitStatus = ShellExit(status: code, signal: nil)
                        failure = "Slurm job \(shown) failed: exit status \(code)"
                    }
                } else if !queued.contains(id) {
                    pending.removeAll { $0 == name }
                    stream(name, final: true)
                    failure = "Slurm job \(shown) ended without an exit status (cancelled, time limit or node failure; see .stick/logs/slurm-\(shown).out)"
                }
                guard let failure else { continue }
                if lock.stages.removeValue(forKey: name) != nil { try lock.save(spec.lockPath) }
                let f = StageFailure(stage: name, message: failure, exit: exitStatus, stderrTail: tail(name),
                                     logPath: spec.workingDirectory + "/" + SlurmScript.logRelativePath(name))
                report.failed.append(f)
                logFailure(f, log)
                let dependants = downstream(of: jobIndex).sorted()
                let cancelled = dependants.flatMap { jobs[$0].stages.map(\.name) }.filter(pending.contains)
                if !cancelled.isEmpty {
                    cancel(dependants.map { ids[$0] })
                    log("cancelled \(dependants.map { "\(jobs[$0].name) (job \(ids[$0]))" }.joined(separator: ", ")): upstream '\(name)' failed")
                    pending.removeAll { cancelled.contains($0) }
                    report.notStarted += cancelled
                }
            }
        }
    }
}


/// What `run --executor slurm --detach` submitted: per stage, its job (and array task). Written
/// atomically to `WDIR/.stick/slurm/SPEC_STEM.submitted.json`; `stick pipeline status` reads it, records
/// the stages that succeeded in the lock, and removes it once every job completed.
public struct SlurmSubmission: Codable, Sendable {
    public struct Job: Codable, Sendable, Equatable {
        public var job: String
        public var task: Int?
        /// Recorded in the lock already (by `status`).
        public var recorded: Bool?
        public var shown: String { task.map { "\(job)_\($0)" } ?? job }
    }
    public var spec: String
    public var stages: [String: Job]

    public static func load(_ path: String) throws -> SlurmSubmission? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do { return try JSONDecoder().decode(SlurmSubmission.self, from: data) } catch {
            throw StickError("cannot read the detached submission: \(error)", file: path)
        }
    }

    public func save(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// One detached stage as `status` sees it.
public struct SlurmStageState: Sendable {
    public enum State: String, Sendable { case PENDING, RUNNING, COMPLETED, FAILED }
    public var stage: String
    public var job: String
    public var state: State
    public var detail: String
}

extension PipelineRunner {
    /// Where a detached submission of this spec is recorded.
    public var submissionPath: String {
        let stem = ((spec.path as NSString).lastPathComponent as NSString).deletingPathExtension
        return spec.workingDirectory + "/.stick/slurm/" + Paths.safeFileName(stem) + ".submitted.json"
    }

    /// The state of each stage of the detached submission (nil when there is none): squeue for the jobs
    /// still queued, the stage's exit status file and `scontrol show job` for the others. Stages that
    /// completed are recorded in the lock as `run` does; once every stage completed the submission file
    /// is removed.
    public func detachedStatus() throws -> [SlurmStageState]? {
        guard var submission = try SlurmSubmission.load(submissionPath) else { return nil }
        let environment = ProcessInfo.processInfo.environment
        let ids = Set(submission.stages.values.map(\.job)).sorted()
        let (qexit, qout, qerr) = try slurmCommand(["squeue", "-h", "-o", "%F %K %T", "-j", ids.joined(separator: ",")], environment: environment)
        if !qexit.succeeded && !qerr.contains("Invalid job id") {
            throw StickError("squeue failed (\(qexit.description)): \(qerr.trimmingCharacters(in: .whitespacesAndNewlines))", file: spec.path)
        }
        let queued = qout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }.filter { $0.count >= 3 }
        var lock = try PipelineLock.load(spec.lockPath)
        var lockChanged = false
        var states: [SlurmStageState] = []
        for name in graph.order where submission.stages[name] != nil {
            let job = submission.stages[name]!
            var state: SlurmStageState.State, detail = ""
            let statusPath = spec.workingDirectory + "/" + SlurmScript.statusRelativePath(name)
            if let text = try? String(contentsOfFile: statusPath, encoding: .utf8) {
                let code = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                if code == 0 {
                    state = .COMPLETED
                    if job.recorded != true {
                        let stage = graph.stage(name)
                        let (hashes, missing) = try hashDeps(stage)
                        if let missing {
                            state = .FAILED
                            detail = "dependency '\(missing)' is missing after the job"
                        } else {
                            switch lockEntry(stage, depHashes: hashes) {
                            case .success(let entry):
                                lock.stages[name] = entry
                                lockChanged = true
                                submission.stages[name]!.recorded = true
                                detail = "recorded in the lock"
                            case .failure(let p):
                                state = .FAILED
                                detail = p.message
                            }
                        }
                    }
                } else {
                    state = .FAILED
                    detail = "exit status \(code); log: \(SlurmScript.logRelativePath(name))"
                }
            } else if let entry = queued.first(where: { $0[0] == job.job && ($0[1] == "N/A" || $0[1] == job.task.map(String.init)) })
                        ?? queued.first(where: { $0[0] == job.job && $0[2] == "PENDING" }) {
                state = entry[2] == "PENDING" ? .PENDING : .RUNNING
                if entry[2] != "PENDING" && entry[2] != "RUNNING" { detail = entry[2] }
            } else {
                // Left the queue without an exit status: ask scontrol why (it forgets jobs after MinJobAge).
                let (sexit, sout, _) = try slurmCommand(["scontrol", "show", "job", job.shown], environment: environment)
                let jobState = sout.split(whereSeparator: { $0 == " " || $0 == "\n" }).first { $0.hasPrefix("JobState=") }.map { String($0.dropFirst(9)) }
                if sexit.succeeded, let jobState, ["PENDING", "RUNNING", "COMPLETING", "CONFIGURING"].contains(jobState) {
                    state = jobState == "PENDING" ? .PENDING : .RUNNING
                } else {
                    state = .FAILED
                    detail = "ended without an exit status" + (jobState.map { " (\($0))" } ?? "")
                }
            }
            if state == .FAILED, lock.stages.removeValue(forKey: name) != nil { lockChanged = true }
            states.append(SlurmStageState(stage: name, job: job.shown, state: state, detail: detail))
        }
        if lockChanged { try lock.save(spec.lockPath) }
        if states.allSatisfy({ $0.state == .COMPLETED }) {
            try? FileManager.default.removeItem(atPath: submissionPath)
        } else {
            try submission.save(submissionPath)
        }
        return states
    }
}
