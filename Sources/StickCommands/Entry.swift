// `stick`, the umbrella: every stage and the commands that work on artifacts, datasets and pipelines.
import ArgumentParser
import StickArtifacts
import StickCLI
import StickGenPrompts
import StickParse
import StickQuery
import StickRank
import StickReport
import StickScore

public struct StickCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stick",
        abstract: "Stick to Your Role! — measure how stable the values of role-playing LLMs are.",
        discussion: """
            Stages (also installed as separate executables): gen-prompts → query → parse → score → rank.
            Every stage reads and writes versioned JSONL/CSV artifacts; `-` is stdin/stdout and .zst/.gz/.xz
            files are (de)compressed transparently.

            Quick start (offline, embedded synthetic dataset):
              stick gen-prompts demo -o sessions.jsonl.zst
              stick validate sessions.jsonl.zst
            """,
        version: stickToolVersion,
        subcommands: [
            GenPromptsCommand.self, QueryCommand.self, ParseCommand.self, ScoreCommand.self, RankCommand.self,
            DataCommand.self, PackCommand.self, UnpackCommand.self, LsCommand.self, ValidateCommand.self,
            SchemasCommand.self, PipelineCommand.self, ReportCommand.self, MergeCommand.self,
            AuditCommand.self, DiffCommand.self, ServeCommand.self,
        ])

    public init() {}
}
