// `rank` end to end: the reference's own analysis JSONs give the reference's leaderboard.csv, formats
// mix, a demo-style context set ranks, and bootstrap replicates become rank intervals.
import Foundation
import StickArtifacts
import StickTestSupport
import Testing

/// Rows of a leaderboard.csv: model → its seven numbers (NaN for empty cells).
private func leaderboardRows(_ text: String) -> [(String, [Double])] {
    text.split(separator: "\n").dropFirst().map { line in
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        return (String(fields[0]), fields[1...7].map { Double($0) ?? .nan })
    }
}

private func sameNumbers(_ a: [(String, [Double])], _ b: [(String, [Double])], tolerance: Double) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in
        x.0 == y.0 && zip(x.1, y.1).allSatisfy { MetricFixtures.matches($0, $1, tolerance: tolerance) }
    }
}

@Suite(.enabled(if: MetricFixtures.available, "needs ../shared/fixtures"))
struct RankFormatTests {
    static var formats: URL { MetricFixtures.root!.deletingLastPathComponent().appendingPathComponent("reference-formats/models") }
    static var compact: URL { MetricFixtures.root!.appendingPathComponent("ranking_12_models/models") }
    static let models = (200...211).map { "model_\($0)" }

    @Test func referenceAnalysisJSONsGiveTheReferenceLeaderboard() throws {
        let scratch = try ScratchDirectory()
        let r = try runTool("rank", Self.models.map { Self.formats.appendingPathComponent("\($0).json").path }
            + ["-o", scratch.file("lb.json"), "--csv", scratch.file("lb.csv"), "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let ours = leaderboardRows(try String(contentsOfFile: scratch.file("lb.csv"), encoding: .utf8))
        let theirs = leaderboardRows(try String(contentsOf: Self.formats.appendingPathComponent("leaderboard.csv"), encoding: .utf8))
        #expect(sameNumbers(ours, theirs, tolerance: 1e-12), "\(ours.prefix(2)) vs \(theirs.prefix(2))")
    }

    @Test func formatsMixIntoOneLeaderboard() throws {
        let scratch = try ScratchDirectory()
        // Even-numbered models from the reference's analysis JSON, odd ones from the compact inputs.
        let mixed = Self.models.enumerated().map { i, m in
            (i % 2 == 0 ? Self.formats : Self.compact).appendingPathComponent("\(m).json").path
        }
        let r = try runTool("rank", mixed + ["--csv", scratch.file("mixed.csv"), "-o", scratch.file("mixed.json"), "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let ours = leaderboardRows(try String(contentsOfFile: scratch.file("mixed.csv"), encoding: .utf8))
        let expected = leaderboardRows(try String(contentsOf: MetricFixtures.root!.appendingPathComponent("ranking_12_models/leaderboard.csv"),
                                                  encoding: .utf8))
        #expect(sameNumbers(ours, expected, tolerance: 1e-12))
        let doc = try OrderedJSON.parse(try Inputs.readAll(scratch.file("mixed.json")))
        guard case .array(let rows)? = doc["models"] else { Issue.record("no models"); return }
        #expect(rows.map { $0["format"]?.stringValue } == Self.models.indices.map { $0 % 2 == 0 ? "reference" : "fixture" })
        #expect(doc["stick"]?.stringValue == "leaderboard")
        #expect(try ArtifactValidation.validate(file: scratch.file("mixed.json")).ok)
        // The typed document reads back what rank wrote, and writes the same bytes again.
        let typed = try LeaderboardDocument.read(scratch.file("mixed.json"))
        #expect(typed.models.map(\.model) == rows.map { $0["model"]?.stringValue })
        #expect(typed.models.allSatisfy { $0.summary.count == 7 && $0.summary.allSatisfy { $0 != nil } })
        #expect(typed.json.serialized() + "\n" == (try String(contentsOfFile: scratch.file("mixed.json"), encoding: .utf8)))
    }

    @Test func sortedViewsAndErrors() throws {
        let scratch = try ScratchDirectory()
        let files = Self.models.map { Self.compact.appendingPathComponent("\($0).json").path }
        let r = try runTool("rank", files + ["--sort", "RO Stability", "--ascending", "--csv", "-", "-o", scratch.file("sorted.json"), "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let ro = leaderboardRows(r.stdoutText).map { $0.1[2] }
        #expect(ro == ro.sorted() && ro.count == 12)
        let bad = try runTool("rank", files + ["--sort", "nonsense", "-o", scratch.file("x.json"), "--csv", scratch.file("x.csv"), "-q"])
        #expect(bad.status != 0 && bad.stderr.contains("no column 'nonsense'"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("x.csv")))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("x.json")))
        let twice = try runTool("rank", [files[0], files[0], "-q"])
        #expect(twice.status != 0 && twice.stderr.contains("appears twice"))
    }

    /// score with a bootstrap → rank: every model gets a rank distribution over the replicates.
    @Test func bootstrapReplicatesBecomeRankIntervals() throws {
        let scratch = try ScratchDirectory()
        var metrics: [String] = []
        for name in ["seed0", "seed1", "edge_constant_persona_and_items"] {
            let out = scratch.file("\(name).json")
            let r = try runTool("score", [MetricFixtures.root!.appendingPathComponent(name).path, "--bootstrap", "20", "--seed", "3",
                                          "-o", out, "-q"])
            #expect(r.status == 0, "\(r.stderr)")
            metrics.append(out)
        }
        let r = try runTool("rank", metrics + ["--csv", scratch.file("lb.csv"), "-o", scratch.file("lb.json"),
                                               "--markdown", scratch.file("lb.md"), "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOfFile: scratch.file("lb.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("Model,Ordinal (Win rate),Cardinal (Score),RO Stability,Stress,CFI,SRMR,RMSEA,Cardinal rank CI,Ordinal rank CI\n"))
        let doc = try OrderedJSON.parse(try Inputs.readAll(scratch.file("lb.json")))
        guard case .array(let rows)? = doc["models"] else { Issue.record("no models"); return }
        for row in rows {
            guard case .array(let distribution)? = row["rank_intervals"]?["cardinal"]?["distribution"] else {
                Issue.record("no rank distribution for \(row["model"]?.stringValue ?? "?")")
                continue
            }
            let shares = distribution.compactMap { if case .number(let d) = $0 { return d }; return nil }
            #expect(shares.count == 3 && abs(shares.reduce(0, +) - 1) < 1e-9)
            let lower = row["rank_intervals"]?["cardinal"]?["lower"]?.intValue ?? 0
            let upper = row["rank_intervals"]?["cardinal"]?["upper"]?.intValue ?? 0
            #expect(1 <= lower && lower <= upper && upper <= 3)
        }
        #expect(doc["bootstrap"]?["replicates"]?.intValue == 20)
        #expect(try String(contentsOfFile: scratch.file("lb.md"), encoding: .utf8).contains("Cardinal rank (20 bootstrap)"))
    }
}
