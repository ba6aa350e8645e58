// stick merge — put the shards of a run back together.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts

public struct MergeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge shards of one run (sessions, responses or answers) into one artifact.",
        usage: """
            stick merge A B … -o OUT
            """,
        discussion: """
            Sessions, responses or answers of one run (`gen-prompts --shard K/N`, then query and parse per shard) \
            become the artifact the unsharded run writes: the same records in the same order, the header's \
            params without the shard, and the merged files listed with their sha256. Inputs of another kind, \
            version, run, model config or split, and a session held twice, are refused naming the two files and \
            the field that differs. Streams: one record per input in memory. `-` is stdin (once) or stdout.

            Examples:
              for k in 1 2 3; do gen-prompts demo --shard $k/3 -o s$k.jsonl; done
              for k in 1 2 3; do query s$k.jsonl --model pipelines/models/dummy.yaml -o r$k.jsonl.zst; done
              stick merge s1.jsonl s2.jsonl s3.jsonl -o sessions.jsonl
              stick merge r1.jsonl.zst r2.jsonl.zst r3.jsonl.zst -o responses.jsonl.zst
              parse --sessions sessions.jsonl responses.jsonl.zst -o answers.jsonl    # or give the shards to parse
            """)

    @Argument(help: "Artifacts of one kind: shards of one run.")
    var inputs: [String] = []

    @Option(name: [.short, .customLong("output")], help: "The merged artifact (- for stdout).")
    var output: String

    @Flag(name: .shortAndLong, help: "No summary on stderr.")
    var quiet = false

    @OptionGroup var inputLimits: InputLimitOptions

    public init() {}

    public func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("name the artifacts to merge") }
    }

    public func run() throws {
        inputLimits.apply()
        let summary = try ArtifactMerge.merge(inputs, output: output)
        if !quiet {
            let shards = summary.shards.json == nil ? "the whole run" : "shards \(summary.shards.description)"
            Console.note("merged \(inputs.count) \(summary.kind.rawValue) artifact\(inputs.count == 1 ? "" : "s"): "
                + "\(summary.records) records of \(summary.sessions) sessions (\(shards))")
        }
    }
}
