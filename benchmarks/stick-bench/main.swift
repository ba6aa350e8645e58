// stick-bench — figures for the foundation stage, each against a baseline measured in the same run.
//
// Usage: swift build -c release && .build/release/stick-bench [--runs N] [--reference DIR]
//   gen-prompts: the full 9-context leaderboard design (450 sessions) — median wall time and peak
//     memory, next to loading the dataset alone (`stick data info`).
//   pack/unpack: throughput of `stick pack`/`stick unpack` on a run directory, next to
//     `tar | zstd -3` and `zstd -dc | tar -x` on the same files (ratio > 1 means stick is faster).
// The reference data comes from --reference, $STICK_REFERENCE_DATA or ../shared/reference.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct Measurement {
    var seconds: [Double] = []
    var peakRSSKiB: [Int] = []
    var median: Double { seconds.sorted()[seconds.count / 2] }
    var medianRSS: Int { peakRSSKiB.sorted()[peakRSSKiB.count / 2] }
}

/// Runs `argv` (through /bin/sh -c when `shell`), returning wall time and the child's peak RSS.
func spawn(_ argv: [String], shell: Bool = false) -> (Double, Int) {
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
    guard status == 0 else { fatalError("failed (status \(status)): \(args.joined(separator: " "))") }
    return (elapsed, usage.ru_maxrss)
}

func measure(_ runs: Int, prepare: () -> Void = {}, _ argv: [String], shell: Bool = false) -> Measurement {
    var m = Measurement()
    for _ in 0..<runs {
        prepare()
        let (t, rss) = spawn(argv, shell: shell)
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

var runs = 7
var reference = ProcessInfo.processInfo.environment["STICK_REFERENCE_DATA"] ?? "../shared/reference"
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--runs": runs = Int(args.popFirst() ?? "") ?? runs
    case "--reference": reference = args.popFirst() ?? reference
    default: print("usage: stick-bench [--runs N] [--reference DIR]"); exit(2)
    }
}
let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
let stick = bin + "/stick", genPrompts = bin + "/gen-prompts"
let work = NSTemporaryDirectory() + "stick-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }

guard FileManager.default.fileExists(atPath: reference + "/personas/real_world_people/personas.json") else {
    print("reference data not found at \(reference): pass --reference DIR or set STICK_REFERENCE_DATA")
    exit(2)
}
print("stick-bench: \(runs) runs each, medians; binaries in \(bin)")
let dataset = work + "/value_stability"
let importRun = measure(1, [stick, "data", "import", reference, "-o", dataset])
print("data import (once): \(fmt(importRun.median)) s")

// gen-prompts over the full leaderboard design.
let info = measure(runs, [stick, "data", "info", dataset])
let gen = measure(runs, [genPrompts, "--dataset", dataset, "-q", "-o", work + "/sessions.jsonl.zst"])
let genPlain = measure(runs, [genPrompts, "--dataset", dataset, "-q", "-o", work + "/sessions.jsonl"])
print("")
print("gen-prompts, leaderboard design (450 sessions, 20,100 calls planned):")
print("  → .jsonl.zst   \(fmt(gen.median)) s   peak RSS \(gen.medianRSS / 1024) MiB")
print("  → .jsonl       \(fmt(genPlain.median)) s   peak RSS \(genPlain.medianRSS / 1024) MiB")
print("  baseline: load the dataset only (stick data info)  \(fmt(info.median)) s   peak RSS \(info.medianRSS / 1024) MiB")
print("  generation costs \(fmt(gen.median / info.median, 1))× a dataset load")

// pack/unpack vs tar + zstd on the same run directory.
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
