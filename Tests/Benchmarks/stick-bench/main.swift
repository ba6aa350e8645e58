// stick-bench — figures for the foundation stage, each against a baseline measured in the same run.
//
// Usage: swift build -c release && .build/release/stick-bench [all|gen|archive|streams|query|shards|score|rank] [--runs N]
//          [--reference DIR] [--concurrency N] [--latency-concurrency N[,N…]] [--parts a,b,c] [--fake-server PATH]
//          [--servers N]
//   gen: gen-prompts over the full 9-context leaderboard design (450 sessions) — median wall time and
//     peak memory, next to loading the dataset alone (`stick data info`).
//   archive: throughput of `stick pack`/`stick unpack` on a run directory, next to
//     `tar | zstd -3` and `zstd -dc | tar -x` on the same files (ratio > 1 means stick is faster);
//     and `stick pack` of a directory holding a 512 MiB binary file (sniffed by its first bytes).
//   streams: hostile inputs — `stick validate` of one JSONL line of 10, 30 and 100 MB (linear: equal
//     MB/s), next to `wc -l` of the same file; a zstd bomb of 4 GiB of zeros and one of 2 GiB of newlines
//     (time to the error, peak RSS); 2 GiB of blank lines after a valid header (streamed: flat RSS).
//   query: `query` on the leaderboard sessions (20,100 calls) against the deterministic fake OpenAI
//     server (python3 ../shared/tools/fake-openai-server.py, or --fake-server / $STICK_FAKE_OPENAI_SERVER),
//     --servers processes (default 2; one Python process is bound to one core) as endpoints of one model:
//     (a) zero latency: wall time, calls/s, CPU per call and peak RSS of `query`, and the server's CPU;
//     (b) 50 ms injected latency at each --latency-concurrency (default 128,64), against the
//         reference scheme's lower bound (20,100 × 0.050 s / 9 sequential clients = 111.7 s);
//     (c) peak RSS with --no-requests for the sessions and for each session repeated 10× (flat is good).
//     --parts picks some of a, b, c; --concurrency (default 64) applies to (a) and (c).
//   shards: the leaderboard sessions in 3 shards (gen-prompts --shard K/3), each queried with the dummy
//     backend: `stick merge` of the three responses artifacts (requests stored, .jsonl.zst) — median wall
//     time, records/s and MB/s of input, next to `zstd -dc` of the same files; then `query` with
//     --on-no-match reference vs seeded against the fake server with 50 ms latency (concurrency 128, one
//     run each; reference-mode draws wait for the earlier sessions of their context).
//   score: `score` on one model (the seed0 metric fixture: 9 contexts × 50 personas) with CFA and both
//     Stress variants, without CFA, and with --bootstrap 1000, next to the reference's 22–31 s.
//   rank: `rank` over 32 models (the ranking fixture's 12 and 20 seeded perturbations) with diversity and
//     both sensitivities, and without them, next to the reference's 25 s.
//     Both read ../shared/fixtures/metrics (beside the reference data directory).
// --runs defaults to 7 for gen/archive and 3 for query; in query only (a) and the first concurrency of
// (b) repeat, the rest runs once (RSS hardly varies; the 10× run alone takes minutes).
// The reference data comes from --reference, $STICK_REFERENCE_DATA or ../shared/reference.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import StickArtifacts
import StickGenPrompts

/// Unbuffered lines on stdout, so progress shows when stdout is a pipe or a file.
func print(_ line: String = "") { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

struct Measurement {
    var seconds: [Double] = []
    var peakRSSKiB: [Int] = []
    var median: Double { seconds.sorted()[seconds.count / 2] }
    var medianRSS: Int { peakRSSKiB.sorted()[peakRSSKiB.count / 2] }
}

/// Runs `argv` (through /bin/sh -c when `shell`), returning wall time and the child's peak RSS.
func spawn(_ argv: [String], shell: Bool = false, expectedStatus: Int32 = 0) -> (Double, Int) {
    let args = shell ? ["/bin/sh", "-c", argv.joined(separator: " ")] : argv
    var pid: pid_t = 0
    var cArgs = args.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let start = DispatchTime.now()
    guard posix_spawnp(&pid, args[0], &actions, nil, &cArgs, environ) == 0 else {
        fatalError("cannot start \(args[0])")
    }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    // wait4's status holds the exit code in its second byte.
    guard status == expectedStatus << 8 else { fatalError("failed (status \(status)): \(args.joined(separator: " "))") }
    return (elapsed, usage.ru_maxrss)
}

func measure(_ runs: Int, prepare: () -> Void = {}, _ argv: [String], shell: Bool = false,
             expectedStatus: Int32 = 0) -> Measurement {
    var m = Measurement()
    for _ in 0..<runs {
        prepare()
        let (t, rss) = spawn(argv, shell: shell, expectedStatus: expectedStatus)
        m.seconds.append(t)
        m.peakRSSKiB.append(rss)
    }
    return m
}

func directorySize(_ path: String) -> Int64 {
    var total: Int64 = 0
    let e = FileManager.default.enumerator(atPath: path)
    while let rel = e?.nextObject() as? String {
        let attrs = try? FileManager.default.attributesOfItem(atPath: path + "/" + rel)
        if attrs?[.type] as? FileAttributeType == .typeRegular { total += (attrs?[.size] as? Int64) ?? 0 }
    }
    return total
}

func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, c) in s.reversed().enumerated() {
        if i > 0 && i % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return String(out.reversed())
}
func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

// MARK: - query helpers

/// The fake servers' pids while they run, for the signal handler and `fail` (SIGKILLed either way).
/// Fixed-size storage, since a signal handler must not allocate.
nonisolated(unsafe) var liveServers = [pid_t](repeating: 0, count: 16)
/// The `query` process being measured, killed too on SIGINT/SIGTERM.
nonisolated(unsafe) var liveChild: pid_t = 0

func killServer() {
    for i in liveServers.indices where liveServers[i] > 0 {
        kill(liveServers[i], SIGKILL)
        var status: Int32 = 0
        waitpid(liveServers[i], &status, 0)
        liveServers[i] = 0
    }
}

func fail(_ message: String) -> Never {
    killServer()
    FileHandle.standardError.write(Data(("stick-bench: " + message + "\n").utf8))
    exit(1)
}

/// Starts `argv` with stdout to /dev/null and stderr to `stderrPath`.
func launch(_ argv: [String], stderrPath: String = "/dev/null") -> pid_t {
    var pid: pid_t = 0
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard posix_spawnp(&pid, argv[0], &actions, nil, &cArgs, environ) == 0 else { fail("cannot start \(argv[0])") }
    return pid
}

struct ChildRun {
    var seconds: Double
    var maxRSSKiB: Int
    /// user + system CPU of the child (rusage from wait4).
    var cpuSeconds: Double
    var status: Int32
    /// When the watched file first grew past the size it had when first seen, and when it last grew
    /// (seconds after the start): for `query`, the first and the last journalled call.
    var firstGrowth: Double?
    var lastGrowth: Double?
}

/// Runs `argv` to completion, polling every 2 ms for its exit (wait4 WNOHANG, which gives its
/// rusage) and for the size of `watch`.
func runWatched(_ argv: [String], watch: String, stderrPath: String) -> ChildRun {
    let start = DispatchTime.now()
    let pid = launch(argv, stderrPath: stderrPath)
    liveChild = pid
    defer { liveChild = 0 }
    var status: Int32 = 0
    var usage = rusage()
    var lastSize: Int64 = -1
    var first: Double?, last: Double?
    while true {
        let r = wait4(pid, &status, WNOHANG, &usage)
        let t = seconds(since: start)
        var st = stat()
        if stat(watch, &st) == 0 {
            let size = Int64(st.st_size)
            if lastSize < 0 {
                lastSize = size
            } else if size != lastSize {
                lastSize = size
                if first == nil { first = t }
                last = t
            }
        }
        if r == pid {
            let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
            return ChildRun(seconds: t, maxRSSKiB: usage.ru_maxrss, cpuSeconds: cpu, status: status,
                            firstGrowth: first, lastGrowth: last)
        }
        if r < 0 && errno != EINTR { fail("wait4 failed: \(String(cString: strerror(errno)))") }
        usleep(2000)
    }
}

/// utime + stime of a live process (all its threads), from /proc/PID/stat.
func processCPU(_ pid: pid_t) -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    // fields[0] is the state (field 3 of proc(5)); utime and stime are fields 14 and 15.
    guard fields.count > 12, let u = Double(fields[11]), let s = Double(fields[12]) else { return nil }
    return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// CPU seconds the whole machine spent busy (all cores; /proc/stat minus idle and iowait).
func machineBusyCPU() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return .nan }
    let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard ticks.count >= 5 else { return .nan }
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let busy = ticks.prefix(8).enumerated().filter { $0.offset != 3 && $0.offset != 4 }.map(\.element).reduce(0, +)
    return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// A minimal HTTP/1.0 GET on 127.0.0.1 (for the fake server's /stats); the body, or nil.
func httpGet(port: Int, path: String) -> String? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return nil }
    let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else { return nil }
    var response = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        response.append(contentsOf: buffer[0..<n])
    }
    let text = String(decoding: response, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else { return nil }
    return String(text[split.upperBound...])
}

struct FakeServer {
    let pid: pid_t
    let port: Int
    let latencyMS: Int
    let slot: Int

    /// Starts the server on a free port and waits for its port file.
    static func start(script: String, latencyMS: Int, work: String, slot: Int = 0) -> FakeServer {
        let portFile = work + "/fake-port-\(latencyMS)-\(slot)"
        try? FileManager.default.removeItem(atPath: portFile)
        var argv = ["python3", script, "--salt", "dev-1", "--port", "0", "--port-file", portFile]
        if latencyMS > 0 { argv += ["--latency-ms", String(latencyMS)] }
        let pid = launch(argv, stderrPath: work + "/fake-server.log")
        liveServers[slot] = pid
        let start = DispatchTime.now()
        while seconds(since: start) < 20 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
               let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), port > 0,
               httpGet(port: port, path: "/health") != nil {
                return FakeServer(pid: pid, port: port, latencyMS: latencyMS, slot: slot)
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                liveServers[slot] = 0
                let log = (try? String(contentsOfFile: work + "/fake-server.log", encoding: .utf8)) ?? ""
                fail("the fake server exited (status \(status)):\n\(log)")
            }
            usleep(20_000)
        }
        fail("the fake server did not start within 20 s (\(script))")
    }

    var cpu: Double { processCPU(pid) ?? .nan }

    /// GET /stats as a dictionary.
    func stats() -> [String: Any] {
        guard let body = httpGet(port: port, path: "/stats"),
              let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return [:] }
        return object
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        liveServers[slot] = 0
    }
}

/// Several fake-server processes behind one model config (one Python process is single-core bound).
struct FakeServers {
    let servers: [FakeServer]

    static func start(_ count: Int, script: String, latencyMS: Int, work: String) -> FakeServers {
        FakeServers(servers: (0..<count).map { FakeServer.start(script: script, latencyMS: latencyMS, work: work, slot: $0) })
    }

    var ports: [Int] { servers.map(\.port) }
    var cpu: Double { servers.reduce(0) { $0 + $1.cpu } }
    /// The largest number of requests any one server had in flight.
    var inFlightMax: Int? {
        let values = servers.compactMap { $0.stats()["in_flight_max"] as? Int }
        return values.count == servers.count ? values.max() : nil
    }
    func stop() { servers.forEach { $0.stop() } }
}

/// A model config for the fake server: no chain of thought, answers capped at 10 tokens.
func writeModelConfig(_ path: String, ports: [Int], concurrency: Int) {
    let yaml = """
        stick: model
        version: 1
        name: fake-openai
        backend: openai
        endpoints:
        \(ports.map { "  - http://127.0.0.1:\($0)/v1" }.joined(separator: "\n"))
        model: model
        api_key_env: STICK_BENCH_UNSET_API_KEY
        system_message: true
        cot: false
        reasoning: none
        conversation:
          temperature: 0.7
          max_tokens: 100
          n: 1
        answers:
          temperature: 0
          max_tokens: 10
        concurrency: \(concurrency)
        timeout_seconds: 600
        retry:
          max_attempts: 6
          initial_delay: 0.5
          max_delay: 30

        """
    guard FileManager.default.createFile(atPath: path, contents: Data(yaml.utf8)) else { fail("cannot write \(path)") }
}

/// Writes `times` copies of every session (ids suffixed "#k"), header once; returns the sessions and
/// calls of the source.
func repeatSessions(_ source: String, to destination: String, times: Int) throws -> (sessions: Int, calls: Int) {
    let reader = try JSONLReader<SessionRecord>(path: source, kind: .sessions)
    defer { reader.close() }
    var sessions = 0, calls = 0
    try withOutput(destination) { out in
        let writer = try JSONLWriter(output: out, header: reader.header)
        while let (_, record) = try reader.next() {
            sessions += 1
            calls += record.calls
            for k in 0..<times {
                var copy = record
                copy.id = record.id + "#\(k)"
                try writer.write(copy)
            }
        }
    }
    return (sessions, calls)
}

struct QueryRuns {
    var runs: [ChildRun] = []
    var serverCPU: [Double] = []
    var machineCPU: [Double] = []
    var machine: Double { median(machineCPU) }
    /// Cores busy with neither query nor the server (kernel, other processes), median over the runs.
    var otherCores: Double { median(zip(runs, zip(machineCPU, serverCPU)).map { r, ms in (ms.0 - r.cpuSeconds - ms.1) / r.seconds }) }
    var wall: Double { median(runs.map(\.seconds)) }
    var cpu: Double { median(runs.map(\.cpuSeconds)) }
    var rssKiB: Int { runs.map(\.maxRSSKiB).sorted()[runs.count / 2] }
    var server: Double { median(serverCPU) }
    var firstCall: Double { median(runs.map { $0.firstGrowth ?? .nan }) }
    var lastCall: Double { median(runs.map { $0.lastGrowth ?? .nan }) }
    /// From the last journalled call to the exit: index the journal, write the ordered output, shut down.
    var tail: Double { median(runs.map { $0.seconds - ($0.lastGrowth ?? .nan) }) }
}

/// Runs `query` `runs` times (output and journal removed before each run); `inspect` sees the first
/// run's output.
func benchQuery(_ runs: Int, query: String, sessions: String, config: String, output: String, concurrency: Int,
                extra: [String] = [], server: FakeServers, work: String, inspect: (String) -> Void = { _ in }) -> QueryRuns {
    var result = QueryRuns()
    for _ in 0..<runs {
        try? FileManager.default.removeItem(atPath: output)
        try? FileManager.default.removeItem(atPath: output + ".partial")
        let cpu0 = server.cpu, busy0 = machineBusyCPU()
        let argv = [query, sessions, "--model", config, "-o", output, "--concurrency", String(concurrency), "--quiet"] + extra
        let run = runWatched(argv, watch: output + ".partial", stderrPath: work + "/query.err")
        let cpu1 = server.cpu, busy1 = machineBusyCPU()
        guard run.status == 0, FileManager.default.fileExists(atPath: output) else {
            let err = (try? String(contentsOfFile: work + "/query.err", encoding: .utf8)) ?? ""
            fail("query failed (status \(run.status)): \(argv.joined(separator: " "))\n\(err)")
        }
        if result.runs.isEmpty { inspect(output) }
        result.runs.append(run)
        result.serverCPU.append(cpu1 - cpu0)
        result.machineCPU.append(busy1 - busy0)
    }
    try? FileManager.default.removeItem(atPath: output)
    return result
}

/// The records of a responses artifact and their mean `latency_ms` (as `query` saw each call).
func responseStats(_ path: String) -> (records: Int, meanLatencyMS: Double) {
    struct Latency: Decodable { var latency_ms: Double? }
    guard let lines = try? LineReader(path: path) else { return (-1, .nan) }
    defer { lines.close() }
    let decoder = JSONDecoder()
    var n = 0, sum = 0.0, first = true
    while let line = try? lines.next() {
        if first { first = false; continue }  // the header
        n += 1
        sum += (try? decoder.decode(Latency.self, from: Data(line)))?.latency_ms ?? .nan
    }
    return (n, sum / Double(max(1, n)))
}

// MARK: - main

enum Section: String { case all, gen, archive, streams, query, shards, score, rank }
var section = Section.all
var runsOption: Int?
var concurrency = 64
var latencyConcurrency = [128, 64]
var parts: Set<Character> = ["a", "b", "c"]
var reference = ProcessInfo.processInfo.environment["STICK_REFERENCE_DATA"] ?? "../shared/reference"
var serverCount = 2
var fakeServer = ProcessInfo.processInfo.environment["STICK_FAKE_OPENAI_SERVER"] ?? "../shared/tools/fake-openai-server.py"
let usage = "usage: stick-bench [all|gen|archive|streams|query|shards|score|rank] [--runs N] [--reference DIR] [--concurrency N] "
    + "[--latency-concurrency N[,N…]] [--parts a,b,c] [--fake-server PATH] [--servers N]"
var args = CommandLine.arguments.dropFirst()
if let first = args.first, let s = Section(rawValue: first) {
    section = s
    args = args.dropFirst()
}
while let a = args.popFirst() {
    switch a {
    case "--runs":
        guard let n = Int(args.popFirst() ?? ""), n > 0 else { print(usage); exit(2) }
        runsOption = n
    case "--reference": reference = args.popFirst() ?? reference
    case "--concurrency":
        guard let n = Int(args.popFirst() ?? ""), n > 0 else { print(usage); exit(2) }
        concurrency = n
    case "--latency-concurrency":
        let list = (args.popFirst() ?? "").split(separator: ",").compactMap { Int($0) }
        guard !list.isEmpty, list.allSatisfy({ $0 > 0 }) else { print(usage); exit(2) }
        latencyConcurrency = list
    case "--parts":
        let list = Set((args.popFirst() ?? "").filter { $0 != "," })
        guard !list.isEmpty, list.isSubset(of: ["a", "b", "c"]) else { print(usage); exit(2) }
        parts = list
    case "--fake-server": fakeServer = args.popFirst() ?? fakeServer
    case "--servers":
        guard let n = Int(args.popFirst() ?? ""), (1...16).contains(n) else { print(usage); exit(2) }
        serverCount = n
    default: print(usage); exit(2)
    }
}
let runs = runsOption ?? 7
let queryRuns = runsOption ?? 3
let wants = { (s: Section) in section == .all || section == s }

let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
let stick = bin + "/stick", genPrompts = bin + "/gen-prompts", query = bin + "/query"
let score = bin + "/score", rank = bin + "/rank"
let metricFixtures = URL(fileURLWithPath: reference).deletingLastPathComponent().appendingPathComponent("fixtures/metrics").path
let work = NSTemporaryDirectory() + "stick-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }
// On SIGINT/SIGTERM the fake server and a running `query` are killed (the work directory stays).
signal(SIGINT) { _ in
    if liveChild > 0 { kill(liveChild, SIGKILL) }
    for pid in liveServers where pid > 0 { kill(pid, SIGKILL) }
    _exit(130)
}
signal(SIGTERM) { _ in
    if liveChild > 0 { kill(liveChild, SIGKILL) }
    for pid in liveServers where pid > 0 { kill(pid, SIGKILL) }
    _exit(143)
}

let needsReference = wants(.gen) || wants(.archive) || wants(.query) || wants(.shards)
if (wants(.score) || wants(.rank)) && !FileManager.default.fileExists(atPath: metricFixtures + "/seed0/chunk_0.csv") {
    print("metric fixtures not found at \(metricFixtures) (beside --reference): score and rank need them")
    exit(2)
}
guard !needsReference || FileManager.default.fileExists(atPath: reference + "/personas/real_world_people/personas.json") else {
    print("reference data not found at \(reference): pass --reference DIR or set STICK_REFERENCE_DATA")
    exit(2)
}
if (wants(.query) || wants(.shards)) && !FileManager.default.fileExists(atPath: fakeServer) {
    print("fake OpenAI server not found at \(fakeServer): pass --fake-server PATH or set STICK_FAKE_OPENAI_SERVER")
    exit(2)
}
print("stick-bench \(section.rawValue): medians of \(runs) runs (gen, archive), \(queryRuns) (query); binaries in \(bin)")
let dataset = work + "/value_stability"
if needsReference {
    let importRun = measure(1, [stick, "data", "import", reference, "-o", dataset])
    print("data import (once): \(fmt(importRun.median)) s")
}

// gen-prompts over the full leaderboard design.
if wants(.gen) {
    let info = measure(runs, [stick, "data", "info", dataset])
    let gen = measure(runs, [genPrompts, dataset, "-q", "-o", work + "/sessions.jsonl.zst"])
    let genPlain = measure(runs, [genPrompts, dataset, "-q", "-o", work + "/sessions.jsonl"])
    print("")
    print("gen-prompts, leaderboard design (450 sessions, 20,100 calls planned):")
    print("  → .jsonl.zst   \(fmt(gen.median)) s   peak RSS \(gen.medianRSS / 1024) MiB")
    print("  → .jsonl       \(fmt(genPlain.median)) s   peak RSS \(genPlain.medianRSS / 1024) MiB")
    print("  baseline: load the dataset only (stick data info)  \(fmt(info.median)) s   peak RSS \(info.medianRSS / 1024) MiB")
    print("  generation costs \(fmt(gen.median / info.median, 1))× a dataset load")
}

// pack/unpack vs tar + zstd on the same run directory.
if wants(.archive) {
    if !FileManager.default.fileExists(atPath: work + "/sessions.jsonl") {
        _ = measure(1, [genPrompts, dataset, "-q", "-o", work + "/sessions.jsonl"])
    }
    let runDir = work + "/run"
    try FileManager.default.createDirectory(atPath: runDir, withIntermediateDirectories: true)
    for i in 0..<4 { try FileManager.default.copyItem(atPath: work + "/sessions.jsonl", toPath: runDir + "/sessions-\(i).jsonl") }
    try FileManager.default.copyItem(atPath: dataset, toPath: runDir + "/dataset")
    let bytes = Double(directorySize(runDir))
    let mb = bytes / 1_048_576
    let ourArchive = work + "/run.tar.zst", theirArchive = work + "/run-cli.tar.zst"
    let pack = measure(runs, prepare: { try? FileManager.default.removeItem(atPath: ourArchive) },
                       [stick, "pack", runDir, "-o", ourArchive])
    let cliPack = measure(runs, prepare: { try? FileManager.default.removeItem(atPath: theirArchive) },
                          ["tar", "-cf", "-", "-C", runDir, ".", "|", "zstd", "-q", "-3", "-T1", "-o", theirArchive], shell: true)
    let unpackDir = work + "/unpacked", cliDir = work + "/unpacked-cli"
    let unpack = measure(runs, prepare: { try? FileManager.default.removeItem(atPath: unpackDir) },
                         [stick, "unpack", ourArchive, "-C", unpackDir])
    let cliUnpack = measure(runs, prepare: {
        try? FileManager.default.removeItem(atPath: cliDir)
        try? FileManager.default.createDirectory(atPath: cliDir, withIntermediateDirectories: true)
    }, ["zstd", "-q", "-dc", theirArchive, "|", "tar", "-xf", "-", "-C", cliDir], shell: true)
    let ourSize = (try FileManager.default.attributesOfItem(atPath: ourArchive)[.size] as? Int64) ?? 0
    let theirSize = (try FileManager.default.attributesOfItem(atPath: theirArchive)[.size] as? Int64) ?? 0
    print("")
    print("pack/unpack, run directory of \(fmt(mb, 1)) MiB (4 sessions files + a dataset):")
    print("  stick pack     \(fmt(pack.median)) s  \(fmt(mb / pack.median, 0)) MiB/s  → \(ourSize / 1024) KiB (with sha256 manifest)")
    print("  tar | zstd -3  \(fmt(cliPack.median)) s  \(fmt(mb / cliPack.median, 0)) MiB/s  → \(theirSize / 1024) KiB")
    print("  ratio (zstd CLI time / stick time): \(fmt(cliPack.median / pack.median, 2))")
    print("  stick unpack   \(fmt(unpack.median)) s  \(fmt(mb / unpack.median, 0)) MiB/s  (verifies every sha256)")
    print("  zstd -dc | tar \(fmt(cliUnpack.median)) s  \(fmt(mb / cliUnpack.median, 0)) MiB/s")
    print("  ratio (zstd CLI time / stick time): \(fmt(cliUnpack.median / unpack.median, 2))")
}

// pack of a directory holding one big binary file: the kind sniffing must not read it as lines.
if wants(.archive) {
    let binDir = work + "/binary"
    try FileManager.default.createDirectory(atPath: binDir, withIntermediateDirectories: true)
    _ = spawn(["head", "-c", "536870912", "/dev/urandom", ">", binDir + "/blob.bin"], shell: true)
    let ours = work + "/binary.tar.zst", theirs = work + "/binary-cli.tar.zst"
    let pack = measure(runs, prepare: { try? FileManager.default.removeItem(atPath: ours) }, [stick, "pack", binDir, "-o", ours])
    let cli = measure(runs, prepare: { try? FileManager.default.removeItem(atPath: theirs) },
                      ["tar", "-cf", "-", "-C", binDir, ".", "|", "zstd", "-q", "-3", "-T1", "-o", theirs], shell: true)
    // stick syncs its output to disk before renaming it into place; the CLIs leave that to the kernel.
    let cliSynced = measure(runs, prepare: { try? FileManager.default.removeItem(atPath: theirs) },
                            ["tar", "-cf", "-", "-C", binDir, ".", "|", "zstd", "-q", "-3", "-T1", "-o", theirs, "&&", "sync", theirs], shell: true)
    print("  one 512 MiB binary file: stick pack \(fmt(pack.median)) s (fsync included); tar | zstd -3 \(fmt(cli.median)) s "
        + "(ratio \(fmt(cli.median / pack.median, 2))), with sync \(fmt(cliSynced.median)) s (ratio \(fmt(cliSynced.median / pack.median, 2)))")
    try? FileManager.default.removeItem(atPath: binDir)
}

// Hostile streams: long lines (linear time), decompression bombs (bounded time and memory).
if wants(.streams) {
    print("")
    print("streams (hostile inputs):")
    let header = #"{"stick":"openers","version":1,"tool":"bench","params":{},"inputs":[]}"#
    for mb in [10, 30, 100] {
        // Written by shell tools: a big string in this process would inflate its children's peak RSS.
        let file = work + "/line-\(mb).jsonl"
        _ = spawn(["(", "printf", "'%s\\n{\"text\":\"'", "'" + header + "'", ";", "head", "-c", String(mb * 1_000_000), "/dev/zero",
                   "|", "tr", "'\\0'", "a", ";", "printf", "'\"}\\n'", ")", ">", file], shell: true)
        let validate = measure(runs, [stick, "validate", file])
        let wc = measure(runs, ["wc", "-l", file])
        print("  one \(mb) MB line: stick validate \(fmt(validate.median)) s (\(fmt(Double(mb) / validate.median, 0)) MB/s), "
            + "peak RSS \(validate.medianRSS / 1024) MiB; wc -l \(fmt(wc.median)) s")
        try? FileManager.default.removeItem(atPath: file)
    }
    let zeros = work + "/zeros.jsonl.zst"
    _ = spawn(["head", "-c", "4294967296", "/dev/zero", "|", "zstd", "-q", "-1", "-T2", "-o", zeros], shell: true)
    let zeroBomb = measure(runs, [stick, "validate", zeros], expectedStatus: 1)
    print("  4 GiB of zeros (\(((try? FileManager.default.attributesOfItem(atPath: zeros)[.size] as? Int) ?? 0) / 1024) KiB of zstd): "
        + "error after \(fmt(zeroBomb.median)) s, peak RSS \(zeroBomb.medianRSS / 1024) MiB (line limit 256 MiB)")
    let newlines = work + "/newlines.zst"
    _ = spawn(["head", "-c", "2147483648", "/dev/zero", "|", "tr", "'\\0'", "'\\n'", "|", "zstd", "-q", "-1", "-T2", "-o", newlines], shell: true)
    let newlineBomb = measure(runs, [stick, "validate", newlines], expectedStatus: 1)
    print("  2 GiB of newlines as a document: error after \(fmt(newlineBomb.median)) s, peak RSS \(newlineBomb.medianRSS / 1024) MiB "
        + "(document limit 256 MiB)")
    let padded = work + "/padded.jsonl.zst"
    _ = spawn(["(", "printf", "'%s\\n'", "'" + header + "'", ";", "head", "-c", "2147483648", "/dev/zero", "|", "tr", "'\\0'", "'\\n'", ")",
               "|", "zstd", "-q", "-1", "-T2", "-o", padded], shell: true)
    let blank = measure(1, [stick, "validate", padded])
    let small = work + "/small.jsonl"
    try Data((header + "\n").utf8).write(to: URL(fileURLWithPath: small))
    let baseline = measure(runs, [stick, "validate", small])
    print("  a header and 2 GiB of blank lines: valid after \(fmt(blank.median)) s, peak RSS \(blank.medianRSS / 1024) MiB "
        + "(the header alone: \(baseline.medianRSS / 1024) MiB)")
    for f in [zeros, newlines, padded, small] { try? FileManager.default.removeItem(atPath: f) }
}

// query against the deterministic fake OpenAI server.
if wants(.query) {
    let sessions = work + "/sessions.jsonl.zst"
    if !FileManager.default.fileExists(atPath: sessions) {
        _ = measure(1, [genPrompts, dataset, "-q", "-o", sessions])
    }
    let tenfold = work + "/sessions-10x.jsonl.zst"
    let (sessionCount, calls) = try repeatSessions(sessions, to: tenfold, times: parts.contains("c") ? 10 : 0)
    let (tenSessions, tenCalls) = (10 * sessionCount, 10 * calls)
    let output = work + "/responses.jsonl.zst"
    let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
    let latency = 0.050
    print("")
    print("query, leaderboard design (\(grouped(sessionCount)) sessions, \(grouped(calls)) calls) against the fake OpenAI server")
    print("  (\(serverCount) × python3 \(URL(fileURLWithPath: fakeServer).lastPathComponent) --salt dev-1 as \(serverCount) endpoints; "
        + "cot false, answers max_tokens 10; "
        + "output .jsonl.zst; \(cores) cores shared by query and server)")
    /// Fails unless the first run's output holds every call; returns the mean latency `query` saw.
    func checked(_ path: String, expect: Int) -> Double {
        let (records, meanLatency) = responseStats(path)
        guard records == expect else { fail("the responses artifact holds \(records) records, expected \(expect)") }
        return meanLatency
    }

    // (a) zero latency.
    var zeroRSS: Int?
    if parts.contains("a") {
        let server = FakeServers.start(serverCount, script: fakeServer, latencyMS: 0, work: work)
        let config = work + "/fake-0ms.yaml"
        writeModelConfig(config, ports: server.ports, concurrency: concurrency)
        let zero = benchQuery(queryRuns, query: query, sessions: sessions, config: config, output: output,
                              concurrency: concurrency, server: server, work: work,
                              inspect: { _ = checked($0, expect: calls) })
        server.stop()
        zeroRSS = zero.rssKiB
        print("")
        print("  (a) zero latency, concurrency \(concurrency), \(zero.runs.count) run\(zero.runs.count == 1 ? "" : "s") "
            + "(output checked: \(grouped(calls)) records):")
        print("      wall \(fmt(zero.wall, 2)) s   \(fmt(Double(calls) / zero.wall, 0)) calls/s   peak RSS \(zero.rssKiB / 1024) MiB")
        print("      query CPU \(fmt(zero.cpu * 1e6 / Double(calls), 0)) µs/call (user+sys \(fmt(zero.cpu, 2)) s = "
            + "\(fmt(zero.cpu / zero.wall, 2)) cores)")
        print("      fake servers' CPU \(fmt(zero.server * 1e6 / Double(calls), 0)) µs/call (\(fmt(zero.server, 2)) s = "
            + "\(fmt(zero.server / zero.wall, 2)) cores; /proc/PID/stat)")
        print("      machine busy \(fmt(zero.machine / zero.wall, 2)) of \(cores) cores (/proc/stat; query + server + "
            + "\(fmt(zero.otherCores, 2)) other: kernel, this bench, other processes)")
        print("      note: the Python server (one GIL per process) costs about as much CPU per call as query; with both on")
        print("      \(cores) cores, calls/s here is bounded by their CPU together, not by query alone")
        print("      timeline: first call journalled at \(fmt(zero.firstCall, 2)) s, last at \(fmt(zero.lastCall, 2)) s, "
            + "then \(fmt(zero.tail, 2)) s to exit (index journal, write ordered output, shut down)")
    }

    // (b) 50 ms injected latency.
    if parts.contains("b") {
        print("")
        print("  (b) 50 ms injected latency (--latency-ms 50):")
        let referenceBound = Double(calls) * latency / 9
        for (i, c) in latencyConcurrency.enumerated() {
            let n = i == 0 ? queryRuns : 1
            let server = FakeServers.start(serverCount, script: fakeServer, latencyMS: 50, work: work)
            let config = work + "/fake-50ms-c\(c).yaml"
            writeModelConfig(config, ports: server.ports, concurrency: c)
            var seen = Double.nan
            let slow = benchQuery(n, query: query, sessions: sessions, config: config, output: output,
                                  concurrency: c, server: server, work: work,
                                  inspect: { seen = checked($0, expect: calls) })
            let inFlight = server.inFlightMax
            server.stop()
            let ideal = Double(calls) * latency / Double(c)
            let inFlightMax = inFlight.map(String.init) ?? "?"
            print("      concurrency \(c) (\(n) run\(n == 1 ? "" : "s")): wall \(fmt(slow.wall, 2)) s   "
                + "speed-up vs reference \(fmt(referenceBound / slow.wall, 2))×   "
                + "ideal \(grouped(calls)) × 0.050 / \(c) = \(fmt(ideal, 1)) s (wall = \(fmt(slow.wall / ideal, 2))× ideal)")
            print("        calls in flight: mean \(fmt(Double(calls) * latency / slow.wall, 1)) (calls × 0.050 / wall), "
                + "max \(inFlightMax) (busiest server's /stats);  latency seen by query: mean \(fmt(seen, 1)) ms per call")
            print("        query CPU \(fmt(slow.cpu, 2)) s, server CPU \(fmt(slow.server, 2)) s, other load \(fmt(slow.otherCores, 2)) cores, "
                + "peak RSS \(slow.rssKiB / 1024) MiB")
            print("        first call at \(fmt(slow.firstCall, 2)) s, last at \(fmt(slow.lastCall, 2)) s, then \(fmt(slow.tail, 2)) s to exit")
        }
        print("      reference scheme lower bound (9 sequential clients): \(grouped(calls)) × 0.050 / 9 = \(fmt(referenceBound, 1)) s;"
            + " goal ≥ 10× faster: ≤ \(fmt(referenceBound / 10, 1)) s")
    }

    // (c) peak memory, 1× and 10× sessions, --no-requests.
    if parts.contains("c") {
        let server = FakeServers.start(serverCount, script: fakeServer, latencyMS: 0, work: work)
        let config = work + "/fake-0ms.yaml"
        writeModelConfig(config, ports: server.ports, concurrency: concurrency)
        let one = benchQuery(1, query: query, sessions: sessions, config: config, output: output,
                             concurrency: concurrency, extra: ["--no-requests"], server: server, work: work,
                             inspect: { _ = checked($0, expect: calls) })
        let ten = benchQuery(1, query: query, sessions: tenfold, config: config, output: output,
                             concurrency: concurrency, extra: ["--no-requests"], server: server, work: work,
                             inspect: { _ = checked($0, expect: tenCalls) })
        server.stop()
        print("")
        print("  (c) peak memory, zero latency, --no-requests, concurrency \(concurrency), 1 run each (ids of the 10× copies: id#0…id#9):")
        for (label, r, n, k) in [("1× ", one, sessionCount, calls), ("10×", ten, tenSessions, tenCalls)] {
            print("      \(label) \(grouped(n)) sessions, \(grouped(k)) calls:  peak RSS \(r.rssKiB / 1024) MiB   wall \(fmt(r.wall, 2)) s   "
                + "first call at \(fmt(r.firstCall, 2)) s, last at \(fmt(r.lastCall, 2)) s, then \(fmt(r.tail, 2)) s to exit, "
                + "other load \(fmt(r.otherCores, 2)) cores")
        }
        print("      ratio 10×/1×: peak RSS \(fmt(Double(ten.rssKiB) / Double(one.rssKiB), 2))× (flat = 1.00), "
            + "wall \(fmt(ten.wall / one.wall, 2))×, after-last-call \(fmt(ten.tail / one.tail, 2))×")
        if let zeroRSS { print("      (1× with requests stored: peak RSS \(zeroRSS / 1024) MiB, see (a))") }
    }
}

// shards: merge throughput, and reference-mode vs seeded-mode query at 50 ms latency.
if wants(.shards) {
    let sessions = work + "/sessions.jsonl.zst"
    if !FileManager.default.fileExists(atPath: sessions) {
        _ = measure(1, [genPrompts, dataset, "-q", "-o", sessions])
    }
    let dummy = work + "/dummy.yaml"
    try Data(("stick: model\nversion: 1\nname: dummy\nbackend: dummy\nmodel: dummy\nsystem_message: true\ncot: false\n"
        + "reasoning: none\nconversation: {temperature: 0.7, max_tokens: 100, n: 1}\nanswers: {temperature: 0, max_tokens: 10}\nseed: 0\n").utf8)
        .write(to: URL(fileURLWithPath: dummy))
    var shards: [String] = []
    var inputBytes: Int64 = 0
    for k in 1...3 {
        let s = work + "/shard-\(k).jsonl.zst", r = work + "/responses-\(k).jsonl.zst"
        _ = measure(1, [genPrompts, dataset, "--shard", "\(k)/3", "-q", "-o", s])
        _ = measure(1, [query, s, "--model", dummy, "-o", r, "--quiet"])
        shards.append(r)
        inputBytes += Int64((try? FileManager.default.attributesOfItem(atPath: r)[.size] as? Int) ?? 0)
    }
    let merged = work + "/merged.jsonl.zst"
    let merge = measure(runs, prepare: { try? FileManager.default.removeItem(atPath: merged) },
                        [stick, "merge"] + shards + ["-o", merged, "-q"])
    let plain = work + "/merged.jsonl"
    let mergePlain = measure(runs, prepare: { try? FileManager.default.removeItem(atPath: plain) },
                             [stick, "merge"] + shards + ["-o", plain, "-q"])
    let (records, _) = responseStats(merged)
    let rawBytes = Double((try? FileManager.default.attributesOfItem(atPath: plain)[.size] as? Int) ?? 0)
    let zstd = measure(runs, ["zstd -dc " + shards.joined(separator: " ") + " > /dev/null"], shell: true)
    print("")
    print("stick merge, 3 responses shards of the leaderboard run (dummy backend, requests stored, \(grouped(records)) records, "
        + "\(fmt(Double(inputBytes) / 1048576, 1)) MiB .zst, \(fmt(rawBytes / 1048576, 1)) MiB as JSONL):")
    print("  to .jsonl.zst: \(fmt(merge.median, 2)) s (\(fmt(Double(records) / merge.median, 0)) records/s, "
        + "\(fmt(rawBytes / 1048576 / merge.median, 1)) MiB/s of JSONL), peak RSS \(merge.medianRSS / 1024) MiB")
    print("  to .jsonl:     \(fmt(mergePlain.median, 2)) s (\(fmt(Double(records) / mergePlain.median, 0)) records/s), "
        + "peak RSS \(mergePlain.medianRSS / 1024) MiB;  baseline zstd -dc of the inputs: \(fmt(zstd.median, 2)) s")

    let server = FakeServers.start(serverCount, script: fakeServer, latencyMS: 50, work: work)
    let config = work + "/fake-50ms-shards.yaml"
    writeModelConfig(config, ports: server.ports, concurrency: 128)
    let output = work + "/responses.jsonl.zst"
    var walls: [String: Double] = [:]
    for mode in ["seeded", "reference"] {
        let r = benchQuery(1, query: query, sessions: sessions, config: config, output: output, concurrency: 128,
                           extra: ["--on-no-match", mode, "--no-requests"], server: server, work: work)
        walls[mode] = r.wall
    }
    server.stop()
    print("query --fallback reference vs seeded, 50 ms latency, concurrency 128, 1 run each:")
    print("  seeded \(fmt(walls["seeded"]!, 2)) s, reference \(fmt(walls["reference"]!, 2)) s "
        + "(\(fmt(walls["reference"]! / walls["seeded"]!, 2))×; target ≤ 1.5×)")
}

// score: one model, 9 contexts × 50 personas (the seed0 metric fixture), CFA and both Stress variants.
if wants(.score) {
    let input = metricFixtures + "/seed0"
    let out = work + "/metrics.json"
    let full = measure(runs, [score, input, "-o", out, "-q"])
    let noCFA = measure(runs, [score, input, "--no-cfa", "-o", out, "-q"])
    let bootRuns = max(1, runs / 3)
    let boot = measure(bootRuns, [score, input, "--bootstrap", "1000", "--seed", "1", "-o", out, "-q"])
    print("")
    print("score, one model (9 contexts × 50 personas, seed0 fixture): Rank-Order, Stress legacy + v17, 36 CFA fits, alpha")
    print("  full           \(fmt(full.median)) s   peak RSS \(full.medianRSS / 1024) MiB")
    print("  without CFA    \(fmt(noCFA.median)) s")
    print("  reference (data_analysis.py without plots, 36 Rscript starts; metrics.md §9): 22–31 s → "
        + "\(fmt(22 / full.median, 0))–\(fmt(31 / full.median, 0))× faster (goal ≥ 100×)")
    print("  --bootstrap 1000 (\(bootRuns) run\(bootRuns == 1 ? "" : "s")): \(fmt(boot.median, 2)) s   peak RSS \(boot.medianRSS / 1024) MiB   "
        + "= \(fmt(boot.median / 1000 * 1000, 1)) ms per replicate (each: Rank-Order, 9 Stress, 36 CFA fits), on all cores")
}

// rank: 32 models with diversity and both sensitivities.
if wants(.rank) {
    // 32 leaderboard inputs: the 12 ranking-fixture models and 20 seeded perturbations of them.
    let source = metricFixtures + "/ranking_12_models/models"
    let names = try FileManager.default.contentsOfDirectory(atPath: source).filter { $0.hasSuffix(".json") }.sorted()
    var files: [String] = []
    var state: UInt64 = 0x9E3779B97F4A7C15
    func noise() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
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
    for k in 0..<32 {
        let base = try OrderedJSON.parse(try Data(contentsOf: URL(fileURLWithPath: source + "/" + names[k % names.count])))
        let model = k < names.count ? base : perturb(base, 0.02)
        guard case .object(var object) = model else { fatalError("not an object: \(names[k % names.count])") }
        object["model"] = .string("bench_model_\(k)")
        let file = work + "/rank-model-\(k).json"
        try Data(JSONValue.object(object).serialized().utf8).write(to: URL(fileURLWithPath: file))
        files.append(file)
    }
    let board = measure(runs, [rank] + files + ["-o", work + "/leaderboard.csv", "-q"])
    let plain = measure(runs, [rank] + files + ["--no-benchbench", "-o", work + "/leaderboard.csv", "-q"])
    print("")
    print("rank, 32 models (the 12 ranking-fixture models and 20 perturbed copies), 72 columns:")
    print("  leaderboard + diversity + cardinal and ordinal sensitivity  \(fmt(board.median)) s   peak RSS \(board.medianRSS / 1024) MiB")
    print("  leaderboard only (--no-benchbench)                          \(fmt(plain.median)) s")
    print("  reference (rank_models.py with benchbench on torch; metrics.md): 25 s → \(fmt(25 / board.median, 0))× faster")
}
