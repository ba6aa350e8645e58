// stick pack — put a run directory into one deterministic archive with a manifest of hashes.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts

public struct PackCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pack", abstract: "Pack a directory into a deterministic archive with a hash manifest.",
        usage: """
            stick pack DIR -o run.tar.zst [--add FILE[=NAME] ...]
            """,
        discussion: """
            Members are sorted with fixed metadata, so the same files give the same bytes. MANIFEST.json \
            (first member) lists every path, size, sha256 and artifact kind/version. The codec follows the \
            name: .tar.zst (default), .tar.gz, .tar.xz, .tar.

            --add puts a file from outside the directory into the archive (as NAME, default its file name): \
            a run's shared sessions and its model config, so the archive holds everything `stick audit` \
            needs (README.md "Auditing a run").

            Examples:
              stick pack runs/model-a -o model-a.tar.zst && stick ls model-a.tar.zst
              stick pack runs/model-a --add runs/sessions.jsonl.zst --add models/a.yaml=model.yaml -o model-a.tar.zst
            """)

    @Argument(help: "Directory to pack.")
    var directory: String

    @Option(name: [.short, .customLong("output")], help: "Archive to write (.tar.zst, .tar.gz, .tar.xz or .tar).")
    var output: String

    @Option(name: .long, help: ArgumentHelp("Also store FILE (as NAME; default its file name).", valueName: "FILE[=NAME]"))
    var add: [String] = []

    public init() {}

    public func validate() throws {
        guard output == "-" || output.hasSuffix(".tar") || output.contains(".tar.") else {
            throw ValidationError("the output name must end in .tar.zst, .tar.gz, .tar.xz or .tar")
        }
    }

    public func run() throws {
        let extras = add.map { spec -> (name: String, file: String) in
            if let eq = spec.lastIndex(of: "=") { return (String(spec[spec.index(after: eq)...]), String(spec[..<eq])) }
            return ((spec as NSString).lastPathComponent, spec)
        }
        let manifest = try Archives.pack(directory: directory, to: output, adding: extras)
        let bytes = manifest.members.reduce(Int64(0)) { $0 + $1.size }
        Console.note("packed \(manifest.members.count) files (\(bytes) bytes) → \(output)")
    }
}
