// stick diff — what changed between two artifacts of one kind, record by record.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickArtifacts
import StickCLI

public struct DiffCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Show what changed between two artifacts of one kind, record by record.",
        usage: """
            stick diff A B [--json]
            """,
        discussion: """
            Records are matched by their key: (session, step) for responses, (context, persona, item) for \
            answers, the session id for sessions; JSON documents (metrics, leaderboards, manifests) are \
            compared leaf by leaf along their paths (rank_order.per_value.Power). Numbers compare bit for bit. \
            The header (JSONL kinds) is compared too. Either file may be compressed or an archive member \
            (run.tar.zst#answers.jsonl.zst).

            The table lists: record, field, A, B (one row per changed field; "only in A"/"only in B" for \
            records without a partner). --json writes {"kind", "identical", "header", "changed", \
            "only_in_a", "only_in_b"} for scripts.

            Exit status, like diff(1): 0 when the artifacts are the same, 1 when they differ, 2 on trouble \
            (unreadable input, two different kinds).

            Examples:
              stick diff run-a/answers.jsonl.zst run-b/answers.jsonl.zst
              stick diff a.tar.zst#metrics.json b.tar.zst#metrics.json --json | jq .changed
            """)

    @Argument(help: "The first artifact (A).")
    var a: String

    @Argument(help: "The second artifact (B), of the same kind.")
    var b: String

    @Flag(name: .long, help: "Write the differences as JSON on stdout.")
    var json = false

    @OptionGroup var inputLimits: InputLimitOptions

    public init() {}

    public func run() throws {
        inputLimits.apply()
        let comparison: ArtifactComparison
        do {
            comparison = try ArtifactComparison.compare(try KeyedArtifact.read(a), try KeyedArtifact.read(b))
        } catch {
            throw ExitCodeError(error, code: 2)
        }
        if json {
            Console.out(Self.json(comparison).serialized())
        } else if !comparison.identical {
            Console.out(Self.table(comparison))
        }
        let changedFields = comparison.changed.reduce(0) { $0 + $1.fields.count }
        Console.note(comparison.identical ? "diff: no differences"
            : "diff: \(comparison.header.count) \(comparison.kind.isLineOriented ? "header" : "document") fields, "
                + "\(comparison.changed.count) records changed (\(changedFields) fields), "
                + "\(comparison.onlyInA.count) only in A, \(comparison.onlyInB.count) only in B")
        if !comparison.identical { throw ExitCode(1) }
    }

    static func table(_ c: ArtifactComparison) -> String {
        var table = TextTable([.init("record"), .init("field"), .init("A"), .init("B")])
        let top = c.kind.isLineOriented ? "header" : c.kind.rawValue
        for d in c.header { table.append([top, d.path, FieldDifference.show(d.a), FieldDifference.show(d.b)]) }
        for r in c.changed {
            for d in r.fields { table.append([r.key, d.path, FieldDifference.show(d.a), FieldDifference.show(d.b)]) }
        }
        for r in c.onlyInA { table.append([r.key, "", "only in A (line \(r.line))", "absent"]) }
        for r in c.onlyInB { table.append([r.key, "", "absent", "only in B (line \(r.line))"]) }
        return table.render()
    }

    static func json(_ c: ArtifactComparison) -> JSONValue {
        func fields(_ list: [FieldDifference]) -> JSONValue {
            .array(list.map { .object([("field", .string($0.path)), ("a", $0.a ?? .null), ("b", $0.b ?? .null),
                                       ("in_a", .bool($0.a != nil)), ("in_b", .bool($0.b != nil))]) })
        }
        func keys(_ list: [(key: String, line: Int)]) -> JSONValue {
            .array(list.map { .object([("key", .string($0.key)), ("line", .number(Double($0.line)))]) })
        }
        return .object([
            ("kind", .string(c.kind.rawValue)),
            ("identical", .bool(c.identical)),
            ("header", fields(c.header)),
            ("changed", .array(c.changed.map {
                .object([("key", .string($0.key)), ("line_a", .number(Double($0.lineA))), ("line_b", .number(Double($0.lineB))),
                         ("fields", fields($0.fields))])
            })),
            ("only_in_a", keys(c.onlyInA)),
            ("only_in_b", keys(c.onlyInB)),
        ])
    }
}
