// parse — turn raw generations into answers: letter, original option, score and status per item.
//
// Usage:
//   parse --sessions SESSIONS RESPONSES -o answers.jsonl.zst [--csv answers.csv]
//         [--strategy reference|lenient|logprobs] [--on-no-match seeded|reference|missing] [--seed S]
//         [--cot true|false] [--reasoning none|reasoning_content|think_tag]
//
// `reference` applies the reference's rule exactly: a case-sensitive "(L)" substring, several matches →
// the alphabetically earliest letter, CoT: only the 40 characters after the single "Answer:".
// The reference's no-match fallback is unseeded; here it is a seeded draw (default), Python's
// random.Random(seed) per context in request order (`reference`, as the fixtures were made), or missing.
// A parse-rate table goes to stderr and into the artifact header.
import ArgumentParser
import Foundation
import StickArtifacts
import StickParse
import StickQuery

public struct ParseCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse raw generations into answers (letter, option, score, status).",
        discussion: """
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
    var strategy: String = "reference"

    @Option(name: .long, help: "When nothing matches: seeded, reference or missing.")
    var onNoMatch: String = "seeded"

    @Option(name: .long, help: "Seed of the fallback draws.")
    var seed: Int = 0

    @Option(name: .long, help: "Override whether answers were asked with chain of thought (default: from the responses header).")
    var cot: Bool?

    @Option(name: .long, help: "Override the reasoning split: none, reasoning_content or think_tag.")
    var reasoning: String?

    @Flag(name: .shortAndLong, help: "No parse-rate table on stderr.")
    var quiet = false

    @OptionGroup var inputLimits: InputLimitOptions

    public init() {}

    public func validate() throws {
        guard !sessions.isEmpty else { throw ValidationError("--sessions is required") }
        guard !responses.isEmpty else { throw ValidationError("give a responses artifact") }
        guard ParseStrategy(rawValue: strategy) != nil else { throw ValidationError("--strategy must be reference, lenient or logprobs") }
        guard ["seeded", "reference", "missing"].contains(onNoMatch) else {
            throw ValidationError("--on-no-match must be seeded, reference or missing")
        }
        if let reasoning, ModelConfig.Reasoning(rawValue: reasoning) == nil {
            throw ValidationError("--reasoning must be none, reasoning_content or think_tag")
        }
    }

    public func run() throws {
        inputLimits.apply()
        let policy: NoMatchPolicy = onNoMatch == "missing" ? .missing : onNoMatch == "reference" ? .reference(seed) : .seeded(seed)
        let summary = try Parser.run(
            sessions: sessions, responses: responses, output: output, csv: csv,
            options: ParseOptions(strategy: ParseStrategy(rawValue: strategy)!, noMatch: policy, cot: cot,
                                  reasoning: reasoning.flatMap(ModelConfig.Reasoning.init)))
        if !quiet { Console.note(summary.table) }
    }
}
