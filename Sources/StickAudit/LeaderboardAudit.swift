// A set of runs and their leaderboard: each run audited, then `rank` rerun on the runs' own metrics
// (read in place from each archive) must give the stored leaderboard.
import Foundation
import StickArtifacts
import StickRank

extension Audit {
    /// Audits every run (their checks prefixed by the run's name), then, with a leaderboard, reruns rank
    /// over the runs' metrics: each metrics file the leaderboard records (by sha256, in rank's order) must
    /// be one audited run's, each run must be in the leaderboard, and rank rerun in the recorded order with
    /// the recorded parameters must reproduce every value (columns, win rates, diversity, sensitivity,
    /// rank intervals, row order) bit for bit.
    public static func run(_ targets: [String], leaderboard: String?, dataset: String?, design: String?) async throws -> AuditReport {
        var report = AuditReport()
        var metrics: [RunMetrics] = []
        for target in targets {
            let single = try await run(AuditOptions(target: target, dataset: dataset, design: design))
            for var c in single.checks {
                if targets.count > 1 { c.artifact = (target as NSString).lastPathComponent + " " + c.artifact }
                report.checks.append(c)
            }
            if leaderboard != nil, single.passed {
                do { metrics.append(try RunMetrics(of: target)) } catch {
                    report.add((target as NSString).lastPathComponent, "metrics for rank", .fail, "\(error)")
                }
            }
        }
        guard let leaderboard else { return report }
        guard report.passed else {
            report.add((leaderboard as NSString).lastPathComponent, "= rank rerun", .fail, "not run: a run failed its audit")
            return report
        }
        do {
            report.add((leaderboard as NSString).lastPathComponent, "= rank rerun", .ok, try rerank(metrics, leaderboard: leaderboard))
        } catch {
            report.add((leaderboard as NSString).lastPathComponent, "= rank rerun", .fail, "\(error)")
        }
        return report
    }

    /// A run's metrics, read in place (`ARCHIVE#member` or the directory's file), and their sha256 as the
    /// (verified) manifest lists it.
    struct RunMetrics {
        var target: String
        var spec: String
        var sha256: String

        init(of target: String) throws {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory)
            let manifest = isDirectory.boolValue ? try Archives.verifyDirectory(target) : try Archives.manifest(of: target)
            guard let member = manifest?.members.first(where: { $0.kind == ArtifactKind.metrics.rawValue }) else {
                throw StickError("has no metrics artifact", file: target)
            }
            self.target = target
            spec = isDirectory.boolValue ? (target as NSString).appendingPathComponent(member.path) : target + "#" + member.path
            sha256 = member.sha256
        }
    }

    static func rerank(_ runs: [RunMetrics], leaderboard: String) throws -> String {
        let stored = try OrderedJSON.parse(try Inputs.readAll(leaderboard, limit: 256 << 20))
        try ArtifactKind.leaderboard.require(stored, file: leaderboard)
        let document: LeaderboardDocument
        do { document = try LeaderboardDocument(json: stored) } catch let e as StickError { throw e.located(file: leaderboard) }
        guard !document.inputs.isEmpty, let params = document.params else {
            throw AuditFailure("\(leaderboard): records no inputs or no params (written before rank recorded them): which metrics "
                + "it ranked, in which order, with which seed cannot be checked; rank the runs' metrics again")
        }
        // Each recorded input is one run's metrics, matched by sha256 (names are paths on the ranker's machine).
        var unused = runs
        var ordered: [RunMetrics] = []
        for (i, input) in document.inputs.enumerated() {
            guard let k = unused.firstIndex(where: { $0.sha256 == input.sha256 }) else {
                throw AuditFailure("\(leaderboard): inputs[\(i)] '\(input.name)' (sha256 \(input.sha256)) is not one of the audited runs' metrics")
            }
            ordered.append(unused.remove(at: k))
        }
        if let extra = unused.first {
            throw AuditFailure("\(extra.target): its metrics (sha256 \(extra.sha256)) are not in the leaderboard \(leaderboard)")
        }
        let board = try RankRunner.rank(try ordered.map { try MetricsReader.read($0.spec) }, options: RankOptions(recorded: params))
        let order = try LeaderboardWriter.order(board, sortBy: params.sort, ascending: params.ascending)
        let recomputed = LeaderboardWriter.document(board, order: order, contexts: board.contexts, params: params).json
        // Names are paths as the ranker gave them; the sha256 beside each is compared.
        let ignore: (String) -> Bool = { path in
            path == "tool" || JSONDiff.isInputName(path) || (path.hasPrefix("models[") && path.hasSuffix("].file"))
        }
        if let d = JSONDiff.differences(stored, recomputed, limit: 1, ignore: ignore).first {
            throw AuditFailure("\(leaderboard): \(d.path): stored \(FieldDifference.show(d.a)), recomputed \(FieldDifference.show(d.b))")
        }
        let sorted = params.sort.map { ", sorted by \($0)" } ?? ""
        return "\(ordered.count) models identical (seed \(params.seed)\(sorted))"
    }
}
