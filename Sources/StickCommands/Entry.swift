// Process entry for every executable: parse, run, and map errors to messages and exit statuses
// (1 for failures, 2 for not-yet-implemented commands, ArgumentParser's 64 for usage errors).
import ArgumentParser
import Foundation
import StickArtifacts

public enum StickMain {
    /// Parses `arguments` as `Command` and runs it; returns the exit status instead of exiting.
    public static func status<Command: ParsableCommand>(_ command: Command.Type, arguments: [String]) async -> Int32 {
        do {
            var parsed = try command.parseAsRoot(arguments)
            if var async = parsed as? AsyncParsableCommand {
                try await async.run()
            } else {
                try parsed.run()
            }
            return 0
        } catch let e as ExitCodeError {
            Console.note("error: \(e.description)")
            return e.code
        } catch let e as StickError {
            Console.note("error: \(e.description)")
            return 1
        } catch {
            let code = command.exitCode(for: error).rawValue
            let message = command.fullMessage(for: error)
            if !message.isEmpty {
                if code == 0 { Console.out(message) } else { Console.note(message) }
            }
            return code
        }
    }

    public static func main<Command: ParsableCommand>(_ command: Command.Type) async -> Never {
        // A closed pipe (`gen-prompts | head`) must end quietly instead of killing us mid-write with SIGPIPE noise.
        signal(SIGPIPE, SIG_IGN)
        exit(await status(command, arguments: Array(CommandLine.arguments.dropFirst())))
    }
}

public struct StickCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stick",
        abstract: "Stick to Your Role! — measure how stable the values of role-playing LLMs are.",
        discussion: """
            Stages (also installed as separate executables): gen-prompts → query → parse → score → rank.
            Every stage reads and writes versioned JSONL/CSV artifacts; `-` is stdin/stdout and .zst/.gz/.xz
            files are (de)compressed transparently.

            Quick start (offline, embedded synthetic dataset):
              stick gen-prompts --dataset demo -o sessions.jsonl.zst
              stick validate sessions.jsonl.zst
            """,
        version: stickToolVersion,
        subcommands: [
            GenPromptsCommand.self, QueryCommand.self, ParseCommand.self, ScoreCommand.self, RankCommand.self,
            DataCommand.self, PackCommand.self, UnpackCommand.self, LsCommand.self, ValidateCommand.self,
            SchemasCommand.self, PipelineCommand.self, ReportCommand.self, MergeCommand.self,
        ])

    public init() {}
}
