// The dataset format, the embedded demo, designs and session generation on hand-checkable cases.
import Foundation
import StickArtifacts
import StickDataset
import StickGenPrompts
import StickTestSupport
import Testing

@Suite struct DatasetAndSessionTests {
    /// The generated literals hold the files byte for byte (GeneratedEmbeddingsTests keeps them current).
    @Test func embeddedSchemasEqualTheirMasters() throws {
        let dir = TestPaths.packageRoot.appendingPathComponent("schemas").path
        let published = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".schema.json") }
        #expect(Set(published) == Set(EmbeddedSchemas.all.keys))
        for (name, text) in EmbeddedSchemas.all {
            #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)) == Data(text.utf8), "schemas/\(name) differs from EmbeddedSchemas")
        }
        // Every artifact kind has its schema.
        for kind in ArtifactKind.allCases { #expect(EmbeddedSchemas.all[ArtifactValidation.schemaName(kind)] != nil) }
    }

    @Test func builtinDesignsEqualTheirMasters() throws {
        for name in ["leaderboard", "demo"] {
            let file = TestPaths.packageRoot.appendingPathComponent("pipelines/designs/\(name).yaml").path
            let (fromFile, fileSHA, _) = try Design.load(file)
            let (builtin, builtinSHA, source) = try Design.load(name)
            #expect(source == "builtin:\(name)")
            #expect(fromFile == builtin && fileSHA == builtinSHA, "pipelines/designs/\(name).yaml differs from the built-in design")
        }
    }

    @Test func demoDatasetIsWellFormedAndSynthetic() throws {
        let demo = try Dataset.load("demo")
        #expect(demo.manifest.synthetic)
        let people = try demo.population("demo_people").personas
        #expect(people.count == 50)
        #expect(people.filter { $0.gender == "F" }.count == 25)
        #expect(Set(people.map(\.name)).count == 50)
        let pvq = try demo.instrument("demo-pvq30")
        #expect(pvq.values.count == 10)
        let keyed = pvq.values.flatMap(\.items)
        #expect(keyed.sorted() == Array(1...30), "every item scores exactly one value")
        for set in demo.manifest.interlocutorSets {
            #expect(zip(set.personas, people).allSatisfy { $0 != $1 }, "\(set.id) is a derangement")
        }
        for info in demo.manifest.openerSets { #expect(try demo.openers(info.id).count >= 50) }
    }

    @Test func demoDatasetWrittenToDiskLoadsBackEqualAndValidates() throws {
        let scratch = try ScratchDirectory()
        let demo = try Dataset.load("demo")
        let dir = scratch.file("demo")
        try DatasetWriter.write(manifest: demo.manifest, openers: demo.openerSets, to: dir)
        let back = try Dataset.load(dir)
        var a = back.manifest, b = demo.manifest
        for i in a.openerSets.indices { a.openerSets[i].file = ""; b.openerSets[i].file = "" }
        #expect(a == b)
        #expect(back.openerSets == demo.openerSets)
        #expect(try ArtifactValidation.validate(file: dir + "/dataset.json").ok)
        // Writing over a non-empty directory needs `overwrite`.
        #expect(throws: StickError.self) { try DatasetWriter.write(manifest: demo.manifest, openers: demo.openerSets, to: dir) }
    }

    @Test func pythonCSVMatchesPythonsCsvModule() {
        // Expected rows are what Python's csv.reader returns for the same text.
        #expect(CSV.rows("a,b,c\n1,2,3") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(CSV.rows("\"x, y\",\"he said \"\"hi\"\"\",z\r\n") == [["x, y", "he said \"hi\"", "z"]])
        #expect(CSV.rows("\"\"It is nature.\"\",b") == [["It is nature.\"\"", "b"]])
        #expect(CSV.rows("a,,\n\n\"multi\nline\",x") == [["a", "", ""], ["multi\nline", "x"]])
        #expect(CSV.rows("ab\"c\",d") == [["ab\"c\"", "d"]])
    }

    @Test func sessionItemsMapLettersToOptionsAndScores() throws {
        let demo = try Dataset.load("demo")
        let (design, _, _) = try Design.load("demo")
        var sessions: [SessionRecord] = []
        try SessionGenerator.generate(dataset: demo, design: design, selection: .init(contexts: ["no_conv"], personas: [0, 1])) {
            sessions.append($0)
        }
        #expect(sessions.map(\.id) == ["no_conv/0", "no_conv/1"])
        let pvq = try demo.instrument("demo-pvq30")
        for s in sessions {
            #expect(s.personaPrompt == "You are " + s.persona.description)
            #expect(s.calls == 30)
            for item in s.items {
                #expect(item.letters == ["A", "B", "C", "D", "E", "F"])
                #expect(item.permutation.sorted() == Array(0..<6))
                let original = try pvq.items(for: s.persona)[item.index]
                for (j, letter) in item.letters.enumerated() {
                    #expect(item.options[j] == original.options[item.permutation[j]])
                    #expect(item.scores[j] == item.permutation[j] + 1)
                    #expect(item.prompt.contains("\n(\(letter)) \(item.options[j])"))
                }
                #expect(item.prompt.hasPrefix(original.text + "\n(A) "))
            }
        }
        // Stride quirk: persona 1's item q uses persona 0's item q + 1 permutation.
        #expect(sessions[1].items[0].permutation == sessions[0].items[1].permutation)
    }

    @Test func conversationAndSVSPlans() throws {
        let demo = try Dataset.load("demo")
        let (design, _, _) = try Design.load("demo")
        var byID: [String: SessionRecord] = [:]
        try SessionGenerator.generate(dataset: demo, design: design, selection: .init(personas: [3])) { byID[$0.id] = $0 }
        let forum = try #require(byID["forum_0/3"]?.conversation)
        #expect(forum.opening == (try demo.openers("demo_forum_0"))[3].text)
        #expect(forum.interlocutor.kind == "human")
        #expect(forum.interlocutor.prompt == "You are simulating a human using a chatbot. Your every reply must be in one sentence only.")
        let chess = try #require(byID["chess_0/3"]?.conversation)
        let partner = try demo.interlocutors("demo_people/chunk_0").personas[3]
        #expect(chess.interlocutor.persona == partner)
        #expect(chess.interlocutor.prompt == "You are simulating \(partner.description) Your every reply must be in one sentence only.")
        let svs = try #require(byID["svs_no_conv/3"])
        #expect(svs.procedure == .svs && svs.items.count == 22 && svs.items[0].letters.count == 9)
        #expect(svs.calls == 22 + 4)
        #expect(svs.items[0].scores == svs.items[0].permutation.map { $0 - 1 })
    }

    @Test func shardsPartitionTheSessions() throws {
        let demo = try Dataset.load("demo")
        let (design, _, _) = try Design.load("demo")
        var all: [String] = []
        try SessionGenerator.generate(dataset: demo, design: design) { all.append($0.id) }
        var union: [String] = []
        for k in 1...4 {
            var part: [String] = []
            try SessionGenerator.generate(dataset: demo, design: design, selection: .init(shard: (k, 4))) { part.append($0.id) }
            #expect(abs(part.count - all.count / 4) <= 1)
            union += part
        }
        #expect(union.sorted() == all.sorted())
        #expect(Set(union).count == union.count)
    }

    @Test func selectionParsingAndErrors() throws {
        #expect(try SessionSelection.parseIndices("0-2,7") == [0, 1, 2, 7])
        #expect(throws: StickError.self) { try SessionSelection.parseIndices("3-1") }
        #expect(throws: StickError.self) { try SessionSelection.parseIndices("x") }
        #expect(try SessionSelection.parseShard("2/8") == (2, 8))
        #expect(throws: StickError.self) { try SessionSelection.parseShard("0/8") }
        #expect(throws: StickError.self) { try SessionSelection.parseShard("9/8") }
        let demo = try Dataset.load("demo")
        let (design, _, _) = try Design.load("demo")
        #expect(throws: StickError.self) {
            try SessionGenerator.generate(dataset: demo, design: design, selection: .init(personas: [50])) { _ in }
        }
    }

    @Test func designErrorsAreClear() {
        let bad = """
            stick: design
            version: 1
            name: x
            population: demo_people
            contexts:
              - {id: a, instrument: demo-pvq30, permutation_seed: s, conversation: {turns: 2, opening: hi}}
            """
        #expect { try Design.parse(bad, file: "bad.yaml") } throws: { ($0 as? StickError)?.description.contains("odd") == true }
        let future = "stick: design\nversion: 7\nname: x\npopulation: p\ncontexts: []\n"
        #expect { try Design.parse(future, file: "f.yaml") } throws: { ($0 as? StickError)?.description.contains("version 7") == true }
        #expect { try Design.load("no-such-design") } throws: { ($0 as? StickError)?.description.contains("leaderboard") == true }
    }

    @Test func orderedJSONKeepsKeyOrderAndEscapes() throws {
        let v = try OrderedJSON.parse(#"{"z":1,"a":[true,null,"\u00e9\n"],"m":{"y":2.5,"b":-3}}"#)
        guard case .object(let o) = v else { Issue.record("not an object"); return }
        #expect(o.keys == ["z", "a", "m"])
        #expect(v["a"] == .array([.bool(true), .null, .string("é\n")]))
        #expect(v.serialized() == #"{"z":1,"a":[true,null,"é\n"],"m":{"y":2.5,"b":-3}}"#)
        #expect(throws: StickError.self) { try OrderedJSON.parse("{\"a\":1,}") }
        #expect(throws: StickError.self) { try OrderedJSON.parse("[1] x") }
    }

    @Test func everyArtifactKindValidatesAgainstItsSchema() throws {
        let scratch = try ScratchDirectory()
        let demo = try Dataset.load("demo")
        let run = scratch.file("run")
        try DatasetWriter.write(manifest: demo.manifest, openers: demo.openerSets, to: run + "/dataset")
        let (design, sha, source) = try Design.load("demo")
        try GenPrompts.run(dataset: demo, design: design, designSHA256: sha, designSource: source,
                           selection: .init(personas: [0, 1]), output: run + "/sessions.jsonl.zst")
        try Archives.pack(directory: run, to: scratch.file("run.tar.zst"))
        try Archives.extract(scratch.file("run.tar.zst"), into: scratch.file("back"))
        let files: [(String, String)] = [
            (run + "/sessions.jsonl.zst", "sessions"), (run + "/dataset/dataset.json", "dataset"),
            (run + "/dataset/openers/demo_forum_0.jsonl", "openers"), (scratch.file("back/MANIFEST.json"), "manifest"),
        ]
        for (file, kind) in files {
            let report = try ArtifactValidation.validate(file: file)
            #expect(report.ok && report.kind == kind, "\(file): \(report.problems)")
        }
        // A design checked through the schema too.
        let designReport = try ArtifactValidation.validateDocument(
            Design.jsonValue(fromYAML: String(contentsOfFile: TestPaths.packageRoot.appendingPathComponent("pipelines/designs/leaderboard.yaml").path, encoding: .utf8)), kind: .design)
        #expect(designReport.isEmpty, "\(designReport)")
        // And each schema rejects a broken document of its kind.
        var manifest = try OrderedJSON.parse(try Data(contentsOf: URL(fileURLWithPath: scratch.file("back/MANIFEST.json"))))
        if case .object(var o) = manifest, case .array(var members)? = o["members"], case .object(var first) = members[0] {
            first["sha256"] = "not-a-hash"
            members[0] = .object(first)
            o["members"] = .array(members)
            manifest = .object(o)
        }
        #expect(!(try ArtifactValidation.validateDocument(manifest, kind: .manifest)).isEmpty)
        let badDesign = try Design.jsonValue(fromYAML: "stick: design\nversion: 1\nname: x\npopulation: p\ncontexts: [{id: a}]\n")
        #expect(!(try ArtifactValidation.validateDocument(badDesign, kind: .design)).isEmpty)
    }
}
