// What the benchmark suites share: where the toolkit's release binaries, the reference data, the metric
// fixtures and the fake OpenAI server are; child processes with their wall time, CPU and peak RSS
// (wait4's rusage, which is why this is posix_spawn and not a higher-level API); and the measurement of
// a command next to its baseline in the same iteration, reported as custom metrics and as a ratio of
// medians when the benchmark ends.
import Benchmark
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public enum Bench {
    /// The repository root (this file is Tests/Benchmarks/Sources/BenchSupport/Support.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// Where the toolkit's release binaries are looked for: $STICK_BIN; else .build/release at the root
    /// (`swift build -c release`); else this package's own .build/release (`swift build -c release --product
    /// stick` and so on in Tests/Benchmarks, which reuses the modules the benchmarks already compiled).
    public static let binaryDirectories = ProcessInfo.processInfo.environment["STICK_BIN"].map { [$0] }
        ?? [root + "/.build/release", root + "/Tests/Benchmarks/.build/release"]

    public static func binary(_ name: String) -> String {
        for directory in binaryDirectories where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
            return directory + "/" + name
        }
        fail("\(name) not found in \(binaryDirectories.joined(separator: " or ")): run `swift build -c release` at the "
            + "repository root first (or set STICK_BIN)")
    }

    /// ../shared beside the repository (or $STICK_SHARED): the reference data, fixtures and tools.
    public static let shared = ProcessInfo.processInfo.environment["STICK_SHARED"]
        ?? URL(fileURLWithPath: root).deletingLastPathComponent().appendingPathComponent("shared").path
    public static let reference = ProcessInfo.processInfo.environment["STICK_REFERENCE_DATA"] ?? shared + "/reference"
    public static let metricFixtures = shared + "/fixtures/metrics"
    public static let fakeServerScript = ProcessInfo.processInfo.environment["STICK_FAKE_OPENAI_SERVER"]
        ?? shared + "/tools/fake-openai-server.py"

    public static func require(_ path: String, _ what: String) {
        guard FileManager.default.fileExists(atPath: path) else { fail("\(what) not found at \(path)") }
    }

    /// A fresh scratch directory, removed when the process exits normally.
    public static func scratch(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "stick-benchmarks-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            fail("cannot create \(path): \(error)")
        }
        scratchDirectories.append(path)
        return path
    }

    nonisolated(unsafe) static var scratchDirectories: [String] = []

    public static func removeScratch() {
        for d in scratchDirectories { try? FileManager.default.removeItem(atPath: d) }
        scratchDirectories = []
    }

    public static func fail(_ message: String) -> Never {
        FakeServer.killAll()
        FileHandle.standardError.write(Data(("benchmark: " + message + "\n").utf8))
        exit(1)
    }

    /// Imports the reference data once into `work` (the layout every stage reads); returns the dataset path.
    public static func importReference(into work: String) -> String {
        require(reference + "/personas/real_world_people/personas.json", "the reference data (set STICK_REFERENCE_DATA)")
        let dataset = work + "/value_stability"
        _ = Child.run([binary("stick"), "data", "import", reference, "-o", dataset])
        return dataset
    }

    public static func size(_ path: String) -> Int64 {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
    }

    public static func directorySize(_ path: String) -> Int64 {
        var total: Int64 = 0
        let e = FileManager.default.enumerator(atPath: path)
        while let rel = e?.nextObject() as? String {
            let attrs = try? FileManager.default.attributesOfItem(atPath: path + "/" + rel)
            if attrs?[.type] as? FileAttributeType == .typeRegular { total += (attrs?[.size] as? Int64) ?? 0 }
        }
        return total
    }

    public static func median(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.sorted()[xs.count / 2] }
    public static func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

    /// Unbuffered, so lines show in order with the benchmark tool's output.
    public static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
}

/// One finished child process.
public struct ChildRun: Sendable {
    public var seconds: Double
    /// user + system CPU of the child (and its waited-for children, for a shell pipeline).
    public var cpuSeconds: Double
    public var peakRSSKiB: Int
    public var status: Int32
}

public enum Child {
    /// Runs `argv` (through /bin/sh -c when `shell`) with stdin, stdout and stderr on /dev/null (stderr to
    /// `stderrPath` when given); fails the benchmark unless it exits with `expectedStatus`.
    @discardableResult
    public static func run(_ argv: [String], shell: Bool = false, expectedStatus: Int32 = 0, stderrPath: String? = nil) -> ChildRun {
        let args = shell ? ["/bin/sh", "-c", argv.joined(separator: " ")] : argv
        let start = DispatchTime.now()
        let pid = launch(args, stderrPath: stderrPath ?? "/dev/null")
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        // wait4's status holds the exit code in its second byte.
        guard status == expectedStatus << 8 else {
            let err = stderrPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
            Bench.fail("failed (status \(status)): \(args.joined(separator: " "))\n\(err)")
        }
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return ChildRun(seconds: elapsed, cpuSeconds: cpu, peakRSSKiB: usage.ru_maxrss, status: status)
    }

    /// Starts `argv` with stdin and stdout on /dev/null and stderr to `stderrPath`.
    public static func launch(_ argv: [String], stderrPath: String = "/dev/null") -> pid_t {
        var pid: pid_t = 0
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard posix_spawnp(&pid, argv[0], &actions, nil, &cArgs, environ) == 0 else { Bench.fail("cannot start \(argv[0])") }
        return pid
    }
}

/// The custom metrics every process benchmark reports (medians in the benchmark's table).
public enum ChildMetric {
    public static let cpu = BenchmarkMetric.custom("child CPU (ms)", useScalingFactor: false)
    public static let peakRSS = BenchmarkMetric.custom("child peak RSS (MiB)", useScalingFactor: false)
    public static let baseline = BenchmarkMetric.custom("baseline wall (ms)", useScalingFactor: false)
    /// Baseline time / our time × 100: above 100 means we are faster.
    public static let ratio = BenchmarkMetric.custom("baseline/ours (%)", polarity: .prefersLarger, useScalingFactor: false)

    public static let all: [BenchmarkMetric] = [.wallClock, cpu, peakRSS]
    public static let withBaseline: [BenchmarkMetric] = [.wallClock, cpu, peakRSS, baseline, ratio]
}

/// Our command and its baseline, measured alternately in every iteration of one benchmark; the ratio of
/// the medians is printed when the benchmark's process ends (each benchmark runs in a process of its own).
public final class Paired: @unchecked Sendable {
    public let title: String
    public let baselineName: String
    public private(set) var ours: [Double] = []
    public private(set) var baseline: [Double] = []

    public init(_ title: String, baseline: String) {
        self.title = title
        baselineName = baseline
    }

    /// One iteration: `prepare`, our command (the measured region), `prepare`, the baseline.
    public func iteration(_ benchmark: Benchmark, prepare: () -> Void = {}, ours run: () -> ChildRun,
                          baseline runBaseline: () -> ChildRun) {
        prepare()
        benchmark.startMeasurement()
        let r = run()
        benchmark.stopMeasurement()
        prepare()
        let b = runBaseline()
        ours.append(r.seconds)
        baseline.append(b.seconds)
        benchmark.measurement(ChildMetric.cpu, Int((r.cpuSeconds * 1000).rounded()))
        benchmark.measurement(ChildMetric.peakRSS, r.peakRSSKiB / 1024)
        benchmark.measurement(ChildMetric.baseline, Int((b.seconds * 1000).rounded()))
        benchmark.measurement(ChildMetric.ratio, Int((b.seconds / r.seconds * 100).rounded()))
    }

    /// "title: ours X s, baseline Y s (median of N), ratio Y/X".
    public func report() {
        guard !ours.isEmpty else { return }
        let o = Bench.median(ours), b = Bench.median(baseline)
        Bench.say("\(title): \(Bench.fmt(o)) s vs \(baselineName) \(Bench.fmt(b)) s (medians of \(ours.count)); "
            + "ratio \(baselineName) / ours = \(Bench.fmt(b / o, 2))×")
    }
}

/// Records one child run of a benchmark without a command baseline (CPU and peak RSS as custom metrics).
public func record(_ benchmark: Benchmark, _ run: () -> ChildRun) -> ChildRun {
    benchmark.startMeasurement()
    let r = run()
    benchmark.stopMeasurement()
    benchmark.measurement(ChildMetric.cpu, Int((r.cpuSeconds * 1000).rounded()))
    benchmark.measurement(ChildMetric.peakRSS, r.peakRSSKiB / 1024)
    return r
}

/// Medians of a benchmark's child runs against a fixed reference figure (the reference implementation's
/// published timing), printed when the benchmark ends.
public final class AgainstReference: @unchecked Sendable {
    public let title: String
    public let reference: ClosedRange<Double>
    public let source: String
    public var seconds: [Double] = []

    public init(_ title: String, reference: ClosedRange<Double>, source: String) {
        self.title = title
        self.reference = reference
        self.source = source
    }

    public func report() {
        guard !seconds.isEmpty else { return }
        let m = Bench.median(seconds)
        let range = reference.lowerBound == reference.upperBound ? Bench.fmt(reference.lowerBound / m, 0)
            : "\(Bench.fmt(reference.lowerBound / m, 0))–\(Bench.fmt(reference.upperBound / m, 0))"
        Bench.say("\(title): \(Bench.fmt(m)) s (median of \(seconds.count)) vs \(source) → \(range)× faster")
    }
}
