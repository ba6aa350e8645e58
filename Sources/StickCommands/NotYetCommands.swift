// score, rank, pipeline, report — stages that later work fills in.
//
// Usage: any of them prints that it is not implemented yet and exits with status 2, so a script
// or pipeline never mistakes them for a successful run.
import ArgumentParser

struct NotImplementedYet: Error, CustomStringConvertible {
    let command: String
    var description: String { "`\(command)` is not implemented yet in this version of the toolkit" }
}

/// A command that exists so its name is reserved and documented, and refuses to run.
protocol PlannedCommand: ParsableCommand {}

extension PlannedCommand {
    public func run() throws {
        throw ExitCodeError(NotImplementedYet(command: Self.configuration.commandName ?? "command"), code: 2)
    }
}

/// An error with a specific exit status.
struct ExitCodeError: Error, CustomStringConvertible {
    let underlying: Error
    let code: Int32
    init(_ underlying: Error, code: Int32) {
        self.underlying = underlying
        self.code = code
    }
    var description: String { "\(underlying)" }
}

public struct ScoreCommand: PlannedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "score", abstract: "Compute value scores and stability/validity metrics (not implemented yet).")
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
    public init() {}
}

public struct RankCommand: PlannedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rank", abstract: "Rank models into a leaderboard (not implemented yet).")
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
    public init() {}
}

public struct PipelineCommand: PlannedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pipeline", abstract: "Run a pipeline spec (not implemented yet).")
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
    public init() {}
}

public struct ReportCommand: PlannedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write the HTML report of a leaderboard run (not implemented yet).")
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
    public init() {}
}
