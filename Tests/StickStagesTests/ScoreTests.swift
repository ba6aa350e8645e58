// `score` end to end: the metric fixtures through every input layout (wide CSVs, the reference's
// results.json directories), the reference's analysis JSON format, bad inputs, and the simulator
// calibration (gen-prompts | query | parse | score, with bootstrap intervals).
import Foundation
import StickArtifacts
import StickPsychometrics
import StickScore
import StickTestSupport
import Testing

/// The expected-value paths compared here at the README's tolerances (the psychometrics tests check
/// every field; these check that the stage wires inputs, contexts and outputs correctly).
private func compareWithFixture(_ doc: JSONValue, _ expected: [String: Any], contexts: [String]) {
    func ours(_ path: [String]) -> Double? {
        var v: JSONValue? = doc
        for p in path { v = v?[p] }
        switch v {
        case .number(let d)?: return d
        case .null?: return .nan
        default: return nil
        }
    }
    func check(_ path: [String], tolerance: Double) {
        let want = MetricFixtures.double(MetricFixtures.value(expected, path.joined(separator: "/")))
        guard let want, let got = ours(path) else {
            Issue.record("missing \(path.joined(separator: "/"))")
            return
        }
        #expect(MetricFixtures.matches(got, want, tolerance: tolerance), "\(path.joined(separator: "/")): \(got) vs \(want)")
    }
    check(["rank_order", "overall"], tolerance: 1e-9)
    for a in contexts { for b in contexts { check(["rank_order", "pairwise", a, b], tolerance: 1e-9) } }
    for variant in ["legacy", "v17"] {
        for c in contexts { check(["stress", variant, "per_context", c], tolerance: 1e-9) }
        check(["stress", variant, "mean"], tolerance: 1e-9)
    }
    for c in contexts {
        for sub in CFASubModel.all.map(\.name) {
            let sensitive = (MetricFixtures.value(expected, "cfa/per_context/\(c)/\(sub)/optimizer_sensitive") as? [Any])?.isEmpty == false
            let margins = MetricFixtures.value(expected, "cfa/per_context/\(c)/\(sub)/stored_rounding_margin") as? [String: Any]
            for index in ["cfi", "tli", "srmr", "rmsea"] {
                let nearBoundary = (margins?[index] as? Double).map { $0 < 1e-6 } ?? false
                if sensitive { continue }
                check(["cfa", "per_context", c, sub, "stored", index], tolerance: nearBoundary ? 1.0001e-4 : 1e-12)
            }
        }
    }
    check(["cronbach_alpha", "per_context", contexts[0], "Conformity"], tolerance: 1e-9)
}

@Suite(.enabled(if: MetricFixtures.available, "needs ../shared/fixtures/metrics"))
struct ScoreFixtureTests {
    @Test(arguments: MetricFixtures.perModelCases)
    func wideCSVsReproduceTheFixture(_ name: String) throws {
        let fixture = try MetricFixtures.load(name)
        let input = try ScoreInputReader.read([MetricFixtures.root!.appendingPathComponent(name).path])
        #expect(input.contexts.map(\.name) == fixture.contexts, "the leaderboard's nine contexts come in canonical order")
        let scores = try Scorer.score(input)
        compareWithFixture(ScoreDocuments.metrics(scores, sources: input.sources).json, fixture.expected, contexts: fixture.contexts)
        if name == "degenerate_context" {
            #expect(scores.warnings.contains { $0.contains("chunk_2") && $0.contains("Stress is undefined") })
        }
    }

    @Test func theCommandWritesMetricsAndValueScores() throws {
        let scratch = try ScratchDirectory()
        let dir = MetricFixtures.root!.appendingPathComponent("seed0").path
        let r = try runTool("score", [dir, "-o", scratch.file("m.json"), "--values", scratch.file("v.csv")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("Rank-Order 0.7341"))
        let doc = try OrderedJSON.parse(try Inputs.readAll(scratch.file("m.json")))
        #expect(doc["stick"]?.stringValue == "metrics" && doc["version"]?.intValue == 1)
        let seed0 = try MetricFixtures.load("seed0")
        compareWithFixture(doc, seed0.expected, contexts: seed0.contexts)
        // Value scores: 9 contexts × 50 personas × 10 values, centred = raw − persona mean (hand-checked row).
        let lines = try readLines(scratch.file("v.csv"))
        #expect(lines.first == "context,persona,value,raw,centred" && lines.count == 1 + 9 * 50 * 10)
        let csv = try String(contentsOfFile: dir + "/chunk_0.csv", encoding: .utf8).split(separator: "\n")
        let answers = csv[1].split(separator: ",").dropFirst().map { Double($0)! }
        let conformity = [7, 16, 28, 36].map { answers[$0 - 1] }.reduce(0, +) / 4
        let centred = conformity - answers.reduce(0, +) / 40
        let row = lines[1].split(separator: ",")
        #expect(row[0] == "chunk_0" && row[1] == "persona_000" && row[2] == "Conformity")
        #expect(abs(Double(row[3])! - conformity) < 1e-12 && abs(Double(row[4])! - centred) < 1e-12)
    }
}

@Suite(.enabled(if: MetricFixtures.available, "needs ../shared/fixtures/reference-formats"))
struct ScoreReferenceFormatTests {
    static var formats: URL { MetricFixtures.root!.deletingLastPathComponent().appendingPathComponent("reference-formats") }

    @Test func referenceResultsDirectoriesGiveTheSameNumbers() throws {
        let input = try ScoreInputReader.read([Self.formats.appendingPathComponent("results/seed0").path])
        let fixture = try MetricFixtures.load("seed0")
        #expect(input.model == "seed0" && input.contexts.map(\.name) == fixture.contexts && input.personas.count == 50)
        let scores = try Scorer.score(input)
        compareWithFixture(ScoreDocuments.metrics(scores, sources: input.sources).json, fixture.expected, contexts: fixture.contexts)
    }

    @Test func importedResultsScoreLikeTheDirectories() throws {
        let scratch = try ScratchDirectory()
        let answers = scratch.file("seed0-answers.jsonl.zst")
        let r = try runTool("stick", ["data", "import-results", Self.formats.appendingPathComponent("results/seed0").path, "-o", answers])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("seed0: \(8 * 50 * 40 + 50 * 57) answers"))
        let fixture = try MetricFixtures.load("seed0")
        let input = try ScoreInputReader.read([answers])
        #expect(input.model == "seed0" && input.contexts.map(\.name) == fixture.contexts)
        compareWithFixture(ScoreDocuments.metrics(try Scorer.score(input), sources: input.sources).json, fixture.expected,
                           contexts: fixture.contexts)
    }

    @Test func referenceFormatOutputMatchesTheReferenceAnalysisJSON() throws {
        let scratch = try ScratchDirectory()
        let r = try runTool("score", [Self.formats.appendingPathComponent("results/seed0").path, "--format", "reference",
                                      "-o", scratch.file("seed0.json"), "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let ours = try OrderedJSON.parse(try Inputs.readAll(scratch.file("seed0.json")), pythonLiterals: true)
        let theirs = try OrderedJSON.parse(try Inputs.readAll(Self.formats.appendingPathComponent("analysis/seed0.json").path),
                                           pythonLiterals: true)
        func number(_ v: JSONValue?) -> Double? { if case .number(let d)? = v { return d }; return nil }
        #expect(abs(number(ours["Rank-Order"])! - number(theirs["Rank-Order"])!) < 1e-12)
        #expect(abs(number(ours["Stress"])! - number(theirs["Stress"])!) < 1e-12)
        for index in ["CFI", "TLI", "SRMR", "RMSEA"] {
            #expect(abs(number(ours[index])! - number(theirs[index])!) < 1e-12, "\(index)")
        }
        guard case .object(let theirPairwise)? = theirs["Pairwise_Rank-Order"],
              case .object(let theirCFI)? = theirs["All_CFI"] else { Issue.record("reference file shape"); return }
        for (dirA, row) in theirPairwise.pairs {
            let a = ReferenceFormats.contextLabel(dirA)
            guard case .object(let cells) = row else { continue }
            for (dirB, value) in cells.pairs {
                let b = ReferenceFormats.contextLabel(dirB)
                #expect(abs(number(ours["Pairwise_Rank-Order"]?[a]?[b])! - number(value)!) < 1e-12)
            }
            #expect(abs(number(ours["All_Stress"]?[a])! - number(theirs["All_Stress"]?[dirA])!) < 1e-12)
        }
        // The stored CFA values are identical (4 decimals or failure values).
        for (dir, subs) in theirCFI.pairs {
            guard case .object(let values) = subs else { continue }
            for (sub, value) in values.pairs {
                #expect(number(ours["All_CFI"]?[ReferenceFormats.contextLabel(dir)]?[sub]) == number(value), "\(dir) \(sub)")
            }
        }
    }
}

@Suite struct ScoreInputErrorTests {
    /// Answers of the dummy backend for a few demo personas in two contexts.
    static func demoAnswers(_ scratch: ScratchDirectory, personas: Int = 6) throws -> String {
        let sessions = scratch.file("s.jsonl"), responses = scratch.file("r.jsonl"), answers = scratch.file("a.jsonl")
        try demoSessions(sessions, contexts: ["no_conv", "forum_0"], personas: Set(0..<personas))
        let dummy = TestPaths.packageRoot.appendingPathComponent("pipelines/models/dummy.yaml").path
        #expect(try runTool("query", [sessions, "--model", dummy, "-o", responses, "-q"]).status == 0)
        #expect(try runTool("parse", ["--sessions", sessions, responses, "-o", answers, "-q"]).status == 0)
        return answers
    }

    static func rewrite(_ file: String, to out: String, _ edit: ([String]) -> [String]) throws {
        let lines = try readLines(file)
        try (edit(lines).joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
    }

    @Test func answersOfTheDummyScore() throws {
        let scratch = try ScratchDirectory()
        let answers = try Self.demoAnswers(scratch)
        let r = try runTool("score", [answers, "-o", scratch.file("m.json"), "--no-cfa"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try OrderedJSON.parse(try Inputs.readAll(scratch.file("m.json")))
        #expect(doc["contexts"] == .array([.string("no_conv"), .string("forum_0")]))
        #expect(doc["parse"]?["no_conv"] != nil, "parse rates carried from the answers header")
    }

    @Test func badInputsGiveClearErrorsAndNoOutput() throws {
        let scratch = try ScratchDirectory()
        let answers = try Self.demoAnswers(scratch)
        func refused(_ input: String, _ needle: String) throws {
            let out = scratch.file("out.json")
            let r = try runTool("score", [input, "-o", out, "--no-cfa", "-q"])
            #expect(r.status != 0 && r.stderr.contains(needle), "\(needle): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        // A context with missing answer records.
        try Self.rewrite(answers, to: scratch.file("missing.jsonl")) { lines in lines.filter { !$0.contains("\"persona_index\":3,") || !$0.contains("forum_0") } }
        try refused(scratch.file("missing.jsonl"), "context 'forum_0' lacks")
        // Two models.
        try Self.rewrite(answers, to: scratch.file("mixed.jsonl")) { lines in
            lines.enumerated().map { i, l in i == lines.count - 1 ? l.replacingOccurrences(of: "\"model\":\"dummy\"", with: "\"model\":\"other\"") : l }
        }
        try refused(scratch.file("mixed.jsonl"), "answers of two models")
        // An unknown version.
        try Self.rewrite(answers, to: scratch.file("v99.jsonl")) { lines in
            [lines[0].replacingOccurrences(of: "\"version\":1", with: "\"version\":99")] + lines.dropFirst()
        }
        try refused(scratch.file("v99.jsonl"), "version 99")
        // Wide CSVs whose personas differ.
        let wide = scratch.file("wide")
        try FileManager.default.createDirectory(atPath: wide, withIntermediateDirectories: true)
        let header = "persona," + (1...40).map { "item\($0)" }.joined(separator: ",")
        func rows(_ names: [String]) -> String {
            names.enumerated().map { i, n in n + "," + (1...40).map { String(($0 * (i + 2)) % 6 + 1) }.joined(separator: ",") }.joined(separator: "\n")
        }
        try (header + "\n" + rows(["a", "b", "c", "d"]) + "\n").write(toFile: wide + "/ctx_a.csv", atomically: true, encoding: .utf8)
        try (header + "\n" + rows(["a", "b", "d", "c"]) + "\n").write(toFile: wide + "/ctx_b.csv", atomically: true, encoding: .utf8)
        try refused(wide, "personas must be aligned")
        // A cell that is not a number names the file and line.
        try (header + "\n" + rows(["a", "b", "c", "d"]).replacingOccurrences(of: "b,", with: "b,x") + "\n")
            .write(toFile: wide + "/ctx_b.csv", atomically: true, encoding: .utf8)
        try refused(wide, "ctx_b.csv:3")
    }
}

@Suite struct SimulatorCalibrationTests {
    /// gen-prompts | query (simulator) | parse | score with a bootstrap, for each configured stability.
    @Test func measuredStabilityRisesWithTheConfiguredStability() throws {
        let scratch = try ScratchDirectory()
        let sessions = scratch.file("s.jsonl.zst")
        try demoSessions(sessions, contexts: ["no_conv", "forum_0", "chess_0"])
        var overall: [Double] = []
        var intervals: [(Double, Double)] = []
        for s in ["0", "0.5", "0.9"] {
            let model = TestPaths.packageRoot.appendingPathComponent("pipelines/models/simulator-\(s).yaml").path
            let responses = scratch.file("r\(s).jsonl.zst"), answers = scratch.file("a\(s).jsonl.zst"), metrics = scratch.file("m\(s).json")
            #expect(try runTool("query", [sessions, "--model", model, "-o", responses, "-q", "--no-requests"]).status == 0)
            #expect(try runTool("parse", ["--sessions", sessions, responses, "-o", answers, "-q"]).status == 0)
            let r = try runTool("score", [answers, "-o", metrics, "--no-cfa", "--bootstrap", "100", "--seed", "7", "-q"])
            #expect(r.status == 0, "\(r.stderr)")
            let doc = try OrderedJSON.parse(try Inputs.readAll(metrics))
            guard case .number(let ro)? = doc["rank_order"]?["overall"],
                  case .array(let ci)? = doc["bootstrap"]?["intervals"]?["rank_order"],
                  case .number(let lo) = ci[0], case .number(let hi) = ci[1] else {
                Issue.record("metrics lack rank_order or its interval")
                return
            }
            overall.append(ro)
            intervals.append((lo, hi))
        }
        #expect(overall[0] < overall[1] && overall[1] < overall[2], "\(overall)")
        // At stability 0 every context draws an independent profile: the true Rank-Order is exactly 0.
        #expect(abs(overall[0]) < 0.1 && intervals[0].0 <= 0 && 0 <= intervals[0].1, "\(overall[0]) \(intervals[0])")
        #expect(intervals[2].0 > 0.3, "a stable simulator's interval stays far from 0: \(intervals[2])")
        #expect(intervals.allSatisfy { $0.0 < $0.1 })
    }
}
