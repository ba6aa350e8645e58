// query on the leaderboard sessions (20,100 calls) against two processes of the deterministic fake OpenAI
// server (one Python process is bound to one core): zero latency (calls/s, query's CPU per call, the
// servers' CPU per call, peak RSS), 50 ms injected latency at concurrency 128 next to the reference's
// scheme (9 sequential clients: 20,100 × 0.050 s / 9 = 111.7 s of waiting alone), 20 % of attempts faulted
// with resets and truncated bodies (retried until every call has its answer; each run next to the same run
// without faults), and peak memory with --no-requests for 1× and 10× the sessions.
import Benchmark
import BenchSupport
import Foundation

nonisolated(unsafe) var work = ""
nonisolated(unsafe) var sessions = ""
nonisolated(unsafe) var calls = 0
nonisolated(unsafe) var servers: FakeServers?

let serverCount = 2
let callsPerSecond = BenchmarkMetric.custom("calls/s", polarity: .prefersLarger, useScalingFactor: false)
let queryCPUPerCall = BenchmarkMetric.custom("query CPU per call (µs)", useScalingFactor: false)
let serverCPUPerCall = BenchmarkMetric.custom("servers' CPU per call (µs)", useScalingFactor: false)
let speedUp = BenchmarkMetric.custom("reference scheme / ours (%)", polarity: .prefersLarger, useScalingFactor: false)
let metrics: [BenchmarkMetric] = [.wallClock, ChildMetric.peakRSS, callsPerSecond, queryCPUPerCall, serverCPUPerCall, speedUp]

final class Walls: @unchecked Sendable {
    var seconds: [Double] = []
}
let zeroWalls = Walls(), latencyWalls = Walls()
nonisolated(unsafe) var cleanServers: FakeServers?
let faultCost = Paired("query, 20 % of attempts faulted (resets, truncated bodies; retried), 50 ms, concurrency 128",
                       baseline: "the same run without faults")

/// The leaderboard sessions (and `times` copies of each), and fake servers started with `flags`.
func prepare(_ name: String, flags: [String], concurrency: Int, times: Int = 1, ownSalts: Bool = false, maxAttempts: Int = 8) {
    work = Bench.scratch(name)
    let dataset = Bench.importReference(into: work)
    sessions = work + "/sessions.jsonl.zst"
    Child.run([Bench.binary("gen-prompts"), dataset, "-q", "-o", sessions])
    calls = Artifacts.sessionCalls(sessions).calls
    if times > 1 {
        let repeated = work + "/sessions-\(times)x.jsonl.zst"
        Artifacts.repeatSessions(sessions, to: repeated, times: times)
        sessions = repeated
        calls *= times
    }
    servers = FakeServers.start(serverCount, work: work, flags: flags, ownSalts: ownSalts)
    servers!.writeModelConfig(work + "/model.yaml", concurrency: concurrency, maxAttempts: maxAttempts)
    Bench.say("query: \(calls) calls, \(serverCount) fake servers \(flags.joined(separator: " ")), concurrency \(concurrency)")
}

func finish(_ walls: Walls?, _ title: String) {
    servers?.stop()
    servers = nil
    Bench.removeScratch()
    guard let walls, !walls.seconds.isEmpty else { return }
    let m = Bench.median(walls.seconds)
    let bound = Double(calls) * 0.050 / 9
    Bench.say("\(title): \(Bench.fmt(m, 2)) s (median of \(walls.seconds.count)), \(Bench.fmt(Double(calls) / m, 0)) calls/s; "
        + "reference scheme \(Bench.fmt(bound, 1)) s (9 sequential clients × 50 ms) → \(Bench.fmt(bound / m, 1))×")
}

/// One run of query against the servers of `model`; fails unless the output holds every call.
func runQuery(model: String = work + "/model.yaml", extra: [String] = [], measuring benchmark: Benchmark? = nil) -> ChildRun {
    let output = work + "/responses.jsonl.zst"
    try? FileManager.default.removeItem(atPath: output)
    try? FileManager.default.removeItem(atPath: output + ".partial")
    benchmark?.startMeasurement()
    let run = Child.run([Bench.binary("query"), sessions, "--model", model, "-o", output, "--quiet"] + extra,
                        stderrPath: work + "/query.err")
    benchmark?.stopMeasurement()
    let records = Artifacts.recordCount(output)
    guard records == calls else { Bench.fail("the responses artifact holds \(records) records, expected \(calls)") }
    return run
}

/// One measured run of query, with its rates as metrics.
func queryOnce(_ benchmark: Benchmark, extra: [String] = [], walls: Walls?) {
    let server0 = servers!.cpuSeconds
    let run = runQuery(extra: extra, measuring: benchmark)
    let serverCPU = servers!.cpuSeconds - server0
    walls?.seconds.append(run.seconds)
    benchmark.measurement(ChildMetric.peakRSS, run.peakRSSKiB / 1024)
    benchmark.measurement(callsPerSecond, Int((Double(calls) / run.seconds).rounded()))
    benchmark.measurement(queryCPUPerCall, Int((run.cpuSeconds * 1e6 / Double(calls)).rounded()))
    benchmark.measurement(serverCPUPerCall, Int((serverCPU * 1e6 / Double(calls)).rounded()))
    benchmark.measurement(speedUp, Int((Double(calls) * 0.050 / 9 / run.seconds * 100).rounded()))
}

let benchmarks: @Sendable () -> Void = {
    let three = Benchmark.Configuration(metrics: metrics, warmupIterations: 0, maxDuration: .seconds(120), maxIterations: 3)
    let once = Benchmark.Configuration(metrics: metrics, warmupIterations: 0, maxDuration: .seconds(1), maxIterations: 1)

    Benchmark("query zero latency", configuration: three, closure: { benchmark in
        queryOnce(benchmark, walls: zeroWalls)
    }, setup: { prepare("query-0ms", flags: [], concurrency: 64) }, teardown: { finish(zeroWalls, "query, zero latency, concurrency 64") })

    Benchmark("query 50 ms latency concurrency 128", configuration: three, closure: { benchmark in
        queryOnce(benchmark, walls: latencyWalls)
    }, setup: { prepare("query-50ms", flags: ["--latency-ms", "50"], concurrency: 128) },
       teardown: { finish(latencyWalls, "query, 50 ms latency, concurrency 128") })

    // Faults that a client retries at once (a reset connection, a truncated body) at 50 ms and concurrency 128,
    // each iteration next to the same run without faults (servers of its own): the ratio is the cost of the
    // faults. (The other kinds wait by design: 429's Retry-After, a 30 s slow answer.) A fault is drawn from
    // the salt, the request and the attempt as each server counts them: servers of one salt would fault a
    // request's retry on the other server as they did its first attempt, so each server has its own. With
    // 20 % of attempts faulted, 8 attempts left one to three of the 20,100 calls without an answer (the tail
    // of 20,100 draws): 10 attempts, as a run against a flaky server would be configured.
    Benchmark("query 20 percent faults vs none", configuration: .init(metrics: ChildMetric.withBaseline, warmupIterations: 0,
                                                                     maxDuration: .seconds(120), maxIterations: 3),
              closure: { benchmark in
        faultCost.iteration(benchmark, ours: { runQuery(measuring: benchmark) },
                            baseline: { runQuery(model: work + "/clean/model.yaml") })
    }, setup: {
        prepare("query-faults", flags: ["--fault-rate", "0.2", "--faults", "reset,garbage", "--latency-ms", "50"],
                concurrency: 128, ownSalts: true, maxAttempts: 10)
        try? FileManager.default.createDirectory(atPath: work + "/clean", withIntermediateDirectories: true)
        cleanServers = FakeServers.start(serverCount, work: work + "/clean", flags: ["--latency-ms", "50"])
        cleanServers!.writeModelConfig(work + "/clean/model.yaml", concurrency: 128)
    }, teardown: {
        cleanServers?.stop()
        cleanServers = nil
        faultCost.report()
        finish(nil, "")
    })

    Benchmark("query peak memory --no-requests", configuration: once, closure: { benchmark in
        queryOnce(benchmark, extra: ["--no-requests"], walls: nil)
    }, setup: { prepare("query-rss", flags: [], concurrency: 64) }, teardown: { finish(nil, "") })

    Benchmark("query peak memory --no-requests 10x sessions", configuration: once, closure: { benchmark in
        queryOnce(benchmark, extra: ["--no-requests"], walls: nil)
    }, setup: { prepare("query-rss-10x", flags: [], concurrency: 64, times: 10) }, teardown: { finish(nil, "") })
}
