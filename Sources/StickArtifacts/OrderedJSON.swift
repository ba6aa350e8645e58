// A small strict JSON parser that keeps object keys in document order (Foundation's decoders do not),
// for files whose key order carries meaning, such as the reference's `values.json`.
import Foundation

public enum OrderedJSON {
    /// 2^53: every integer up to it is exactly a double; beyond it they are rounded.
    public static let maxExactInteger: Double = 9_007_199_254_740_992

    /// `pythonLiterals` also accepts NaN, Infinity and -Infinity, which Python's json.dump writes (the
    /// reference's analysis JSON holds NaN).
    public static func parse(_ data: Data, pythonLiterals: Bool = false) throws -> JSONValue {
        try data.withUnsafeBytes { raw in
            var p = Parser(bytes: raw.bindMemory(to: UInt8.self), pythonLiterals: pythonLiterals)
            p.skipWhitespace()
            let v = try p.value(depth: 0)
            p.skipWhitespace()
            guard p.i == p.bytes.count else { throw p.error("unexpected text after the JSON value") }
            return v
        }
    }

    public static func parse(_ text: String) throws -> JSONValue { try parse(Data(text.utf8)) }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        let pythonLiterals: Bool
        var i = 0

        func error(_ message: String) -> StickError {
            let prefix = bytes[..<min(i, bytes.count)]
            let line = prefix.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            return StickError("invalid JSON at line \(line): \(message)")
        }

        mutating func skipWhitespace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        mutating func expect(_ literal: String) throws {
            for b in literal.utf8 {
                guard i < bytes.count, bytes[i] == b else { throw error("expected '\(literal)'") }
                i += 1
            }
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < 512 else { throw error("nesting too deep") }
            guard i < bytes.count else { throw error("unexpected end of input") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var object = JSONObject()
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(object) }
                while true {
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a key string") }
                    let key = try string()
                    skipWhitespace()
                    try expect(":")
                    skipWhitespace()
                    object[key] = try value(depth: depth + 1)
                    skipWhitespace()
                    guard i < bytes.count else { throw error("unterminated object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(object) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var array: [JSONValue] = []
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(array) }
                while true {
                    skipWhitespace()
                    array.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard i < bytes.count else { throw error("unterminated array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(array) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            case UInt8(ascii: "N") where pythonLiterals: try expect("NaN"); return .number(.nan)
            case UInt8(ascii: "I") where pythonLiterals: try expect("Infinity"); return .number(.infinity)
            case UInt8(ascii: "-") where pythonLiterals && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "I"):
                try expect("-Infinity")
                return .number(-.infinity)
            default:
                return .number(try number())
            }
        }

        /// JSON's number grammar, strictly; a number that is not a finite double, or an integer beyond
        /// 2^53 (which a double cannot hold exactly), is an error rather than a silently changed value.
        mutating func number() throws -> Double {
            let start = i
            func digits() -> Int {
                let from = i
                while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
                return i - from
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, (0x30...0x39).contains(bytes[i]) else { throw error("invalid value") }
            if bytes[i] == UInt8(ascii: "0") { i += 1 } else { _ = digits() }
            var integral = true
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                integral = false
                i += 1
                guard digits() > 0 else { throw error("invalid number: no digit after '.'") }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                integral = false
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { throw error("invalid number: no digit in the exponent") }
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard let d = Double(text) else { throw error("invalid number '\(text)'") }
            guard d.isFinite else { throw error("number \(text.prefix(40)) is out of range (beyond the largest double)") }
            // A double rounds 2^53 + 1 down to 2^53: judge integers by their digits.
            if integral, d.magnitude > OrderedJSON.maxExactInteger || Int64(text).map({ $0.magnitude > 1 << 53 }) ?? true {
                throw error("integer \(text.prefix(40)) is out of range (beyond ±2^53, not exactly representable)")
            }
            return d
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16)
            else { throw error("invalid \\u escape") }
            i += 4
            return v
        }

        mutating func string() throws -> String {
            i += 1  // opening quote
            var out: [UInt8] = []
            while true {
                // A run of plain bytes is copied at once (a long string costs a scan, not an append per byte).
                let runStart = i
                while i < bytes.count, bytes[i] >= 0x20, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
                if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                guard i < bytes.count else { throw error("unterminated string") }
                let b = bytes[i]
                i += 1
                if b == UInt8(ascii: "\"") { break }
                if b < 0x20 { throw error("control character in string") }
                if b != UInt8(ascii: "\\") { out.append(b); continue }
                guard i < bytes.count else { throw error("unterminated escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar), i + 6 <= bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75 {
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid unicode escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw error("invalid escape")
                }
            }
            guard let s = String(validatingUTF8CString: out) else { throw error("invalid UTF-8 in string") }
            return s
        }
    }
}

extension String {
    /// Decodes UTF-8 bytes, nil if they are not valid UTF-8.
    init?(validatingUTF8CString bytes: [UInt8]) {
        guard let s = String(validating: bytes, as: UTF8.self) else { return nil }
        self = s
    }
}
