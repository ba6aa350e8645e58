// CSV cells (RFC 4180) as every stage writes them: answers, value scores, the leaderboard.

public enum CSV {
    /// A cell, quoted (with doubled quotes) only when it holds a comma, a quote or a line break.
    public static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
