// A JSON Schema validator for the subset of draft 2020-12 our schemas use: type, properties,
// required, additionalProperties, items, enum, const, minimum/maximum, minLength/maxLength, pattern,
// minItems/maxItems, anyOf, oneOf and local $ref. It reports where (a JSON pointer) and what failed.
import Foundation

public struct SchemaViolation: Equatable, Sendable, CustomStringConvertible {
    public var pointer: String
    public var message: String
    public var description: String { "\(pointer.isEmpty ? "/" : pointer): \(message)" }
}

public struct SchemaValidator: @unchecked Sendable {
    let root: JSONValue
    private var regexCache: [String: NSRegularExpression] = [:]

    public init(schemaText: String) throws {
        root = try OrderedJSON.parse(schemaText)
        var cache: [String: NSRegularExpression] = [:]
        collectPatterns(root, into: &cache)
        regexCache = cache
    }

    /// The schema embedded for `name` (e.g. "sessions.schema.json").
    public static func embedded(_ name: String) throws -> SchemaValidator {
        guard let text = EmbeddedSchemas.all[name] else { throw StickError("no embedded schema named \(name)") }
        return try SchemaValidator(schemaText: text)
    }

    private func collectPatterns(_ v: JSONValue, into cache: inout [String: NSRegularExpression]) {
        switch v {
        case .object(let o):
            if let p = o["pattern"]?.stringValue, let r = try? NSRegularExpression(pattern: p) { cache[p] = r }
            for (_, child) in o.pairs { collectPatterns(child, into: &cache) }
        case .array(let a): for child in a { collectPatterns(child, into: &cache) }
        default: break
        }
    }

    /// All violations of `value` (at most `limit`).
    public func validate(_ value: JSONValue, limit: Int = 20) -> [SchemaViolation] {
        var out: [SchemaViolation] = []
        check(value, against: root, at: "", into: &out, limit: limit)
        return out
    }

    private func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: JSONValue? = root
        for part in ref.dropFirst(2).split(separator: "/") {
            node = node?[String(part).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
        return node
    }

    private static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let d): return d.rounded() == d && d.magnitude <= OrderedJSON.maxExactInteger ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    private static func matches(_ v: JSONValue, type: String) -> Bool {
        let actual = typeName(v)
        return actual == type || (type == "number" && actual == "integer")
    }

    private func check(_ v: JSONValue, against schema: JSONValue, at pointer: String, into out: inout [SchemaViolation],
                       limit: Int) {
        guard out.count < limit else { return }
        func fail(_ m: String) { if out.count < limit { out.append(SchemaViolation(pointer: pointer, message: m)) } }
        if case .bool(let b) = schema {
            if !b { fail("not allowed here") }
            return
        }
        guard case .object(let s) = schema else { return }
        if let ref = s["$ref"]?.stringValue {
            guard let target = resolve(ref) else { fail("schema error: unresolved $ref \(ref)"); return }
            check(v, against: target, at: pointer, into: &out, limit: limit)
        }
        if let t = s["type"] {
            let types: [String]
            switch t {
            case .string(let one): types = [one]
            case .array(let many): types = many.compactMap(\.stringValue)
            default: types = []
            }
            if !types.contains(where: { Self.matches(v, type: $0) }) {
                fail("expected \(types.joined(separator: " or ")), found \(Self.typeName(v))")
                return
            }
        }
        if let c = s["const"], c != v { fail("must equal \(Self.render(c))") }
        if case .array(let options)? = s["enum"], !options.contains(v) {
            fail("must be one of \(options.map(Self.render).joined(separator: ", "))")
        }
        switch v {
        case .number(let d):
            if let m = s["minimum"], case .number(let min) = m, d < min { fail("must be ≥ \(Self.render(m))") }
            if let m = s["maximum"], case .number(let max) = m, d > max { fail("must be ≤ \(Self.render(m))") }
        case .string(let str):
            let length = str.unicodeScalars.count
            if let m = s["minLength"]?.intValue, length < m { fail("must have at least \(m) characters") }
            if let m = s["maxLength"]?.intValue, length > m { fail("must have at most \(m) characters") }
            if let p = s["pattern"]?.stringValue, let r = regexCache[p] {
                let range = NSRange(str.startIndex..., in: str)
                if r.firstMatch(in: str, range: range) == nil { fail("does not match the pattern \(p)") }
            }
        case .array(let items):
            if let m = s["minItems"]?.intValue, items.count < m { fail("must have at least \(m) items") }
            if let m = s["maxItems"]?.intValue, items.count > m { fail("must have at most \(m) items") }
            if let itemSchema = s["items"] {
                for (i, item) in items.enumerated() {
                    check(item, against: itemSchema, at: "\(pointer)/\(i)", into: &out, limit: limit)
                }
            }
        case .object(let o):
            if case .array(let required)? = s["required"] {
                for r in required.compactMap(\.stringValue) where o[r] == nil { fail("missing required property '\(r)'") }
            }
            let properties: JSONObject? = { if case .object(let p)? = s["properties"] { return p }; return nil }()
            for (key, child) in o.pairs {
                let childPointer = "\(pointer)/\(key)"
                if let ps = properties?[key] {
                    check(child, against: ps, at: childPointer, into: &out, limit: limit)
                } else if let extra = s["additionalProperties"] {
                    if case .bool(false) = extra {
                        if out.count < limit { out.append(SchemaViolation(pointer: childPointer, message: "unknown property")) }
                    } else {
                        check(child, against: extra, at: childPointer, into: &out, limit: limit)
                    }
                }
            }
        default: break
        }
        if case .array(let branches)? = s["anyOf"] {
            let ok = branches.contains { b in
                var sub: [SchemaViolation] = []
                check(v, against: b, at: pointer, into: &sub, limit: 1)
                return sub.isEmpty
            }
            if !ok { fail("matches none of the allowed forms") }
        }
        if case .array(let branches)? = s["oneOf"] {
            let count = branches.filter { b in
                var sub: [SchemaViolation] = []
                check(v, against: b, at: pointer, into: &sub, limit: 1)
                return sub.isEmpty
            }.count
            if count != 1 { fail(count == 0 ? "matches none of the allowed forms" : "matches more than one allowed form") }
        }
    }

    static func render(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return "\"\(s)\""
        case .number(let d): return d.rounded() == d && d.magnitude <= OrderedJSON.maxExactInteger ? String(Int64(d)) : String(d)
        case .bool(let b): return String(b)
        case .null: return "null"
        default: return "…"
        }
    }
}
