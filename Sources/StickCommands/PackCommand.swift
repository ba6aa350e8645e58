// stick pack — put a run directory into one deterministic archive with a manifest of hashes.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import StickArtifacts

public struct PackCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pack", abstract: "Pack a directory into a deterministic archive with a hash manifest.",
        usage: """
            stick pack DIR -o run.tar.zst
            """,
        discussion: """
            Members are sorted with fixed metadata, so the same files give the same bytes. MANIFEST.json \
            (first member) lists every path, size, sha256 and artifact kind/version. The codec follows the \
            name: .tar.zst (default), .tar.gz, .tar.xz, .tar.

            Example:
              stick pack runs/model-a -o model-a.tar.zst && stick ls model-a.tar.zst
            """)

    @Argument(help: "Directory to pack.")
    var directory: String

    @Option(name: [.short, .customLong("output")], help: "Archive to write (.tar.zst, .tar.gz, .tar.xz or .tar).")
    var output: String

    public init() {}

    public func validate() throws {
        guard output == "-" || output.hasSuffix(".tar") || output.contains(".tar.") else {
            throw ValidationError("the output name must end in .tar.zst, .tar.gz, .tar.xz or .tar")
        }
    }

    public func run() throws {
        let manifest = try Archives.pack(directory: directory, to: output)
        let bytes = manifest.members.reduce(Int64(0)) { $0 + $1.size }
        Console.note("packed \(manifest.members.count) files (\(bytes) bytes) → \(output)")
    }
}
