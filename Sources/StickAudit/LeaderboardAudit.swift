// A set of runs and their leaderboard: each run audited, then `rank` rerun on the runs' own metrics
// (read in place from each archive) must give the stored leaderboard.
import Foundation
import StickArtifacts
import StickRank

extension Audit {
    /// Audits every run (their checks prefixed by the run's name), then, with a leaderboard, reruns rank
    /// over the runs' metrics: every model of the leaderboard must be one of the runs, and every value
    /// (columns, win rates, diversity, sensitivity) must be reproduced bit for bit.
    public static func run(_ targets: [String], leaderboard: String?, dataset: String?, design: String?) async throws -> AuditReport {
        var report = AuditReport()
        var metrics: [String] = []
        for target in targets {
            let single = try await run(AuditOptions(target: target, dataset: dataset, design: design))
            for var c in single.checks {
                if targets.count > 1 { c.artifact = (target as NSString).lastPathComponent + " " + c.artifact }
                report.checks.append(c)
            }
            if leaderboard != nil, single.passed {
                do { metrics.append(try metricsSpec(of: target)) } catch {
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

    /// The run's metrics, read in place: `ARCHIVE#member` or the directory's file.
    static func metricsSpec(of target: String) throws -> String {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory)
        let manifest = isDirectory.boolValue ? try Archives.verifyDirectory(target) : try Archives.manifest(of: target)
        guard let member = manifest?.members.first(where: { $0.kind == ArtifactKind.metrics.rawValue }) else {
            throw StickError("has no metrics artifact", file: target)
        }
        return isDirectory.boolValue ? (target as NSString).appendingPathComponent(member.path) : target + "#" + member.path
    }

    static func rerank(_ metrics: [String], leaderboard: String) throws -> String {
        let stored = try OrderedJSON.parse(try Inputs.readAll(leaderboard, limit: 256 << 20))
        try ArtifactKind.leaderboard.require(stored, file: leaderboard)
        guard case .array(let rows)? = stored["models"] else { throw StickError("has no \"models\"", file: leaderboard) }
        let names = rows.compactMap { $0["model"]?.stringValue }
        let inputs = try metrics.map { try MetricsReader.read($0) }
        let byName = Dictionary(inputs.map { ($0.metrics.name, $0) }, uniquingKeysWith: { a, _ in a })
        for name in names where byName[name] == nil {
            throw AuditFailure("\(leaderboard): model '\(name)' is not one of the audited runs")
        }
        // In the order the runs were given (rank's seeded sampling follows its input order).
        let chosen = inputs.filter { names.contains($0.metrics.name) }
        var options = RankOptions()
        options.benchbench = stored["diversity"] != nil
        let board = try RankRunner.rank(chosen, options: options)
        // Rows in the stored order (the sort is presentation; the values are what is checked).
        let order = names.compactMap { name in board.table.models.firstIndex(of: name) }
        let recomputed = LeaderboardWriter.document(board, order: order, contexts: board.contexts).json
        let ignore: (String) -> Bool = { path in
            path == "tool" || (path.hasPrefix("models[") && path.hasSuffix("].file"))
        }
        if let d = JSONDiff.differences(stored, recomputed, limit: 1, ignore: ignore).first {
            throw AuditFailure("\(leaderboard): \(d.path): stored \(FieldDifference.show(d.a)), recomputed \(FieldDifference.show(d.b))")
        }
        return "\(names.count) models identical"
    }
}
