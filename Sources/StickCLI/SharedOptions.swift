// Options and argument types shared by several commands, so the same idea has the same name and type
// everywhere.
import ArgumentParser
import StickArtifacts

/// A size in bytes: `1048576`, `64K`, `256M`, `4G` (binary units).
public struct ByteCount: ExpressibleByArgument, Sendable, CustomStringConvertible {
    public var bytes: Int

    public init(_ bytes: Int) { self.bytes = bytes }

    public init?(argument: String) {
        guard let n = InputLimits.parseByteCount(argument) else { return nil }
        bytes = n
    }

    public var description: String { InputLimits.describe(bytes) }
    public var defaultValueDescription: String { description }
}

/// `--max-line-bytes`: the longest line (and largest JSON document) any reader of the command accepts.
public struct InputLimitOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Longest accepted input line or JSON document (e.g. 512M); default 256M or $STICK_MAX_LINE_BYTES.",
        valueName: "bytes"))
    public var maxLineBytes: ByteCount?

    public init() {}

    /// Applies the option for this process (before anything is read).
    public func apply() {
        if let maxLineBytes { InputLimits.maxLineBytes = maxLineBytes.bytes }
    }
}

/// What to do when an answer has no "(L)": the one choice `query` (the SVS letter entering the
/// conversation) and `parse` (the answer's letter) share.
public enum NoMatchChoice: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// A draw per (session, step) from --seed: independent of order and scheduling.
    case seeded
    /// Python's random.Random(seed) per context in request order, as the reference fixtures were made.
    case reference
    /// No letter (parse only): the item stays missing.
    case missing
}

// The choices of the shared formats, as command-line values.
extension ModelConfig.Reasoning: ExpressibleByArgument {}
