// Small helpers for writing the report: escaping (every input string is user data), number
// formatting, and tolerant reads of the JSON documents (null is NaN, a missing key is "not recorded").
import Foundation
import StickArtifacts

enum HTML {
    /// Escapes text and attribute values: & < > " ' (so the output is also well-formed XML).
    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab/newline are not allowed in HTML or XML text.
                if u.value < 0x20 && u != "\t" && u != "\n" && u != "\r" || (0x7F...0x9F).contains(u.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// A number for display: fixed digits, a typographic minus, "NaN" for NaN/missing.
    static func num(_ x: Double?, _ digits: Int = 3) -> String {
        guard let x else { return "—" }
        guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "∞" : "−∞") }
        var s = String(format: "%.\(digits)f", x)
        if s.hasPrefix("-") {
            // -0.000 reads as a sign error: drop the sign of a rounded zero.
            if Double(s) == 0 { s.removeFirst() } else { s = "−" + s.dropFirst() }
        }
        return s
    }

    /// A number for a data attribute (sorting): plain decimal, empty for NaN/missing.
    static func data(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "" }
        return "\(x)"
    }

    /// A coordinate in SVG (2 decimals is plenty at screen resolution).
    static func c(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(format: "%.2f", r)
    }

    /// Integer with thin-space thousands groups (12 345 678).
    static func int(_ x: Double) -> String {
        guard x.isFinite else { return "NaN" }
        let n = Int64(x.rounded())
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "\u{202F}" }
            out.append(ch)
        }
        return (n < 0 ? "−" : "") + out
    }

    static func percent(_ x: Double, _ digits: Int = 1) -> String {
        x.isFinite ? String(format: "%.\(digits)f", x * 100) + "\u{202F}%" : "NaN"
    }

    /// A rate that must not read as complete when it is not: rounded down (1999/2000 → 99.9 %).
    static func rate(_ x: Double, _ digits: Int = 1) -> String {
        guard x.isFinite else { return "NaN" }
        let factor = pow(10, Double(digits))
        return percent((x * 100 * factor + 1e-9).rounded(.down) / factor / 100, digits)
    }
}

/// Read-only conveniences over the free-form members of a metrics document (parse rates, usage).
extension JSONValue {
    /// A number; JSON null (how the writers store NaN) reads as NaN; nil when missing or not a number.
    var number: Double? {
        switch self {
        case .number(let d): return d
        case .null: return .nan
        default: return nil
        }
    }

    var objectValue: JSONObject? { if case .object(let o) = self { return o }; return nil }

}
