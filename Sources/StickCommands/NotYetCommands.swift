// Reserved commands and exit statuses: a command whose name is reserved but that is not implemented
// yet conforms to PlannedCommand; it prints that it is not implemented yet and exits with status 2,
// so a script or pipeline never mistakes it for a successful run. (No command is reserved at the moment.)
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
