// Exit statuses: an error that carries the status the process should exit with (StickMain maps it).
//
// Usage: throw ExitCodeError(error, code: 2) from a command's run().
import StickArtifacts

/// An error with a specific exit status.
public struct ExitCodeError: Error, CustomStringConvertible {
    public let underlying: Error
    public let code: Int32
    public init(_ underlying: Error, code: Int32) {
        self.underlying = underlying
        self.code = code
    }
    public var description: String { "\(underlying)" }
}
