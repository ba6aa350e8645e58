// `stick audit` of a full leaderboard run: the 450 sessions (20,100 calls, requests stored) of the dummy
// model, made by the leaderboard pipeline's commands and packed as its pack stage does; next to `stick
// unpack` of the same archive (extraction and sha256 verification, the floor of any audit).
import Benchmark
import BenchSupport
import Foundation

nonisolated(unsafe) var work = ""
nonisolated(unsafe) var dataset = ""
nonisolated(unsafe) var archive = ""

let audit = Paired("stick audit, leaderboard run (20,100 calls, requests stored, dummy model)", baseline: "stick unpack of the archive")

/// The run: gen-prompts (leaderboard design) → query (dummy) → parse → score → pack, as pipelines/leaderboard.yaml.
func prepareRun() {
    work = Bench.scratch("audit")
    dataset = Bench.importReference(into: work)
    let dummy = Bench.root + "/pipelines/models/dummy.yaml", design = Bench.root + "/pipelines/designs/leaderboard.yaml"
    let run = work + "/dummy", sessions = work + "/sessions.jsonl.zst"
    try? FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
    Child.run([Bench.binary("stick"), "gen-prompts", dataset, "--design", "leaderboard", "-q", "-o", sessions])
    Child.run([Bench.binary("stick"), "query", sessions, "--model", dummy, "-o", run + "/responses.jsonl.zst", "--quiet"])
    Child.run([Bench.binary("stick"), "parse", "--sessions", sessions, run + "/responses.jsonl.zst", "-o", run + "/answers.jsonl.zst"])
    Child.run([Bench.binary("stick"), "score", run + "/answers.jsonl.zst", "-o", run + "/metrics.json", "--values",
               run + "/value-scores.csv", "-q"])
    archive = work + "/dummy.tar.zst"
    Child.run([Bench.binary("stick"), "pack", run, "--add", sessions, "--add", dummy + "=model.yaml", "--add", design + "=design.yaml",
               "-o", archive])
    Bench.say("audit input: \(Bench.fmt(Double(Bench.size(archive)) / 1_048_576, 1)) MiB archive")
}

let benchmarks: @Sendable () -> Void = {
    Benchmark("audit leaderboard run vs unpack",
              configuration: .init(metrics: ChildMetric.withBaseline, warmupIterations: 0, maxDuration: .seconds(120), maxIterations: 5),
              closure: { benchmark in
        let unpacked = work + "/unpacked"
        audit.iteration(benchmark, prepare: { try? FileManager.default.removeItem(atPath: unpacked) },
                        ours: { Child.run([Bench.binary("stick"), "audit", archive, "--dataset", dataset], stderrPath: work + "/audit.err") },
                        baseline: { Child.run([Bench.binary("stick"), "unpack", archive, "-C", unpacked]) })
    }, setup: { prepareRun() }, teardown: { audit.report(); Bench.removeScratch() })
}
