// The leaderboard on a cluster (issue 11): `query --endpoint` (a server elsewhere than the config says),
// `stick serve` (a model config's own server), the recipe pipelines/leaderboard-slurm.yaml (the study's
// stages with one server and sharded clients per model), and that recipe run end to end under Slurm with
// the fake OpenAI server as each model's server, giving the local unsharded leaderboard.yaml's results
// byte for byte. The cluster test skips without reference data or a Slurm cluster (STICK_REQUIRE_SLURM=1:
// a missing cluster fails).
import Foundation
import StickArtifacts
import StickPipeline
import StickTestSupport
import Testing

/// Nothing listens on port 1 of the loopback (a privileged port no test server takes): a config pointing
/// there can only succeed through `--endpoint`.
private let deadEndpoint = "http://127.0.0.1:1/v1"

@Suite(.enabled(if: fakeServerAvailable, "needs ../shared/tools/fake-openai-server.py"))
struct QueryEndpointOverrideTests {
    @Test func anEndpointOnTheCommandLineReplacesTheConfigsAndIsRecorded() async throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl")
        try demoSessions(sessions, contexts: ["forum_0", "svs_no_conv"], personas: [0, 1, 2])
        let server = try FakeOpenAIServer(salt: "endpoint-1")
        defer { server.stop() }
        let dead = scratch.file("dead.yaml"), live = scratch.file("live.yaml")
        let fast = ["retry: {max_attempts: 1, initial_delay: 0.01, max_delay: 0.01}", "timeout_seconds: 10"]
        try writeModelConfig(dead, name: "m", backend: "openai", extra: ["endpoints: [\"\(deadEndpoint)\"]"] + fast)
        try writeModelConfig(live, name: "m", backend: "openai", extra: ["endpoints: [\"\(server.baseURL)\"]"] + fast)

        // The config alone reaches nobody.
        let unreachable = try runTool("query", [sessions, "--model", dead, "-o", scratch.file("none.jsonl"), "-q"])
        #expect(unreachable.status != 0)

        let overridden = scratch.file("overridden.jsonl"), direct = scratch.file("direct.jsonl")
        let viaFlag = try runTool("query", [sessions, "--model", dead, "--endpoint", server.baseURL, "-o", overridden, "-q"])
        #expect(viaFlag.status == 0, "\(viaFlag.stderr)")
        let plain = try runTool("query", [sessions, "--model", live, "-o", direct, "-q"])
        #expect(plain.status == 0, "\(plain.stderr)")
        // The same calls and answers as a config pointing at the server itself.
        let a = try responses(overridden), b = try responses(direct)
        #expect(a.count == b.count && a.count > 100)
        #expect(a.map(timeless) == b.map(timeless))

        let header = try JSONLReader<ResponseRecord>(path: overridden, kind: .responses).header
        #expect(header.params["endpoint_override"] == .array([.string(server.baseURL)]))
        #expect(try JSONLReader<ResponseRecord>(path: direct, kind: .responses).header.params["endpoint_override"] == nil)
        // The config named is the file given, byte for byte (what `stick audit` looks up in the run).
        let deadBytes = try Data(contentsOf: URL(fileURLWithPath: dead))
        #expect(header.params["model_config_sha256"] == .string(SHA256Hex.of(deadBytes)))
        #expect(header.inputs.first { $0.role == "model_config" }?.sha256 == SHA256Hex.of(deadBytes))

        // Rerunning the finished command does nothing; another endpoint is another run (needs --force).
        let again = try runTool("query", [sessions, "--model", dead, "--endpoint", server.baseURL, "-o", overridden, "-q"])
        #expect(again.status == 0, "\(again.stderr)")
        let moved = try runTool("query", [sessions, "--model", dead, "--endpoint", server.baseURL + "/", "-o", overridden, "-q"])
        #expect(moved.status != 0 && moved.stderr.contains("--force"), "\(moved.stderr)")
    }

    @Test func badEndpointsAreRefusedAndCredentialsNeverEchoed() throws {
        let scratch = try ScratchDirectory()
        let config = scratch.file("m.yaml"), dummy = scratch.file("d.yaml")
        try writeModelConfig(config, name: "m", backend: "openai", extra: ["endpoints: [\"\(deadEndpoint)\"]"])
        try writeModelConfig(dummy, name: "d", backend: "dummy", extra: [])
        try demoSessions(scratch.file("s.jsonl"), contexts: ["forum_0"], personas: [0])
        let out = scratch.file("r.jsonl")
        for bad in ["127.0.0.1:8000/v1", "ftp://127.0.0.1/v1", "http://", "http://exa mple/v1", "file:///etc/passwd", "http://127.0.0.1:/v1"] {
            let r = try runTool("query", [scratch.file("s.jsonl"), "--model", config, "--endpoint", bad, "-o", out])
            #expect(r.status != 0 && r.stderr.contains("--endpoint must be an http:// or https://"), "\(bad): \(r.stderr)")
        }
        let secret = try runTool("query", [scratch.file("s.jsonl"), "--model", config, "--endpoint", "http://alice:hunter2@127.0.0.1:1/v1", "-o", out])
        #expect(secret.status != 0 && secret.stderr.contains("credentials in the URL are refused"), "\(secret.stderr)")
        #expect(!secret.stderr.contains("hunter2") && !secret.stderr.contains("alice"), "\(secret.stderr)")
        let notServed = try runTool("query", [scratch.file("s.jsonl"), "--model", dummy, "--endpoint", "http://127.0.0.1:1/v1", "-o", out])
        #expect(notServed.status != 0 && notServed.stderr.contains(dummy) && notServed.stderr.contains("openai backend"), "\(notServed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: out + ".partial"))
    }

    /// Where the calls went is not part of what the audit checks: a run made with --endpoint (its config
    /// pointing nowhere) audits clean, the requests rebuilt from the packed config.
    @Test func aRunMadeWithAnEndpointOverrideAuditsClean() throws {
        let scratch = try ScratchDirectory()
        let server = try FakeOpenAIServer(salt: "endpoint-audit")
        defer { server.stop() }
        let config = scratch.file("m.yaml"), run = scratch.file("run")
        try writeModelConfig(config, name: "m", backend: "openai", extra: ["endpoints: [\"\(deadEndpoint)\"]"])
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        let steps: [[String]] = [
            ["gen-prompts", "demo", "--contexts", "no_conv,forum_0", "-o", run + "/sessions.jsonl.zst"],
            ["query", run + "/sessions.jsonl.zst", "--model", config, "--endpoint", server.baseURL, "-o", run + "/responses.jsonl.zst", "-q"],
            ["parse", "--sessions", run + "/sessions.jsonl.zst", run + "/responses.jsonl.zst", "-o", run + "/answers.jsonl.zst"],
            ["score", run + "/answers.jsonl.zst", "-o", run + "/metrics.json", "--values", run + "/value-scores.csv"],
            ["pack", run, "--add", config + "=model.yaml", "--add",
             TestPaths.packageRoot.appendingPathComponent("pipelines/designs/demo.yaml").path + "=design.yaml", "-o", scratch.file("run.tar.zst")],
        ]
        for step in steps {
            let r = try runTool("stick", step)
            #expect(r.status == 0, "\(step[0]): \(r.stderr)")
        }
        let audit = try runTool("stick", ["audit", scratch.file("run.tar.zst")])
        #expect(audit.status == 0 && audit.stdoutText.contains("requests = session engine replay  ok"), "\(audit.stdoutText)\n\(audit.stderr)")
    }

    @Test func aConfigWithoutEndpointsRunsWithOne() throws {
        let scratch = try ScratchDirectory()
        let server = try FakeOpenAIServer(salt: "endpoint-2")
        defer { server.stop() }
        let config = scratch.file("m.yaml")
        try writeModelConfig(config, name: "m", backend: "openai", extra: [])
        try demoSessions(scratch.file("s.jsonl"), contexts: ["forum_0"], personas: [0])
        var environment = ProcessInfo.processInfo.environment
        environment["OPENAI_BASE_URL"] = nil
        let none = try runTool("query", [scratch.file("s.jsonl"), "--model", config, "-o", scratch.file("a.jsonl")], environment: environment)
        #expect(none.status != 0 && none.stderr.contains("needs `endpoints`"), "\(none.stderr)")
        let given = try runTool("query", [scratch.file("s.jsonl"), "--model", config, "--endpoint", server.baseURL, "-o", scratch.file("b.jsonl"), "-q"],
                                environment: environment)
        #expect(given.status == 0, "\(given.stderr)")
    }
}

@Suite(.serialized)
struct ServeCommandTests {
    @Test func theServeLineGetsThePortAppended() throws {
        let scratch = try ScratchDirectory()
        let config = scratch.file("m.yaml")
        try writeModelConfig(config, name: "m", backend: "openai",
                             extra: ["endpoints: [\"\(deadEndpoint)\"]", "serve: \"vllm serve org/m --served-model-name model  \""])
        let withPort = try runTool("stick", ["serve", config, "--port", "8123", "--dry-run"])
        #expect(withPort.status == 0 && withPort.stdoutText == "vllm serve org/m --served-model-name model --port 8123\n", "\(withPort.stderr)")
        let without = try runTool("stick", ["serve", config, "--dry-run"])
        #expect(without.stdoutText == "vllm serve org/m --served-model-name model\n")
        // A zoo config: its own line (vLLM's default port otherwise).
        let zoo = TestPaths.packageRoot.appendingPathComponent("pipelines/models/leaderboard/Llama-3.1-8B-Instruct.yaml").path
        let line = try runTool("stick", ["serve", zoo, "--port", "8001", "--dry-run"]).stdoutText
        #expect(line.hasPrefix("vllm serve meta-llama/Llama-3.1-8B-Instruct --revision ") && line.hasSuffix(" --enable-prefix-caching --port 8001\n"), "\(line)")
        for bad in ["0", "65536", "-3"] {
            #expect(try runTool("stick", ["serve", config, "--port=\(bad)", "--dry-run"]).status != 0, "\(bad)")
        }
    }

    @Test func aConfigWithoutAServeLineIsAnErrorNamingIt() throws {
        let scratch = try ScratchDirectory()
        let config = scratch.file("no-serve.yaml")
        try writeModelConfig(config, name: "m", backend: "openai", extra: ["endpoints: [\"\(deadEndpoint)\"]"])
        let r = try runTool("stick", ["serve", config, "--port", "8123"])
        #expect(r.status != 0 && r.stderr.contains(config) && r.stderr.contains("no `serve:` line"), "\(r.stderr)")
    }

    /// As a pipeline service (what the cluster recipe does): the server comes up on the port given, is the
    /// process `stick serve` was (exec: the line's shell has stick's pid, so its parent is not stick), and is
    /// gone after the stage.
    @Test(.enabled(if: fakeServerAvailable, "needs ../shared/tools/fake-openai-server.py"))
    func asAServiceItBecomesTheServerOnThePortGiven() throws {
        let scratch = try ScratchDirectory()
        let port = try freeLoopbackPort()
        let config = scratch.file("m.yaml")
        let line = "echo $$ > serve.pid; cat /proc/$PPID/comm > serve.parent; exec python3 \(FakeOpenAIServer.script!) --salt s --model-name served-by-stick"
        try writeModelConfig(config, name: "m", backend: "openai",
                             extra: ["endpoints: [\"\(deadEndpoint)\"]", "serve: \(try jsonString(line))"])
        let spec = scratch.file("p.yaml")
        try writeFile("""
            stick: pipeline
            version: 1
            stages:
              ask:
                service:
                  cmd: stick serve m.yaml --port \(port)
                  ready: http://127.0.0.1:\(port)/v1/models
                  timeout: 60
                cmd: python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' http://127.0.0.1:\(port)/v1/models > answer.txt
                outs: [answer.txt]
            """, to: spec)
        let (report, log) = try slurmRun(spec, targets: [], sets: [], slurm: false)
        #expect(report.succeeded, Comment(rawValue: log))
        #expect(readFile(scratch.file("answer.txt"))?.contains("served-by-stick") == true)
        #expect(readFile(scratch.file("serve.parent"))?.trimmingCharacters(in: .whitespacesAndNewlines) != "stick",
                "stick serve spawned the line instead of becoming it")
        let pid = try #require(Int32((readFile(scratch.file("serve.pid")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0 && errno == ESRCH, "the server (pid \(pid)) outlived its stage")
        #expect(readFile(scratch.file(".stick/logs/ask.service.log"))?.contains("stick serve: exec /bin/sh -c") == true)
    }

    private func jsonString(_ s: String) throws -> String {
        String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
    }
}

@Suite struct LeaderboardSlurmSpecTests {
    static let pipelines = TestPaths.packageRoot.appendingPathComponent("pipelines").path

    /// The cluster recipe is leaderboard.yaml with only the query stage changed: one job per model starting
    /// its server and running the shard clients against it, with the GPU resources, then the merge.
    @Test func theRecipeIsTheLeaderboardWithAServedShardedQuery() throws {
        let models = "models=[leaderboard/Llama-3.1-8B-Instruct, leaderboard/Qwen3-8B]"
        let cluster = try PipelineGraph(PipelineSpec.load(Self.pipelines + "/leaderboard-slurm.yaml", overrides: [VarOverride(parsing: models)]))
        let local = try PipelineGraph(PipelineSpec.load(Self.pipelines + "/leaderboard.yaml", overrides: [VarOverride(parsing: models)]))
        let localStages = Dictionary(uniqueKeysWithValues: local.spec.stages.map { ($0.name, $0) })
        for stage in cluster.spec.stages where !stage.group.hasPrefix("query") {
            let twin = try #require(localStages[stage.name], "\(stage.name) is not in leaderboard.yaml")
            #expect(stage.commands == twin.commands && stage.deps == twin.deps && stage.outs == twin.outs, "\(stage.name)")
        }
        #expect(Set(cluster.spec.stages.map(\.name)).subtracting(localStages.keys)
                == ["query@leaderboard/Llama-3.1-8B-Instruct+shards", "query@leaderboard/Qwen3-8B+shards"])

        let served = cluster.stage("query@leaderboard/Qwen3-8B+shards")
        let service = try #require(served.service)
        #expect(service.command == "TENSOR_PARALLEL_SIZE=4 stick serve pipelines/models/leaderboard/Qwen3-8B.yaml --port 8000")
        #expect(service.readyURL == "http://127.0.0.1:8000/v1/models" && service.timeout == 3600)
        #expect(served.resources == StageResources(cpus: 16, mem: "64G", time: "12:00:00", gres: "gpu:4"))
        #expect(served.outs == (1...4).map { "leaderboard-run/leaderboard/Qwen3-8B/responses.shard-\($0)-of-4.jsonl.zst" })
        let command = try #require(served.commands.first)
        for k in 1...4 {
            #expect(command.contains("stick gen-prompts leaderboard-run/dataset --design leaderboard --shard \(k)/4 -o - | stick query - "
                + "--model pipelines/models/leaderboard/Qwen3-8B.yaml --endpoint http://127.0.0.1:8000/v1 "
                + "-o leaderboard-run/leaderboard/Qwen3-8B/responses.shard-\(k)-of-4.jsonl.zst"), "shard \(k)")
        }
        #expect(cluster.stage("query@leaderboard/Qwen3-8B").commands.first?.hasPrefix("stick merge ") == true)
        #expect(cluster.upstream["parse@leaderboard/Qwen3-8B"] == local.upstream["parse@leaderboard/Qwen3-8B"])

        // The vars reach the job: shards, port, GPUs.
        let custom = try PipelineGraph(PipelineSpec.load(Self.pipelines + "/leaderboard-slurm.yaml",
                                                         overrides: ["models=[leaderboard/Qwen3-8B]", "query_shards=9", "port=8100", "gpus=2"].map(VarOverride.init(parsing:))))
        let job = custom.stage("query@leaderboard/Qwen3-8B+shards")
        #expect(job.service?.command == "TENSOR_PARALLEL_SIZE=2 stick serve pipelines/models/leaderboard/Qwen3-8B.yaml --port 8100")
        #expect(job.resources.gres == "gpu:2" && job.outs.count == 9 && job.commands[0].contains("--endpoint http://127.0.0.1:8100/v1"))
        let script = SlurmScript.body(try #require(SlurmScript.jobs(custom, stages: custom.order).first { $0.name == "query+shards" }))
        #expect(script.contains("stick pipeline wait-ready") && script.contains("http://127.0.0.1:8100/v1/models"), Comment(rawValue: script))
    }
}

@Suite(.enabled(if: LocalSlurm.shouldRun && TestPaths.referenceData != nil && fakeServerAvailable,
                "needs a Slurm cluster, ../shared/reference (or STICK_REFERENCE_DATA) and ../shared/tools/fake-openai-server.py"),
       .serialized, .timeLimit(.minutes(40)))
struct LeaderboardOnSlurmTests {
    /// Two models (rank needs two): the fake server with a salt each.
    static let salts = ["fake-a": "leaderboard-on-slurm-a", "fake-b": "leaderboard-on-slurm-b"]

    /// A copy of pipelines/ (the specs' wdir is its parent) with the model configs `fake-a` and `fake-b`.
    func copy(endpoint: (String) -> String, serve: ((String) -> String)?) throws -> ScratchDirectory {
        let dir = try ScratchDirectory()
        try shell("cp -R \(TestPaths.packageRoot.appendingPathComponent("pipelines").path) \(dir.path)/ && rm -f \(dir.path)/pipelines/*.lock")
        for name in Self.salts.keys {
            try writeModelConfig(dir.file("pipelines/models/\(name).yaml"), name: name, backend: "openai",
                                 extra: ["endpoints: [\"\(endpoint(name))\"]", "concurrency: 16"] + (serve.map { ["serve: \"\($0(name))\""] } ?? []))
        }
        return dir
    }

    @Test func theClusterRecipeGivesTheLocalLeaderboardByteForByte() throws {
        if let reason = LocalSlurm.unavailableReason {
            Issue.record("Slurm tests cannot run: \(reason)")
            return
        }
        let reference = try #require(TestPaths.referenceData)
        let targets = ["rank"]
        let models = "models=[fake-a, fake-b]"

        // Under Slurm: the recipe, each model's query job starting the fake server through `stick serve` on a
        // port of the test's choosing; the configs point nowhere, so every call goes where --endpoint says.
        let cluster = try copy(endpoint: { _ in deadEndpoint }, serve: { "python3 \(FakeOpenAIServer.script!) --salt \(Self.salts[$0]!)" })
        let spec = cluster.file("pipelines/leaderboard-slurm.yaml")
        // The one-node test cluster has no GPUs (gres) and no memory configured: the query jobs ask for CPUs and time only.
        let recipe = try #require(readFile(spec))
        let cpuOnly = recipe.replacingOccurrences(of: "        gres: gpu:${gpus}\n", with: "").replacingOccurrences(of: "        mem: ${mem}\n", with: "")
        #expect(cpuOnly.count < recipe.count - 30, "the recipe's resources changed; update this test")
        try writeFile(cpuOnly, to: spec)
        let port = try freeLoopbackPort()
        let sets = [models, "reference=\(reference)", "query_shards=3", "port=\(port)", "cpus=1", "time=60", "service_timeout=120"]
        // --exclusive, as the README's recipe: both models' servers use `port`, so their jobs must not share the node.
        var options = PipelineOptions(targets: targets, jobs: 2, toolDirectory: TestPaths.binaries.path)
        options.executor = .slurm(SlurmOptions(sbatchArgs: ["--exclusive"], pollInterval: 0.2))
        let log = Lines()
        let report = try PipelineRunner(specPath: spec, overrides: sets.map(VarOverride.init(parsing:)), options: options).run(log: { log.append($0) })
        #expect(report.succeeded, Comment(rawValue: log.text))
        #expect(log.text.contains("submitted query+shards as Slurm job") && log.text.contains("(array of 2: query@fake-a+shards, query@fake-b+shards)"),
                Comment(rawValue: log.text))
        #expect(Set(report.ran) == ["import", "prompts", "query@fake-a+shards", "query@fake-a", "parse@fake-a", "score@fake-a",
                                    "query@fake-b+shards", "query@fake-b", "parse@fake-b", "score@fake-b", "rank"], "\(report.ran)")
        #expect(readFile(cluster.file(".stick/logs/query@fake-a+shards.service.log"))?.contains("stick serve: exec") == true)

        // Locally: the plain leaderboard.yaml, unsharded, against fake servers with the same salts.
        let servers = try Self.salts.mapValues { try FakeOpenAIServer(salt: $0) }
        defer { servers.values.forEach { $0.stop() } }
        let local = try copy(endpoint: { servers[$0]!.baseURL }, serve: nil)
        let (localReport, localLog) = try slurmRun(local.file("pipelines/leaderboard.yaml"), targets: targets,
                                                      sets: [models, "reference=\(reference)"], slurm: false)
        #expect(localReport.succeeded, Comment(rawValue: localLog))

        // (The responses record latencies, and answers and metrics carry the hash of what they were made
        // from: those differ between any two runs, and so do the metrics' hashes the leaderboard names;
        // the records, the CSVs and the leaderboard's values do not.)
        #expect(try sameLeaderboardButInputHashes(local.file("leaderboard-run/leaderboard.json"),
                                                  cluster.file("leaderboard-run/leaderboard.json")))
        var files = ["leaderboard.csv", "leaderboard.md"]
        for name in Self.salts.keys.sorted() { files += ["\(name)/value-scores.csv", "\(name)/answers.csv"] }
        for f in files {
            let a = try Data(contentsOf: URL(fileURLWithPath: local.file("leaderboard-run/" + f)))
            let b = try Data(contentsOf: URL(fileURLWithPath: cluster.file("leaderboard-run/" + f)))
            #expect(a == b, "\(f) differs between the local run and the cluster recipe")
        }
        for name in Self.salts.keys.sorted() {
            let run = "leaderboard-run/\(name)/"
            let merged = try responses(cluster.file(run + "responses.jsonl.zst"))
            let unsharded = try responses(local.file(run + "responses.jsonl.zst"))
            #expect(merged.count == 20_100 && merged.map(timeless) == unsharded.map(timeless), "\(name)")
            let answers = try JSONLReader<AnswerRecord>(path: cluster.file(run + "answers.jsonl.zst"), kind: .answers).readAll()
            #expect(answers == (try JSONLReader<AnswerRecord>(path: local.file(run + "answers.jsonl.zst"), kind: .answers).readAll()), "\(name)")
            let header = try JSONLReader<ResponseRecord>(path: cluster.file(run + "responses.jsonl.zst"), kind: .responses).header
            #expect(header.params["endpoint_override"] == .array([.string("http://127.0.0.1:\(port)/v1")]))
            for k in 1...3 { #expect(FileManager.default.fileExists(atPath: cluster.file(run + "responses.shard-\(k)-of-3.jsonl.zst"))) }
        }
        // The two models differ (each job reached its own server, not the other's).
        let a = try Data(contentsOf: URL(fileURLWithPath: cluster.file("leaderboard-run/fake-a/answers.csv")))
        let b = try Data(contentsOf: URL(fileURLWithPath: cluster.file("leaderboard-run/fake-b/answers.csv")))
        #expect(a != b)
    }
}
