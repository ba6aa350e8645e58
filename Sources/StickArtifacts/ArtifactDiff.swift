// Comparing two artifacts of one kind, record by record (`stick diff`) and a stored artifact with its
// recomputation (`stick audit`): records are matched by their key — (session, step) for responses,
// (context, persona, item) for answers, the session id for sessions — and JSON documents (metrics,
// leaderboards) leaf by leaf along their paths. Numbers compare bit for bit.
import Foundation

/// One field that differs: its path inside the record (`content`, `rank_order.per_value.Power`), the
/// value in A (or the stored value) and in B (or the recomputed value); nil where the field is absent.
public struct FieldDifference: Equatable, Sendable {
    public var path: String
    public var a: JSONValue?
    public var b: JSONValue?

    public init(path: String, a: JSONValue?, b: JSONValue?) {
        self.path = path
        self.a = a
        self.b = b
    }

    /// A short rendering of a value for tables and messages ("absent" when missing).
    public static func show(_ value: JSONValue?, limit: Int = 80) -> String {
        guard let value else { return "absent" }
        let text = value.serialized()
        return text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}

public enum JSONDiff {
    /// The leaves where `a` and `b` differ, depth first in A's key order (then B's new keys), at most
    /// `limit`. `ignore` is asked with each path and skips it (and what is below it).
    public static func differences(_ a: JSONValue?, _ b: JSONValue?, path: String = "", limit: Int = .max,
                                   ignore: (String) -> Bool = { _ in false }) -> [FieldDifference] {
        var out: [FieldDifference] = []
        walk(a, b, path: path, limit: limit, ignore: ignore, into: &out)
        return out
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    static func walk(_ a: JSONValue?, _ b: JSONValue?, path: String, limit: Int, ignore: (String) -> Bool,
                     into out: inout [FieldDifference]) {
        guard out.count < limit, !ignore(path) else { return }
        switch (a, b) {
        case (.object(let x)?, .object(let y)?):
            for key in x.keys { walk(x[key], y[key], path: join(path, key), limit: limit, ignore: ignore, into: &out) }
            for key in y.keys where x[key] == nil { walk(nil, y[key], path: join(path, key), limit: limit, ignore: ignore, into: &out) }
        case (.array(let x)?, .array(let y)?) where x.count == y.count:
            for i in x.indices { walk(x[i], y[i], path: "\(path)[\(i)]", limit: limit, ignore: ignore, into: &out) }
        case (.number(let x)?, .number(let y)?):
            if x.bitPattern != y.bitPattern && !(x.isNaN && y.isNaN) { out.append(FieldDifference(path: path, a: a, b: b)) }
        default:
            if a != b { out.append(FieldDifference(path: path, a: a, b: b)) }
        }
    }

    /// Paths of the provenance names (`inputs[N].name`): paths, which differ between machines while the
    /// sha256 beside them does not.
    public static func isInputName(_ path: String) -> Bool {
        path.hasPrefix("inputs[") && path.hasSuffix("].name")
    }
}

/// An artifact read whole for comparing: its kind, header (JSONL kinds) or document, and its records
/// keyed, with their line numbers.
public struct KeyedArtifact: Sendable {
    public var name: String
    public var kind: ArtifactKind
    /// The header line (JSONL kinds) or the whole document (JSON kinds).
    public var header: JSONValue
    public var keys: [String] = []
    public var records: [String: (line: Int, value: JSONValue)] = [:]

    /// The record key of each JSONL kind.
    public static func key(of record: JSONValue, kind: ArtifactKind) -> String? {
        func s(_ k: String) -> String? {
            guard let v = record[k] else { return nil }
            if let t = v.stringValue { return t }
            if let i = v.intValue { return String(i) }
            return nil
        }
        switch kind {
        case .sessions: return s("id")
        case .responses: return s("session").flatMap { a in s("step").map { "(\(a), \($0))" } }
        case .answers:
            guard let c = s("context"), let p = s("persona_index"), let i = s("item") else { return nil }
            return "(\(c), \(p), \(i))"
        case .openers: return s("index") ?? s("text")
        default: return nil
        }
    }

    /// Reads `path` (any compression; `archive.tar#member` too), line limits applied.
    public static func read(_ path: String) throws -> KeyedArtifact {
        guard let (kindName, _) = try sniffArtifact(path) else {
            throw StickError("is not a stick artifact (no {\"stick\": KIND, \"version\": N} header)", file: path)
        }
        guard let kind = ArtifactKind(rawValue: kindName) else { throw StickError("unknown artifact kind '\(kindName)'", file: path) }
        if !kind.isLineOriented {
            let data = try Inputs.readAll(path, limit: max(InputLimits.maxLineBytes, 256 << 20))
            let document: JSONValue
            do { document = try OrderedJSON.parse(data) } catch { throw StickError("invalid JSON: \(error)", file: path) }
            try kind.require(document, file: path)
            return KeyedArtifact(name: path, kind: kind, header: document)
        }
        let lines = try LineReader(path: path)
        defer { lines.close() }
        guard let first = try lines.next() else { throw StickError("empty input", file: path, line: 1) }
        let header: JSONValue
        do { header = try OrderedJSON.parse(Data(first)) } catch { throw StickError("invalid header: \(error)", file: path, line: 1) }
        try kind.require(found: header["stick"]?.stringValue, version: header["version"]?.intValue, file: path, line: 1)
        var artifact = KeyedArtifact(name: path, kind: kind, header: header)
        while let raw = try lines.nextNonBlank() {
            let record: JSONValue
            do { record = try OrderedJSON.parse(Data(raw)) } catch {
                throw StickError("invalid JSON: \(error)", file: path, line: lines.lineNumber)
            }
            guard let key = key(of: record, kind: kind) else {
                throw StickError("a '\(kind.rawValue)' record without its key fields", file: path, line: lines.lineNumber)
            }
            guard artifact.records[key] == nil else {
                throw StickError("record \(key) appears twice (first on line \(artifact.records[key]!.line))", file: path, line: lines.lineNumber)
            }
            artifact.keys.append(key)
            artifact.records[key] = (lines.lineNumber, record)
        }
        return artifact
    }
}

/// What differs between two artifacts of one kind.
public struct ArtifactComparison: Sendable {
    public struct Changed: Sendable {
        public var key: String
        public var lineA: Int
        public var lineB: Int
        public var fields: [FieldDifference]
    }

    public var kind: ArtifactKind
    /// Header (JSONL kinds) or document (JSON kinds) fields that differ.
    public var header: [FieldDifference]
    public var onlyInA: [(key: String, line: Int)]
    public var onlyInB: [(key: String, line: Int)]
    public var changed: [Changed]

    public var identical: Bool { header.isEmpty && onlyInA.isEmpty && onlyInB.isEmpty && changed.isEmpty }

    /// Compares `a` and `b` (which must be of one kind); `ignoreHeader` skips header paths.
    public static func compare(_ a: KeyedArtifact, _ b: KeyedArtifact,
                               ignoreHeader: (String) -> Bool = { _ in false }) throws -> ArtifactComparison {
        guard a.kind == b.kind else {
            throw StickError("cannot compare a '\(a.kind.rawValue)' artifact (\(a.name)) with a '\(b.kind.rawValue)' one (\(b.name))")
        }
        var result = ArtifactComparison(kind: a.kind, header: JSONDiff.differences(a.header, b.header, ignore: ignoreHeader),
                                        onlyInA: [], onlyInB: [], changed: [])
        for key in a.keys {
            let (lineA, recordA) = a.records[key]!
            guard let (lineB, recordB) = b.records[key] else { result.onlyInA.append((key, lineA)); continue }
            let fields = JSONDiff.differences(recordA, recordB)
            if !fields.isEmpty { result.changed.append(Changed(key: key, lineA: lineA, lineB: lineB, fields: fields)) }
        }
        for key in b.keys where a.records[key] == nil { result.onlyInB.append((key, b.records[key]!.line)) }
        return result
    }
}
