// parse — turn raw generations into answers: letter, original option, score and status per item.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts

public struct ParseCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse raw generations into answers (letter, option, score, status).",
        usage: """
            parse --sessions SESSIONS… RESPONSES… -o answers.jsonl.zst [--csv answers.csv]
                  [--strategy reference|lenient|logprobs] [--on-no-match seeded|reference|missing] [--seed S]
                  [--cot|--no-cot] [--reasoning none|reasoning_content|think_tag]
            """,
        discussion: """
            `reference` applies the reference's rule exactly: a case-sensitive "(L)" substring, several matches → \
            the alphabetically earliest letter, CoT: only the 40 characters after the single "Answer:". \
            The reference's no-match fallback is unseeded; here it is a seeded draw (default), Python's \
            random.Random(seed) per context in request order (`reference`, as the fixtures were made), or missing. \
            A parse-rate table goes to stderr and into the artifact header.

            Examples:
              parse --sessions sessions.jsonl.zst responses.jsonl.zst -o answers.jsonl.zst --csv answers.csv
              parse --sessions sessions.jsonl.zst responses.jsonl.zst --on-no-match missing -o answers.jsonl
              query sessions.jsonl --model pipelines/models/dummy.yaml -o - | parse --sessions sessions.jsonl - -o -
            """)

    @Option(name: .long, help: "The sessions artifact the responses were made from (repeat it for several shards).")
    var sessions: [String] = []

    @Argument(help: "Responses artifact (from query), or - for stdin; several shards of one run are merged first.")
    var responses: [String] = []

    @Option(name: [.short, .customLong("output")], help: "Answers artifact to write (- for stdout).")
    var output: String = "-"

    @Option(name: .long, help: "Also write the answers as CSV.")
    var csv: String?

    @Option(name: .long, help: "reference (the reference's rule), lenient (also B), (b), Answer: B, a lone letter, the option text) or logprobs (the letter from recorded token log-probabilities, else the reference's rule).")
    var strategy: ParseStrategy = .reference

    @Option(name: .long, help: "When nothing matches: a seeded draw, the reference's draw order, or missing.")
    var onNoMatch: NoMatchChoice = .seeded

    @Option(name: .long, help: "Seed of the fallback draws.")
    var seed: UInt64 = 0

    @Flag(inversion: .prefixedNo, help: "Override whether answers were asked with chain of thought (default: from the responses header).")
    var cot: Bool?

    @Option(name: .long, help: "Override the reasoning split.")
    var reasoning: ModelConfig.Reasoning?

    @Flag(name: .shortAndLong, help: "No parse-rate table on stderr.")
    var quiet = false

    @OptionGroup var inputLimits: InputLimitOptions

    public init() {}

    public func validate() throws {
        guard !sessions.isEmpty else { throw ValidationError("--sessions is required") }
        guard !responses.isEmpty else { throw ValidationError("give a responses artifact") }
    }

    public func run() throws {
        inputLimits.apply()
        let policy: NoMatchPolicy = switch onNoMatch {
        case .seeded: .seeded(seed)
        case .reference: .reference(seed)
        case .missing: .missing
        }
        let summary = try Parser.run(
            sessions: sessions, responses: responses, output: output, csv: csv,
            options: ParseOptions(strategy: strategy, noMatch: policy, cot: cot, reasoning: reasoning))
        if !quiet { Console.note(summary.table) }
    }
}

extension ParseStrategy: ExpressibleByArgument {}
