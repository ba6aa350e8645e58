// Fuzz-style properties (issue: hardening): every reader, fed random bytes, random truncations and
// mutations of real artifacts and random tar headers, ends with a clear error or a valid result — no
// crash, no hang, nothing written outside its target. Seeded: a failure names its seed and replays.
import Foundation
import StickArtifacts
import StickDataset
import StickGenPrompts
import StickPsychometrics
import StickQuery
import StickRandom
import StickReport
import StickTestSupport
import Testing

/// Seeded mutations of a byte string.
struct Mutator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    /// Interesting bytes to splice in: JSON syntax, huge numbers, control characters, invalid UTF-8.
    static let tokens: [[UInt8]] = ["{", "}", "[", "]", "\"", ",", ":", "\\", "\n", "\r", "\0", "1e400", "-1e400",
                                    "9007199254740993", "-1", "16777216", "1099511627776", "null", "true", "NaN", "\u{FEFF}",
                                    "\\ud800", "\"stick\":\"sessions\"", "\"version\":2"].map { Array($0.utf8) } + [[0xFF, 0xFE], [0xC3]]

    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<int(1...4) {
            switch int(0...6) {
            case 0 where !bytes.isEmpty:  // flip a byte
                bytes[int(0...bytes.count - 1)] ^= UInt8(int(1...255))
            case 1:  // truncate
                bytes = Array(bytes.prefix(int(0...bytes.count)))
            case 2:  // splice a token
                bytes.insert(contentsOf: Self.tokens[int(0...Self.tokens.count - 1)], at: int(0...bytes.count))
            case 3 where !bytes.isEmpty:  // delete a run
                let start = int(0...bytes.count - 1)
                bytes.removeSubrange(start..<min(bytes.count, start + int(1...64)))
            case 4 where !bytes.isEmpty:  // duplicate a run
                let start = int(0...bytes.count - 1)
                let run = bytes[start..<min(bytes.count, start + int(1...256))]
                bytes.insert(contentsOf: run, at: int(0...bytes.count))
            case 5:  // random bytes
                bytes.insert(contentsOf: (0..<int(1...64)).map { _ in UInt8(int(0...255)) }, at: int(0...bytes.count))
            default:  // replace a number by a hostile one
                if let i = bytes.indices.filter({ (0x30...0x39).contains(bytes[$0]) }).randomElement(using: &rng) {
                    bytes.replaceSubrange(i...i, with: Self.tokens[[11, 12, 13, 14, 15, 16].randomElement(using: &rng)!])
                }
            }
        }
        return bytes
    }
}


@Suite(.serialized)
struct FuzzTests {
    /// Real artifacts of a small demo run, made once: sessions, responses, answers, metrics, leaderboard.
    final class Corpus: @unchecked Sendable {
        let scratch: ScratchDirectory
        let files: [String: String]

        init() throws {
            scratch = try ScratchDirectory()
            let s = scratch.file("sessions.jsonl"), r = scratch.file("responses.jsonl"), a = scratch.file("answers.jsonl")
            let m = scratch.file("metrics.json"), b = scratch.file("board.json")
            let model = TestPaths.packageRoot.path + "/pipelines/models/simulator-0.5.yaml"
            for (tool, args) in [("gen-prompts", ["demo", "--personas", "0-5", "-q", "-o", s]),
                                 ("query", [s, "--model", model, "-o", r, "-q"]),
                                 ("parse", ["--sessions", s, r, "-o", a]),
                                 ("score", [a, "-o", m]),
                                 ("score", [a, "-o", scratch.file("other.json"), "--model-name", "other"]),
                                 ("rank", [m, scratch.file("other.json"), "-o", b, "--csv", scratch.file("lb.csv"), "-q"])] {
                let result = try runTool(tool, args)
                guard result.status == 0 else { throw StickError("\(tool) failed: \(result.stderr)") }
            }
            files = ["sessions": s, "responses": r, "answers": a, "metrics": m, "leaderboard": b]
        }

        static let shared = Result { try Corpus() }
    }

    static let cases = 0..<200

    @Test("validate, the typed readers and the JSON parser end with an error or a result on mutated artifacts")
    func readersOnMutatedArtifacts() throws {
        let corpus = try Corpus.shared.get()
        let scratch = try ScratchDirectory()
        let kinds = corpus.files.keys.sorted()
        let originals = try kinds.map { try Array(Data(contentsOf: URL(fileURLWithPath: corpus.files[$0]!))) }
        for seed in Self.cases {
            var m = Mutator(seed: UInt64(seed))
            let k = m.int(0...kinds.count - 1)
            let bytes = m.int(0...9) == 0 ? (0..<m.int(0...4096)).map { _ in UInt8(m.int(0...255)) } : m.mutate(originals[k])
            let file = scratch.file("case.\(kinds[k]).json\(["", "l"][m.int(0...1)])")
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let started = threadCPUSeconds()
            _ = try? ArtifactValidation.validate(file: file)
            _ = try? sniffArtifact(file)
            _ = try? OrderedJSON.parse(Data(bytes), pythonLiterals: true)
            if let reader = try? JSONLReader<SessionRecord>(path: file, kind: .sessions) {
                while let next = try? reader.next() { _ = next.record.inconsistency() }
            }
            if let reader = try? JSONLReader<ResponseRecord>(path: file, kind: .responses) { while (try? reader.next()) != nil {} }
            if let reader = try? JSONLReader<AnswerRecord>(path: file, kind: .answers) { while (try? reader.next()) != nil {} }
            _ = try? ReportInput.load(leaderboard: file)
            #expect(threadCPUSeconds() - started < 10, "seed \(seed): a reader took too long")
        }
    }

    @Test("every stage, given mutated inputs, exits 0 or 1 in bounded time, never by a signal")
    func stagesOnMutatedInputs() throws {
        let corpus = try Corpus.shared.get()
        let scratch = try ScratchDirectory()
        let original = { (kind: String) in try Array(Data(contentsOf: URL(fileURLWithPath: corpus.files[kind]!))) }
        let stages: [(String, String, (String, String) -> [String])] = [
            ("stick", "sessions", { input, out in ["validate", input] }),
            ("query", "sessions", { input, out in [input, "--model", TestPaths.packageRoot.path + "/pipelines/models/dummy.yaml", "-o", out, "-q"] }),
            ("parse", "responses", { input, out in ["--sessions", corpus.files["sessions"]!, input, "-o", out] }),
            ("parse", "sessions", { input, out in ["--sessions", input, corpus.files["responses"]!, "-o", out] }),
            ("score", "answers", { input, out in [input, "-o", out] }),
            ("rank", "metrics", { input, out in [input, corpus.scratch.file("other.json"), "-o", out, "-q"] }),
            ("stick", "leaderboard", { input, out in ["report", input, "-o", out, "-q"] }),
        ]
        for seed in 0..<42 {
            var m = Mutator(seed: UInt64(1000 + seed))
            let (tool, kind, arguments) = stages[seed % stages.count]
            let input = scratch.file("in-\(seed).\(kind)")
            try Data(m.mutate(try original(kind))).write(to: URL(fileURLWithPath: input))
            let out = scratch.file("out-\(seed)")
            let r = try runToolBounded(tool, arguments(input, out), seconds: 60)
            #expect(!r.crashed, "seed \(seed): \(tool) \(kind) died of a signal: \(r.stderr.suffix(400))")
            #expect(!r.timedOut, "seed \(seed): \(tool) \(kind) did not finish")
            #expect(r.status == 0 || r.status == 1, "seed \(seed): \(tool) exit \(r.status): \(r.stderr.suffix(400))")
            if r.status != 0 {
                #expect(r.stderr.contains("error"), "seed \(seed): \(tool) failed without a message")
                #expect(!FileManager.default.fileExists(atPath: out), "seed \(seed): \(tool) failed but left \(out)")
            }
        }
    }

    @Test("archives with random tar headers, truncations and garbage never write outside the target")
    func randomTarHeaders() throws {
        let scratch = try ScratchDirectory()
        let source = scratch.file("src")
        try FileManager.default.createDirectory(atPath: source + "/sub", withIntermediateDirectories: true)
        try Data("alpha\n".utf8).write(to: URL(fileURLWithPath: source + "/a.txt"))
        try Data(repeating: 0x62, count: 3000).write(to: URL(fileURLWithPath: source + "/sub/b.bin"))
        let tar = scratch.file("base.tar")
        try Archives.pack(directory: source, to: tar)
        let base = try Array(Data(contentsOf: URL(fileURLWithPath: tar)))
        let work = scratch.file("work")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        var extracted = 0
        defer { print("random tar headers: \(extracted) of \(Self.cases.count) archives extracted, the others refused") }
        for seed in Self.cases {
            var m = Mutator(seed: UInt64(5000 + seed))
            var bytes = base
            // Mutate inside header blocks (the 512-byte blocks starting members) most of the time.
            let headers = stride(from: 0, to: bytes.count, by: 512).filter { block in
                bytes[block..<min(bytes.count, block + 257)].contains(where: { $0 != 0 }) && bytes[min(bytes.count - 1, block + 257)] == 0x75
            }
            for _ in 0..<m.int(1...6) {
                if let block = headers.randomElement(using: &m.rng), m.int(0...3) > 0 {
                    let field = [0, 100, 124, 136, 148, 156, 157, 257, 345].randomElement(using: &m.rng)!
                    let at = block + field + m.int(0...8)
                    if at < bytes.count { bytes[at] = [0, 0x2E, 0x2F, 0x31, 0x32, 0x35, 0x37, 0x78, UInt8(m.int(0...255))].randomElement(using: &m.rng)! }
                    // A valid checksum, so that the reader looks at the mutated fields.
                    if block + 512 <= bytes.count, m.int(0...4) > 0 {
                        for i in 148..<156 { bytes[block + i] = 0x20 }
                        let sum = bytes[block..<block + 512].reduce(0) { $0 + Int($1) }
                        let octal = Array(String(sum, radix: 8).utf8)
                        let field = [UInt8](repeating: 0x30, count: max(0, 6 - octal.count)) + octal.suffix(6) + [0, 0x20]
                        bytes.replaceSubrange((block + 148)..<(block + 156), with: field)
                    }
                } else {
                    bytes = m.mutate(bytes)
                }
            }
            let archive = scratch.file("case.tar")
            try Data(bytes).write(to: URL(fileURLWithPath: archive))
            let target = work + "/out"
            let started = threadCPUSeconds()
            _ = try? Archives.entries(of: archive)
            _ = try? Archives.manifest(of: archive)
            if (try? Archives.extract(archive, into: target, limits: ExtractionLimits(maxMemberSize: 1 << 20, maxTotalSize: 8 << 20),
                                      requireManifest: m.int(0...1) == 0)) != nil { extracted += 1 }
            #expect(threadCPUSeconds() - started < 10, "seed \(seed): extraction took too long")
            // Only `out` may have appeared, holding regular files, directories and inside links only.
            #expect(treeEntries(work).allSatisfy { $0 == "out" || $0.hasPrefix("out/") }, "seed \(seed)")
            #expect(treeEntries(scratch.path).allSatisfy { ["base.tar", "case.tar", "work", "src"].contains(String($0.split(separator: "/")[0])) },
                    "seed \(seed): \(treeEntries(scratch.path))")
            let realTarget = URL(fileURLWithPath: target).resolvingSymlinksInPath().path
            for rel in treeEntries(target) {
                let full = target + "/" + rel
                if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: full) {
                    let resolved = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
                    #expect(resolved == realTarget || resolved.hasPrefix(realTarget + "/"), "seed \(seed): \(rel) → \(link)")
                }
            }
            try? FileManager.default.removeItem(atPath: target)
        }
    }

    @Test("random dataset manifests and opener files load or fail cleanly")
    func mutatedDatasets() throws {
        let scratch = try ScratchDirectory()
        let demo = scratch.file("demo")
        let w = try runTool("stick", ["data", "demo", "-o", demo])
        try #require(w.status == 0)
        let manifest = try Array(Data(contentsOf: URL(fileURLWithPath: demo + "/dataset.json")))
        let openerFile = try #require(try FileManager.default.contentsOfDirectory(atPath: demo + "/openers").first)
        let opener = try Array(Data(contentsOf: URL(fileURLWithPath: demo + "/openers/" + openerFile)))
        for seed in 0..<100 {
            var m = Mutator(seed: UInt64(9000 + seed))
            let target = seed % 2 == 0 ? demo + "/dataset.json" : demo + "/openers/" + openerFile
            try Data(m.mutate(seed % 2 == 0 ? manifest : opener)).write(to: URL(fileURLWithPath: target))
            if let dataset = try? Dataset.load(demo), let design = try? Design.load("demo").0 {
                try? SessionGenerator.generate(dataset: dataset, design: design) { s in
                    #expect(s.inconsistency() == nil, "seed \(seed): generated an inconsistent session")
                }
            }
            try Data(manifest).write(to: URL(fileURLWithPath: demo + "/dataset.json"))
            try Data(opener).write(to: URL(fileURLWithPath: demo + "/openers/" + openerFile))
        }
    }
}
