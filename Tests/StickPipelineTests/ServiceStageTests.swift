// `service:` on a stage, run locally: the server (the fake OpenAI server, or shell stand-ins) is up while
// the commands run and gone afterwards — after a success, a failing command, a readiness timeout and a
// service that dies early — with its log beside the stage's; the spec's errors; the Slurm job script
// doing the same (run here with sh; on the real cluster in SlurmClusterTests); the Makefile export refusing it.
import Foundation
import StickArtifacts
import StickPipeline
import StickTestSupport
import Testing

private final class ServiceLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}

/// Whether a process with this pid exists (a reaped child does not).
private func alive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno != ESRCH }


@Suite(.serialized)
struct ServiceStageTests {
    static let fakeServer = TestPaths.shared.appendingPathComponent("tools/fake-openai-server.py").path

    /// A spec whose stage `ask` has a service writing its pid to service.pid.
    func spec(_ dir: ScratchDirectory, service: String, ready: String, timeout: String = "30", cmd: String) throws -> String {
        let path = dir.file("p.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              ask:
                service:
                  cmd: \(service)
                  ready: \(ready)
                  timeout: \(timeout)
                cmd: \(cmd)
                outs: [answer.txt]
            """, to: path)
        return path
    }

    func run(_ path: String, targets: [String] = []) throws -> (PipelineReport, String) {
        let runner = try PipelineRunner(specPath: path, options: PipelineOptions(targets: targets, jobs: 1))
        let log = ServiceLog()
        return (try runner.run(log: { log.append($0) }), log.text)
    }

    func servicePid(_ dir: ScratchDirectory) throws -> Int32 {
        try #require(Int32((readFile(dir.file("service.pid")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: fakeServer), "needs ../shared/tools/fake-openai-server.py"))
    func theFakeServerIsUpDuringTheStageAndGoneAfterSuccessAndFailure() throws {
        let dir = try ScratchDirectory()
        let port = try freeLoopbackPort()
        let client = "python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' "
            + "http://127.0.0.1:\(port)/v1/models > answer.txt"
        let path = try spec(dir, service: "echo $$ > service.pid && exec python3 \(Self.fakeServer) --salt t --port \(port) --model-name served-here",
                            ready: "http://127.0.0.1:\(port)/health", cmd: client)
        let (report, log) = try run(path)
        #expect(report.succeeded, Comment(rawValue: log))
        #expect(readFile(dir.file("answer.txt"))?.contains("served-here") == true, "the stage talked to the service")
        let pid = try servicePid(dir)
        #expect(!alive(pid), "the service (pid \(pid)) is still running after the stage succeeded")
        #expect(FileManager.default.fileExists(atPath: dir.file(".stick/logs/ask.service.log")))
        #expect(readFile(dir.file(".stick/logs/ask.log"))?.contains("service: ready") == true)

        // A failing command: the service is stopped all the same.
        try writeFile(readFile(path)!.replacingOccurrences(of: "> answer.txt", with: "> answer.txt; exit 3"), to: path)
        let (failed, failedLog) = try run(path)
        #expect(!failed.succeeded && failed.failed.first?.exit?.status == 3, Comment(rawValue: failedLog))
        let pid2 = try servicePid(dir)
        #expect(pid2 != pid && !alive(pid2), "the service (pid \(pid2)) is still running after the stage failed")
    }

    @Test func aServiceThatIgnoresSIGTERMAndItsChildrenAreKilled() throws {
        let dir = try ScratchDirectory()
        let port = try freeLoopbackPort()
        // The "server": a shell that ignores SIGTERM, with a child (its group's other member), listening via python.
        let service = "trap '' TERM; echo $$ > service.pid; sleep 300 & echo $! > child.pid; "
            + "exec python3 -c 'import http.server, signal; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            + "http.server.HTTPServer((\"127.0.0.1\", \(port)), http.server.SimpleHTTPRequestHandler).serve_forever()'"
        let path = try spec(dir, service: "\"\(service.replacingOccurrences(of: "\"", with: "\\\""))\"",
                            ready: "http://127.0.0.1:\(port)/", cmd: "echo ok > answer.txt")
        let started = Date()
        let (report, log) = try run(path)
        #expect(report.succeeded, Comment(rawValue: log))
        let child = try #require(Int32((readFile(dir.file("child.pid")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!alive(try servicePid(dir)))
        Thread.sleep(forTimeInterval: 0.2)  // the orphaned child is reaped by init once killed
        let zombie = (readFile("/proc/\(child)/stat") ?? "").contains(") Z ")
        #expect(!alive(child) || zombie, "the service's child \(child) survived")
        #expect(Date().timeIntervalSince(started) >= 9, "SIGKILL came before the 10 s grace")
    }

    @Test func aServiceNotReadyInTimeFailsTheStageClearlyAndIsStopped() throws {
        let dir = try ScratchDirectory()
        let port = try freeLoopbackPort()
        let path = try spec(dir, service: "\"echo $$ > service.pid; echo starting; trap 'echo stopped by SIGTERM; exit 0' TERM; sleep 300 & wait\"",
                            ready: "http://127.0.0.1:\(port)/health", timeout: "1", cmd: "echo ran > answer.txt")
        let (report, log) = try run(path)
        let failure = try #require(report.failed.first, Comment(rawValue: log))
        #expect(failure.message.contains("not ready") && failure.message.contains("http://127.0.0.1:\(port)/health")
                && failure.message.contains("within 1 s") && failure.message.contains("ask.service.log"), "\(failure.message)")
        #expect(failure.stderrTail == ["starting"], "the service log's tail")
        #expect(!FileManager.default.fileExists(atPath: dir.file("answer.txt")), "the commands ran without the service")
        #expect(!alive(try servicePid(dir)))
        // Stopped by SIGTERM (not left for the SIGKILL), whatever signals the runner's threads block or ignore.
        #expect(readFile(dir.file(".stick/logs/ask.service.log")) == "starting\nstopped by SIGTERM\n")
        #expect(try PipelineLock.load(dir.file("p.lock")).stages.isEmpty)
    }

    @Test func aServiceThatExitsBeforeItIsReadyFailsTheStage() throws {
        let dir = try ScratchDirectory()
        let path = try spec(dir, service: "echo no model here >&2; exit 4", ready: "http://127.0.0.1:9/health",
                            cmd: "echo ran > answer.txt")
        let started = Date()
        let (report, log) = try run(path)
        let failure = try #require(report.failed.first, Comment(rawValue: log))
        #expect(failure.message.contains("the service exited (exit status 4)"), "\(failure.message)")
        #expect(failure.stderrTail == ["no model here"])
        #expect(Date().timeIntervalSince(started) < 20, "it waited for the timeout instead of noticing the exit")
    }

    @Test func badServicesAreRefusedWithTheLine() throws {
        func error(_ service: String, extra: String = "") -> StickError? {
            do {
                _ = try PipelineSpec.parse(yaml: """
                    stick: pipeline
                    version: 1
                    stages:
                      s:
                    \(extra)    service: \(service)
                        cmd: echo
                    """, path: "s.yaml", directory: "/tmp")
                return nil
            } catch { return error as? StickError }
        }
        for (bad, expected) in [("{cmd: x}", "needs 'ready'"), ("{ready: \"http://h:1/\"}", "needs 'cmd'"),
                                ("{cmd: x, ready: \"https://h/\"}", "http:// URL"), ("{cmd: x, ready: \"http://h:1/ x\"}", "http:// URL"),
                                ("{cmd: x, ready: \"http://h:99999/\"}", "bad port"), ("{cmd: x, ready: \"http://h/\", timeout: -1}", "service.timeout"),
                                ("{cmd: x, ready: \"http://h/\", port: 1}", "unknown key 'service.port'"), ("x", "must be a mapping")] {
            let e = error(bad)
            #expect(e?.message.contains(expected) == true && e?.line == 5, "\(bad) → \(String(describing: e))")
        }
        // A value reaches the service's command quoted, as in cmd.
        let spec = try PipelineSpec.parse(yaml: """
            stick: pipeline
            version: 1
            vars: {model: "a b; rm -rf x"}
            stages:
              s:
                service:
                  cmd: serve ${model}
                  ready: http://127.0.0.1:8000/health
                  timeout: 5
                cmd: echo
            """, path: "s.yaml", directory: "/tmp")
        #expect(spec.stages[0].service == StageService(command: "serve 'a b; rm -rf x'", readyURL: "http://127.0.0.1:8000/health", timeout: 5))
    }

    @Test func aShardedStageWithAServiceRunsItsShardsInOneStageSharingTheServer() throws {
        let spec = try PipelineSpec.parse(yaml: """
            stick: pipeline
            version: 1
            stages:
              q:
                shards: 2
                service:
                  cmd: serve
                  ready: http://127.0.0.1:8000/health
                resources: {gres: "gpu:1"}
                cmd: ask ${shard} > ${shard_out}
                outs: [r.jsonl]
            """, path: "s.yaml", directory: "/tmp")
        #expect(spec.stages.map(\.name) == ["q+shards", "q"])
        let served = spec.stages[0]
        #expect(served.service?.command == "serve" && served.resources.gres == "gpu:1" && served.outs == ["r.shard-1-of-2.jsonl", "r.shard-2-of-2.jsonl"])
        #expect(spec.stages[1].service == nil && spec.stages[1].deps == served.outs)
        // Run (by the runner, with a stand-in server): both shards run, and the stage fails when one fails.
        let dir = try ScratchDirectory()
        let port = try freeLoopbackPort()
        try writeFile("#!/bin/sh\n[ \"$1\" = 2 ] && [ -e fail-2 ] && exit 5; echo \"answer $1\"\n", to: dir.file("bin/ask"))
        chmod(dir.file("bin/ask"), 0o755)
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              q:
                shards: 2
                service:
                  cmd: exec python3 -m http.server --bind 127.0.0.1 \(port)
                  ready: http://127.0.0.1:\(port)/
                cmd: bin/ask ${shard} > ${shard_out}
                outs: [r.jsonl]
            """, to: dir.file("p.yaml"))
        try writeFile("", to: dir.file("fail-2"))
        let runner = try PipelineRunner(specPath: dir.file("p.yaml"), options: PipelineOptions(targets: ["q+shards"], jobs: 1))
        let failed = try runner.run(log: { _ in })
        #expect(failed.failed.map(\.stage) == ["q+shards"] && failed.failed.first?.exit?.status == 1)
        #expect(readFile(dir.file("r.shard-1-of-2.jsonl")) == "answer 1\n")
        try FileManager.default.removeItem(atPath: dir.file("fail-2"))
        let (report, log) = try run(dir.file("p.yaml"), targets: ["q+shards"])
        #expect(report.ran == ["q+shards"], Comment(rawValue: log))
        #expect(readFile(dir.file("r.shard-2-of-2.jsonl")) == "answer 2\n")
    }

    /// The demo's query of a model served by the fake OpenAI server, in three shards sharing one server,
    /// against the same query unsharded: the same value scores.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: fakeServer), "needs ../shared/tools/fake-openai-server.py"), .timeLimit(.minutes(10)))
    func shardsSharingAServiceGiveTheUnshardedResult() throws {
        func run(sharded: Bool) throws -> String {
            let dir = try ScratchDirectory()
            let port = try freeLoopbackPort()
            let model = readFile(TestPaths.packageRoot.appendingPathComponent("pipelines/models/local-vllm.yaml").path)!
                .replacingOccurrences(of: "http://127.0.0.1:8000/v1", with: "http://127.0.0.1:\(port)/v1")
            try writeFile(model, to: dir.file("fake.yaml"))
            let query = sharded
                ? "    shards: 3\n    cmd: stick gen-prompts demo --shard ${shard}/${shards} -o - | stick query - --model fake.yaml -o ${shard_out}\n"
                : "    cmd: stick query run/sessions.jsonl.zst --model fake.yaml -o run/responses.jsonl.zst\n"
            try writeFile("""
                stick: pipeline
                version: 1
                stages:
                  prompts:
                    cmd: stick gen-prompts demo -o run/sessions.jsonl.zst
                    outs: [run/sessions.jsonl.zst]
                  query:
                    service:
                      cmd: echo $$ > service.pid && exec python3 \(Self.fakeServer) --salt s --port \(port) --model-name model
                      ready: http://127.0.0.1:\(port)/health
                \(query)    deps: [run/sessions.jsonl.zst, fake.yaml]
                    outs: [run/responses.jsonl.zst]
                  parse:
                    cmd: stick parse --sessions run/sessions.jsonl.zst run/responses.jsonl.zst -o run/answers.jsonl.zst
                    deps: [run/sessions.jsonl.zst, run/responses.jsonl.zst]
                    outs: [run/answers.jsonl.zst]
                  score:
                    cmd: stick score run/answers.jsonl.zst -o run/metrics.json --values run/value-scores.csv
                    deps: [run/answers.jsonl.zst]
                    outs: [run/metrics.json, run/value-scores.csv]
                """, to: dir.file("p.yaml"))
            let runner = try PipelineRunner(specPath: dir.file("p.yaml"), options: PipelineOptions(jobs: 2, toolDirectory: TestPaths.binaries.path))
            let log = ServiceLog()
            let report = try runner.run(log: { log.append($0) })
            #expect(report.succeeded, Comment(rawValue: log.text))
            if sharded { #expect(report.ran.contains("query+shards") && log.text.contains("▶ query+shards")) }
            #expect(!alive(try servicePid(dir)))
            return try #require(readFile(dir.file("run/value-scores.csv")))
        }
        let plain = try run(sharded: false), sharded = try run(sharded: true)
        #expect(plain == sharded)
        #expect(plain.split(separator: "\n").count > 10)
    }

    @Test func theMakefileExportRefusesAService() throws {
        let dir = try ScratchDirectory()
        let path = try spec(dir, service: "sleep 1", ready: "http://127.0.0.1:9/", cmd: "echo > answer.txt")
        let r = try runTool("stick", ["pipeline", "make", path, "-o", dir.file("Makefile")])
        #expect(r.status != 0 && r.stderr.contains("stage 'ask' has a 'service'") && r.stderr.contains("p.yaml:4"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("Makefile")))
    }

    /// The job script of `pipeline slurm` for a stage with the fake server as its service, run as Slurm
    /// would (sh in the wdir): the client gets its answer, the service is gone afterwards — also when the
    /// command fails and when the service never gets ready.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: fakeServer), "needs ../shared/tools/fake-openai-server.py"))
    func theSlurmJobScriptRunsTheServiceAroundTheCommands() throws {
        let dir = try ScratchDirectory()
        let port = try freeLoopbackPort()
        let client = "python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' "
            + "http://127.0.0.1:\(port)/v1/models > answer.txt"
        let path = try spec(dir, service: "echo $$ > service.pid && exec python3 \(Self.fakeServer) --salt t --port \(port) --model-name in-job",
                            ready: "http://127.0.0.1:\(port)/health", cmd: client)
        func job(expectStatus: String) throws {
            let r = try runTool("stick", ["pipeline", "slurm", path, "-o", dir.file("submit.sh")])
            #expect(r.status == 0, Comment(rawValue: r.stderr))
            let script = readFile(dir.file("submit.sh")) ?? ""
            // The job's body is the here-document of its sbatch line.
            let body = try #require(script.components(separatedBy: "<<'STICK_JOB_0'\n").last?.components(separatedBy: "\nSTICK_JOB_0\n").first)
            try writeFile(body + "\n", to: dir.file("job.sh"))
            try shell("cd \(dir.path) && mkdir -p .stick/logs .stick/slurm && PATH=\(TestPaths.binaries.path):$PATH sh job.sh; true")
            #expect(readFile(dir.file(".stick/slurm/ask.exit")) == expectStatus + "\n", Comment(rawValue: readFile(dir.file(".stick/logs/ask.log")) ?? ""))
            #expect(!alive(try servicePid(dir)), "the service is still running after the job")
        }
        try job(expectStatus: "0")
        #expect(readFile(dir.file("answer.txt"))?.contains("in-job") == true)
        #expect(readFile(dir.file(".stick/logs/ask.log"))?.contains("service $ echo $$ > service.pid") == true)
        try writeFile(readFile(path)!.replacingOccurrences(of: "> answer.txt", with: "> answer.txt; exit 3"), to: path)
        try job(expectStatus: "3")
        try writeFile(readFile(path)!.replacingOccurrences(of: "timeout: 30", with: "timeout: 1")
            .replacingOccurrences(of: "/health", with: "/no-such-page"), to: path)
        try job(expectStatus: "1")
        #expect(readFile(dir.file(".stick/logs/ask.log"))?.contains("did not answer 2xx within 1 s") == true)
    }
}
