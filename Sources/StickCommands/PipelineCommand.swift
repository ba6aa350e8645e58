// stick pipeline — run a Makefile-style pipeline spec (YAML, modelled on DVC's dvc.yaml), rerunning only
// the stages whose command, params, deps or outs changed since the lock file.
//
// Subcommands run, status, dag, make, slurm and wait-ready (PipelineWaitReadyCommand.swift); their usage is their CommandConfiguration (the help).
// `run --executor slurm` submits the stages as Slurm jobs and waits (StickPipeline/SlurmExecutor.swift);
// `slurm` writes the same jobs as a submit script (StickPipeline/SlurmScript.swift).
//
// STAGE is a stage (`query@dummy`) or a foreach/matrix group (`query`); its upstream stages come along.
// The lock is `<spec stem>.lock` beside the spec (demo.yaml → demo.lock), rewritten after every stage;
// a run holds `.<spec stem>.lock.run` (flock) so a second run of the same spec fails at once.
// Outputs must be inside the spec's wdir (or under --allow-outs-under DIR); values are quoted in commands.
// Stage output goes to `<wdir>/.stick/logs/<stage>.log` and, unless --quiet, to stderr as `stage | line`.
// Commands run with `/bin/sh -c` in the spec's wdir, with $STICK_BIN (default: the directory of this
// `stick`) first on PATH, so `stick …`, `gen-prompts …` are the binaries built beside it.
// The format is described in pipelines/README.md.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts
import StickPipeline

public struct PipelineCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pipeline", abstract: "Run a pipeline spec: only what changed, in parallel, with a lock file.",
        discussion: """
            Examples:
              stick pipeline run pipelines/demo.yaml
              stick pipeline status pipelines/demo.yaml
              stick pipeline run pipelines/demo.yaml score --set 'models=[dummy]' -j 2
              stick pipeline dag pipelines/demo.yaml --dot | dot -Tsvg > dag.svg
              stick pipeline make pipelines/demo.yaml -o Makefile && make -j 2
              stick pipeline run pipelines/demo.yaml --executor slurm --partition debug
              stick pipeline slurm pipelines/demo.yaml -o submit.sh && sh submit.sh

            The spec format is described in pipelines/README.md.
            """,
        subcommands: [PipelineRunCommand.self, PipelineStatusCommand.self, PipelineDagCommand.self, PipelineMakeCommand.self,
                      PipelineSlurmCommand.self, PipelineWaitReadyCommand.self])
    public init() {}
}

/// The spec and its var overrides, shared by every subcommand.
struct PipelineSpecOptions: ParsableArguments {
    @Argument(help: "The pipeline spec (YAML).")
    var spec: String

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override a var; the value is read as YAML (3, true, x.yaml, [a, b]). Repeatable.", valueName: "key=value"))
    var sets: [String] = []

    @Option(name: .customLong("allow-outs-under"), help: ArgumentHelp(
        "Allow outputs under this directory too (outputs are deleted before their stage runs, so by default they must be inside the spec's wdir). Repeatable.",
        valueName: "dir"))
    var allowOutsUnder: [String] = []

    func validate() throws {
        for s in sets {
            do { _ = try VarOverride(parsing: s) } catch let e as StickError { throw ValidationError(e.message) }
        }
    }

    func load() throws -> PipelineSpec {
        try PipelineSpec.load(spec, overrides: sets.map(VarOverride.init(parsing:)))
    }

    /// The directory put first on the stages' PATH: $STICK_BIN when set, else that of the running `stick`.
    static var toolDirectory: String? {
        if let bin = ProcessInfo.processInfo.environment["STICK_BIN"], !bin.isEmpty { return bin }
        guard let exe = Bundle.main.executablePath ?? CommandLine.arguments.first else { return nil }
        let url = URL(fileURLWithPath: exe).resolvingSymlinksInPath()
        return url.deletingLastPathComponent().path
    }
}

public struct PipelineRunCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Bring the pipeline (or some stages and their upstream) up to date.",
        discussion: """
            Prints one line per stage (run or skip, and why), the progress and a summary on stderr. \
            On the first failure no new stage starts, running ones finish (and are recorded), and the failed \
            stage is reported with its exit status and the end of its stderr; the exit status is then 1.

            SIGINT (Ctrl-C) or SIGTERM stops the run: each running stage's process group gets SIGTERM (SIGKILL \
            10 s later if still there), its service is stopped, its outputs are deleted and it is not recorded in \
            the lock (stages that finished stay recorded); the exit status is 130 (SIGINT) or 143 (SIGTERM). With \
            --executor slurm, every submitted job not yet finished is cancelled with scancel.

            Commands run with /bin/sh -c in the spec's wdir, with $STICK_BIN (default: the directory of this \
            stick) first on PATH. Their output goes to WDIR/.stick/logs/STAGE.log and, unless --quiet, to \
            stderr prefixed with the stage name. The lock is SPEC_STEM.lock beside the spec; while it runs, \
            a run holds .SPEC_STEM.lock.run beside it, and a second run of the same spec fails at once.

            Values (vars, --set, foreach items) are quoted in commands: they are data, the spec's cmd is code. \
            Outputs must be inside the spec's wdir (or under --allow-outs-under DIR).
            """)

    @OptionGroup var specOptions: PipelineSpecOptions

    @Argument(help: "Stages or foreach/matrix groups to bring up to date (default: all).")
    var stages: [String] = []

    @Option(name: .short, help: ArgumentHelp("Stages run in parallel (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @Flag(name: .long, help: "Print the plan and run nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Run every selected stage, even when up to date.")
    var force = false

    @Flag(name: .shortAndLong, help: "Do not copy the stages' output to the terminal (it stays in .stick/logs/).")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Where stages run: local (child processes) or slurm (sbatch jobs; the run waits for them).", valueName: "local|slurm"))
    var executor: String = "local"

    @OptionGroup var slurm: SlurmArguments

    @Flag(name: .long, help: "With --executor slurm: submit, print the job ids and return (follow with `stick pipeline status SPEC`).")
    var detach = false

    @Option(name: .long, help: ArgumentHelp("With --executor slurm: seconds between squeue polls while waiting for the jobs (default: $STICK_SLURM_POLL or 2).", valueName: "seconds"))
    var pollInterval: Double?

    public init() {}

    public func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("-j must be at least 1") }
        if let pollInterval, !(pollInterval > 0 && pollInterval <= 3600) { throw ValidationError("--poll-interval must be between 0 and 3600 seconds") }
        if executor == "local", pollInterval != nil { throw ValidationError("--poll-interval needs --executor slurm") }
        if executor == "local", detach { throw ValidationError("--detach needs --executor slurm") }
        guard executor == "local" || executor == "slurm" else { throw ValidationError("--executor must be local or slurm, not '\(executor)'") }
        if executor == "local", slurm.given { throw ValidationError("--partition and --sbatch-args need --executor slurm") }
        try slurm.validate()
    }

    public func run() throws {
        var options = PipelineOptions(targets: stages, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, dryRun: dryRun, force: force,
                                      toolDirectory: PipelineSpecOptions.toolDirectory, echoOutput: !quiet,
                                      allowOutsUnder: specOptions.allowOutsUnder)
        if executor == "slurm" {
            var slurmOptions = slurm.options(pollInterval: pollInterval)
            slurmOptions.detach = detach
            options.executor = .slurm(slurmOptions)
        }
        let cancellation = PipelineCancellation()
        options.cancellation = cancellation
        let runner = try PipelineRunner(spec: specOptions.load(), options: options)
        let sources = Self.onInterrupt { cancellation.cancel(signal: $0) }
        defer { sources.forEach { $0.cancel() } }
        let report: PipelineReport
        do {
            report = try runner.run(log: { Console.note($0) })
        } catch let interrupted as PipelineInterrupted {
            throw ExitCodeError(StickError(interrupted.description, file: specOptions.spec), code: interrupted.exitStatus)
        }
        for (stage, job) in report.submitted { Console.out("\(stage)\t\(job)") }
        if let first = report.failed.first {
            let others = report.failed.count > 1 ? " (and \(report.failed.count - 1) more)" : ""
            throw StickError("\(first.description)\(others)", file: specOptions.spec)
        }
    }
}

extension PipelineRunCommand {
    /// SIGINT and SIGTERM call `handler` (on a Dispatch queue) instead of killing the process: their default
    /// disposition is ignored and, in this thread (whose mask the runner's threads inherit), they are
    /// blocked, so the Dispatch sources receive them. Spawned commands get an empty mask and default
    /// dispositions (ShellProcess.cleanSignals).
    static func onInterrupt(_ handler: @escaping @Sendable (Int32) -> Void) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { signo in
            signal(signo, SIG_IGN)
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, signo)
            pthread_sigmask(SIG_BLOCK, &set, nil)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler { handler(signo) }
            source.resume()
            return source
        }
    }
}

public struct PipelineStatusCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show which stages would run, and why (nothing runs); or how a detached Slurm run is doing.",
        discussion: """
            After `run --executor slurm --detach`, shows each submitted stage's job and state (PENDING, RUNNING, \
            COMPLETED, FAILED: squeue, then the stage's exit status file and scontrol show job; no accounting \
            needed) and records the stages that completed in the lock as `run` would. Exit status: 0 when every \
            stage completed (the submission is then forgotten and status shows the plan again), 1 if any failed, \
            3 while some are pending or running. Without a detached submission: the plan, exit status 0.

            Examples:
              stick pipeline run pipelines/demo.yaml --executor slurm --detach
              stick pipeline status pipelines/demo.yaml; echo $?     # 3 while jobs run, 0 once all completed
            """)

    @OptionGroup var specOptions: PipelineSpecOptions

    @Argument(help: "Stages or foreach/matrix groups (default: all).")
    var stages: [String] = []

    public init() {}

    public func run() throws {
        let runner = try PipelineRunner(spec: specOptions.load(), options: PipelineOptions(targets: stages, allowOutsUnder: specOptions.allowOutsUnder))
        if let states = try runner.detachedStatus() {
            var table = TextTable([.init("stage"), .init("job"), .init("state"), .init("detail")])
            for s in states { table.append([s.stage, s.job, s.state.rawValue, s.detail]) }
            Console.out(table.render())
            let failed = states.filter { $0.state == .FAILED }.count
            let unfinished = states.filter { $0.state == .PENDING || $0.state == .RUNNING }.count
            if unfinished > 0 {
                Console.note("\(unfinished) of \(states.count) detached stage\(states.count == 1 ? "" : "s") still pending or running"
                    + (failed > 0 ? ", \(failed) failed" : ""))
                throw ExitCode(3)
            }
            if failed > 0 { throw ExitCodeError(StickError("\(failed) detached stage\(failed == 1 ? "" : "s") failed", file: specOptions.spec), code: 1) }
            Console.note("all \(states.count) detached stage\(states.count == 1 ? "" : "s") completed and recorded in the lock")
            return
        }
        let plan = try runner.plan()
        if !plan.isEmpty { Console.out(StagePlan.table(plan, dryRun: false)) }
        let n = plan.filter { $0.action == .run }.count
        Console.out(n == 0 ? "everything is up to date (lock: \(runner.spec.lockPath))"
                           : "\(n) stage\(n == 1 ? "" : "s") to run, \(plan.count - n) up to date")
    }
}

public struct PipelineDagCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dag", abstract: "Print the stages in topological order with their edges, deps, outs and params.")

    @OptionGroup var specOptions: PipelineSpecOptions

    @Argument(help: "Only these stages or groups and their upstream (default: all).")
    var stages: [String] = []

    @Flag(name: .long, help: "Graphviz dot instead of text.")
    var dot = false

    public init() {}

    public func run() throws {
        let graph = try PipelineGraph(specOptions.load(), allowOutsUnder: specOptions.allowOutsUnder)
        let selection = try graph.selection(stages)
        Console.out(dot ? graph.dot(selection: selection) : graph.text(selection: selection))
    }
}

public struct PipelineMakeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "make", abstract: "Write the pipeline as a GNU Makefile (timestamps only: no params, no lock).",
        discussion: """
            One rule per stage: outs as targets (grouped `&:` targets for several, GNU make ≥ 4.3), deps as \
            prerequisites, the commands as the recipe (run in the spec's wdir); `all` builds the final outputs. \
            Paths are relative to the Makefile's directory, so run make there.

            make compares timestamps: it does not notice changed commands, params or vars (--set values are \
            written into the Makefile), nor files changed inside a directory dependency.
            """)

    @OptionGroup var specOptions: PipelineSpecOptions

    @Option(name: [.short, .customLong("output")], help: "The Makefile to write (- for stdout).")
    var output: String = "-"

    @Option(name: .long, help: "Directory of the stick executables for the Makefile's STICK_BIN (default: this stick's).")
    var stickBin: String?

    public init() {}

    public func run() throws {
        let graph = try PipelineGraph(specOptions.load(), allowOutsUnder: specOptions.allowOutsUnder)
        let cwd = FileManager.default.currentDirectoryPath
        let directory = output == "-" ? cwd
            : URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true)).deletingLastPathComponent().path
        let text = try MakefileExporter.makefile(graph, makefileDirectory: directory,
                                                 toolDirectory: stickBin ?? PipelineSpecOptions.toolDirectory)
        try withOutput(output, codec: Codec.none) { try $0.write(text) }
        if output != "-" { Console.note("wrote \(output) (\(graph.order.count) rules); run: make -C \(directory) -f \((output as NSString).lastPathComponent)") }
    }
}

/// How stages go to Slurm (`run --executor slurm`, `slurm`).
struct SlurmArguments: ParsableArguments {
    @Option(name: .long, help: "The Slurm partition (sbatch --partition).")
    var partition: String?

    @Option(name: .long, help: ArgumentHelp("More sbatch arguments, split at blanks, each passed as one argument: --sbatch-args='--qos=low --nice'.", valueName: "args"))
    var sbatchArgs: String?

    var given: Bool { partition != nil || sbatchArgs != nil }

    func validate() throws {
        if let partition, partition.isEmpty || partition.contains(where: { $0.isWhitespace }) {
            throw ValidationError("--partition must be one word")
        }
    }

    func options(pollInterval: Double? = nil) -> SlurmOptions {
        let fromEnvironment = ProcessInfo.processInfo.environment["STICK_SLURM_POLL"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil }
        return SlurmOptions(partition: partition, sbatchArgs: sbatchArgs.map(SlurmOptions.splitArguments) ?? [],
                            pollInterval: pollInterval ?? fromEnvironment ?? 2)
    }
}

public struct PipelineSlurmCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "slurm", abstract: "Write the pipeline as a shell script that submits every stage as a Slurm job.",
        discussion: """
            One sbatch --parsable per stage in topological order, with --dependency=afterok on the upstream \
            jobs; a foreach/matrix stage is one job array (SLURM_ARRAY_TASK_ID picks the instance), and so are \
            the shards of a stage with `shards: N`, whose merge waits for them. A stage's \
            resources (cpus, mem, time, gres) become #SBATCH lines. The script runs the jobs in the spec's wdir; \
            each stage logs to WDIR/.stick/logs/STAGE.log and writes its exit status to WDIR/.stick/slurm/STAGE.exit.

            The script submits every stage and keeps no lock: `stick pipeline run --executor slurm` submits only \
            what changed and records the lock. Values (vars, --set) are quoted in the script.
            """)

    @OptionGroup var specOptions: PipelineSpecOptions

    @Argument(help: "Only these stages or groups and their upstream (default: all).")
    var stages: [String] = []

    @Option(name: [.short, .customLong("output")], help: "The script to write (- for stdout).")
    var output: String = "-"

    @Option(name: .long, help: "Directory of the stick executables put first on the jobs' PATH (default: this stick's).")
    var stickBin: String?

    @OptionGroup var slurm: SlurmArguments

    public init() {}

    public func validate() throws { try slurm.validate() }

    public func run() throws {
        let graph = try PipelineGraph(specOptions.load(), allowOutsUnder: specOptions.allowOutsUnder)
        let cwd = FileManager.default.currentDirectoryPath
        let directory = output == "-" ? cwd
            : URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true)).deletingLastPathComponent().path
        let selection = try graph.selection(stages)
        let text = SlurmScript.submitScript(graph, stages: selection, options: slurm.options(), scriptDirectory: directory,
                                            toolDirectory: stickBin ?? PipelineSpecOptions.toolDirectory)
        try withOutput(output, codec: Codec.none) { try $0.write(text) }
        if output != "-" { Console.note("wrote \(output) (\(SlurmScript.jobs(graph, stages: selection).count) jobs); run: sh \(output)") }
    }
}
