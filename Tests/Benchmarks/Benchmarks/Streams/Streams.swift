// Hostile inputs: `stick validate` of one JSONL line of 10, 30 and 100 MB (linear: equal MB/s) next to
// `wc -l` of the same file; a zstd bomb of 4 GiB of zeros and one of 2 GiB of newlines (time to the
// error, peak RSS); a valid header followed by 2 GiB of blank lines (streamed: flat RSS).
import Benchmark
import BenchSupport
import Foundation

nonisolated(unsafe) var work = ""
let header = #"{"stick":"openers","version":1,"tool":"bench","params":{},"inputs":[]}"#
let lines = [10: Paired("stick validate, one 10 MB line", baseline: "wc -l"), 30: Paired("stick validate, one 30 MB line", baseline: "wc -l"),
             100: Paired("stick validate, one 100 MB line", baseline: "wc -l")]

/// Written by shell tools: a big string in this process would not say anything about the child.
func longLine(_ mb: Int) -> String {
    let file = work + "/line-\(mb).jsonl"
    Child.run(["(", "printf", "'%s\\n{\"text\":\"'", "'" + header + "'", ";", "head", "-c", String(mb * 1_000_000), "/dev/zero",
               "|", "tr", "'\\0'", "a", ";", "printf", "'\"}\\n'", ")", ">", file], shell: true)
    return file
}

let benchmarks: @Sendable () -> Void = {
    let paired = Benchmark.Configuration(metrics: ChildMetric.withBaseline, warmupIterations: 0, maxDuration: .seconds(30), maxIterations: 5)
    let few = Benchmark.Configuration(metrics: ChildMetric.all, warmupIterations: 0, maxDuration: .seconds(30), maxIterations: 3)

    for mb in [10, 30, 100] {
        Benchmark("validate one \(mb) MB line vs wc -l", configuration: paired, closure: { benchmark in
            let file = work + "/line-\(mb).jsonl"
            lines[mb]!.iteration(benchmark, ours: { Child.run([Bench.binary("stick"), "validate", file]) },
                                 baseline: { Child.run(["wc", "-l", file]) })
        }, setup: {
            work = Bench.scratch("line-\(mb)")
            _ = longLine(mb)
        }, teardown: {
            lines[mb]!.report()
            Bench.removeScratch()
        })
    }

    Benchmark("validate zstd bomb 4 GiB of zeros", configuration: few, closure: { benchmark in
        _ = record(benchmark) { Child.run([Bench.binary("stick"), "validate", work + "/zeros.jsonl.zst"], expectedStatus: 1) }
    }, setup: {
        work = Bench.scratch("zeros")
        Child.run(["head", "-c", "4294967296", "/dev/zero", "|", "zstd", "-q", "-1", "-T2", "-o", work + "/zeros.jsonl.zst"], shell: true)
    }, teardown: { Bench.removeScratch() })

    Benchmark("validate zstd bomb 2 GiB of newlines", configuration: few, closure: { benchmark in
        _ = record(benchmark) { Child.run([Bench.binary("stick"), "validate", work + "/newlines.zst"], expectedStatus: 1) }
    }, setup: {
        work = Bench.scratch("newlines")
        Child.run(["head", "-c", "2147483648", "/dev/zero", "|", "tr", "'\\0'", "'\\n'", "|", "zstd", "-q", "-1", "-T2", "-o", work + "/newlines.zst"],
                  shell: true)
    }, teardown: { Bench.removeScratch() })

    Benchmark("validate header and 2 GiB of blank lines", configuration: .init(metrics: ChildMetric.all, warmupIterations: 0,
                                                                               maxDuration: .seconds(1), maxIterations: 1),
              closure: { benchmark in
        _ = record(benchmark) { Child.run([Bench.binary("stick"), "validate", work + "/padded.jsonl.zst"]) }
    }, setup: {
        work = Bench.scratch("padded")
        Child.run(["(", "printf", "'%s\\n'", "'" + header + "'", ";", "head", "-c", "2147483648", "/dev/zero", "|", "tr", "'\\0'", "'\\n'", ")",
                   "|", "zstd", "-q", "-1", "-T2", "-o", work + "/padded.jsonl.zst"], shell: true)
    }, teardown: { Bench.removeScratch() })
}
