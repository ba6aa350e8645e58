// What a report is built from: the leaderboard JSON written by `rank -o` and, for each of its
// models, the metrics JSON written by `score` (models[i].file). Relative metrics paths are tried
// against the current directory first, then against the leaderboard file's directory. A model
// ranked from the reference's analysis JSON (format "reference") or a leaderboard-input fixture has
// no metrics document: the report shows its leaderboard row only.
import Foundation
import StickArtifacts

/// One leaderboard model's details, when they could be found.
public struct ReportModelSource: Sendable {
    /// The metrics document written by `score`, nil when not available.
    public var metrics: MetricsDocument?
    /// The metrics file as the leaderboard lists it.
    public var path: String?
    /// Why there are no details (shown in the report), nil when `metrics` is set.
    public var note: String?

    public init(metrics: MetricsDocument?, path: String? = nil, note: String? = nil) {
        self.metrics = metrics
        self.path = path
        self.note = note
    }
}

public struct ReportInput: Sendable {
    /// The leaderboard document written by `rank -o`.
    public var leaderboard: LeaderboardDocument
    /// Where it was read from (shown in the report), if from a file.
    public var leaderboardPath: String?
    /// One entry per leaderboard model, in the leaderboard's order.
    public var models: [ReportModelSource]
    /// Problems met while loading (missing files, name mismatches); shown in the report.
    public var warnings: [String]

    /// Pairs a leaderboard with already loaded metrics documents (by position; nil = no details).
    public init(leaderboard: LeaderboardDocument, leaderboardPath: String? = nil, metrics: [MetricsDocument?], warnings: [String] = []) throws {
        guard metrics.count == leaderboard.models.count else {
            throw StickError("\(metrics.count) metrics documents for \(leaderboard.models.count) leaderboard models")
        }
        self.leaderboard = leaderboard
        self.leaderboardPath = leaderboardPath
        self.warnings = warnings
        models = zip(leaderboard.models, metrics).map { entry, doc in
            if let doc { return ReportModelSource(metrics: doc) }
            let format = entry.format ?? "unknown"
            return ReportModelSource(metrics: nil, note: format == "stick" ? "metrics file not loaded" : Self.noDetails(format))
        }
    }

    init(leaderboard: LeaderboardDocument, leaderboardPath: String?, models: [ReportModelSource], warnings: [String]) {
        self.leaderboard = leaderboard
        self.leaderboardPath = leaderboardPath
        self.models = models
        self.warnings = warnings
    }

    static func noDetails(_ format: String) -> String {
        switch format {
        case "reference": return "ranked from the reference's analysis JSON: only its leaderboard row is available"
        case "fixture": return "ranked from a leaderboard-input JSON: only its leaderboard row is available"
        default: return "ranked from a \(format) file: only its leaderboard row is available"
        }
    }

    /// Reads the leaderboard at `path` and every stick metrics file it lists.
    /// `strict`: a missing or unreadable metrics file is an error instead of a warning.
    public static func load(leaderboard path: String, currentDirectory: String = FileManager.default.currentDirectoryPath,
                            strict: Bool = false) throws -> ReportInput {
        let board = try LeaderboardDocument.read(path)
        let boardDirectory = path == "-" ? currentDirectory
            : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
                .deletingLastPathComponent().path
        var warnings: [String] = []
        var models: [ReportModelSource] = []
        for entry in board.models {
            let name = entry.model
            let format = entry.format ?? "stick"
            guard format == "stick" else {
                models.append(ReportModelSource(metrics: nil, note: noDetails(format)))
                continue
            }
            guard let file = entry.file, !file.isEmpty else {
                let message = "model '\(name)': the leaderboard names no metrics file"
                if strict { throw StickError(message, file: path) }
                warnings.append(message)
                models.append(ReportModelSource(metrics: nil, note: "no metrics file recorded in the leaderboard"))
                continue
            }
            guard let resolved = resolve(file, currentDirectory: currentDirectory, boardDirectory: boardDirectory) else {
                let message = "model '\(name)': metrics file '\(file)' not found (tried the current directory and \(boardDirectory))"
                if strict { throw StickError(message, file: path) }
                warnings.append(message)
                models.append(ReportModelSource(metrics: nil, note: "metrics file '\(file)' not found"))
                continue
            }
            do {
                let doc = try MetricsDocument.read(resolved)
                if doc.model != name {
                    warnings.append("model '\(name)': its metrics file \(resolved) names the model '\(doc.model)'")
                }
                // Shown as the leaderboard lists it: the page stays the same wherever it is built.
                models.append(ReportModelSource(metrics: doc, path: file))
            } catch {
                if strict { throw error }
                warnings.append("model '\(name)': \(error)")
                models.append(ReportModelSource(metrics: nil, path: resolved, note: "metrics file unreadable: \(error)"))
            }
        }
        return ReportInput(leaderboard: board, leaderboardPath: path, models: models, warnings: warnings)
    }

    /// An absolute path as is; a relative one against the current directory, then the leaderboard's.
    static func resolve(_ file: String, currentDirectory: String, boardDirectory: String) -> String? {
        func exists(_ p: String) -> Bool {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: p, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        if file.hasPrefix("/") { return exists(file) ? file : nil }
        for base in [currentDirectory, boardDirectory] {
            let candidate = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: base, isDirectory: true)).standardized.path
            if exists(candidate) { return candidate }
        }
        return nil
    }
}
