// swift-tools-version: 6.1
import PackageDescription

// Stick to Your Role! toolkit: small composable stages (gen-prompts → query → parse → score → rank)
// over shared library modules. Executables are thin; every stage is callable from tests.
let package = Package(
    name: "StickToolkit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "stick", targets: ["stick"]),
        .executable(name: "gen-prompts", targets: ["gen-prompts"]),
        .executable(name: "query", targets: ["query"]),
        .executable(name: "parse", targets: ["parse"]),
        .executable(name: "score", targets: ["score"]),
        .executable(name: "rank", targets: ["rank"]),
        // For the benchmark package (Tests/Benchmarks): what it measures in process or uses to prepare inputs.
        .library(name: "StickArtifacts", targets: ["StickArtifacts"]),
        .library(name: "StickPsychometrics", targets: ["StickPsychometrics"]),
        .library(name: "StickScore", targets: ["StickScore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // libarchive (Debian libarchive-dev): archives and compressed streams.
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        // LAPACK over OpenBLAS (Debian liblapacke-dev, libopenblas-dev): the CFA's matrix algebra.
        .systemLibrary(
            name: "CLapack",
            pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]
        ),
        // Nettle (Debian nettle-dev, already a dependency of libarchive): SHA-256 and SHA-512.
        .systemLibrary(name: "CNettle", pkgConfig: "nettle", providers: [.apt(["nettle-dev"])]),
        // The digests every module shares (artifact hashes, Python's string seeds).
        .target(name: "StickDigest", dependencies: ["CNettle"]),
        // Pure statistics: Rank-Order, Stress (SMACOF), CFA (lavaan ML), alpha, ranking. No IO, no globals.
        .target(name: "StickPsychometrics", dependencies: ["CLapack", "StickRandom"], exclude: ["README.md"]),
        // Records, headers, schemas, streaming JSONL/CSV IO, compression, archives.
        .target(
            name: "StickArtifacts",
            dependencies: [
                "CArchive", "StickDigest",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Python's random module (MT19937) and the reference's option permutations, bit for bit.
        .target(name: "StickRandom", dependencies: ["StickDigest"]),
        // The dataset format: loading a dataset directory, writing one, the embedded demo dataset.
        .target(name: "StickDataset", dependencies: ["StickArtifacts"]),
        // `stick data import`: the public reference layout from a directory, a tarball or a URL (the only
        // module with an HTTP client besides the backends).
        .target(name: "StickDataImport", dependencies: ["StickArtifacts", "StickDataset"]),
        // Stage 1: experiment designs, Python-compatible permutations, session records.
        .target(
            name: "StickGenPrompts",
            dependencies: ["StickArtifacts", "StickDataset", "StickRandom", "StickCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            exclude: ["README.md"]
        ),
        // LLM clients behind one protocol: OpenAI-compatible HTTP, the deterministic dummy.
        .target(
            name: "StickBackends",
            dependencies: [
                "StickArtifacts", "StickRandom",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Stage 2: run sessions against a model — conversations, the SVS procedure, retries, resume.
        .target(
            name: "StickQuery",
            dependencies: ["StickArtifacts", "StickBackends", "StickRandom", "StickCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            exclude: ["README.md"]
        ),
        // Stage 3: raw generations → answers (the reference's parsing rules, seeded fallbacks).
        .target(name: "StickParse", dependencies: ["StickArtifacts", "StickRandom", "StickCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Stage 4: answers → value scores and every per-model statistic (reads the reference's formats too).
        .target(name: "StickScore", dependencies: ["StickArtifacts", "StickPsychometrics", "StickCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Stage 5: many models' metrics → the leaderboard (reads the reference's analysis JSON too).
        .target(name: "StickRank", dependencies: ["StickArtifacts", "StickPsychometrics", "StickCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The HTML report of a leaderboard run: one self-contained page (inline CSS, SVG charts, no network).
        .target(name: "StickReport", dependencies: ["StickArtifacts", "StickPsychometrics", "StickCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Pipelines: Makefile-style YAML specs (DVC-like), the DAG, the lock file, parallel runs, Makefile export.
        .target(name: "StickPipeline", dependencies: ["StickArtifacts", .product(name: "Yams", package: "Yams")]),
        // What every command shares: the process entry (errors → messages and exit statuses), console
        // output, and the options that mean the same in every command.
        .target(name: "StickCLI", dependencies: ["StickArtifacts", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // `stick audit`: reruns gen-prompts, the session engine's request building, parse and score on a
        // run archive. An umbrella module (it uses the stages; no stage uses it), linked by `stick` only.
        .target(
            name: "StickAudit",
            dependencies: ["StickArtifacts", "StickDataset", "StickGenPrompts", "StickQuery", "StickParse", "StickScore", "StickRank", "StickPsychometrics"]
        ),
        // The umbrella `stick`: every stage's command plus data, archives, validation, pipelines.
        .target(
            name: "StickCommands",
            dependencies: [
                "StickArtifacts", "StickDataset", "StickDataImport", "StickGenPrompts", "StickQuery", "StickParse", "StickScore", "StickRank",
                "StickReport", "StickPipeline", "StickAudit", "StickCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "stick", dependencies: ["StickCommands", "StickCLI"]),
        // Each stage executable links its own stage only (score and rank carry no HTTP stack).
        .executableTarget(name: "gen-prompts", dependencies: ["StickGenPrompts", "StickCLI"]),
        .executableTarget(name: "query", dependencies: ["StickQuery", "StickCLI"]),
        .executableTarget(name: "parse", dependencies: ["StickParse", "StickCLI"]),
        .executableTarget(name: "score", dependencies: ["StickScore", "StickCLI"]),
        .executableTarget(name: "rank", dependencies: ["StickRank", "StickCLI"]),
        // Tests by area, over one support library: paths of the shared data, scratch directories, child
        // processes (the built executables, python3, servers), the fake OpenAI server, the metric fixtures.
        .target(
            name: "StickTestSupport",
            dependencies: ["StickArtifacts", "StickBackends", "StickDataImport", "StickDataset", "StickGenPrompts", "StickPsychometrics", "StickQuery", "StickScore"],
            path: "Tests/StickTestSupport"
        ),
        // Formats, streams, archives, schemas, diff: the shared artifacts module and what attacks it.
        .testTarget(
            name: "StickArtifactsTests",
            dependencies: ["StickTestSupport", "StickArtifacts", "StickBackends", "StickDataset", "StickGenPrompts", "StickPsychometrics", "StickQuery", "StickRandom",
                           "stick", "gen-prompts", "query", "parse", "score", "rank"]
        ),
        // The statistics against the reference's fixtures and hand-computed cases (in process, no executables).
        .testTarget(
            name: "StickPsychometricsTests",
            dependencies: ["StickTestSupport", "StickPsychometrics", "StickRandom"]
        ),
        // Each stage against the reference: data import, gen-prompts, query (fake and llama.cpp servers), parse,
        // score, rank, report, merge, audit.
        .testTarget(
            name: "StickStagesTests",
            dependencies: ["StickTestSupport", "StickArtifacts", "StickAudit", "StickBackends", "StickCommands", "StickDataImport", "StickDataset", "StickDigest",
                           "StickGenPrompts", "StickParse", "StickPipeline", "StickPsychometrics", "StickQuery", "StickRandom", "StickReport", "StickScore",
                           "stick", "gen-prompts", "query", "parse", "score", "rank"]
        ),
        // Pipelines: specs, the local and Slurm executors, shards, services, interrupts, the Makefile export, security.
        .testTarget(
            name: "StickPipelineTests",
            dependencies: ["StickTestSupport", "StickArtifacts", "StickCLI", "StickCommands", "StickPipeline", "stick", "gen-prompts", "query", "parse", "score", "rank"]
        ),
        // The executables end to end: archives and CLI grammar, fuzzing every stage, the module graph.
        .testTarget(
            name: "StickCLITests",
            dependencies: ["StickTestSupport", "StickArtifacts", "StickDataset", "StickGenPrompts", "StickPsychometrics", "StickQuery", "StickRandom", "StickReport",
                           "stick", "gen-prompts", "query", "parse", "score", "rank"]
        ),
    ]
)
