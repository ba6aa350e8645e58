// `stick diff`: hand-built pairs with known differences, matched by key; identical inputs exit 0,
// differing ones 1 (like diff(1)), trouble 2.
import Foundation
import StickArtifacts
import StickTestSupport
import Testing

@Suite struct DiffTests {
    static let answersHeader = #"{"stick":"answers","version":1,"inputs":[],"params":{},"tool":"stick 0.1.0"}"#

    static func answer(_ context: String, _ persona: Int, _ item: Int, letter: String, score: Int) -> String {
        #"{"context":"\#(context)","item":\#(item),"letter":"\#(letter)","model":"m","option":0,"persona_index":\#(persona),"# +
            #""score":\#(score),"session":"\#(context)/\#(persona)","status":"matched"}"#
    }

    func write(_ scratch: ScratchDirectory, _ name: String, _ lines: [String]) throws -> String {
        let path = scratch.file(name)
        try withOutput(path) { try $0.write(lines.joined(separator: "\n") + "\n") }
        return path
    }

    @Test("answers matched by (context, persona, item): a changed letter and score, one record only in each")
    func answersPair() throws {
        let scratch = try ScratchDirectory()
        // B lists the records in another order: matching is by key, not by line.
        let a = try write(scratch, "a.jsonl.zst", [Self.answersHeader, Self.answer("c1", 0, 0, letter: "A", score: 1),
                                                   Self.answer("c1", 0, 1, letter: "B", score: 2), Self.answer("c1", 1, 0, letter: "C", score: 3)])
        let b = try write(scratch, "b.jsonl", [Self.answersHeader, Self.answer("c1", 0, 1, letter: "D", score: 4),
                                               Self.answer("c1", 0, 0, letter: "A", score: 1), Self.answer("c2", 0, 0, letter: "A", score: 1)])
        let comparison = try ArtifactComparison.compare(try KeyedArtifact.read(a), try KeyedArtifact.read(b))
        #expect(comparison.header.isEmpty)
        #expect(comparison.changed.map(\.key) == ["(c1, 0, 1)"])
        #expect(comparison.changed.first?.fields == [FieldDifference(path: "letter", a: .string("B"), b: .string("D")),
                                                     FieldDifference(path: "score", a: .number(2), b: .number(4))])
        #expect(comparison.changed.first?.lineA == 3 && comparison.changed.first?.lineB == 2)
        #expect(comparison.onlyInA.map(\.key) == ["(c1, 1, 0)"])
        #expect(comparison.onlyInB.map(\.key) == ["(c2, 0, 0)"])

        let cli = try runTool("stick", ["diff", a, b])
        #expect(cli.status == 1, "\(cli.stderr)")
        let rows = cli.stdoutText.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(rows == ["record field A B", "(c1, 0, 1) letter \"B\" \"D\"", "(c1, 0, 1) score 2 4",
                         "(c1, 1, 0) only in A (line 4) absent", "(c2, 0, 0) absent only in B (line 4)"], "\(cli.stdoutText)")
        #expect(cli.stderr.contains("1 records changed (2 fields), 1 only in A, 1 only in B"))

        let json = try runTool("stick", ["diff", a, b, "--json"])
        #expect(json.status == 1)
        let doc = try OrderedJSON.parse(json.stdout)
        #expect(doc["kind"] == .string("answers") && doc["identical"] == .bool(false))
        #expect(doc["changed"] == .array([.object([("key", "(c1, 0, 1)"), ("line_a", 3), ("line_b", 2), ("fields", .array([
            .object([("field", "letter"), ("a", "B"), ("b", "D"), ("in_a", true), ("in_b", true)]),
            .object([("field", "score"), ("a", 2), ("b", 4), ("in_a", true), ("in_b", true)]),
        ]))])]))
        #expect(doc["only_in_a"] == .array([.object([("key", "(c1, 1, 0)"), ("line", 4)])]))
        #expect(doc["only_in_b"] == .array([.object([("key", "(c2, 0, 0)"), ("line", 4)])]))
    }

    @Test("identical inputs (one compressed, one not): no differences, exit 0, JSON says identical")
    func identical() throws {
        let scratch = try ScratchDirectory()
        let lines = [Self.answersHeader, Self.answer("c1", 0, 0, letter: "A", score: 1)]
        let a = try write(scratch, "a.jsonl.zst", lines)
        let b = try write(scratch, "b.jsonl", lines)
        let cli = try runTool("stick", ["diff", a, b])
        #expect(cli.status == 0)
        #expect(cli.stdoutText.isEmpty)
        #expect(cli.stderr.contains("no differences"))
        let json = try runTool("stick", ["diff", a, b, "--json"])
        #expect(json.status == 0)
        #expect(try OrderedJSON.parse(json.stdout)["identical"] == .bool(true))
    }

    @Test("responses matched by (session, step); header params compared too")
    func responsesPair() throws {
        let scratch = try ScratchDirectory()
        func header(_ model: String) -> String { #"{"stick":"responses","version":1,"inputs":[],"params":{"model":"\#(model)"},"tool":"t"}"# }
        func record(_ step: Int, _ content: String) -> String {
            #"{"attempts":1,"content":"\#(content)","context":"c","kind":"answer","latency_ms":1,"persona_index":0,"request_sha256":"x","session":"c/0","step":\#(step)}"#
        }
        let a = try write(scratch, "a.jsonl", [header("m1"), record(0, "(A)"), record(1, "(B)")])
        let b = try write(scratch, "b.jsonl", [header("m2"), record(0, "(A)"), record(1, "(C)")])
        let c = try ArtifactComparison.compare(try KeyedArtifact.read(a), try KeyedArtifact.read(b))
        #expect(c.header == [FieldDifference(path: "params.model", a: .string("m1"), b: .string("m2"))])
        #expect(c.changed.map(\.key) == ["(c/0, 1)"])
        #expect(c.changed.first?.fields == [FieldDifference(path: "content", a: .string("(B)"), b: .string("(C)"))])
    }

    @Test("metrics compared leaf by leaf along their paths, bit for bit; a field only in B")
    func metricsPair() throws {
        let scratch = try ScratchDirectory()
        let a = try write(scratch, "a.json", [#"{"stick":"metrics","version":1,"model":"m","rank_order":{"overall":0.1,"per_value":{"Power":0.30000000000000004}}}"#])
        let b = try write(scratch, "b.json", [#"{"stick":"metrics","version":1,"model":"m","rank_order":{"overall":0.1,"per_value":{"Power":0.3}},"extra":1}"#])
        let c = try ArtifactComparison.compare(try KeyedArtifact.read(a), try KeyedArtifact.read(b))
        #expect(c.header == [FieldDifference(path: "rank_order.per_value.Power", a: .number(0.30000000000000004), b: .number(0.3)),
                             FieldDifference(path: "extra", a: nil, b: .number(1))])
        let cli = try runTool("stick", ["diff", a, b])
        #expect(cli.status == 1)
        #expect(cli.stdoutText.contains("rank_order.per_value.Power"))
    }

    @Test("two kinds, or a file that is no artifact: exit 2 with a message naming the files")
    func trouble() throws {
        let scratch = try ScratchDirectory()
        let a = try write(scratch, "a.jsonl", [Self.answersHeader])
        let b = try write(scratch, "b.json", [#"{"stick":"metrics","version":1}"#])
        let kinds = try runTool("stick", ["diff", a, b])
        #expect(kinds.status == 2)
        #expect(kinds.stderr.contains("cannot compare a 'answers' artifact"), "\(kinds.stderr)")
        let text = try write(scratch, "c.txt", ["hello"])
        let bad = try runTool("stick", ["diff", a, text])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("c.txt"), "\(bad.stderr)")
        let dup = try write(scratch, "d.jsonl", [Self.answersHeader, Self.answer("c1", 0, 0, letter: "A", score: 1),
                                                 Self.answer("c1", 0, 0, letter: "B", score: 1)])
        let twice = try runTool("stick", ["diff", a, dup])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("d.jsonl:3") && twice.stderr.contains("appears twice"), "\(twice.stderr)")
    }
}
