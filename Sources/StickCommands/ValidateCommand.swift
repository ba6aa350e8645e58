// stick validate — check artifacts against their JSON Schemas.
// Its help (`--help`) is the configuration below: usage, description and examples live there only.
import ArgumentParser
import StickCLI
import Foundation
import StickArtifacts
import StickDataset

public struct ValidateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Validate artifacts against their schemas.",
        usage: """
            stick validate FILE|DIR… [--max-problems N]
            """,
        discussion: """
            FILE: any JSONL artifact (header line, then records), a JSON document (dataset.json, \
            MANIFEST.json), a design or model config (.yaml/.yml/.json), or a dataset directory. Compressed files and \
            ARCHIVE#MEMBER work too. Prints file:line: problem; exits 1 when any file has a problem.

            Examples:
              stick validate sessions.jsonl.zst
              stick validate data/value_stability pipelines/designs/demo.yaml
            """)

    @Argument(help: "Files or dataset directories.")
    var files: [String]

    @Option(name: .long, help: "Problems reported per file.")
    var maxProblems = 10

    @OptionGroup var inputLimits: InputLimitOptions

    public init() {}

    public func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one file") }
        guard maxProblems > 0 else { throw ValidationError("--max-problems must be positive") }
    }

    public func run() throws {
        inputLimits.apply()
        var failed = 0
        for target in try expand(files) {
            let report = try Validation.validate(target, limit: maxProblems)
            if report.ok {
                Console.out("ok  \(target)  (\(report.kind ?? "?") v\(report.version ?? 0), \(report.records) records)")
            } else {
                failed += 1
                for p in report.problems { Console.out("FAIL \(p)") }
            }
        }
        if failed > 0 { throw StickError("\(failed) file(s) failed validation") }
    }

    /// A dataset directory stands for its manifest and opener files.
    func expand(_ paths: [String]) throws -> [String] {
        try paths.flatMap { path -> [String] in
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return [path] }
            let manifest = (path as NSString).appendingPathComponent(Dataset.manifestFileName)
            guard FileManager.default.fileExists(atPath: manifest) else {
                throw StickError("a directory to validate must be a dataset (with \(Dataset.manifestFileName))", file: path)
            }
            let openers = (try? FileManager.default.contentsOfDirectory(atPath: (path as NSString).appendingPathComponent("openers"))) ?? []
            return [manifest] + openers.sorted().map { "\(path)/openers/\($0)" }
        }
    }
}

/// Validation of every kind of file, including YAML designs and model configs.
public enum Validation {
    public static func validate(_ file: String, limit: Int) throws -> ValidationReport {
        let lower = file.lowercased()
        guard lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") else { return try ArtifactValidation.validate(file: file, limit: limit) }
        let data = try Inputs.readAll(file)
        let text = String(decoding: data, as: UTF8.self)
        var report = ValidationReport(file: file, kind: nil, version: nil, records: 1, problems: [])
        let value: JSONValue
        do { value = try Design.jsonValue(fromYAML: text) } catch let e as StickError {
            report.problems.append(.init(file: file, line: nil, message: e.message))
            return report
        }
        // A model config says `stick: model` or, with the defaults, at least names its backend.
        let kind: ArtifactKind = value["stick"]?.stringValue == ArtifactKind.model.rawValue || value["backend"] != nil ? .model : .design
        report.kind = kind.rawValue
        report.version = value["version"]?.intValue ?? (kind == .model ? ArtifactKind.model.currentVersion : nil)
        try ArtifactValidation.validateDocument(value, kind: kind, file: file, report: &report, limit: limit)
        guard report.ok else { return report }
        do {
            if kind == .model { _ = try ModelConfig.parse(data, file: file) } else { _ = try Design.parse(text, file: file) }
        } catch let e as StickError {
            report.problems.append(.init(file: file, line: nil, message: e.message))
        }
        return report
    }
}
