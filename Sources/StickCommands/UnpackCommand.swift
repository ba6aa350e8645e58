// stick unpack — extract a run archive, verifying every member against its manifest.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import StickArtifacts

public struct UnpackCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "unpack", abstract: "Extract an archive safely, verifying its manifest hashes.",
        usage: """
            stick unpack ARCHIVE -C DIR [--max-member-size BYTES] [--max-total-size BYTES] [--no-verify] [--force]
            """,
        discussion: """
            Refuses absolute paths, `..`, members below a link, links resolving outside DIR, hard links to \
            anything but an earlier file, devices, and archives expanding beyond the limits (links counted); \
            nothing is written outside DIR, and nothing lands in DIR unless every check passed. With a manifest \
            (archives of `stick pack`) every member must be a listed regular file with a matching sha256.

            Example:
              stick unpack model-a.tar.zst -C runs/model-a
            """)

    @Argument(help: "Archive to extract.")
    var archive: String

    @Option(name: .customShort("C"), help: "Directory to extract into (created if missing).")
    var directory: String

    @Option(name: .long, help: "Largest member accepted (e.g. 8G).")
    var maxMemberSize = ByteCount(8 << 30)

    @Option(name: .long, help: "Largest total of extracted bytes accepted, links counted (e.g. 64G).")
    var maxTotalSize = ByteCount(64 << 30)

    @Flag(name: .long, help: "Extract an archive without a MANIFEST.json (paths are still checked).")
    var noVerify = false

    @Flag(name: .long, help: "Replace files that already exist in DIR.")
    var force = false

    public init() {}

    public func validate() throws {
        guard maxMemberSize.bytes > 0, maxTotalSize.bytes > 0 else { throw ValidationError("sizes must be positive") }
    }

    public func run() throws {
        let limits = ExtractionLimits(maxMemberSize: Int64(maxMemberSize.bytes), maxTotalSize: Int64(maxTotalSize.bytes))
        let paths = try Archives.extract(archive, into: directory, limits: limits, requireManifest: !noVerify,
                                         overwrite: force, note: Console.note)
        Console.note("extracted \(paths.count) members → \(directory)" + (noVerify ? " (not verified)" : " (all hashes verified)"))
    }
}
