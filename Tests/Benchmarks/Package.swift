// swift-tools-version: 6.1
import PackageDescription

// The toolkit's benchmarks (ordo-one/benchmark), a package of their own so that the main build and CI
// never compile the benchmark library:
//
//   swift build -c release                      # at the repository root: the binaries measured as processes
//   cd Tests/Benchmarks && swift package benchmark
//
// Each suite measures a baseline in the same run (`tar | zstd`, `zstd -dc`, the reference's scheme) and
// prints the ratio next to the benchmark's own table.
let package = Package(
    name: "StickBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "StickToolkit", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Child processes, the toolkit's release binaries, the fake server, fixtures, ratios.
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "Benchmark", package: "benchmark"), .product(name: "StickArtifacts", package: "StickToolkit")]
        ),
        // stick pack / unpack vs tar | zstd -3 -T1 and zstd -dc | tar -x.
        .executableTarget(
            name: "Archive",
            dependencies: ["BenchSupport", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Archive",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // gen-prompts, stick merge (vs zstd -dc), score and rank as processes.
        .executableTarget(
            name: "Stages",
            dependencies: ["BenchSupport", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Stages",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // stick validate on hostile inputs: long lines (vs wc -l), decompression bombs, 2 GiB of blank lines.
        .executableTarget(
            name: "Streams",
            dependencies: ["BenchSupport", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Streams",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // query against fake-server processes: zero latency, 50 ms latency, faults; vs the reference's scheme.
        .executableTarget(
            name: "Query",
            dependencies: ["BenchSupport", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Query",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // stick audit of a full leaderboard run (20,100 calls) vs stick unpack of its archive.
        .executableTarget(
            name: "Audit",
            dependencies: ["BenchSupport", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Audit",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // CFA fits and the 32-model leaderboard in process (were timing "tests" in CFATests, LeaderboardTests).
        .executableTarget(
            name: "Statistics",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "StickPsychometrics", package: "StickToolkit"),
                .product(name: "StickScore", package: "StickToolkit"),
            ],
            path: "Benchmarks/Statistics",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
