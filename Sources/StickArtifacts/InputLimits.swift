// Bounds on what any reader accepts, so that a hostile or broken input ends in a clear error instead of
// a hang or exhausted memory: the longest line of a JSONL/CSV stream, and the largest JSON document.
import Foundation

public enum InputLimits {
    /// 256 MiB: far above any real record (the longest request of a run is a few hundred KB).
    public static let defaultMaxLineBytes = 256 << 20

    private static let lock = NSLock()
    nonisolated(unsafe) private static var configuredMaxLineBytes: Int?

    /// The longest line, and the largest whole JSON document, a reader accepts. `--max-line-bytes`
    /// sets it for a command; `STICK_MAX_LINE_BYTES` for every command of a process tree.
    public static var maxLineBytes: Int {
        get {
            lock.lock()
            defer { lock.unlock() }
            if let configuredMaxLineBytes { return configuredMaxLineBytes }
            let fromEnvironment = ProcessInfo.processInfo.environment["STICK_MAX_LINE_BYTES"].flatMap(parseByteCount)
            configuredMaxLineBytes = fromEnvironment ?? defaultMaxLineBytes
            return configuredMaxLineBytes!
        }
        set {
            lock.lock()
            defer { lock.unlock() }
            configuredMaxLineBytes = newValue
        }
    }

    /// `1048576`, `64K`, `256M`, `2G` (binary units) → bytes; nil for anything else.
    public static func parseByteCount(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(t)
        var scale = 1
        if let last = t.last?.uppercased().first, let u = units[last] {
            scale = u
            digits = t.dropLast()
            if digits.last == "i" { digits = digits.dropLast() }  // "256Mi" reads like "256M"
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int(digits), n > 0 else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }

    /// `268435456` → "256 MiB" for messages.
    public static func describe(_ bytes: Int) -> String {
        for (unit, name) in [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        where bytes >= unit && bytes % unit == 0 {
            return "\(bytes / unit) \(name)"
        }
        return "\(bytes) bytes"
    }

    /// The error of a line or document over the limit, with how to raise it.
    static func tooLong(_ what: String, limit: Int, file: String, line: Int?) -> StickError {
        StickError("\(what) than \(limit) bytes (\(describe(limit))); raise the limit with --max-line-bytes "
            + "or STICK_MAX_LINE_BYTES if the input is genuine", file: file, line: line)
    }
}
