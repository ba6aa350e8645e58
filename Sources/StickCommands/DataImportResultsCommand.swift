// stick data import-results — the reference's raw results as an answers artifact.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts
import StickScore

public struct DataImportResultsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import-results",
        abstract: "Convert the reference's results.json runs of one model into an answers artifact.",
        usage: """
            stick data import-results RESULTS_DIR… -o answers.jsonl.zst
            """,
        discussion: """
            RESULTS_DIR: a run directory holding results.json (`<context>_<timestamp>/`), or a directory \
            holding such run directories (one model: Leaderboard/results/stability_leaderboard/MODEL/).

            The context label is the directory name before "_202", as the reference's label_parser reads it; \
            personas are matched across contexts by position. `score` also reads these directories directly.

            Examples:
              stick data import-results Leaderboard/results/stability_leaderboard/Qwen3-8B -o qwen3-8b-answers.jsonl.zst
              stick data import-results runs/chunk_0_2024_01_01_00_00_00 runs/chunk_1_2024_01_01_00_00_00 -o answers.jsonl
            """)

    @Argument(help: "Run directories (holding results.json) or directories of them.")
    var results: [String]

    @Option(name: [.short, .customLong("output")], help: "Answers artifact to write (- for stdout).")
    var output: String = "-"

    @OptionGroup var inputLimits: InputLimitOptions

    public init() {}

    public func run() throws {
        inputLimits.apply()
        let (model, count) = try ReferenceResultsImport.run(results, output: output)
        Console.note("\(model): \(count) answers → \(output)")
    }
}
