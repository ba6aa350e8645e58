// A forward-only reader of JSON bytes for hand-written decoders on hot paths (the sessions `query`
// reads twice: JSONDecoder was most of its JSON time). It reads only the plain shapes our writers
// emit and throws `Unsupported` at anything else — unknown or repeated keys, numbers that are not
// plain integers, invalid text —, so a caller falls back to JSONDecoder, which decides (and words
// any error) exactly as before.
public struct JSONScanner {
    public struct Unsupported: Error { public init() {} }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    /// Objects and arrays open around the current position; deeper input is unsupported (no deep recursion).
    private var depth = 0

    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Decodes a whole document with `body`, or nil when the fast path cannot (the caller falls back).
    public static func decode<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (inout JSONScanner) throws -> T) -> T? {
        var scanner = JSONScanner(bytes)
        do {
            scanner.skipWhitespace()
            let value = try body(&scanner)
            scanner.skipWhitespace()
            return scanner.i == bytes.count ? value : nil
        } catch {
            return nil
        }
    }

    private mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private mutating func enter() throws {
        guard depth < 64 else { throw Unsupported() }
        depth += 1
    }

    private mutating func consume(_ byte: UInt8) throws {
        skipWhitespace()
        guard i < bytes.count, bytes[i] == byte else { throw Unsupported() }
        i += 1
    }

    /// Consumes a `null` if one comes next (optional members: null counts as absent, as in Codable).
    public mutating func null() -> Bool {
        skipWhitespace()
        guard i + 4 <= bytes.count, bytes[i] == UInt8(ascii: "n"), bytes[i + 1] == UInt8(ascii: "u"),
              bytes[i + 2] == UInt8(ascii: "l"), bytes[i + 3] == UInt8(ascii: "l") else { return false }
        i += 4
        return true
    }

    /// The member names an object may have, as bytes (compared without making strings).
    public struct Keys: Sendable {
        let names: [[UInt8]]
        public init(_ names: [String]) {
            precondition(names.count <= 64)
            self.names = names.map { Array($0.utf8) }
        }
    }

    /// An object's members: `member` gets the position in `keys` of each member's name and must read its
    /// value. An unknown name, a name with escapes or one seen twice is unsupported (decoders disagree on
    /// which of two wins).
    /// With `skippingOthers`, members of other names are read past (strictly, see `skipValue`).
    public mutating func object(_ keys: Keys, skippingOthers: Bool = false,
                                _ member: (inout JSONScanner, Int) throws -> Void) throws {
        try consume(UInt8(ascii: "{"))
        try enter()
        defer { depth -= 1 }
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return }
        var seen: UInt64 = 0
        while true {
            try consume(UInt8(ascii: "\""))
            let start = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Unsupported() }
            let name = UnsafeBufferPointer(rebasing: bytes[start..<i])
            i += 1
            let known = keys.names.firstIndex(where: { $0.elementsEqual(name) })
            try consume(UInt8(ascii: ":"))
            if let k = known {
                guard seen & (1 << k) == 0 else { throw Unsupported() }
                seen |= 1 << k
                try member(&self, k)
            } else {
                guard skippingOthers else { throw Unsupported() }
                try skipValue()
            }
            skipWhitespace()
            guard i < bytes.count else { throw Unsupported() }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return }
            throw Unsupported()
        }
    }

    /// An array's elements, each read by `element`.
    public mutating func array<T>(_ element: (inout JSONScanner) throws -> T) throws -> [T] {
        try consume(UInt8(ascii: "["))
        try enter()
        defer { depth -= 1 }
        var out: [T] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return out }
        while true {
            out.append(try element(&self))
            skipWhitespace()
            guard i < bytes.count else { throw Unsupported() }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return out }
            throw Unsupported()
        }
    }

    /// Reads past one value, as strictly as a parse (plain integers only among numbers).
    public mutating func skipValue() throws {
        skipWhitespace()
        guard i < bytes.count else { throw Unsupported() }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            try object(Keys([]), skippingOthers: true) { _, _ in }
        case UInt8(ascii: "["):
            _ = try array { try $0.skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): guard null() else { throw Unsupported() }
        default: _ = try int()
        }
    }

    public mutating func strings() throws -> [String] { try array { try $0.string() } }
    public mutating func ints() throws -> [Int] { try array { try $0.int() } }

    /// A plain integer (`-?(0|[1-9][0-9]*)`, at most 18 digits, no "-0"); anything else is unsupported.
    public mutating func int() throws -> Int {
        skipWhitespace()
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        let start = i
        var value = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            value = value * 10 + Int(bytes[i] - 0x30)
            i += 1
        }
        let digits = i - start
        guard digits >= 1, digits <= 18, !(digits > 1 && bytes[start] == 0x30), !(negative && value == 0) else { throw Unsupported() }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            throw Unsupported()
        }
        return negative ? -value : value
    }

    public mutating func bool() throws -> Bool {
        skipWhitespace()
        if i + 4 <= bytes.count, bytes[i] == UInt8(ascii: "t"), bytes[i + 1] == UInt8(ascii: "r"),
           bytes[i + 2] == UInt8(ascii: "u"), bytes[i + 3] == UInt8(ascii: "e") { i += 4; return true }
        if i + 5 <= bytes.count, bytes[i] == UInt8(ascii: "f"), bytes[i + 1] == UInt8(ascii: "a"),
           bytes[i + 2] == UInt8(ascii: "l"), bytes[i + 3] == UInt8(ascii: "s"), bytes[i + 4] == UInt8(ascii: "e") {
            i += 5
            return false
        }
        throw Unsupported()
    }

    /// A string: runs without escapes are copied in bulk; the text must be valid UTF-8 with no raw
    /// control characters, and \u escapes must not leave a lone surrogate.
    public mutating func string() throws -> String {
        try consume(UInt8(ascii: "\""))
        let start = i
        // The common case: no escape before the closing quote.
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                defer { i += 1 }
                return try Self.text(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            }
            if b == UInt8(ascii: "\\") { break }
            guard b >= 0x20 else { throw Unsupported() }
            i += 1
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            switch b {
            case UInt8(ascii: "\""):
                return try out.withUnsafeBufferPointer { try Self.text($0) }
            case UInt8(ascii: "\\"):
                guard i < bytes.count else { throw Unsupported() }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { throw Unsupported() }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Unsupported() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw Unsupported()
                    }
                    guard let s = Unicode.Scalar(scalar) else { throw Unsupported() }
                    out.append(contentsOf: UTF8.encode(s)!)
                default: throw Unsupported()
                }
            default:
                guard b >= 0x20 else { throw Unsupported() }
                out.append(b)
            }
        }
        throw Unsupported()
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw Unsupported() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let digit: UInt8
            switch b {
            case 0x30...0x39: digit = b - 0x30
            case 0x61...0x66: digit = b - 0x61 + 10
            case 0x41...0x46: digit = b - 0x41 + 10
            default: throw Unsupported()
            }
            v = v << 4 | UInt32(digit)
            i += 1
        }
        return v
    }

    private static func text(_ utf8: UnsafeBufferPointer<UInt8>) throws -> String {
        guard let s = String(validating: utf8, as: UTF8.self) else { throw Unsupported() }
        return s
    }
}
