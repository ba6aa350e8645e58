// Text from inputs (model names come from whoever wrote the metrics) written into a Markdown table:
// it must stay one cell of one row, and not become markup.
public enum Markdown {
    /// `s` as a table cell: `|` and `\` escaped, line breaks and tabs as spaces, `<`, `>` and `&` as
    /// entities (renderers pass raw HTML through).
    public static func cell(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r", "\r\n", "\t", "\u{2028}", "\u{2029}": out += " "
            default: out.append(ch)
            }
        }
        return out
    }
}
