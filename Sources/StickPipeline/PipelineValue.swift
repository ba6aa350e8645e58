// Values of pipeline variables: YAML scalars (kept as written), lists and ordered mappings.
import Foundation
import StickArtifacts
import Yams

/// A variable's value. Numbers keep their YAML spelling, so `${rate}` with `rate: 0.50` gives `0.50`.
public indirect enum PipelineValue: Hashable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case list([PipelineValue])
    case map([Entry])

    public struct Entry: Hashable, Sendable {
        public var key: String
        public var value: PipelineValue
        public init(_ key: String, _ value: PipelineValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value under `key` of a mapping.
    public subscript(key: String) -> PipelineValue? {
        guard case .map(let entries) = self else { return nil }
        return entries.first(where: { $0.key == key })?.value
    }

    public var isScalar: Bool {
        switch self {
        case .list, .map: return false
        default: return true
        }
    }

    /// The text a scalar interpolates to (nil for null, lists and mappings).
    public var scalarText: String? {
        switch self {
        case .bool(let b): return b ? "true" : "false"
        case .number(let s), .string(let s): return s
        case .null, .list, .map: return nil
        }
    }

    /// What kind of value this is, for messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }

    /// Compact YAML-flow-like text, for plans and messages: `[a, b]`, `{k: v}`.
    public var description: String {
        switch self {
        case .null: return "null"
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let entries): return "{" + entries.map { "\($0.key): \($0.value.description)" }.joined(separator: ", ") + "}"
        default: return scalarText ?? ""
        }
    }

    /// Canonical JSON text (sorted keys): how param values are compared with the lock.
    public var canonicalJSON: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let s):
            if let i = Int(s) { return String(i) }
            if let d = Double(s), d.isFinite {
                if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
                return "\(d)"
            }
            return PipelineValue.string(s).canonicalJSON
        case .string(let s):
            let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self)
        case .list(let items): return "[" + items.map(\.canonicalJSON).joined(separator: ",") + "]"
        case .map(let entries):
            let sorted = entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            return "{" + sorted.map { PipelineValue.string($0.key).canonicalJSON + ":" + $0.value.canonicalJSON }
                .joined(separator: ",") + "}"
        }
    }

    /// A YAML node as a value (no interpolation). Anchors and aliases are resolved by the parser.
    public init(node: Node) {
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: self = .null
            case Tag.Name.bool.rawValue: self = .bool(node.bool ?? false)
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue: self = .number(scalar.string)
            default: self = .string(scalar.string)
            }
        case .sequence(let seq): self = .list(seq.map { PipelineValue(node: $0) })
        case .mapping(let map): self = .map(map.map { Entry($0.key.string ?? "\($0.key)", PipelineValue(node: $0.value)) })
        case .alias: self = .null
        }
    }

    /// Parses `text` as a YAML value: a scalar (`3`, `true`, `x.yaml`) or a flow collection (`[a, b]`, `{k: v}`).
    public static func parseYAML(_ text: String) throws -> PipelineValue {
        if text.trimmingCharacters(in: .whitespaces).isEmpty { return .string(text) }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw StickError("cannot parse '\(text)' as a YAML value: \(error)")
        }
        guard let node else { return .null }
        return PipelineValue(node: node)
    }
}

extension PipelineValue: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int.self) { self = .number(String(i)); return }
        if let d = try? c.decode(Double.self) { self = .number("\(d)"); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let l = try? c.decode([PipelineValue].self) { self = .list(l); return }
        let m = try c.decode([String: PipelineValue].self)
        self = .map(m.keys.sorted().map { Entry($0, m[$0]!) })
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let s):
            if let i = Int(s) { try c.encode(i) } else if let d = Double(s), d.isFinite { try c.encode(d) } else { try c.encode(s) }
        case .string(let s): try c.encode(s)
        case .list(let l): try c.encode(l)
        case .map(let entries):
            var dict: [String: PipelineValue] = [:]
            for e in entries { dict[e.key] = e.value }
            try c.encode(dict)
        }
    }
}
