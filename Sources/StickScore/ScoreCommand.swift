// score — every statistic of one model: value scores, Rank-Order stability, Stress, CFA, Cronbach's α,
// and percentile bootstrap intervals.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts
import StickPsychometrics

public struct ScoreCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Compute value scores, Rank-Order stability, Stress, CFA and alpha for one model.",
        usage: """
            score ANSWERS -o metrics.json [--values value-scores.csv] [--format stick|reference]
                  [--stress legacy|v17] [--no-cfa] [--cfa-rounding reference|none] [--ipsative]
                  [--bootstrap B --seed S --level 0.95] [--input-format answers|reference-results|wide] [--model-name NAME]
            score RESULTS_DIR…            the reference's per-context run directories (each holding results.json)
            score CONTEXT.csv… | CSV_DIR  one wide CSV per context: persona,item1..itemK
            """,
        discussion: """
            Numbers follow the reference exactly (Sources/StickPsychometrics/README.md): Spearman with average ranks on centred value \
            scores, NaN on constant input; non-metric SMACOF from the circumplex in both scikit-learn variants; \
            lavaan's ML CFA with the reference's failure values and 4-decimal rounding. Where the reference \
            crashes (all personas alike in a context) the context's Stress is NaN with a warning.

            Examples:
              score answers.jsonl.zst -o metrics.json --values value-scores.csv
              score answers.jsonl.zst --bootstrap 1000 --seed 1 -o metrics.json
              score Leaderboard/results/stability_leaderboard/MODEL/ --format reference -o MODEL.json
              score fixtures/metrics/seed0/ -o seed0-metrics.json
            """)

    @Argument(help: "An answers artifact (- for stdin), the reference's run directories, or wide CSVs (files or a directory).")
    var inputs: [String]

    @Option(name: [.short, .customLong("output")], help: "Metrics JSON to write (- for stdout).")
    var output: String = "-"

    @Option(name: .long, help: "Also write the value scores (context, persona, value, raw, centred) as CSV.")
    var values: String?

    @Option(name: .long, help: "stick (every statistic) or reference (the reference's per-model analysis JSON).")
    var format: MetricsFormat = .stick

    @Option(name: .long, help: "Directory prefix of the context keys in --format reference.")
    var referencePrefix: String = ""

    @Option(name: .long, help: "The model name to report (default: from the input; for wide CSVs their directory's name).")
    var modelName: String?

    @Option(name: .long, help: "Input layout (default: guessed).")
    var inputFormat: ScoreInputReader.Layout?

    @Option(name: .long, help: "The reported Stress: legacy (scikit-learn < 1.7, the leaderboard's) or v17.")
    var stress: StressVariant = .legacy

    @Flag(name: .long, help: "Skip the CFA.")
    var noCfa = false

    @Option(name: .long, help: "CFA stored values: reference (4 decimals, as jsonlite) or none (full precision).")
    var cfaRounding: CFARounding = .reference

    @Flag(name: .long, help: "Also compute ipsative stability.")
    var ipsative = false

    @Option(name: .long, help: "Bootstrap replicates over personas (0: none).")
    var bootstrap: Int = 0

    @Option(name: .long, help: "Seed of the bootstrap draws.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Confidence level of the bootstrap intervals.")
    var level: Double = 0.95

    @Flag(name: .shortAndLong, help: "No summary on stderr.")
    var quiet = false

    @OptionGroup var inputLimits: InputLimitOptions

    public init() {}

    public func validate() throws {
        guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more") }
        guard level > 0 && level < 1 else { throw ValidationError("--level must lie strictly between 0 and 1") }
    }

    public func run() throws {
        inputLimits.apply()
        var input = try ScoreInputReader.read(inputs, layout: inputFormat)
        if let modelName { input.model = modelName }
        var options = ScoreOptions()
        options.stressVariant = stress
        options.cfa = !noCfa
        options.cfaRounding = cfaRounding
        options.ipsative = ipsative
        options.bootstrap = bootstrap
        options.seed = seed
        options.level = level
        let scores = try Scorer.score(input, options: options)
        let document = format == .reference
            ? ScoreDocuments.referenceJSON(scores, prefix: referencePrefix)
            : ScoreDocuments.metrics(scores, sources: input.sources).json
        try withOutput(output) { try $0.write(document.serialized() + "\n") }
        if let values { try withOutput(values) { try $0.write(ScoreDocuments.valueScoresCSV(scores)) } }
        for warning in scores.warnings { Console.warn(warning) }
        if !quiet { Console.note(ScoreSummary.table(scores)) }
    }
}

/// What `score` writes: every statistic, or the reference's per-model analysis JSON.
enum MetricsFormat: String, CaseIterable, ExpressibleByArgument {
    case stick, reference
}

extension StressVariant: ExpressibleByArgument {}
extension CFARounding: ExpressibleByArgument {}
extension ScoreInputReader.Layout: ExpressibleByArgument {}
