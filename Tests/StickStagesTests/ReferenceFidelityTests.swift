// The imported reference data and gen-prompts against the reference's own outputs: every PVQ item
// string and every SVS rating string the reference sent for personas 0–4 (fixtures/reference-stream),
// and the data quirks of protocol.md §2 and §13.
import Foundation
import StickArtifacts
import StickDataImport
import StickDataset
import StickGenPrompts
import StickTestSupport
import Testing


@Suite(.enabled(if: referenceAvailable, "needs ../shared/reference and ../shared/fixtures (or STICK_REFERENCE_DATA)"))
struct ReferenceFidelityTests {
    static let suffixes = [
        "plain": "\nReply ONLY with \"(X)\", where X is the letter of the option.",
        "cot": "\nThink step by step and then finish your answer with \"Answer: (X)\", where X is the letter of the option.",
    ]

    @Test(arguments: ["plain", "cot"]) func pvqItemStringsEqualTheReferenceRequests(variant: String) throws {
        let ref = try ImportedReference.get()
        let suffix = Self.suffixes[variant]!
        var checked = 0
        for r in try fixtureRequests(variant) where r.kind == "answer" && r.context != "svs_no_conv" {
            let session = try #require(ref.sessions["\(r.context)/\(r.persona_index)"])
            let item = session.items[r.step - (session.conversation?.turns ?? 0)]
            #expect(r.messages.last == .init(role: "user", content: session.instructions + "\n\n" + item.prompt + suffix),
                    "context \(r.context) persona \(r.persona_index) step \(r.step)")
            #expect(r.messages.first == .init(role: "system", content: session.personaPrompt))
            if let conversation = session.conversation {
                #expect(r.messages[1] == .init(role: "user", content: conversation.opening))
            }
            checked += 1
        }
        #expect(checked == 8 * 5 * 40)
    }

    @Test(arguments: ["plain", "cot"]) func svsRatingStringsEqualTheReferenceRequests(variant: String) throws {
        let ref = try ImportedReference.get()
        let suffix = Self.suffixes[variant]!
        var rated: [Int: [Int]] = [:]
        for r in try fixtureRequests(variant) where r.context == "svs_no_conv" {
            let session = try #require(ref.sessions["svs_no_conv/\(r.persona_index)"])
            let last = r.messages.last!.content
            // Value-choice requests list values, rating requests end with exactly one item string.
            let matches = session.items.filter { last.hasSuffix($0.prompt + suffix) }
            #expect(matches.count <= 1)
            if let m = matches.first { rated[r.persona_index, default: []].append(m.index) }
            if r.step == 0 {
                #expect(r.messages.first == .init(role: "system", content: session.personaPrompt))
            }
        }
        for p in 0..<5 { #expect(rated[p]?.sorted() == Array(0..<57), "persona \(p)") }
    }

    @Test func interlocutorPromptsEqualTheReferenceRequests() throws {
        let ref = try ImportedReference.get()
        var checked = 0
        for r in try fixtureRequests("plain") where r.kind == "conversation" && r.step == 1 {
            let session = try #require(ref.sessions["\(r.context)/\(r.persona_index)"])
            #expect(r.messages.first?.content == session.conversation?.interlocutor.prompt)
            checked += 1
        }
        #expect(checked == 7 * 5)
    }

    @Test func importKeepsTheDataQuirks() throws {
        let ref = try ImportedReference.get()
        let pvq = try ref.dataset.instrument("pvq40")
        let male = pvq.variants["M"]!, female = pvq.variants["F"]!
        #expect(male.count == 40 && female.count == 40)
        #expect(male[3].text.hasPrefix("very important to him"))
        #expect(female[19].text.contains("herm"))
        #expect(male[17].text.hasPrefix("it") && female[17].text.hasPrefix("it"))
        #expect(male[35].text.contains("he tries"))
        #expect(female[39].text == "It is important to her to adapt to nature and to fit into it. She believes that people should not change nature.\"\"")
        #expect(male[0].options == ["Not like me at all", "Not like me", "A little like me", "Somewhat like me", "Like me", "Very much like me"])
        #expect(pvq.values.map(\.name) == ["Conformity", "Tradition", "Benevolence", "Universalism", "Self-Direction",
                                            "Stimulation", "Hedonism", "Achievement", "Power", "Security"])
        #expect(pvq.values[3].items == [3, 8, 19, 23, 29, 40])
        let svs = try ref.dataset.instrument("svs57")
        #expect(svs.itemCount == 57 && svs.optionScores == Array(-1...7))
        #expect(svs.values.first(where: { $0.name == "Universalism" })?.items == [1, 17, 24, 26, 29, 30, 35, 38])
        #expect(svs.variants["*"]![0].text == "EQUALITY (equal opportunity for all)")
        #expect(svs.svs?.groups.map(\.items.count) == [30, 27])
        #expect(svs.instructions.utf8.count == 1387)
        #expect(SHA256Hex.of(svs.instructions) == "6f60e658e1ead72a33f2196023172179d75de53690290ddf926c9c4d86045d3b")
    }

    @Test func importCountsAndPersonaTexts() throws {
        let ref = try ImportedReference.get()
        let people = try ref.dataset.population("real_world_people").personas
        #expect(people.count == 50)
        #expect(people.filter { $0.gender == "F" }.count == 25)
        #expect(people[41].name == "Joan of Arc" && people[14].name == "Elvis Presley")
        // sha256 of the 50 descriptions concatenated, computed by Python from the reference file.
        #expect(SHA256Hex.of(people.map(\.description).joined()) == "d621405d217359d5a38f170948a3c137add03ebf06a3eac7e26b48f5e4fca43a")
        #expect(people[0].description == "Marilyn Monroe (1926 \u{2013} 1962) American actress, singer, model.")
        let chunk0 = try ref.dataset.interlocutors("real_world_people/chunk_0").personas
        let chunk1 = try ref.dataset.interlocutors("real_world_people/chunk_1").personas
        let index = Dictionary(uniqueKeysWithValues: people.enumerated().map { ($1.name, $0) })
        #expect(chunk0.map { index[$0.name]! } == [43, 21, 5, 23, 17, 20, 8, 0, 11, 41, 19, 14, 2, 27, 45, 10, 47, 31, 29, 33, 1, 16, 39, 22, 12, 42, 32, 6, 46, 18, 28, 38, 13, 4, 49, 25, 26, 36, 44, 40, 9, 35, 3, 48, 34, 15, 7, 24, 30, 37])
        #expect(chunk1.map { index[$0.name]! } == [11, 32, 48, 29, 38, 35, 26, 44, 24, 3, 45, 42, 17, 47, 19, 36, 10, 37, 7, 12, 46, 13, 41, 21, 43, 40, 15, 18, 4, 28, 23, 8, 27, 0, 31, 30, 34, 9, 16, 6, 22, 49, 14, 20, 5, 33, 39, 1, 2, 25])
        #expect(try (0..<5).map { try ref.dataset.openers("leaderboard_reddit_chunk_\($0)").count } == [89, 89, 90, 90, 90])
        let reddit4 = try ref.dataset.openers("leaderboard_reddit_chunk_4")
        #expect(reddit4.allSatisfy { $0.nTokens == 499 })
        #expect(Set(reddit4.compactMap(\.source)).count == 90)
    }

    @Test func fullDesignHas450SessionsAnd20100Calls() throws {
        let ref = try ImportedReference.get()
        let (design, _, _) = try Design.load("leaderboard")
        var sessions = 0, calls = 0
        try SessionGenerator.generate(dataset: ref.dataset, design: design) { sessions += 1; calls += $0.calls }
        #expect(sessions == 450)
        #expect(calls == 20_100)  // protocol.md §11
    }

    @Test func tarballImportEqualsDirectoryImport() throws {
        let ref = try ImportedReference.get()
        let scratch = try ScratchDirectory()
        let tarball = scratch.file("value_stability-main.tar.gz")
        // Built with the system tar, with a top-level folder as a GitHub tarball has.
        let tar = try runProcess("/usr/bin/env", ["tar", "-czf", tarball, "-C", (TestPaths.referenceData! as NSString).deletingLastPathComponent,
                                                  "--transform", "s,^reference,value_stability-main,", "reference"])
        #expect(tar.status == 0, "\(tar.stderr)")
        let out = scratch.file("imported")
        let sha = try SHA256Hex.ofFile(tarball).sha256
        _ = try ReferenceImporter.importDataset(from: tarball, to: out, expectedSHA256: sha)
        var fromTar = try Dataset.load(out).manifest
        var fromDir = ref.dataset.manifest
        fromTar.source = ""
        fromDir.source = ""
        #expect(fromTar == fromDir)
        for info in fromDir.openerSets {
            #expect(try SHA256Hex.ofFile(out + "/" + info.file).sha256 == info.sha256)
        }
        // A wrong checksum is refused before anything is written.
        let refused = scratch.file("refused")
        #expect(throws: StickError.self) {
            try ReferenceImporter.importDataset(from: tarball, to: refused, expectedSHA256: String(repeating: "0", count: 64))
        }
        #expect(!FileManager.default.fileExists(atPath: refused))
    }

    @Test func urlImportFromLoopbackServer() throws {
        _ = try ImportedReference.get()
        let scratch = try ScratchDirectory()
        let tar = try runProcess("/usr/bin/env", ["tar", "-czf", scratch.file("vs.tar.gz"), "-C", TestPaths.referenceData!, "."])
        #expect(tar.status == 0, "\(tar.stderr)")
        let server = try LoopbackHTTPServer(directory: scratch.path)
        defer { server.stop() }
        let out = scratch.file("from-url")
        let sha = try SHA256Hex.ofFile(scratch.file("vs.tar.gz")).sha256
        _ = try ReferenceImporter.importDataset(from: "http://127.0.0.1:\(server.port)/vs.tar.gz", to: out, expectedSHA256: sha)
        #expect(try Dataset.load(out).manifest.populations[0].personas.count == 50)
        #expect(throws: StickError.self) {
            try ReferenceImporter.importDataset(from: "http://127.0.0.1:\(server.port)/missing.tar.gz", to: scratch.file("x"))
        }
    }

    @Test func importedDatasetValidatesAgainstItsSchemas() throws {
        let ref = try ImportedReference.get()
        let report = try ArtifactValidation.validate(file: ref.directory + "/dataset.json")
        #expect(report.ok, "\(report.problems)")
        for info in ref.dataset.manifest.openerSets {
            let r = try ArtifactValidation.validate(file: ref.directory + "/" + info.file)
            #expect(r.ok && r.records == info.count, "\(r.problems)")
        }
    }
}

/// `python3 -m http.server` on a free loopback port, serving `directory`.
final class LoopbackHTTPServer: PythonServer {
    init(directory: String) throws {
        // Bind port 0, report the chosen port through a file, then serve.
        try super.init(arguments: ["-c", """
            import http.server, functools, sys
            h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
            s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
            open(sys.argv[2], "w").write(str(s.server_address[1]))
            s.serve_forever()
            """, directory, directory + "/.port"], portFile: directory + "/.port")
    }
}
