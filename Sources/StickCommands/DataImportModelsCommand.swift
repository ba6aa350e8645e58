// stick data import-models — the reference's leaderboard model configs as our model configs.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts
import StickDataset

public struct DataImportModelsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import-models",
        abstract: "Convert the reference's leaderboard model configs (JSON) into model configs with their vllm serve lines.",
        usage: """
            stick data import-models DIR -o pipelines/models/leaderboard [--force]
            """,
        discussion: """
            DIR: the reference's models/leaderboard_configs/ (one JSON config per model). Each becomes \
            <name>.yaml: the client class's settings (system role, chain of thought, reasoning split, \
            generation parameters), the Hugging Face model and revision from the cluster path, and the \
            `vllm serve` line of the reference's run scripts. Configs the reference cannot run are converted \
            with a NOTE saying so. -o refuses an existing import unless --force, and anything else always.

            Example:
              stick data import-models ../value_stability/models/leaderboard_configs -o pipelines/models/leaderboard
            """)

    @Argument(help: "The reference's models/leaderboard_configs directory.")
    var directory: String

    @Option(name: [.short, .customLong("output")], help: "Directory of model configs to create.")
    var output: String

    @Flag(name: .long, help: "Replace an earlier import at the output.")
    var force = false

    public init() {}

    public func run() throws {
        let models = try ReferenceModelImporter.importDirectory(directory, to: output, overwrite: force)
        for m in models where !m.notes.isEmpty && m.notes.contains(where: { $0.hasPrefix("The reference cannot run") }) {
            Console.note("\(m.config.name): the reference cannot run its config (\(m.referenceClass)); converted with a NOTE")
        }
        Console.note("\(models.count) model configs → \(output)")
    }
}
