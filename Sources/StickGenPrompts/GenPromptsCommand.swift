// gen-prompts — turn a dataset and an experiment design into a sessions artifact.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts
import StickDataset

public struct GenPromptsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "gen-prompts",
        abstract: "Generate the sessions (prompts, permutations, conversation plans) of an experiment design.",
        usage: """
            gen-prompts [DATASET] [--design NAME|FILE] [-o FILE|-]
                        [--contexts ID,…] [--personas 0-4,7] [--shard K/N]
            """,
        discussion: """
            One record per (context, persona): persona prompt, conversation plan, the items with their \
            lettered, permuted options (bit-identical to the reference's Python-seeded permutations), SVS \
            procedure blocks. Nothing model-specific, so one sessions file serves every model.

            Examples:
              gen-prompts demo -o sessions.jsonl.zst
              gen-prompts data/value_stability --contexts no_conv,svs_no_conv --personas 0-4 -o - | jq .id
              gen-prompts data/value_stability --shard 3/8 -o shard3.jsonl.zst

            DATASET defaults to $STICK_DATASET, else the embedded synthetic `demo`. --design defaults to the \
            dataset's own default design (`leaderboard` for the imported reference data, `demo` for the demo). \
            Built-in designs: leaderboard, demo (copies in pipelines/designs/).
            """)

    @Argument(help: "Dataset directory (from `stick data import`) or `demo` (default: $STICK_DATASET, else demo).")
    var dataset: String?

    @Option(name: .long, help: "Design: a built-in name or a YAML/JSON file.")
    var design: String?

    @Option(name: [.short, .customLong("output")], help: "Output file (`-` for stdout; .zst/.gz/.xz compress).")
    var output: String = "-"

    @Option(name: .long, help: "Only these contexts (comma-separated ids).")
    var contexts: String?

    @Option(name: .long, help: "Only these persona indices, e.g. 0-4,7.")
    var personas: String?

    @Option(name: .long, help: "Only shard K of N (1-based, round-robin over the selected sessions).")
    var shard: String?

    @Flag(name: .shortAndLong, help: "Print no summary on stderr.")
    var quiet = false

    @OptionGroup var inputLimits: InputLimitOptions

    public init() {}

    public func validate() throws {
        if let personas { _ = try wrap { try SessionSelection.parseIndices(personas) } }
        if let shard { _ = try wrap { try SessionSelection.parseShard(shard) } }
        if let contexts, contexts.split(separator: ",").isEmpty { throw ValidationError("--contexts is empty") }
    }

    public func run() throws {
        inputLimits.apply()
        let location = dataset ?? ProcessInfo.processInfo.environment["STICK_DATASET"] ?? "demo"
        let data = try Dataset.load(location)
        let (design, sha, source) = try Design.load(self.design ?? data.manifest.defaultDesign)
        let selection = SessionSelection(
            contexts: contexts.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } },
            personas: try personas.map(SessionSelection.parseIndices),
            shard: try shard.map(SessionSelection.parseShard))
        let result = try GenPrompts.run(dataset: data, design: design, designSHA256: sha, designSource: source,
                                        selection: selection, output: output)
        if !quiet {
            let contexts = result.perContext.map { "\($0.0):\($0.1)" }.joined(separator: " ")
            Console.note("gen-prompts: \(result.sessions) sessions, \(result.calls) LLM calls per model (\(contexts))"
                + (output == "-" ? "" : " → \(output)"))
        }
    }
}

/// Turns a thrown StickError into ArgumentParser's validation error text.
func wrap<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as StickError { throw ValidationError(e.description) }
}
