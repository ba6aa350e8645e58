// `stick validate`: checks files against their kind's schema and reports file:line of the problems.
import Foundation

public struct ValidationProblem: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String
    public var description: String { StickError(message, file: file, line: line).description }

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
}

public struct ValidationReport: Sendable {
    public var file: String
    public var kind: String?
    public var version: Int?
    public var records: Int
    public var problems: [ValidationProblem]
    public var ok: Bool { problems.isEmpty }

    public init(file: String, kind: String?, version: Int?, records: Int, problems: [ValidationProblem]) {
        self.file = file
        self.kind = kind
        self.version = version
        self.records = records
        self.problems = problems
    }
}

public enum ArtifactValidation {
    public static func schemaName(_ kind: ArtifactKind) -> String { "\(kind.rawValue).schema.json" }

    /// Validates a JSONL artifact (header + records) or a JSON document, stopping after `limit` problems.
    public static func validate(file: String, limit: Int = 10) throws -> ValidationReport {
        var report = ValidationReport(file: file, kind: nil, version: nil, records: 0, problems: [])
        func problem(_ line: Int?, _ message: String) { report.problems.append(.init(file: file, line: line, message: message)) }

        let lines = try LineReader(path: file)
        defer { lines.close() }
        guard let first = try lines.next() else {
            problem(nil, "empty file")
            return report
        }
        // A JSONL artifact has a complete JSON header on its first line; otherwise read a JSON document.
        if let header = try? OrderedJSON.parse(Data(first)), case .object = header, header["stick"] != nil {
            guard let kind = try headerKind(header, file: file, report: &report) else { return report }
            if !kind.isLineOriented {
                // A one-line JSON document (e.g. a compact dataset.json).
                try validateDocument(header, kind: kind, file: file, report: &report, limit: limit)
                return report
            }
            let headerSchema = try SchemaValidator.embedded("header.schema.json")
            for v in headerSchema.validate(header, limit: limit) { problem(1, "header \(v)") }
            let recordSchema = try SchemaValidator.embedded(schemaName(kind))
            while report.problems.count < limit, let raw = try lines.nextNonBlank() {
                report.records += 1
                let value: JSONValue
                do { value = try OrderedJSON.parse(Data(raw)) } catch let e as StickError {
                    problem(lines.lineNumber, e.message.replacingOccurrences(of: " at line 1: ", with: ": "))
                    continue
                }
                for v in recordSchema.validate(value, limit: limit - report.problems.count) {
                    problem(lines.lineNumber, v.description)
                }
            }
            return report
        }
        let document: JSONValue
        do { document = try OrderedJSON.parse(try Inputs.readAll(file)) } catch let e as StickError {
            problem(nil, "not a stick artifact: no header line and not a JSON document (\(e.message))")
            return report
        }
        guard let kind = try headerKind(document, file: file, report: &report) else { return report }
        try validateDocument(document, kind: kind, file: file, report: &report, limit: limit)
        return report
    }

    private static func headerKind(_ header: JSONValue, file: String, report: inout ValidationReport) throws -> ArtifactKind? {
        guard let name = header["stick"]?.stringValue, let version = header["version"]?.intValue else {
            report.problems.append(.init(file: file, line: 1, message: "no \"stick\" kind and integer \"version\""))
            return nil
        }
        report.kind = name
        report.version = version
        guard let kind = ArtifactKind(rawValue: name) else {
            report.problems.append(.init(file: file, line: 1, message: "unknown artifact kind '\(name)' (known: "
                + ArtifactKind.allCases.map(\.rawValue).joined(separator: ", ") + ")"))
            return nil
        }
        guard kind.readableVersions.contains(version) else {
            report.problems.append(.init(file: file, line: 1, message: "'\(name)' version \(version) is not supported by \(stickToolName)"))
            return nil
        }
        return kind
    }

    /// Validates one JSON document of `kind` (documents carry no line numbers: problems name a JSON pointer).
    public static func validateDocument(_ document: JSONValue, kind: ArtifactKind, file: String,
                                        report: inout ValidationReport, limit: Int) throws {
        report.records = 1
        let schema = try SchemaValidator.embedded(schemaName(kind))
        for v in schema.validate(document, limit: limit) {
            report.problems.append(.init(file: file, line: nil, message: v.description))
        }
    }

    /// The schema violations of one document of `kind`.
    public static func validateDocument(_ document: JSONValue, kind: ArtifactKind, limit: Int = 20) throws -> [SchemaViolation] {
        try SchemaValidator.embedded(schemaName(kind)).validate(document, limit: limit)
    }
}
