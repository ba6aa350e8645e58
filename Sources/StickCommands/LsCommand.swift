// stick ls — list an archive's members with their sizes and artifact kinds.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import StickArtifacts

public struct LsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List the members of an archive.",
        usage: """
            stick ls ARCHIVE
            """,
        discussion: """
            Members can be read directly by any stage as ARCHIVE#MEMBER, e.g. `run.tar.zst#sessions.jsonl.zst`.

            Example:
              stick ls model-a.tar.zst
            """)

    @Argument(help: "Archive to list.")
    var archive: String

    public init() {}

    public func run() throws {
        let kinds = Dictionary(uniqueKeysWithValues: (try Archives.manifest(of: archive)?.members ?? []).map { ($0.path, $0) })
        var table = TextTable([.init("size", .right, minimumWidth: 12), .init("kind", minimumWidth: 14), .init("path")],
                              showsHeader: false)
        for e in try Archives.entries(of: archive) {
            let kind = kinds[e.path].flatMap { m in m.kind.map { "\($0) v\(m.version ?? 0)" } } ?? (e.type == .file ? "-" : e.type.rawValue)
            table.append([String(e.size), kind, e.path])
        }
        if !table.rows.isEmpty { Console.out(table.render()) }
    }
}
