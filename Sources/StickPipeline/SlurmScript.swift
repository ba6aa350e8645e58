// Stages as Slurm batch jobs: shared by `stick pipeline slurm` (a submit script) and
// `stick pipeline run --executor slurm`. A group of stages from one foreach/matrix becomes one job
// array (SLURM_ARRAY_TASK_ID picks the instance); other stages one job each; each job depends on its
// upstream jobs with `--dependency=afterok:…`. (When grouping would make a cycle — an instance reading
// another instance of its group — every stage becomes its own job.)
//
// A job's script runs in the spec's wdir (the submission directory): for its instance it sends its
// output to the stage's log (`.stick/logs/STAGE.log`, as the local runner), deletes the outs and makes
// their parent directories, runs each command with `/bin/sh -c 'COMMAND'` (the interpolated command,
// quoted whole by ShellQuoting, so a value stays data), and writes the exit status to
// `.stick/slurm/STAGE.exit`. A stage's `service:` is started first (setsid, its log in
// `.stick/logs/STAGE.service.log`), `stick pipeline wait-ready` waits for it, and it is stopped before the
// exit status is written (and by a trap on any exit). Resources are validated when the spec is loaded, and every value put in
// the script is quoted; a here-document delimiter is chosen so that no line of the body equals it.
import Foundation
import StickArtifacts

/// `resources:` of a stage: what its Slurm job asks for.
public struct StageResources: Hashable, Sendable {
    public var cpus: Int?
    public var mem: String?
    public var time: String?
    public var gres: String?

    public init(cpus: Int? = nil, mem: String? = nil, time: String? = nil, gres: String? = nil) {
        self.cpus = cpus
        self.mem = mem
        self.time = time
        self.gres = gres
    }

    public var isEmpty: Bool { cpus == nil && mem == nil && time == nil && gres == nil }

    static func matches(_ s: String, _ pattern: String) -> Bool {
        s.range(of: "^" + pattern + "$", options: .regularExpression) != nil && !s.contains("\n")
    }

    /// Sets one field from its text; a value Slurm would not read is an error.
    mutating func set(_ field: String, _ text: String) throws {
        switch field {
        case "cpus":
            guard let n = Int(text), n >= 1, n <= 1_000_000 else { throw StickError("resources.cpus must be a positive whole number, not \(text.debugDescription)") }
            cpus = n
        case "mem":
            guard Self.matches(text, "[0-9]{1,12}[KMGT]?") else { throw StickError("resources.mem must be a size such as 4G or 500M, not \(text.debugDescription)") }
            mem = text
        case "time":
            guard Self.matches(text, "([0-9]{1,4}-)?[0-9]{1,6}(:[0-9]{1,2}){0,2}") else {
                throw StickError("resources.time must be a Slurm time (minutes, HH:MM:SS, D-HH:MM…), not \(text.debugDescription)")
            }
            time = text
        case "gres":
            let one = "[A-Za-z0-9_]{1,64}(:[A-Za-z0-9_.-]{1,64}){0,2}"
            guard Self.matches(text, "\(one)(,\(one)){0,15}") else { throw StickError("resources.gres must be such as gpu:1 or gpu:a100:2, not \(text.debugDescription)") }
            gres = text
        default:
            throw StickError("unknown resource '\(field)' (expected cpus, mem, time, gres)")
        }
    }

    /// The sbatch options.
    public var sbatchOptions: [String] {
        var o: [String] = []
        if let cpus { o.append("--cpus-per-task=\(cpus)") }
        if let mem { o.append("--mem=\(mem)") }
        if let time { o.append("--time=\(time)") }
        if let gres { o.append("--gres=\(gres)") }
        return o
    }
}

/// How stages go to Slurm.
public struct SlurmOptions: Sendable {
    public var partition: String?
    /// Extra sbatch arguments (`--sbatch-args`, split at blanks).
    public var sbatchArgs: [String]
    /// Seconds between polls of squeue while waiting.
    public var pollInterval: Double
    /// Submit and return (`--detach`): the job ids go to the submission file, `stick pipeline status` follows them.
    public var detach: Bool
    /// Seconds squeue may keep failing (a controller busy or restarting) before the wait gives up.
    public var queueFailureGrace: Double

    public init(partition: String? = nil, sbatchArgs: [String] = [], pollInterval: Double = 2, detach: Bool = false,
                queueFailureGrace: Double = 300) {
        self.partition = partition
        self.sbatchArgs = sbatchArgs
        self.pollInterval = pollInterval
        self.detach = detach
        self.queueFailureGrace = queueFailureGrace
    }

    /// `--sbatch-args '…'` as arguments: split at blanks (no shell parsing; each is passed quoted).
    public static func splitArguments(_ s: String) -> [String] {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
    }
}

public enum PipelineExecutor: Sendable {
    case local
    case slurm(SlurmOptions)
}

/// One Slurm job: one stage, or a job array of a foreach/matrix group's stages.
public struct SlurmJob: Sendable {
    /// The job name: the stage, or the group for an array.
    public var name: String
    public var stages: [PipelineStage]
    public var isArray: Bool
    /// Indexes (in the job list) of the jobs this one waits for.
    public var upstream: [Int]
}

public enum SlurmScript {
    /// The jobs for `stages` (names, in topological order), in an order where upstream jobs come first.
    public static func jobs(_ graph: PipelineGraph, stages: [String]) -> [SlurmJob] {
        let chosen = Set(stages)
        func build(grouped: Bool) -> [SlurmJob]? {
            var keys: [String] = [], members: [String: [String]] = [:]
            for n in stages {
                let key = grouped ? graph.stage(n).group : n
                if members[key] == nil { keys.append(key) }
                members[key, default: []].append(n)
            }
            let keyOf = Dictionary(uniqueKeysWithValues: stages.map { ($0, grouped ? graph.stage($0).group : $0) })
            var ups: [String: Set<String>] = [:]
            for n in stages {
                for u in graph.upstream[n] ?? [] where chosen.contains(u) { ups[keyOf[n]!, default: []].insert(keyOf[u]!) }
            }
            // Topological order of the keys (a cycle, including a group reading itself: nil).
            var order: [String] = [], state: [String: Int] = [:]
            func visit(_ k: String) -> Bool {
                if state[k] == 2 { return true }
                if state[k] == 1 { return false }
                state[k] = 1
                for u in (ups[k] ?? []).sorted() { if !visit(u) { return false } }
                state[k] = 2
                order.append(k)
                return true
            }
            for k in keys { if !visit(k) { return nil } }
            let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset) })
            return order.map { k in
                let ss = members[k]!.map(graph.stage)
                return SlurmJob(name: k, stages: ss, isArray: grouped && (ss.count > 1 || ss[0].name != ss[0].group),
                                upstream: (ups[k] ?? []).map { index[$0]! }.sorted())
            }
        }
        return build(grouped: true) ?? build(grouped: false)!
    }

    /// A here-document delimiter that no line of `body` equals.
    static func delimiter(_ base: String, for body: String) -> String {
        let lines = Set(body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        var d = base
        while lines.contains(d) { d += "_" }
        return d
    }

    static func statusRelativePath(_ stage: String) -> String { ".stick/slurm/" + Paths.safeFileName(stage) + ".exit" }
    static func logRelativePath(_ stage: String) -> String { ".stick/logs/" + Paths.safeFileName(stage) + ".log" }
    static func serviceLogRelativePath(_ stage: String) -> String { ".stick/logs/" + Paths.safeFileName(stage) + ".service.log" }

    /// The job's script (run by sbatch in the wdir). `q` quotes one word for the shell.
    public static func body(_ job: SlurmJob) -> String {
        let q = ShellQuoting.quote
        var lines = ["#!/bin/sh"]
        let resources = job.stages.map(\.resources)
        // Resources of an array: the largest of each kind would need parsing; one set per array, the first stage's.
        if let r = resources.first { lines += r.sbatchOptions.map { "#SBATCH \($0)" } }
        let services = job.stages.contains { $0.service != nil }
        if services {
            // A stage's service runs in this allocation, in a process group of its own (setsid); it is
            // stopped (SIGTERM, SIGKILL after 10 s) before the exit status is written, and on any exit.
            lines += [
                "stick_service=",
                "stick_stop_service() {",
                "  [ -n \"$stick_service\" ] || return 0",
                "  kill -TERM -\"$stick_service\" 2>/dev/null",
                "  ( sleep 10; kill -KILL -\"$stick_service\" 2>/dev/null ) & stick_killer=$!",
                "  wait \"$stick_service\" 2>/dev/null",
                "  kill \"$stick_killer\" 2>/dev/null",
                "  kill -KILL -\"$stick_service\" 2>/dev/null",
                "  stick_service=",
                "}",
                "trap stick_stop_service EXIT",
                "trap 'exit 143' TERM",
                "trap 'exit 130' INT",
            ]
        }
        lines.append("case \"${SLURM_ARRAY_TASK_ID:-0}\" in")
        for (i, stage) in job.stages.enumerated() {
            let status = statusRelativePath(stage.name)
            lines.append("\(i))")
            lines.append("  stick_status=\(q(status))")
            lines.append("  exec >\(q(logRelativePath(stage.name))) 2>&1")
            if !stage.outs.isEmpty {
                lines.append("  rm -rf -- " + stage.outs.map(q).joined(separator: " "))
                let parents = Array(Set(stage.outs.map { ($0 as NSString).deletingLastPathComponent }.filter { !$0.isEmpty && $0 != "." })).sorted()
                if !parents.isEmpty { lines.append("  mkdir -p -- " + parents.map(q).joined(separator: " ")) }
            }
            var run = "(" + stage.commands.map { "printf '%s\\n' \(q("$ " + $0)) && /bin/sh -c \(q($0)) </dev/null" }.joined(separator: " && ") + ")"
            if let service = stage.service {
                lines.append("  printf '%s\\n' \(q("service $ " + service.command))")
                lines.append("  setsid /bin/sh -c \(q(service.command)) </dev/null >\(q(serviceLogRelativePath(stage.name))) 2>&1 &")
                lines.append("  stick_service=$!")
                run = "stick pipeline wait-ready \(q(service.readyURL)) --timeout \(ServiceProcess.seconds(service.timeout)) --pid \"$stick_service\" && " + run
            }
            lines.append("  " + run)
            lines.append("  ;;")
        }
        lines.append("*) echo \"no stage for array index ${SLURM_ARRAY_TASK_ID:-}\" >&2; exit 2 ;;")
        lines.append("esac")
        lines.append("stick_exit=$?")
        if services { lines.append("stick_stop_service") }
        lines.append("printf '%s\\n' \"$stick_exit\" >\"$stick_status.tmp\" && mv -f \"$stick_status.tmp\" \"$stick_status\"")
        lines.append("exit \"$stick_exit\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// sbatch's arguments for `job` (without the dependency).
    public static func sbatchArguments(_ job: SlurmJob, options: SlurmOptions) -> [String] {
        var args = ["--parsable", "--job-name=\(job.name)", "--output=.stick/logs/slurm-%j.out"]
        if job.isArray { args.append("--array=0-\(job.stages.count - 1)") }
        if let p = options.partition { args.append("--partition=\(p)") }
        return args + options.sbatchArgs
    }

    /// The whole pipeline as one shell script that submits every job (`stick pipeline slurm`).
    /// `scriptDirectory`: where the script will be; the wdir is reached relative to it.
    public static func submitScript(_ graph: PipelineGraph, stages: [String], options: SlurmOptions,
                                    scriptDirectory: String, toolDirectory: String?) -> String {
        let q = ShellQuoting.quote
        let spec = graph.spec
        let wdir = Paths.relative(from: Paths.normalize(scriptDirectory), to: spec.workingDirectory)
        let jobs = self.jobs(graph, stages: stages)
        var lines = [
            "#!/bin/sh",
            "# Generated by `stick pipeline slurm`; regenerate it rather than editing it.",
            "# Submits the pipeline's stages as Slurm jobs (job arrays for foreach/matrix stages, afterok dependencies)",
            "# and prints their ids. Stage logs: WDIR/.stick/logs/STAGE.log; exit statuses: WDIR/.stick/slurm/STAGE.exit.",
            "# Unlike `stick pipeline run --executor slurm` it runs every stage and keeps no lock.",
            "set -eu",
            "cd -- \"$(dirname -- \"$0\")\"",
            "cd -- \(q(wdir))",
        ]
        if let toolDirectory { lines += ["PATH=\(q(toolDirectory)):$PATH", "export PATH"] }
        lines += [
            "mkdir -p .stick/logs .stick/slurm",
            "stick_submit() { stick_id=$(sbatch \"$@\"); stick_id=${stick_id%%;*}; }",
        ]
        for (i, job) in jobs.enumerated() {
            var args = sbatchArguments(job, options: options).map(q)
            if !job.upstream.isEmpty {
                args.append("\"--dependency=afterok:" + job.upstream.map { "$stick_job_\($0)" }.joined(separator: ":") + "\"")
            }
            let body = self.body(job)
            let d = delimiter("STICK_JOB_\(i)", for: body)
            lines.append("")
            lines.append("stick_submit " + args.joined(separator: " ") + " <<'\(d)'")
            lines.append(body + d)
            lines.append("stick_job_\(i)=$stick_id")
            lines.append("printf '%s %s\\n' \(q(job.name)) \"$stick_job_\(i)\"")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
