// The Slurm executor: `stick pipeline slurm` (the submit script: job arrays, afterok dependencies,
// resources, quoting of hostile values, checked with a recording fake `sbatch`) and
// `stick pipeline run --executor slurm` against a real Slurm cluster (`../shared/tools/local-slurm.sh
// start`, which .ci/run starts): the demo gives the local run's leaderboard byte for byte (also with its
// query stage in shards: a job array and the merges), a stage's service runs in its job, a rerun submits
// nothing, a failing stage cancels its dependants. The cluster tests skip when `sbatch` or the cluster is
// missing, unless STICK_REQUIRE_SLURM=1 (set by CI), in which case they fail.
import Foundation
import StickArtifacts
import StickCommands
import StickPipeline
import StickTestSupport
import Testing

enum LocalSlurm {
    static let environment = ProcessInfo.processInfo.environment
    static let required = ["1", "true", "yes"].contains(environment["STICK_REQUIRE_SLURM"]?.lowercased() ?? "")

    /// Why the cluster tests cannot run, or nil. A controller can be slow to answer while the whole suite starts
    /// on a loaded machine (squeue times out after slurm.conf's MessageTimeout), so squeue is asked up to five
    /// times over about a minute (twice when a missing cluster is only a skip) before the cluster counts as
    /// missing; the reason then carries squeue's own error and the tail of the controller's log, so a CI
    /// failure says what happened.
    static let unavailableReason: String? = {
        guard findTool("sbatch") != nil, let squeue = findTool("squeue") else { return "sbatch/squeue are not on PATH" }
        var lastError = ""
        for attempt in 0..<(required ? 5 : 2) {
            if attempt > 0 { Thread.sleep(forTimeInterval: Double(attempt) * 5) }
            guard let r = try? runProcess(squeue, ["-h"], timeout: 30) else { continue }
            if r.status == 0 { return nil }
            lastError = r.timedOut ? "squeue did not answer in 30 s" : r.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return "squeue fails (\(lastError.isEmpty ? "no output" : lastError)); no cluster? start one with "
            + "`eval \"$(../shared/tools/local-slurm.sh start)\"`" + controllerLogTail()
    }()

    /// The last lines of the controller's log next to SLURM_CONF (local-slurm.sh's layout), if there is one.
    static func controllerLogTail() -> String {
        guard let conf = environment["SLURM_CONF"] else { return " (SLURM_CONF is not set)" }
        let log = URL(fileURLWithPath: conf).deletingLastPathComponent().appendingPathComponent("log/slurmctld.log").path
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return " (no controller log at \(log))" }
        return "; \(log) ends with:\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    static var shouldRun: Bool { required || unavailableReason == nil }
    static var skipComment: Comment {
        Comment(rawValue: "needs a Slurm cluster: \(unavailableReason ?? "unavailable"). .ci/run starts one; "
            + "STICK_REQUIRE_SLURM=1 makes this a failure instead of a skip")
    }
}

/// Runs an executable by path; stdout and the exit status (stderr discarded).
func slurmTool(_ path: String, _ arguments: [String]) throws -> (status: Int32, stdoutText: String) {
    let r = try runExternal(path, arguments)
    return (r.status, String(decoding: r.stdout, as: UTF8.self))
}

final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}

func slurmRun(_ spec: String, targets: [String] = [], sets: [String] = [], slurm: Bool) throws -> (PipelineReport, String) {
    var options = PipelineOptions(targets: targets, jobs: 2, toolDirectory: TestPaths.binaries.path)
    if slurm { options.executor = .slurm(SlurmOptions(pollInterval: 0.2)) }
    let runner = try PipelineRunner(specPath: spec, overrides: sets.map(VarOverride.init(parsing:)), options: options)
    let lines = Lines()
    let report = try runner.run(log: { lines.append($0) })
    return (report, lines.text)
}

@Suite struct SlurmScriptTests {
    /// A fake sbatch: saves each job script (stdin) and its arguments, prints the next job id.
    func fakeSbatch(in dir: String) throws -> String {
        let bin = dir + "/bin"
        try writeFile("""
            #!/bin/sh
            n=$(cat "\(dir)/jobs/count" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" >"\(dir)/jobs/count"
            for a in "$@"; do printf '%s\\n' "$a"; done >"\(dir)/jobs/$n.args"
            cat >"\(dir)/jobs/$n.sh"
            echo "$((100 + n));cluster"
            """, to: bin + "/sbatch")
        try FileManager.default.createDirectory(atPath: dir + "/jobs", withIntermediateDirectories: true)
        chmod(bin + "/sbatch", 0o755)
        return bin
    }

    @Test func submitScriptHasArraysDependenciesAndResources() throws {
        let dir = try ScratchDirectory()
        let spec = dir.file("p.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              items: [a, b, c]
            stages:
              first:
                cmd: echo one > one.txt
                outs: [one.txt]
                resources: {cpus: 2, mem: 1G, time: "00:10:00", gres: "gpu:1"}
              each:
                foreach: ${items}
                do:
                  cmd: cat one.txt > each-${item}.txt && echo ${item} >> each-${item}.txt
                  deps: [one.txt]
                  outs: ["each-${item}.txt"]
              last:
                cmd: cat each-a.txt each-b.txt each-c.txt > last.txt
                deps: [each-a.txt, each-b.txt, each-c.txt]
                outs: [last.txt]
            """, to: spec)
        let script = dir.file("submit.sh")
        let r = try runTool("stick",
                            ["pipeline", "slurm", spec, "-o", script, "--partition", "debug", "--sbatch-args=--qos=low --nice"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let bin = try fakeSbatch(in: dir.path)
        try shell("PATH=\(bin):$PATH sh \(script) > \(dir.file("ids.txt"))")
        #expect(readFile(dir.file("ids.txt")) == "first 101\neach 102\nlast 103\n")
        let args = (1...3).map { (readFile(dir.file("jobs/\($0).args")) ?? "").split(separator: "\n").map(String.init) }
        #expect(args[0].contains("--job-name=first") && args[0].contains("--partition=debug") && args[0].contains("--qos=low") && args[0].contains("--nice"))
        #expect(!args[0].contains { $0.hasPrefix("--dependency") })
        #expect(args[1].contains("--array=0-2") && args[1].contains("--dependency=afterok:101"))
        #expect(args[2].contains("--dependency=afterok:102") && !args[2].contains { $0.hasPrefix("--array") })
        let first = readFile(dir.file("jobs/1.sh")) ?? ""
        for line in ["#SBATCH --cpus-per-task=2", "#SBATCH --mem=1G", "#SBATCH --time=00:10:00", "#SBATCH --gres=gpu:1"] {
            #expect(first.contains("\n" + line + "\n"), "missing \(line)")
        }
        // The job scripts, run as Slurm would (in the wdir, the array index in SLURM_ARRAY_TASK_ID), build the pipeline.
        try FileManager.default.createDirectory(atPath: dir.file(".stick/logs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file(".stick/slurm"), withIntermediateDirectories: true)
        try shell("cd \(dir.path) && sh jobs/1.sh && for i in 0 1 2; do SLURM_ARRAY_TASK_ID=$i sh jobs/2.sh; done && sh jobs/3.sh")
        #expect(readFile(dir.file("last.txt")) == "one\na\none\nb\none\nc\n")
        #expect(readFile(dir.file(".stick/slurm/each@b.exit")) == "0\n")
        #expect(readFile(dir.file(".stick/logs/each@b.log"))?.contains("$ cat one.txt > each-b.txt") == true)
    }

    @Test func hostileValuesThroughSetAndStageNamesStayData() throws {
        let dir = try ScratchDirectory()
        let spec = dir.file("p.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              items: [a]
              note: hi
            stages:
              make:
                foreach: ${items}
                do:
                  cmd: printf '%s|%s\\n' ${item} ${note} > out/${item}.txt
                  outs: ["out/${item}.txt"]
            """, to: spec)
        let attacks = ["$(touch pwned1)", "`touch pwned2`", "x'; touch pwned3; '", "y\nSTICK_JOB_0\ntouch pwned4\nSTICK_JOB_0", "z\"; touch pwned5 #"]
        let items = "[" + attacks.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\"" }.joined(separator: ", ") + "]"
        let script = dir.file("submit.sh")
        let r = try runTool("stick",
                            ["pipeline", "slurm", spec, "-o", script, "--set", "items=\(items)", "--set", "note=$(touch pwned6);`touch pwned7`"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let bin = try fakeSbatch(in: dir.path)
        try shell("PATH=\(bin):$PATH sh \(script) > /dev/null")
        try FileManager.default.createDirectory(atPath: dir.file(".stick/logs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file(".stick/slurm"), withIntermediateDirectories: true)
        try shell("cd \(dir.path) && for i in 0 1 2 3 4; do SLURM_ARRAY_TASK_ID=$i sh jobs/1.sh; done")
        for (i, item) in attacks.enumerated() {
            #expect(readFile(dir.file("out/\(item).txt")) == "\(item)|$(touch pwned6);`touch pwned7`\n", "item \(i)")
        }
        let pwned = (try FileManager.default.subpathsOfDirectory(atPath: dir.path)).filter { ($0 as NSString).lastPathComponent.hasPrefix("pwned") }
        #expect(pwned.isEmpty, "executed: \(pwned)")
    }

    @Test func hostileResourcesAreRefusedWithFileAndLine() throws {
        let dir = try ScratchDirectory()
        let spec = dir.file("p.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            vars:
              mem: 1G
            stages:
              s:
                cmd: echo
                resources:
                  mem: ${mem}
            """, to: spec)
        #expect(try PipelineSpec.load(spec).stages[0].resources.mem == "1G")
        for bad in ["\"1G\\n#SBATCH --wrap=touch x\"", "1G; touch x", "lots"] {
            do {
                _ = try PipelineSpec.load(spec, overrides: [VarOverride(parsing: "mem=" + bad)])
                Issue.record("accepted mem \(bad.debugDescription)")
            } catch let e as StickError {
                #expect(e.description.contains("p.yaml") && e.description.contains("resources.mem"), "\(e)")
                #expect(e.line == 9, "\(e)")
            }
        }
        try writeFile(readFile(spec)!.replacingOccurrences(of: "mem: ${mem}", with: "nodes: 2"), to: spec)
        #expect(throws: StickError.self) { try PipelineSpec.load(spec) }
    }
}

/// A controller that stops answering for a while must not abort a run whose jobs go on (on a real cluster
/// squeue times out when slurmctld is busy); one that never answers again ends the wait with squeue's error.
/// The cluster is faked: `sbatch` runs the job script in the background once its afterok jobs are done, `squeue` fails its first
/// `failures` calls as a timed-out controller does, then lists every job asked about as queued (the runner
/// learns that a stage finished from its exit-status file).
@Suite struct SlurmQueueFailureTests {
    func fakeCluster(in dir: ScratchDirectory, failures: Int) throws -> [String: String] {
        let bin = dir.file("bin")
        try writeFile("""
            #!/bin/sh
            n=$(cat "\(dir.path)/sbatch.count" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" >"\(dir.path)/sbatch.count"
            id=$((200 + n)); after=
            for a; do case "$a" in --dependency=afterok:*) after=$(echo "${a#--dependency=afterok:}" | tr : ' ');; esac; script=$a; done
            (
              for d in $after; do until [ -f "\(dir.path)/done.$d" ]; do [ -d "\(dir.path)" ] || exit 0; sleep 0.05; done; done
              sh "$script"; touch "\(dir.path)/done.$id"
            ) </dev/null >/dev/null 2>&1 &
            echo "$id"
            """, to: bin + "/sbatch")
        try writeFile("""
            #!/bin/sh
            n=$(cat "\(dir.path)/squeue.count" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" >"\(dir.path)/squeue.count"
            if [ "$n" -le \(failures) ]; then
              echo "slurm_load_jobs error: Socket timed out on send/recv operation" >&2; exit 1
            fi
            while [ $# -gt 0 ]; do [ "$1" = -j ] && printf '%s\n' "$2" | tr , '\n'; shift; done
            """, to: bin + "/squeue")
        try writeFile("#!/bin/sh\nexit 0\n", to: bin + "/scancel")
        for tool in ["sbatch", "squeue", "scancel"] { chmod(bin + "/" + tool, 0o755) }
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        return environment
    }

    func run(in dir: ScratchDirectory, environment: [String: String], grace: Double) throws -> (PipelineReport, String) {
        let spec = dir.file("p.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              first:
                cmd: sleep 1 && echo one > one.txt
                outs: [one.txt]
              second:
                cmd: cat one.txt one.txt > two.txt
                deps: [one.txt]
                outs: [two.txt]
            """, to: spec)
        var options = PipelineOptions(jobs: 2)
        options.environment = environment
        options.executor = .slurm(SlurmOptions(pollInterval: 0.1, queueFailureGrace: grace))
        let lines = Lines()
        let report = try PipelineRunner(specPath: spec, overrides: [], options: options).run(log: { lines.append($0) })
        return (report, lines.text)
    }

    @Test func aControllerSilentForAWhileDoesNotEndTheRun() throws {
        let dir = try ScratchDirectory()
        let (report, log) = try run(in: dir, environment: fakeCluster(in: dir, failures: 4), grace: 60)
        #expect(report.failed.isEmpty, Comment(rawValue: log))
        #expect(report.ran.sorted() == ["first", "second"])
        #expect(readFile(dir.file("two.txt")) == "one\none\n")
        #expect(log.contains("Socket timed out") && log.contains("asking again") && log.contains("squeue answers again"),
                Comment(rawValue: log))
        // The silence is said once, not at every poll.
        #expect(log.components(separatedBy: "Socket timed out").count == 2, Comment(rawValue: log))
    }

    @Test func aControllerThatNeverAnswersEndsTheWaitWithSqueuesError() throws {
        let dir = try ScratchDirectory()
        #expect {
            _ = try run(in: dir, environment: fakeCluster(in: dir, failures: 1_000_000), grace: 0.5)
        } throws: { error in
            let text = "\(error)"
            return text.contains("squeue has failed for 0.5 s") && text.contains("Socket timed out") && text.contains("201")
        }
    }
}

@Suite(.enabled(if: LocalSlurm.shouldRun, LocalSlurm.skipComment), .serialized, .timeLimit(.minutes(10)))
struct SlurmClusterTests {
    func requireCluster() -> Bool {
        if let reason = LocalSlurm.unavailableReason {
            Issue.record("Slurm tests cannot run: \(reason)")
            return false
        }
        return true
    }

    /// A copy of pipelines/ in a scratch directory (the demo's wdir is the directory above the spec).
    func demoCopy() throws -> ScratchDirectory {
        let dir = try ScratchDirectory()
        try shell("cp -R \(TestPaths.packageRoot.appendingPathComponent("pipelines").path) \(dir.path)/ && rm -f \(dir.path)/pipelines/*.lock")
        return dir
    }

    @Test func demoUnderSlurmMatchesTheLocalRunAndARerunSubmitsNothing() throws {
        guard requireCluster() else { return }
        let local = try demoCopy(), cluster = try demoCopy()
        let sets = ["models=[dummy, simulator-0.5]"]
        let targets = ["report", "pack"]
        let (localReport, localLog) = try slurmRun(local.file("pipelines/demo.yaml"), targets: targets, sets: sets, slurm: false)
        #expect(localReport.succeeded, Comment(rawValue: localLog))
        let (report, log) = try slurmRun(cluster.file("pipelines/demo.yaml"), targets: targets, sets: sets, slurm: true)
        #expect(report.succeeded, Comment(rawValue: log))
        #expect(Set(report.ran) == Set(localReport.ran) && report.ran.count == 11)
        #expect(log.contains("submitted query as Slurm job") && log.contains("(array of 2: query@dummy, query@simulator-0.5)"))
        #expect(log.contains("rank | | 1 | simulator-0.5"), "the job's log is streamed with the stage name")
        // (responses record each call's latency, so they and what carries their hash — answers, metrics, archives, the
        // leaderboard's inputs — differ between any two runs; the leaderboard's values, the report and the value scores do not.)
        #expect(try sameLeaderboardButInputHashes(local.file("demo-run/leaderboard.json"), cluster.file("demo-run/leaderboard.json")),
                "leaderboard.json differs between the local and the Slurm run (beyond its metrics' sha256)")
        for f in ["sessions.jsonl.zst", "leaderboard.csv", "leaderboard.md", "report.html",
                  "dummy/value-scores.csv", "simulator-0.5/value-scores.csv"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: local.file("demo-run/" + f)))
            let b = try Data(contentsOf: URL(fileURLWithPath: cluster.file("demo-run/" + f)))
            #expect(a == b, "\(f) differs between the local and the Slurm run")
        }
        let localLock = try PipelineLock.load(local.file("pipelines/demo.lock"))
        let clusterLock = try PipelineLock.load(cluster.file("pipelines/demo.lock"))
        #expect(Set(clusterLock.stages.keys) == Set(localLock.stages.keys))
        for name in ["prompts", "rank", "report"] {
            let entry = try #require(localLock.stages[name])
            // The leaderboard names its metrics by sha256, which differ between runs (see above).
            let compared = { (outs: [String: ContentHash]) in outs.filter { !$0.key.hasSuffix("leaderboard.json") }.mapValues(\.sha256) }
            #expect(clusterLock.stages[name].map { compared($0.outs) } == compared(entry.outs), "outs of \(name)")
            #expect(clusterLock.stages[name]?.cmd == entry.cmd, "cmd of \(name)")
        }
        // The lock records what is on disk.
        for (name, entry) in clusterLock.stages {
            for (out, hash) in entry.outs {
                #expect(try ContentHasher().hash(cluster.file(out))?.sha256 == hash.sha256, "\(out) of \(name)")
            }
        }
        let (again, againLog) = try slurmRun(cluster.file("pipelines/demo.yaml"), targets: targets, sets: sets, slurm: true)
        #expect(again.ran.isEmpty && again.skipped.count == 11)
        #expect(!againLog.contains("submitted"), Comment(rawValue: againLog))
    }

    @Test func theShardedDemoUnderSlurmGivesTheUnshardedLocalLeaderboard() throws {
        guard requireCluster() else { return }
        let local = try demoCopy(), cluster = try demoCopy()
        let demo = try #require(readFile(cluster.file("pipelines/demo.yaml")))
        try writeFile(try shardedDemoSpec(demo, shards: 3), to: cluster.file("pipelines/demo.yaml"))
        let sets = ["models=[dummy, simulator-0.5]"]
        let (localReport, localLog) = try slurmRun(local.file("pipelines/demo.yaml"), targets: ["report"], sets: sets, slurm: false)
        #expect(localReport.succeeded, Comment(rawValue: localLog))
        let (report, log) = try slurmRun(cluster.file("pipelines/demo.yaml"), targets: ["report"], sets: sets, slurm: true)
        #expect(report.succeeded, Comment(rawValue: log))
        #expect(log.contains("submitted query+shards as Slurm job") && log.contains("(array of 6: query@dummy+shard1, query@dummy+shard2"), Comment(rawValue: log))
        #expect(log.contains("submitted query as Slurm job") && log.contains("(array of 2: query@dummy, query@simulator-0.5)"))
        #expect(report.ran.count == localReport.ran.count + 6)
        #expect(try sameLeaderboardButInputHashes(local.file("demo-run/leaderboard.json"), cluster.file("demo-run/leaderboard.json")),
                "leaderboard.json differs between the unsharded local and the sharded Slurm run (beyond its metrics' sha256)")
        for f in ["leaderboard.csv", "leaderboard.md", "report.html", "dummy/value-scores.csv", "simulator-0.5/value-scores.csv"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: local.file("demo-run/" + f)))
            let b = try Data(contentsOf: URL(fileURLWithPath: cluster.file("demo-run/" + f)))
            #expect(a == b, "\(f) differs between the unsharded local and the sharded Slurm run")
        }
        let lock = try PipelineLock.load(cluster.file("pipelines/demo.lock"))
        #expect(lock.stages["query@simulator-0.5+shard3"] != nil && lock.stages["query@simulator-0.5"] != nil)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: ServiceStageTests.fakeServer), "needs ../shared/tools/fake-openai-server.py"))
    func aStageWithAServiceRunsItInItsJob() throws {
        guard requireCluster() else { return }
        let dir = try ScratchDirectory()
        let spec = dir.file("svc.yaml")
        // A port the test picks; the service listens there for the job's client.
        let port = 20000 + Int.random(in: 0..<20000)
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              ask:
                service:
                  cmd: echo $$ > service.pid && exec python3 \(ServiceStageTests.fakeServer) --salt t --port \(port) --model-name on-slurm
                  ready: http://127.0.0.1:\(port)/health
                  timeout: 60
                cmd: python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' http://127.0.0.1:\(port)/v1/models > answer.txt
                outs: [answer.txt]
            """, to: spec)
        let (report, log) = try slurmRun(spec, slurm: true)
        #expect(report.succeeded, Comment(rawValue: log))
        #expect(readFile(dir.file("answer.txt"))?.contains("on-slurm") == true)
        let pid = try #require(Int32((readFile(dir.file("service.pid")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0 && errno == ESRCH, "the service (pid \(pid)) outlived its job")
        #expect(FileManager.default.fileExists(atPath: dir.file(".stick/logs/ask.service.log")))
    }

    @Test func aFailingStageCancelsItsDependants() throws {
        guard requireCluster() else { return }
        let dir = try ScratchDirectory()
        let spec = dir.file("fail.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              fa:
                cmd: echo a > a.txt
                outs: [a.txt]
              fb:
                cmd:
                  - echo about to fail >&2
                  - exit 3
                deps: [a.txt]
                outs: [b.txt]
              fc:
                cmd: echo c > c.txt
                deps: [b.txt]
                outs: [c.txt]
              fd:
                foreach: [x, y]
                do:
                  cmd: echo ${item} > d-${item}.txt
                  deps: [c.txt]
                  outs: ["d-${item}.txt"]
              fe:
                cmd: echo e > e.txt
                outs: [e.txt]
            """, to: spec)
        let (report, log) = try slurmRun(spec, slurm: true)
        #expect(!report.succeeded)
        let failure = try #require(report.failed.first)
        #expect(failure.stage == "fb" && failure.message.contains("Slurm job") && failure.message.contains("exit status 3"), "\(failure)")
        #expect(failure.logPath?.hasSuffix(".stick/logs/fb.log") == true)
        #expect(failure.stderrTail.contains("about to fail"))
        #expect(Set(report.notStarted) == ["fc", "fd@x", "fd@y"])
        #expect(log.contains("cancelled fc (job") && log.contains("fd (job"), Comment(rawValue: log))
        #expect(Set(report.ran) == ["fa", "fe"])
        let lock = try PipelineLock.load(dir.file("fail.lock"))
        #expect(Set(lock.stages.keys) == ["fa", "fe"])
        // The cancelled jobs are gone from the queue and never ran.
        let squeue = try slurmTool(findTool("squeue")!, ["-h", "-o", "%j", "-n", "fc,fd"])
        #expect(squeue.stdoutText.isEmpty, Comment(rawValue: squeue.stdoutText))
        Thread.sleep(forTimeInterval: 1)
        #expect(!FileManager.default.fileExists(atPath: dir.file("c.txt")))
        // The CLI exits non-zero naming the job and its log.
        let cli = try runTool("stick",
                              ["pipeline", "run", spec, "--executor", "slurm", "--poll-interval", "0.2", "-q"])
        #expect(cli.status != 0)
        #expect(cli.stderr.contains("Slurm job") && cli.stderr.contains("log: ") && cli.stderr.contains("fb.log"), Comment(rawValue: cli.stderr))
    }
}
