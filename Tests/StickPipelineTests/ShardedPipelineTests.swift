// `shards: N` in pipeline specs: the expansion (shard stages, their files, the merge stage), its errors, and
// the demo with a sharded query stage, which must give the unsharded demo's leaderboard: its CSV, Markdown
// and values byte for byte, only the metrics' hashes it names differ (run locally here; under Slurm in
// SlurmClusterTests).
import Foundation
import StickArtifacts
import StickPipeline
import StickTestSupport
import Testing

/// Two leaderboard files the same but for their inputs' sha256: two runs of a pipeline give metrics files
/// that differ in bytes (responses record latencies, and each artifact names its inputs by hash), the
/// values not; the leaderboard names its metrics exactly, so only those hashes may differ.
func sameLeaderboardButInputHashes(_ a: String, _ b: String) throws -> Bool {
    func stripped(_ path: String) throws -> JSONValue {
        let document = try OrderedJSON.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
        guard case .object(var o) = document, case .array(let inputs)? = o["inputs"] else { return document }
        o["inputs"] = .array(inputs.map { input in
            guard case .object(var i) = input else { return input }
            i["sha256"] = nil
            return .object(i)
        })
        return .object(o)
    }
    return try stripped(a) == stripped(b)
}

/// The demo spec with its query stage split into `shards` shards: each shard generates its share of the
/// sessions (`gen-prompts --shard`) and queries them into `${shard_out}`.
func shardedDemoSpec(_ demo: String, shards: Int) throws -> String {
    let unsharded = "      cmd: stick query ${out}/sessions.jsonl.zst --model pipelines/models/${item}.yaml -o ${out}/${item}/responses.jsonl.zst\n"
    let sharded = "      shards: \(shards)\n"
        + "      cmd: stick gen-prompts demo --shard ${shard}/${shards} -o - | stick query - --model pipelines/models/${item}.yaml -o ${shard_out}\n"
    guard demo.contains(unsharded) else { throw StickError("pipelines/demo.yaml's query command changed; update shardedDemoSpec") }
    return demo.replacingOccurrences(of: unsharded, with: sharded)
}

private final class ShardLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}

@Suite struct ShardedPipelineTests {
    func load(_ yaml: String) throws -> PipelineSpec {
        try PipelineSpec.parse(yaml: yaml, path: "s.yaml", directory: "/tmp/w")
    }

    @Test func aShardedForeachStageExpandsIntoShardsAndAMerge() throws {
        let spec = try load("""
            stick: pipeline
            version: 1
            vars: {n: 2}
            stages:
              q:
                foreach: [a, b]
                do:
                  shards: ${n}
                  desc: ask
                  cmd: echo ${item} ${shard}/${shards} > ${shard_out}
                  deps: [in.txt]
                  outs: ["out/${item}.jsonl.zst"]
                  resources: {cpus: 4}
            """)
        #expect(spec.stages.map(\.name) == ["q@a+shard1", "q@a+shard2", "q@a", "q@b+shard1", "q@b+shard2", "q@b"])
        #expect(spec.stages.map(\.group) == ["q+shards", "q+shards", "q", "q+shards", "q+shards", "q"])
        let shard = try #require(spec.stage(named: "q@b+shard2"))
        #expect(shard.commands == ["echo b 2/2 > out/b.shard-2-of-2.jsonl.zst"])
        #expect(shard.outs == ["out/b.shard-2-of-2.jsonl.zst"] && shard.deps == ["in.txt"])
        #expect(shard.resources.cpus == 4 && shard.summary == "ask (shard 2 of 2)")
        let merge = try #require(spec.stage(named: "q@b"))
        #expect(merge.commands == ["stick merge out/b.shard-1-of-2.jsonl.zst out/b.shard-2-of-2.jsonl.zst -o out/b.jsonl.zst"])
        #expect(merge.deps == ["out/b.shard-1-of-2.jsonl.zst", "out/b.shard-2-of-2.jsonl.zst"] && merge.outs == ["out/b.jsonl.zst"])
        #expect(merge.resources.isEmpty)
        // The shards are one Slurm job array, the merges another that waits for it.
        let graph = try PipelineGraph(spec)
        let jobs = SlurmScript.jobs(graph, stages: graph.order)
        #expect(jobs.map(\.name) == ["q+shards", "q"] && jobs.map(\.isArray) == [true, true] && jobs[1].upstream == [0])
    }

    @Test func aShardFileNameThatNeedsQuotingReachesTheShellAsData() throws {
        let dir = try ScratchDirectory()
        let spec = try PipelineSpec.parse(yaml: """
            stick: pipeline
            version: 1
            stages:
              q:
                shards: 2
                cmd: printf '%s\\n' ${shard} > ${shard_out}
                outs: ["out dir/it's $(x).jsonl"]
            """, path: "s.yaml", directory: dir.path)
        try FileManager.default.createDirectory(atPath: dir.file("out dir"), withIntermediateDirectories: true)
        let shard = try #require(spec.stage(named: "q+shard2"))
        try shell("cd \(ShellQuoting.quote(dir.path)) && " + shard.commands[0])
        #expect(readFile(dir.file("out dir/it's $(x).shard-2-of-2.jsonl")) == "2\n")
    }

    @Test func badShardsAreRefusedWithTheLine() throws {
        let base = """
            stick: pipeline
            version: 1
            stages:
              q:
                shards: SHARDS
                cmd: echo > ${shard_out}
                outs: OUTS

            """
        func error(_ shards: String, _ outs: String = "[r.jsonl]") -> StickError? {
            do {
                _ = try load(base.replacingOccurrences(of: "SHARDS", with: shards).replacingOccurrences(of: "OUTS", with: outs))
                return nil
            } catch { return error as? StickError }
        }
        for bad in ["0", "1001", "two", "1.5", "[2]"] {
            let e = error(bad)
            #expect(e?.message.contains("'shards' must be a whole number from 1 to 1000") == true && e?.line == 5, "shards: \(bad) → \(String(describing: e))")
        }
        let two = error("2", "[a.jsonl, b.jsonl]")
        #expect(two?.message.contains("a sharded stage has exactly one out") == true && two?.line == 7, "\(String(describing: two))")
        let perShard = error("2", "[\"r-${shard}.jsonl\"]")
        #expect(perShard?.message.contains("the outs of a sharded stage are the merged files") == true, "\(String(describing: perShard))")
        // ${shard} is reserved, and unknown outside a sharded stage.
        #expect(throws: StickError.self) { try load("stick: pipeline\nversion: 1\nvars: {shard: 1}\nstages: {s: {cmd: echo}}\n") }
        #expect(throws: StickError.self) { try load("stick: pipeline\nversion: 1\nstages: {s: {cmd: echo ${shard}}}\n") }
    }

    /// The demo with two models, query in three shards, against the unsharded demo: same leaderboard,
    /// report and value scores; the shard files are kept, and a rerun runs nothing.
    @Test(.timeLimit(.minutes(10))) func theShardedDemoGivesTheUnshardedLeaderboard() throws {
        let plain = try ScratchDirectory(), sharded = try ScratchDirectory()
        for dir in [plain, sharded] {
            try shell("cp -R \(TestPaths.packageRoot.appendingPathComponent("pipelines").path) \(dir.path)/ && rm -f \(dir.path)/pipelines/*.lock")
        }
        let demo = try #require(readFile(sharded.file("pipelines/demo.yaml")))
        try writeFile(try shardedDemoSpec(demo, shards: 3), to: sharded.file("pipelines/demo.yaml"))
        func run(_ dir: ScratchDirectory) throws -> (PipelineReport, String) {
            let options = PipelineOptions(targets: ["report"], jobs: 3, toolDirectory: TestPaths.binaries.path)
            let runner = try PipelineRunner(specPath: dir.file("pipelines/demo.yaml"), overrides: [VarOverride(parsing: "models=[dummy, simulator-0.5]")],
                                            options: options)
            let log = ShardLog()
            return (try runner.run(log: { log.append($0) }), log.text)
        }
        let (plainReport, plainLog) = try run(plain)
        #expect(plainReport.succeeded, Comment(rawValue: plainLog))
        let (report, log) = try run(sharded)
        #expect(report.succeeded, Comment(rawValue: log))
        #expect(Set(report.ran).isSuperset(of: ["query@dummy+shard1", "query@dummy+shard3", "query@simulator-0.5+shard2", "query@dummy"]))
        #expect(report.ran.count == plainReport.ran.count + 6)
        #expect(try sameLeaderboardButInputHashes(plain.file("demo-run/leaderboard.json"), sharded.file("demo-run/leaderboard.json")),
                "leaderboard.json differs between the sharded and the unsharded run (beyond its metrics' sha256)")
        for f in ["leaderboard.csv", "leaderboard.md", "report.html", "dummy/value-scores.csv", "simulator-0.5/value-scores.csv"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: plain.file("demo-run/" + f)))
            let b = try Data(contentsOf: URL(fileURLWithPath: sharded.file("demo-run/" + f)))
            #expect(a == b, "\(f) differs between the sharded and the unsharded run")
        }
        // Record for record, the merged responses are the unsharded ones (latencies aside).
        func calls(_ dir: ScratchDirectory, _ model: String) throws -> [String] {
            try readLines(dir.file("demo-run/\(model)/responses.jsonl.zst")).dropFirst().map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                return ["context", "persona_index", "kind", "item", "content"].map { "\(object[$0] ?? "-")" }.joined(separator: " ")
            }
        }
        #expect(try calls(plain, "simulator-0.5") == calls(sharded, "simulator-0.5"))
        #expect(FileManager.default.fileExists(atPath: sharded.file("demo-run/dummy/responses.shard-2-of-3.jsonl.zst")))
        let (again, againLog) = try run(sharded)
        #expect(again.ran.isEmpty, Comment(rawValue: againLog))
    }

    @Test func theExportsExpressTheShards() throws {
        let dir = try ScratchDirectory()
        try shell("cp -R \(TestPaths.packageRoot.appendingPathComponent("pipelines").path) \(dir.path)/")
        let demo = try #require(readFile(dir.file("pipelines/demo.yaml")))
        try writeFile(try shardedDemoSpec(demo, shards: 2), to: dir.file("pipelines/demo.yaml"))
        let make = try runTool("stick", ["pipeline", "make", dir.file("pipelines/demo.yaml"), "--set", "models=[dummy]", "-o", dir.file("Makefile")])
        #expect(make.status == 0, Comment(rawValue: make.stderr))
        let makefile = readFile(dir.file("Makefile")) ?? ""
        #expect(makefile.contains("stick merge demo-run/dummy/responses.shard-1-of-2.jsonl.zst demo-run/dummy/responses.shard-2-of-2.jsonl.zst -o demo-run/dummy/responses.jsonl.zst"))
        #expect(makefile.contains("--shard 2/2"))
        let slurm = try runTool("stick", ["pipeline", "slurm", dir.file("pipelines/demo.yaml"), "--set", "models=[dummy, simulator-0]", "-o", dir.file("submit.sh")])
        #expect(slurm.status == 0, Comment(rawValue: slurm.stderr))
        let script = readFile(dir.file("submit.sh")) ?? ""
        #expect(script.contains("--job-name=query+shards") && script.contains("--array=0-3"), Comment(rawValue: script))
    }
}
