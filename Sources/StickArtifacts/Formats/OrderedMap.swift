// A JSON object whose keys carry an order (contexts, values, sub-models in the order the study lists
// them), with typed values: the maps of the metrics and leaderboard documents.
public struct OrderedMap<Value: Sendable>: Sendable {
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public init<S: Sequence>(keys: S, value: (String) throws -> Value) rethrows where S.Element == String {
        for k in keys { self[k] = try value(k) }
    }

    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var pairs: [(String, Value)] { keys.map { ($0, storage[$0]!) } }
    public var values: [Value] { keys.map { storage[$0]! } }
    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public func mapValues<T>(_ transform: (Value) throws -> T) rethrows -> OrderedMap<T> {
        OrderedMap<T>(try pairs.map { ($0.0, try transform($0.1)) })
    }

    /// The plain dictionary (order dropped).
    public var dictionary: [String: Value] { storage }

    /// `value`'s members converted by `convert`; `what` names the map in errors.
    public static func from(_ value: JSONValue?, _ what: String, _ convert: (JSONValue, String) throws -> Value) throws -> OrderedMap {
        guard case .object(let object)? = value else { throw StickError("\(what) is missing or not an object") }
        return OrderedMap(try object.pairs.map { ($0.0, try convert($0.1, "\(what).\($0.0)")) })
    }

    public func json(_ convert: (Value) -> JSONValue) -> JSONValue { .object(pairs.map { ($0.0, convert($0.1)) }) }
}

extension OrderedMap: Equatable where Value: Equatable {
    public static func == (a: OrderedMap, b: OrderedMap) -> Bool { a.keys == b.keys && a.storage == b.storage }
}

/// Reading statistics out of JSON: a number, or NaN for null (NaN and infinities are written as null).
public enum JSONRead {
    public static func number(_ v: JSONValue?, _ what: String) throws -> Double {
        switch v {
        case .number(let d)?: return d
        case .null?: return .nan
        default: throw StickError("\(what) is missing or not a number")
        }
    }

    public static func int(_ v: JSONValue?, _ what: String) throws -> Int {
        guard let i = v?.intValue else { throw StickError("\(what) is missing or not an integer") }
        return i
    }

    /// A seed: a non-negative integer (JSON holds it exactly up to 2^53).
    public static func seed(_ v: JSONValue?, _ what: String) throws -> UInt64 {
        guard case .number(let d)? = v, let seed = UInt64(exactly: d) else { throw StickError("\(what) is missing or not a seed") }
        return seed
    }

    public static func string(_ v: JSONValue?, _ what: String) throws -> String {
        guard let s = v?.stringValue else { throw StickError("\(what) is missing or not a string") }
        return s
    }

    public static func bool(_ v: JSONValue?, _ what: String) throws -> Bool {
        guard case .bool(let b)? = v else { throw StickError("\(what) is missing or not a boolean") }
        return b
    }

    public static func array(_ v: JSONValue?, _ what: String) throws -> [JSONValue] {
        guard case .array(let a)? = v else { throw StickError("\(what) is missing or not an array") }
        return a
    }

    public static func numbers(_ v: JSONValue?, _ what: String) throws -> [Double] {
        try array(v, what).enumerated().map { try number($1, "\(what)[\($0)]") }
    }

    public static func strings(_ v: JSONValue?, _ what: String) throws -> [String] {
        try array(v, what).enumerated().map { try string($1, "\(what)[\($0)]") }
    }
}
