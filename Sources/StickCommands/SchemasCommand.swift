// stick schemas — list or write the JSON Schemas of every artifact kind.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts

public struct SchemasCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "schemas", abstract: "List or write the artifact JSON Schemas.",
        usage: """
            stick schemas [--write DIR]
            """,
        discussion: """
            Without --write, lists the embedded schemas; with it, writes them (they are embedded from the \
            repository's schemas/ folder, byte for byte).

            Example:
              stick schemas --write /tmp/schemas
            """)

    @Option(name: .long, help: "Directory to write the schemas to.")
    var write: String?

    public init() {}

    public func run() throws {
        for (name, text) in EmbeddedSchemas.all.sorted(by: { $0.key < $1.key }) {
            if let dir = write {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try withOutput((dir as NSString).appendingPathComponent(name)) { try $0.write(text) }
            } else {
                Console.out(name)
            }
        }
        if let write { Console.note("wrote \(EmbeddedSchemas.all.count) schemas → \(write)") }
    }
}
