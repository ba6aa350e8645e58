// Self-describing artifacts: a JSONL file opens with a header line naming its kind and version and
// its provenance; readers check both and refuse what they do not know.
import StickDigest
import Foundation

public let stickToolVersion = "0.1.0"
public let stickToolName = "stick \(stickToolVersion)"

/// Every artifact kind the toolkit reads or writes, with the version this build writes.
public enum ArtifactKind: String, CaseIterable, Codable, Sendable {
    case dataset
    case openers
    case design
    case sessions
    case responses
    case answers
    case model
    case manifest
    case metrics
    case leaderboard

    /// The version this build writes; readers accept exactly the versions in `readableVersions`.
    public var currentVersion: Int { 1 }
    public var readableVersions: Set<Int> { [1] }

    /// The one check every reader makes: `found` is this kind, at a version this build reads.
    public func require(found: String?, version: Int?, file: String?, line: Int? = nil) throws {
        guard let found else {
            throw StickError("is not a stick '\(rawValue)' document: no \"stick\" kind", file: file, line: line)
        }
        guard found == rawValue else { throw StickError("expected a '\(rawValue)' artifact, found '\(found)'", file: file, line: line) }
        guard let version else { throw StickError("'\(rawValue)' has no integer \"version\"", file: file, line: line) }
        guard readableVersions.contains(version) else {
            let known = readableVersions.sorted().map(String.init).joined(separator: ", ")
            throw StickError(
                "'\(rawValue)' version \(version) is not supported by \(stickToolName) (it reads version \(known)); "
                    + "use the tool version that wrote it or convert the file", file: file, line: line)
        }
    }

    /// The same check for a JSON document's top-level `stick` and `version`.
    public func require(_ document: JSONValue, file: String?) throws {
        try require(found: document["stick"]?.stringValue, version: document["version"]?.intValue, file: file)
    }

    /// JSONL kinds carry a header line; the others are single JSON (or YAML) documents.
    public var isLineOriented: Bool {
        switch self {
        case .openers, .sessions, .responses, .answers: return true
        case .dataset, .design, .model, .manifest, .metrics, .leaderboard: return false
        }
    }
}

/// Where an input came from, so an artifact names exactly what it was made of.
public struct InputProvenance: Codable, Equatable, Sendable {
    public var role: String
    public var name: String
    public var sha256: String

    public init(role: String, name: String, sha256: String) {
        self.role = role
        self.name = name
        self.sha256 = sha256
    }
}

/// The first line of every JSONL artifact.
public struct ArtifactHeader: Codable, Equatable, Sendable {
    public var stick: String
    public var version: Int
    public var tool: String
    public var params: JSONObject
    public var inputs: [InputProvenance]
    public var summary: JSONObject?

    public init(kind: ArtifactKind, params: JSONObject = JSONObject(), inputs: [InputProvenance] = [],
                summary: JSONObject? = nil) {
        stick = kind.rawValue
        version = kind.currentVersion
        tool = stickToolName
        self.params = params
        self.inputs = inputs
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey { case stick, version, tool, params, inputs, summary }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        stick = try c.decode(String.self, forKey: .stick)
        version = try c.decode(Int.self, forKey: .version)
        tool = try c.decodeIfPresent(String.self, forKey: .tool) ?? "unknown"
        params = try c.decodeIfPresent(JSONObject.self, forKey: .params) ?? JSONObject()
        inputs = try c.decodeIfPresent([InputProvenance].self, forKey: .inputs) ?? []
        summary = try c.decodeIfPresent(JSONObject.self, forKey: .summary)
    }

    /// Checks that this header is of `kind` at a version this build reads.
    public func require(_ kind: ArtifactKind, file: String) throws {
        try kind.require(found: stick, version: version, file: file, line: 1)
    }
}

/// Shared JSON coders: UTF-8 text as is, slashes unescaped, keys sorted so the same content always
/// gives the same bytes (Foundation's encoder otherwise orders keys by a per-process hash).
public enum StickJSON {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.withoutEscapingSlashes, .prettyPrinted, .sortedKeys] : [.withoutEscapingSlashes, .sortedKeys]
        return e
    }

    /// The header line: `{"stick":KIND,"version":N,…}` first, so `head -1` tells what a file is.
    public static func headerLine(_ header: ArtifactHeader) throws -> Data {
        guard case .object(let sorted) = try OrderedJSON.parse(try encoder().encode(header)) else {
            throw StickError("cannot encode the header")
        }
        var ordered = JSONObject([("stick", .string(header.stick)), ("version", .number(Double(header.version)))])
        for (k, v) in sorted.pairs where k != "stick" && k != "version" { ordered[k] = v }
        return Data((JSONValue.object(ordered).serialized() + "\n").utf8)
    }

    public static func line<T: Encodable>(_ value: T) throws -> Data {
        var d = try encoder().encode(value)
        d.append(0x0A)
        return d
    }
}

public enum SHA256Hex {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    public static func of(_ data: Data) -> String { hex(SHA256Hasher.hash(data: data)) }
    public static func of(_ string: String) -> String { of(Data(string.utf8)) }

    /// Streams a file (decompressing nothing) through SHA-256.
    public static func ofFile(_ path: String) throws -> (sha256: String, size: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StickError("cannot open for hashing", file: path)
        }
        defer { try? handle.close() }
        var hasher = SHA256Hasher()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return (hex(hasher.finalize()), size)
    }

    /// Lowercase hex; a lookup table, since `String(format:)` per byte costs more than the hash itself.
    public static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Reads a JSONL artifact: checks the header, then decodes records one line at a time.
public final class JSONLReader<Record: Decodable> {
    public let header: ArtifactHeader
    public let name: String
    private let lines: LineReader
    private let decoder = JSONDecoder()

    public convenience init(path: String, kind: ArtifactKind) throws {
        try self.init(lines: try LineReader(path: path), kind: kind)
    }

    /// Reads from an open source (e.g. a `ConfinedFile`), named `name` in messages.
    public convenience init(source: ByteSource, name: String, kind: ArtifactKind) throws {
        try self.init(lines: LineReader(source, name: name), kind: kind)
    }

    init(lines: LineReader, kind: ArtifactKind) throws {
        self.lines = lines
        name = lines.name
        guard let first = try lines.next() else {
            lines.close()
            throw StickError("empty input: expected a '\(kind.rawValue)' header line", file: name, line: 1)
        }
        do {
            header = try decoder.decode(ArtifactHeader.self, from: Data(first))
        } catch {
            lines.close()
            throw StickError(
                "the first line is not a stick artifact header ({\"stick\": KIND, \"version\": N, …}): "
                    + describeDecodingError(error), file: name, line: 1)
        }
        do { try header.require(kind, file: name) } catch {
            lines.close()
            throw error
        }
    }

    /// The next record with its line number, or nil at the end. Blank lines are skipped, and so are
    /// lines whose number `include` rejects (without decoding them).
    public func next(including include: (Int) -> Bool = { _ in true }) throws -> (line: Int, record: Record)? {
        while let raw = try lines.nextNonBlank() {
            if !include(lines.lineNumber) { continue }
            if let fast = Record.self as? any FastDecodable.Type,
               let record = raw.withUnsafeBufferPointer({ fast.fastDecode($0) }) as? Record {
                return (lines.lineNumber, record)
            }
            do {
                return (lines.lineNumber, try decoder.decode(Record.self, from: Data(raw)))
            } catch {
                throw StickError(describeDecodingError(error), file: name, line: lines.lineNumber)
            }
        }
        return nil
    }

    public func readAll() throws -> [Record] {
        var out: [Record] = []
        while let (_, r) = try next() { out.append(r) }
        return out
    }

    public func close() { lines.close() }
    deinit { lines.close() }
}

/// Writes a JSONL artifact: header first, then one record per line.
public final class JSONLWriter {
    public let output: OutputFile
    private let encoder = StickJSON.encoder()
    public private(set) var count = 0

    public init(output: OutputFile, header: ArtifactHeader) throws {
        self.output = output
        try output.write(try StickJSON.headerLine(header))
    }

    public func write<T: Encodable>(_ record: T) throws {
        var d = try encoder.encode(record)
        d.append(0x0A)
        try output.write(d)
        count += 1
    }
}

/// Reads the kind and version of any artifact file from its first bytes: the header line of a JSONL
/// artifact, or the top-level `stick`/`version` of a JSON document of at most `documentLimit` bytes.
/// Anything else (binary data, CSV, text) is told apart within the first 64 KiB, so `pack` sniffs a
/// file of any size at once.
public func sniffArtifact(_ path: String, documentLimit: Int = 16 << 20) throws -> (kind: String, version: Int)? {
    let source = try Inputs.open(path)
    defer { source.close() }
    var bytes = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var atEnd = false
    func readMore() throws {
        let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0.baseAddress!, count: $0.count) }
        if n == 0 { atEnd = true } else { bytes.append(contentsOf: chunk[0..<n]) }
    }
    try readMore()
    guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{") else {
        return nil
    }
    let firstLine = bytes.firstIndex(of: 0x0A).map { bytes[..<$0] } ?? (atEnd ? bytes[...] : nil)
    if let firstLine, let header = try? JSONDecoder().decode(ArtifactHeader.self, from: Data(firstLine)) {
        return (header.stick, header.version)
    }
    // A pretty-printed JSON document: its kind may come last (sorted keys), so read it whole if small.
    while !atEnd {
        guard bytes.count <= documentLimit else { return nil }
        try readMore()
    }
    if let object = try? OrderedJSON.parse(Data(bytes)),
       let kind = object["stick"]?.stringValue, let version = object["version"]?.intValue {
        return (kind, version)
    }
    return nil
}
