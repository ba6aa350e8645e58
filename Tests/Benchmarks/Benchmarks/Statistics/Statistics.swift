// The statistics in process (release build): CFA fits on the seed0 metric fixture (every sub-model of
// every context, 36 fits per iteration), Rank-Order on a leaderboard-sized synthetic run (once from scratch
// and as one bootstrap replicate on a reused workspace) and the 32-model leaderboard with benchbench's diversity and both
// sensitivities on a synthetic board. These were timing "tests" in CFATests and LeaderboardTests; the
// reference's figures (lavaan through 36 Rscript starts; rank_models.py on torch, 25 s) are printed next
// to the medians.
import Benchmark
import Foundation
import StickPsychometrics
import StickScore

/// ../shared/fixtures/metrics beside the repository (this file is Tests/Benchmarks/Benchmarks/Statistics/…).
let fixtures: String = {
    if let shared = ProcessInfo.processInfo.environment["STICK_SHARED"] { return shared + "/fixtures/metrics" }
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<6 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("shared/fixtures/metrics").path
}()

/// One metric fixture case: raw answers (personas × items) per context.
struct FixtureCase {
    var contexts: [String] = []
    var answers: [String: Matrix] = [:]

    init(_ name: String) {
        let dir = URL(fileURLWithPath: fixtures).appendingPathComponent(name)
        guard let data = try? Data(contentsOf: dir.appendingPathComponent("expected.json")),
              let expected = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let contexts = expected["contexts"] as? [String] else {
            FileHandle.standardError.write(Data("benchmark: metric fixture \(dir.path) not found\n".utf8))
            exit(1)
        }
        self.contexts = contexts
        for context in contexts {
            let text = (try? String(contentsOf: dir.appendingPathComponent("\(context).csv"), encoding: .utf8)) ?? ""
            answers[context] = Matrix(text.split(whereSeparator: \.isNewline).dropFirst().map { line in
                line.split(separator: ",").dropFirst().map { Double($0) ?? .nan }
            })
        }
    }

    func keying(_ context: String) -> ValueKeying {
        context.contains("svs") ? ReferenceInstruments.svs57 : ReferenceInstruments.pvq40
    }
}

/// SplitMix64 (as StickRandom's), for the synthetic board.
struct SplitMix64 {
    var state: UInt64
    mutating func nextUniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
    }
}

/// LeaderboardTests' synthetic board: model r has ability (M − r)/M, each cell 0.5 + 0.3·ability + 0.4·(u − 0.5).
func syntheticModels(_ models: Int, seed: UInt64) -> [ModelMetrics] {
    var rng = SplitMix64(state: seed)
    let contexts = Leaderboard.contexts
    return (0..<models).map { r in
        let ability = Double(models - r) / Double(models)
        let row = (0..<72).map { _ in 0.5 + 0.3 * ability + 0.4 * (rng.nextUniform() - 0.5) }
        var pairwise: [String: [String: Double]] = [:]
        for (c, (a, b)) in Leaderboard.pairs(contexts).enumerated() { pairwise[a, default: [:]][b] = row[c] }
        let stress = Dictionary(uniqueKeysWithValues: contexts.enumerated().map { ($1, 1 - row[36 + $0]) })
        var cfa: [String: [String: [String: Double]]] = [:]
        for (block, metric) in ["CFI", "SRMR", "RMSEA"].enumerated() {
            for (i, context) in contexts.enumerated() {
                let v = row[45 + 9 * block + i]
                cfa[metric, default: [:]][context] = Dictionary(uniqueKeysWithValues: CFASubModel.all.map { ($0.name, metric == "CFI" ? v : 1 - v) })
            }
        }
        return ModelMetrics(name: "m\(r)", pairwiseRankOrder: pairwise, stress: stress, cfaStored: cfa)
    }
}

final class Seconds: @unchecked Sendable {
    var values: [Double] = []
    var median: Double { values.sorted()[values.count / 2] }
}
nonisolated(unsafe) var fixture = FixtureCase?.none
let cfaTimes = Seconds(), boardTimes = Seconds()

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
func say(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }

/// A synthetic run of the leaderboard's size: 9 contexts × 50 personas × 10 values, uniform answers.
func rankOrderContexts() -> [Matrix] {
    var rng = SplitMix64(state: 100)
    return (0..<9).map { _ in Matrix(rows: 50, cols: 10, storage: (0..<500).map { _ in rng.nextUniform() }) }
}

let benchmarks: @Sendable () -> Void = {
    // 36 context pairs × 10 values = 360 Spearman correlations, presort included.
    Benchmark("Rank-Order 9 contexts × 50 personas",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], warmupIterations: 3,
                                   scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 1000),
              closure: { benchmark in
        let contexts = rankOrderContexts()
        benchmark.startMeasurement()
        blackHole(RankOrder.stability(centred: contexts).overall)
        benchmark.stopMeasurement()
    })

    // What the bootstrap pays per replicate: the workspace keeps the presorted columns.
    Benchmark("Rank-Order bootstrap replicate (reused workspace)",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], warmupIterations: 3,
                                   scalingFactor: .kilo, maxDuration: .seconds(10), maxIterations: 100),
              closure: { benchmark in
        var workspace = RankOrder.Workspace(centred: rankOrderContexts())
        let resamples = Bootstrap.resamples(count: benchmark.scaledIterations.count, size: 50, seed: 9)
        benchmark.startMeasurement()
        for r in resamples { blackHole(workspace.stability(resample: r).overall) }
        benchmark.stopMeasurement()
    })

    Benchmark("CFA 36 fits seed0",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident], warmupIterations: 1,
                                   scalingFactor: .one, maxDuration: .seconds(20), maxIterations: 30),
              closure: { benchmark in
        let f = fixture!
        let start = ContinuousClock.now
        for context in f.contexts {
            for subModel in CFASubModel.all {
                blackHole(CFA.fit(subModel: subModel, answers: f.answers[context]!, keying: f.keying(context)))
            }
        }
        cfaTimes.values.append(seconds(ContinuousClock.now - start))
    }, setup: { fixture = FixtureCase("seed0") }, teardown: {
        let fits = fixture!.contexts.count * CFASubModel.all.count
        say("CFA: \(String(format: "%.1f", cfaTimes.median / Double(fits) * 1e6)) µs per fit (median of \(cfaTimes.values.count) × \(fits) fits); "
            + "the reference runs lavaan through one Rscript start per context and sub-model")
    })

    Benchmark("leaderboard 32 models with benchbench",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident], warmupIterations: 1, maxDuration: .seconds(20),
                                   maxIterations: 20),
              closure: { benchmark in
        let models = syntheticModels(32, seed: 7)
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        let table = try! Leaderboard.build(models)
        blackHole(Benchbench.diversity(table.values))
        blackHole(Benchbench.ordinalDiversity(table.values))
        blackHole(Benchbench.cardinalSensitivity(table.values))
        blackHole(Benchbench.ordinalSensitivity(table.values, seed: 0))
        benchmark.stopMeasurement()
        boardTimes.values.append(seconds(ContinuousClock.now - start))
    }, teardown: {
        say("leaderboard, 32 models × 72 columns, diversity and both sensitivities: \(String(format: "%.4f", boardTimes.median)) s "
            + "(median of \(boardTimes.values.count)) vs the reference's 25 s → \(String(format: "%.0f", 25 / boardTimes.median))× faster")
    })
}
