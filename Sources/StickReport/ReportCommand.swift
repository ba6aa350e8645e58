// report — one self-contained HTML page for a leaderboard run: the sortable leaderboard with rank
// intervals, and per model the pairwise Rank-Order heatmap, the value circle against Schwartz's
// circumplex, per-value stability, Stress/CFA per context, parse rates and token usage, plus a
// Method section with the citations.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts

public struct ReportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page for a leaderboard run.",
        usage: """
            report LEADERBOARD.json [-o report.html] [--title TITLE] [--generated TEXT] [--strict] [-q]
            """,
        discussion: """
            LEADERBOARD.json is what `rank -o` writes. Each model's metrics file (models[i].file, written \
            by `score`) is looked up relative to the current directory, then to the leaderboard's directory; \
            a model without one (the reference's analysis JSON, a missing file) shows its leaderboard row only. \
            The page loads nothing from the network; only the table sorting needs JavaScript.

            Examples:
              rank runs/*/metrics.json -o board.json --csv leaderboard.csv
              report board.json -o report.html
              report board.json --title "Nightly run" --generated "$(date -u +%F)" -o report.html
            """)

    @Argument(help: "The leaderboard artifact written by `rank -o` (- for stdin).")
    var leaderboard: String

    @Option(name: [.short, .customLong("output")], help: "HTML file to write (- for stdout).")
    var output: String = "report.html"

    @Option(name: .long, help: "Page title.")
    var title: String?

    @Option(name: .long, help: "Text shown as the generation date (nothing time-dependent is written otherwise).")
    var generated: String?

    @Flag(name: .long, help: "Fail when a model's metrics file is missing or unreadable instead of warning.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print nothing on stderr but errors.")
    var quiet = false

    @OptionGroup var inputLimits: InputLimitOptions

    public init() {}

    public func validate() throws {
        guard !leaderboard.isEmpty else { throw ValidationError("give the leaderboard artifact written by `rank -o`") }
        if let title, title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--title must not be empty")
        }
        if output != "-", output.hasSuffix("/") { throw ValidationError("--output names a directory; give a file such as report.html") }
    }

    public func run() throws {
        inputLimits.apply()
        let input = try ReportInput.load(leaderboard: leaderboard, strict: strict)
        let html = Report.html(input, options: ReportOptions(title: title, generated: generated))
        try withOutput(output) { try $0.write(html) }
        guard !quiet else { return }
        for w in input.warnings { Console.warn(w) }
        let detailed = input.models.filter { $0.metrics != nil }.count
        Console.note("report: \(input.models.count) models (\(detailed) with details) → \(output == "-" ? "<stdout>" : output)")
    }
}
