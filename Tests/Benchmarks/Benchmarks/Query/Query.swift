// query on the leaderboard sessions (20,100 calls) against two processes of the deterministic fake OpenAI
// server (one Python process is bound to one core): zero latency (calls/s, query's CPU per call, the
// servers' CPU per call, peak RSS), 50 ms injected latency at concurrency 128 next to the reference's
// scheme (9 sequential clients: 20,100 × 0.050 s / 9 = 111.7 s of waiting alone), 20 % injected faults
// of resets and truncated bodies (retried until every call has its answer, next to the 50 ms run), and peak memory with --no-requests for 1× and 10× the sessions.
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
let zeroWalls = Walls(), latencyWalls = Walls(), faultWalls = Walls()

/// The leaderboard sessions (and `times` copies of each), and fake servers started with `flags`.
func prepare(_ name: String, flags: [String], concurrency: Int, times: Int = 1, ownSalts: Bool = false) {
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
    servers!.writeModelConfig(work + "/model.yaml", concurrency: concurrency)
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

/// Once both the faulted and the fault-free 50 ms runs are done (in either order): the cost of the faults.
func reportFaultCost() {
    guard !faultWalls.seconds.isEmpty, !latencyWalls.seconds.isEmpty, faultCostReported.seconds.isEmpty else { return }
    faultCostReported.seconds = [1]
    Bench.say("faulted / fault-free (50 ms, concurrency 128): "
        + "\(Bench.fmt(Bench.median(faultWalls.seconds) / Bench.median(latencyWalls.seconds), 2))× (target ≤ 2×)")
}
let faultCostReported = Walls()

/// One run of query; fails unless the output holds every call.
func queryOnce(_ benchmark: Benchmark, extra: [String] = [], walls: Walls?) {
    let output = work + "/responses.jsonl.zst"
    try? FileManager.default.removeItem(atPath: output)
    try? FileManager.default.removeItem(atPath: output + ".partial")
    let server0 = servers!.cpuSeconds
    benchmark.startMeasurement()
    let run = Child.run([Bench.binary("query"), sessions, "--model", work + "/model.yaml", "-o", output, "--quiet"] + extra,
                        stderrPath: work + "/query.err")
    benchmark.stopMeasurement()
    let serverCPU = servers!.cpuSeconds - server0
    let records = Artifacts.recordCount(output)
    guard records == calls else { Bench.fail("the responses artifact holds \(records) records, expected \(calls)") }
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
       teardown: { finish(latencyWalls, "query, 50 ms latency, concurrency 128"); reportFaultCost() })

    // Faults that a client retries at once (a reset connection, a truncated body), on the 50 ms run above:
    // the ratio to it is the cost of the faults. (The other kinds wait by design: 429's Retry-After, a
    // 30 s slow answer.) A fault is drawn from the salt, the request and the attempt as each server counts
    // them: servers of one salt would fault a request's retry on the other server as they did its first
    // attempt, so here each server has its own.
    Benchmark("query 20 percent faults", configuration: three, closure: { benchmark in
        queryOnce(benchmark, walls: faultWalls)
    }, setup: { prepare("query-faults", flags: ["--fault-rate", "0.2", "--faults", "reset,garbage", "--latency-ms", "50"],
                        concurrency: 128, ownSalts: true) },
       teardown: {
        finish(faultWalls, "query, 20 % injected faults (reset, garbage; retried), 50 ms latency, concurrency 128")
        reportFaultCost()
    })

    Benchmark("query peak memory --no-requests", configuration: once, closure: { benchmark in
        queryOnce(benchmark, extra: ["--no-requests"], walls: nil)
    }, setup: { prepare("query-rss", flags: [], concurrency: 64) }, teardown: { finish(nil, "") })

    Benchmark("query peak memory --no-requests 10x sessions", configuration: once, closure: { benchmark in
        queryOnce(benchmark, extra: ["--no-requests"], walls: nil)
    }, setup: { prepare("query-rss-10x", flags: [], concurrency: 64, times: 10) }, teardown: { finish(nil, "") })
}
