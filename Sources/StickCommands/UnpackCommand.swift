// stick unpack — extract a run archive, verifying every member against its manifest.
//
// Usage: stick unpack ARCHIVE -C DIR [--max-member-size BYTES] [--no-verify] [--force]
//   Refuses absolute paths, `..`, links pointing outside DIR, devices and oversized members; nothing
//   is written outside DIR, and nothing lands in DIR unless every check passed.
import ArgumentParser
import StickArtifacts

public struct UnpackCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "unpack", abstract: "Extract an archive safely, verifying its manifest hashes.",
        discussion: "Example:\n  stick unpack model-a.tar.zst -C runs/model-a")

    @Argument(help: "Archive to extract.")
    var archive: String

    @Option(name: .customShort("C"), help: "Directory to extract into (created if missing).")
    var directory: String

    @Option(name: .long, help: "Largest member accepted, in bytes.")
    var maxMemberSize: Int64 = 8 << 30

    @Flag(name: .long, help: "Extract an archive without a MANIFEST.json (paths are still checked).")
    var noVerify = false

    @Flag(name: .long, help: "Replace files that already exist in DIR.")
    var force = false

    public init() {}

    public func validate() throws {
        guard maxMemberSize > 0 else { throw ValidationError("--max-member-size must be positive") }
    }

    public func run() throws {
        let paths = try Archives.extract(archive, into: directory, limits: ExtractionLimits(maxMemberSize: maxMemberSize),
                                         requireManifest: !noVerify, overwrite: force)
        Console.note("extracted \(paths.count) members → \(directory)" + (noVerify ? " (not verified)" : " (all hashes verified)"))
    }
}
