// What a report is built from: the leaderboard JSON written by `rank -o` and, for each of its
// models, the metrics JSON written by `score` (models[i].file). Relative metrics paths are tried
// against the current directory first, then against the leaderboard file's directory. A model
// ranked from the reference's analysis JSON (format "reference") or a leaderboard-input fixture has
// no metrics document: the report shows its leaderboard row only.
import Foundation
import StickArtifacts

/// One leaderboard model's details, when they could be found.
public struct ReportModelSource: Sendable {
    /// The metrics document written by `score` (`"stick": "metrics"`), nil when not available.
    public var metrics: JSONValue?
    /// The metrics file as the leaderboard lists it.
    public var path: String?
    /// Why there are no details (shown in the report), nil when `metrics` is set.
    public var note: String?

    public init(metrics: JSONValue?, path: String? = nil, note: String? = nil) {
        self.metrics = metrics
        self.path = path
        self.note = note
    }
}

public struct ReportInput: Sendable {
    /// The leaderboard document (`"stick": "leaderboard"`).
    public var leaderboard: JSONValue
    /// Where it was read from (shown in the report), if from a file.
    public var leaderboardPath: String?
    /// One entry per leaderboard model, in the leaderboard's order.
    public var models: [ReportModelSource]
    /// Problems met while loading (missing files, name mismatches); shown in the report.
    public var warnings: [String]

    /// Pairs a leaderboard with already loaded metrics documents (by position; nil = no details).
    public init(leaderboard: JSONValue, leaderboardPath: String? = nil, metrics: [JSONValue?], warnings: [String] = []) throws {
        try Self.check(leaderboard, file: leaderboardPath)
        let entries = leaderboard["models"]?.arrayValue ?? []
        guard metrics.count == entries.count else {
            throw StickError("\(metrics.count) metrics documents for \(entries.count) leaderboard models")
        }
        self.leaderboard = leaderboard
        self.leaderboardPath = leaderboardPath
        self.warnings = warnings
        models = zip(entries, metrics).map { entry, doc in
            if let doc { return ReportModelSource(metrics: doc) }
            let format = entry["format"]?.stringValue ?? "unknown"
            return ReportModelSource(metrics: nil, note: format == "stick" ? "metrics file not loaded" : Self.noDetails(format))
        }
    }

    init(leaderboard: JSONValue, leaderboardPath: String?, models: [ReportModelSource], warnings: [String]) {
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

    static func check(_ leaderboard: JSONValue, file: String?) throws {
        try ArtifactKind.leaderboard.require(leaderboard, file: file)
        guard let models = leaderboard["models"]?.arrayValue else { throw StickError("has no models array", file: file) }
        for (i, m) in models.enumerated() where m["model"]?.stringValue == nil {
            throw StickError("models[\(i)] has no model name", file: file)
        }
    }

    /// Reads the leaderboard at `path` and every stick metrics file it lists.
    /// `strict`: a missing or unreadable metrics file is an error instead of a warning.
    public static func load(leaderboard path: String, currentDirectory: String = FileManager.default.currentDirectoryPath,
                            strict: Bool = false) throws -> ReportInput {
        let board = try readJSON(path)
        try check(board, file: path)
        let boardDirectory = path == "-" ? currentDirectory
            : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
                .deletingLastPathComponent().path
        var warnings: [String] = []
        var models: [ReportModelSource] = []
        for entry in board["models"]?.arrayValue ?? [] {
            let name = entry["model"]?.stringValue ?? "?"
            let format = entry["format"]?.stringValue ?? "stick"
            guard format == "stick" else {
                models.append(ReportModelSource(metrics: nil, note: noDetails(format)))
                continue
            }
            guard let file = entry["file"]?.stringValue, !file.isEmpty else {
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
                let doc = try readJSON(resolved)
                try ArtifactKind.metrics.require(doc, file: resolved)
                if let inner = doc["model"]?.stringValue, inner != name {
                    warnings.append("model '\(name)': its metrics file \(resolved) names the model '\(inner)'")
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

    static func readJSON(_ path: String) throws -> JSONValue {
        let data = try Inputs.readAll(path)
        do {
            return try OrderedJSON.parse(data, pythonLiterals: true)
        } catch let e as StickError {
            throw e.located(file: path)
        }
    }
}
