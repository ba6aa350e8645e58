// rank — the leaderboard of many models: Ordinal win rate, Cardinal score, RO Stability, Stress,
// CFI, SRMR, RMSEA (the reference's leaderboard.csv), diversity and sensitivity, rank intervals.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts

public struct RankCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Rank models into a leaderboard artifact (with CSV and Markdown views).",
        usage: """
            rank METRICS.json… [-o leaderboard.json] [--csv leaderboard.csv] [--markdown leaderboard.md]
                 [--sort COLUMN [--ascending]] [--no-benchbench] [--seed S]
            """,
        discussion: """
            Each input is one model: our metrics JSON (score), the reference's per-model analysis JSON \
            (data_analysis.py), or a compact leaderboard-input JSON; they can be mixed. Rows keep the input \
            order (the Ordinal sensitivity depends on it, as in the reference) unless --sort is given.

            Examples:
              rank runs/*/metrics.json -o leaderboard.json --csv leaderboard.csv --markdown leaderboard.md
              rank Leaderboard/data_analysis/analysis_results/*.json --sort "RO Stability"
              rank ours.json theirs.json -o board.json
            """)

    @Argument(help: "Per-model metrics files (ours, the reference's analysis JSON, or leaderboard-input JSON).")
    var models: [String]

    @Option(name: [.short, .customLong("output")], help: "The leaderboard artifact (every column, win rates, rank intervals; what `stick report` reads) to write (- for stdout).")
    var output: String = "-"

    @Option(name: .long, help: "Also write the reference's leaderboard.csv view.")
    var csv: String?

    @Option(name: .long, help: "Also write a Markdown table view.")
    var markdown: String?

    @Option(name: .long, help: "Sort rows by this column (Model, a leaderboard.csv column or one of the 72).")
    var sort: String?

    @Flag(name: .long, help: "Sort ascending instead of descending.")
    var ascending = false

    @Flag(name: .long, help: "Skip benchbench's diversity and sensitivity.")
    var noBenchbench = false

    @Option(name: .long, help: "Seed of the Ordinal sensitivity's sampling.")
    var seed: UInt64 = 0

    @Flag(name: .shortAndLong, help: "Print nothing on stderr.")
    var quiet = false

    @OptionGroup var inputLimits: InputLimitOptions

    public init() {}

    public func validate() throws {
        guard models.count >= 2 else { throw ValidationError("give at least two models") }
    }

    public func run() throws {
        inputLimits.apply()
        let inputs = try models.map { try MetricsReader.read($0) }
        var options = RankOptions()
        options.benchbench = !noBenchbench
        options.seed = seed
        let board = try RankRunner.rank(inputs, options: options)
        let order = try LeaderboardWriter.order(board, sortBy: sort, ascending: ascending)
        let params = options.recorded(sort: sort, ascending: ascending)
        let document = LeaderboardWriter.document(board, order: order, contexts: board.contexts, params: params)
        try withOutput(output) { try $0.write(document.json.serialized() + "\n") }
        if let csv { try withOutput(csv) { try $0.write(LeaderboardWriter.csv(board, order: order)) } }
        if let markdown { try withOutput(markdown) { try $0.write(LeaderboardWriter.markdown(board, order: order)) } }
        for w in board.warnings { Console.warn(w) }
        if !quiet {
            let byCardinal = try LeaderboardWriter.order(board, sortBy: "Cardinal (Score)", ascending: false)
            Console.note(LeaderboardWriter.markdown(board, order: byCardinal).trimmingCharacters(in: .newlines))
        }
    }
}
