// The stages as processes: gen-prompts over the 450-session leaderboard design next to a plain dataset
// load; stick merge of three responses shards next to zstd -dc of the same files; score on one model
// (the seed0 metric fixture) and rank over 32 models, next to the reference implementation's timings.
import Benchmark
import BenchSupport
import Foundation
import StickArtifacts

nonisolated(unsafe) var work = ""
nonisolated(unsafe) var dataset = ""
nonisolated(unsafe) var shards: [String] = []
nonisolated(unsafe) var rankInputs: [String] = []

let genPrompts = Paired("gen-prompts, leaderboard design (450 sessions) → .jsonl.zst", baseline: "stick data info (dataset load)")
let merge = Paired("stick merge, 3 responses shards (dummy backend, requests stored) → .jsonl.zst", baseline: "zstd -dc of the shards")
let scoreFull = AgainstReference("score, seed0 fixture (Rank-Order, Stress legacy + v17, 36 CFA fits, α)", reference: 22...31,
                                 source: "the reference's data_analysis.py 22–31 s (metrics.md §9)")
let rankFull = AgainstReference("rank, 32 models, diversity and both sensitivities", reference: 25...25,
                                source: "the reference's rank_models.py with benchbench 25 s")

/// Three shards of the leaderboard design, each queried with the dummy backend.
func prepareShards() {
    work = Bench.scratch("merge")
    dataset = Bench.importReference(into: work)
    let dummy = work + "/dummy.yaml"
    try? Data(("stick: model\nversion: 1\nname: dummy\nbackend: dummy\nmodel: dummy\nsystem_message: true\ncot: false\n"
        + "reasoning: none\nconversation: {temperature: 0.7, max_tokens: 100, n: 1}\nanswers: {temperature: 0, max_tokens: 10}\nseed: 0\n").utf8)
        .write(to: URL(fileURLWithPath: dummy))
    shards = (1...3).map { k in
        let s = work + "/shard-\(k).jsonl.zst", r = work + "/responses-\(k).jsonl.zst"
        Child.run([Bench.binary("gen-prompts"), dataset, "--shard", "\(k)/3", "-q", "-o", s])
        Child.run([Bench.binary("query"), s, "--model", dummy, "-o", r, "--quiet"])
        return r
    }
    let bytes = shards.map(Bench.size).reduce(0, +)
    Bench.say("merge input: \(shards.map(Artifacts.recordCount).reduce(0, +)) records, \(Bench.fmt(Double(bytes) / 1_048_576, 1)) MiB .zst")
}

/// 32 leaderboard inputs: the 12 ranking-fixture models and 20 seeded perturbations of them.
func prepareRankInputs() {
    work = Bench.scratch("rank")
    let source = Bench.metricFixtures + "/ranking_12_models/models"
    Bench.require(source, "the metric fixtures (../shared/fixtures/metrics)")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: source)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func noise() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53) - 0.5
    }
    func perturb(_ v: JSONValue, _ scale: Double) -> JSONValue {
        switch v {
        case .number(let d): return .number(d + scale * noise())
        case .object(let o): return .object(JSONObject(o.pairs.map { ($0.0, perturb($0.1, scale)) }))
        case .array(let a): return .array(a.map { perturb($0, scale) })
        default: return v
        }
    }
    rankInputs = (0..<32).map { k in
        guard let base = try? OrderedJSON.parse(try Data(contentsOf: URL(fileURLWithPath: source + "/" + names[k % names.count]))),
              case .object(var object) = k < names.count ? base : perturb(base, 0.02) else { Bench.fail("cannot read \(names[k % names.count])") }
        object["model"] = .string("bench_model_\(k)")
        let file = work + "/rank-model-\(k).json"
        try? Data(JSONValue.object(object).serialized().utf8).write(to: URL(fileURLWithPath: file))
        return file
    }
}

let benchmarks: @Sendable () -> Void = {
    let paired = Benchmark.Configuration(metrics: ChildMetric.withBaseline, warmupIterations: 0, maxDuration: .seconds(30), maxIterations: 7)
    let single = Benchmark.Configuration(metrics: ChildMetric.all, warmupIterations: 0, maxDuration: .seconds(30), maxIterations: 7)

    Benchmark("gen-prompts leaderboard design vs dataset load", configuration: paired, closure: { benchmark in
        genPrompts.iteration(benchmark, ours: { Child.run([Bench.binary("gen-prompts"), dataset, "-q", "-o", work + "/sessions.jsonl.zst"]) },
                             baseline: { Child.run([Bench.binary("stick"), "data", "info", dataset]) })
    }, setup: {
        work = Bench.scratch("gen")
        dataset = Bench.importReference(into: work)
    }, teardown: { genPrompts.report(); Bench.removeScratch() })

    Benchmark("merge 3 responses shards vs zstd -dc", configuration: paired, closure: { benchmark in
        let merged = work + "/merged.jsonl.zst"
        merge.iteration(benchmark, prepare: { try? FileManager.default.removeItem(atPath: merged) },
                        ours: { Child.run([Bench.binary("stick"), "merge"] + shards + ["-o", merged, "-q"]) },
                        baseline: { Child.run(["zstd -q -dc " + shards.joined(separator: " ") + " > /dev/null"], shell: true) })
    }, setup: { prepareShards() }, teardown: { merge.report(); Bench.removeScratch() })

    Benchmark("score seed0 fixture", configuration: single, closure: { benchmark in
        let r = record(benchmark) {
            Child.run([Bench.binary("score"), Bench.metricFixtures + "/seed0", "-o", work + "/metrics.json", "-q"])
        }
        scoreFull.seconds.append(r.seconds)
    }, setup: {
        Bench.require(Bench.metricFixtures + "/seed0/chunk_0.csv", "the metric fixtures (../shared/fixtures/metrics)")
        work = Bench.scratch("score")
    }, teardown: { scoreFull.report(); Bench.removeScratch() })

    Benchmark("score seed0 fixture --no-cfa", configuration: single, closure: { benchmark in
        _ = record(benchmark) {
            Child.run([Bench.binary("score"), Bench.metricFixtures + "/seed0", "--no-cfa", "-o", work + "/metrics.json", "-q"])
        }
    }, setup: { work = Bench.scratch("score-no-cfa") }, teardown: { Bench.removeScratch() })

    Benchmark("score seed0 fixture --bootstrap 1000",
              configuration: .init(metrics: ChildMetric.all, warmupIterations: 0, maxDuration: .seconds(60), maxIterations: 3),
              closure: { benchmark in
        _ = record(benchmark) {
            Child.run([Bench.binary("score"), Bench.metricFixtures + "/seed0", "--bootstrap", "1000", "--seed", "1", "-o", work + "/metrics.json", "-q"])
        }
    }, setup: { work = Bench.scratch("score-bootstrap") }, teardown: { Bench.removeScratch() })

    Benchmark("rank 32 models", configuration: single, closure: { benchmark in
        let r = record(benchmark) { Child.run([Bench.binary("rank")] + rankInputs + ["-o", work + "/leaderboard.json", "-q"]) }
        rankFull.seconds.append(r.seconds)
    }, setup: { prepareRankInputs() }, teardown: { rankFull.report(); Bench.removeScratch() })

    Benchmark("rank 32 models --no-benchbench", configuration: single, closure: { benchmark in
        _ = record(benchmark) { Child.run([Bench.binary("rank")] + rankInputs + ["--no-benchbench", "-o", work + "/leaderboard.json", "-q"]) }
    }, setup: { prepareRankInputs() }, teardown: { Bench.removeScratch() })
}
