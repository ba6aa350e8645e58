// stick pack / unpack against tar | zstd -3 -T1 and zstd -dc | tar -x on the same files, alternating in
// every iteration: a run directory (4 sessions files of the leaderboard design and the imported dataset)
// and a directory holding one 512 MiB binary file (the kind sniffing reads its first 64 KiB only).
import Benchmark
import BenchSupport
import Foundation

nonisolated(unsafe) var work = ""
nonisolated(unsafe) var runDirectory = ""

/// The run directory: 4 copies of the leaderboard design's sessions (JSONL) and the dataset.
func prepareRunDirectory() {
    work = Bench.scratch("archive")
    let dataset = Bench.importReference(into: work)
    Child.run([Bench.binary("gen-prompts"), dataset, "-q", "-o", work + "/sessions.jsonl"])
    runDirectory = work + "/run"
    do {
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        for i in 0..<4 { try FileManager.default.copyItem(atPath: work + "/sessions.jsonl", toPath: runDirectory + "/sessions-\(i).jsonl") }
        try FileManager.default.copyItem(atPath: dataset, toPath: runDirectory + "/dataset")
    } catch { Bench.fail("cannot prepare \(runDirectory): \(error)") }
    Bench.say("run directory: \(Bench.fmt(Double(Bench.directorySize(runDirectory)) / 1_048_576, 1)) MiB")
}

func tarZstd(_ directory: String, _ output: String, sync: Bool = false) -> ChildRun {
    Child.run(["tar", "-cf", "-", "-C", directory, ".", "|", "zstd", "-q", "-f", "-3", "-T1", "-o", output] + (sync ? ["&&", "sync", output] : []),
              shell: true)
}

let packRun = Paired("stick pack, run directory", baseline: "tar | zstd -3 -T1")
let unpackRun = Paired("stick unpack, run directory (verifies every sha256)", baseline: "zstd -dc | tar -x")
let packBinary = Paired("stick pack, one 512 MiB binary file (fsync included)", baseline: "tar | zstd -3 -T1 && sync")

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(metrics: ChildMetric.withBaseline, warmupIterations: 0, maxDuration: .seconds(30),
                                                maxIterations: 7)

    Benchmark("pack run directory vs tar | zstd", configuration: configuration, closure: { benchmark in
        let ours = work + "/run.tar.zst", theirs = work + "/run-cli.tar.zst"
        packRun.iteration(benchmark, prepare: {
            try? FileManager.default.removeItem(atPath: ours)
            try? FileManager.default.removeItem(atPath: theirs)
        }, ours: { Child.run([Bench.binary("stick"), "pack", runDirectory, "-o", ours]) },
           baseline: { tarZstd(runDirectory, theirs) })
    }, setup: { prepareRunDirectory() }, teardown: { packRun.report(); Bench.removeScratch() })

    Benchmark("unpack run directory vs zstd -dc | tar -x", configuration: configuration, closure: { benchmark in
        let ours = work + "/run.tar.zst", theirs = work + "/run-cli.tar.zst"
        let unpacked = work + "/unpacked", cli = work + "/unpacked-cli"
        unpackRun.iteration(benchmark, prepare: {
            try? FileManager.default.removeItem(atPath: unpacked)
            try? FileManager.default.removeItem(atPath: cli)
            try? FileManager.default.createDirectory(atPath: cli, withIntermediateDirectories: true)
        }, ours: { Child.run([Bench.binary("stick"), "unpack", ours, "-C", unpacked]) },
           baseline: { Child.run(["zstd", "-q", "-dc", theirs, "|", "tar", "-xf", "-", "-C", cli], shell: true) })
    }, setup: {
        prepareRunDirectory()
        Child.run([Bench.binary("stick"), "pack", runDirectory, "-o", work + "/run.tar.zst"])
        _ = tarZstd(runDirectory, work + "/run-cli.tar.zst")
    }, teardown: { unpackRun.report(); Bench.removeScratch() })

    Benchmark("pack 512 MiB binary vs tar | zstd && sync",
              configuration: .init(metrics: ChildMetric.withBaseline, warmupIterations: 0, maxDuration: .seconds(30), maxIterations: 3),
              closure: { benchmark in
        let directory = work + "/binary", ours = work + "/binary.tar.zst", theirs = work + "/binary-cli.tar.zst"
        packBinary.iteration(benchmark, prepare: {
            try? FileManager.default.removeItem(atPath: ours)
            try? FileManager.default.removeItem(atPath: theirs)
        }, ours: { Child.run([Bench.binary("stick"), "pack", directory, "-o", ours]) },
           baseline: { tarZstd(directory, theirs, sync: true) })
    }, setup: {
        work = Bench.scratch("archive-binary")
        try? FileManager.default.createDirectory(atPath: work + "/binary", withIntermediateDirectories: true)
        Child.run(["head", "-c", "536870912", "/dev/urandom", ">", work + "/binary/blob.bin"], shell: true)
    }, teardown: { packBinary.report(); Bench.removeScratch() })
}
