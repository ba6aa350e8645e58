// Messages for people go to stderr, so stdout stays a clean data stream for pipes.
import Foundation
import StickArtifacts

public enum Console {
    public static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    public static func warn(_ message: String) { note("warning: " + message) }

    /// Writes to stdout (for listings and reports that are the command's output).
    public static func out(_ message: String) {
        FileHandle.standardOutput.write(Data((message + "\n").utf8))
    }
}
