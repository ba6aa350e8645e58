// `stick report`: one self-contained HTML page for a leaderboard run — the sortable leaderboard with
// rank intervals, per model the pairwise Rank-Order heatmap, the value circle against Schwartz's
// circumplex, per-value stability, Stress/CFA per context, parse rates and token usage, and a Method
// section. No network: CSS, the sorting script and every chart (SVG) are inline, and every string
// taken from the inputs is escaped. The markup is also well-formed XML, so tests can parse it.
import Foundation
import StickArtifacts

public struct ReportOptions: Sendable {
    /// The page title (<title> and <h1>).
    public var title: String = "Stick to Your Role! — value stability leaderboard"
    /// Shown in the header when set (e.g. a date); nothing time-dependent is written otherwise, so the
    /// same inputs give the same bytes.
    public var generated: String?

    public init(title: String? = nil, generated: String? = nil) {
        if let title { self.title = title }
        self.generated = generated
    }
}

public enum Report {
    /// The leaderboard.csv columns and whether higher is better.
    static let summaryColumns: [(name: String, higherIsBetter: Bool, hint: String)] = [
        ("Ordinal (Win rate)", true, "mean share of the other models beaten, column by column"),
        ("Cardinal (Score)", true, "mean of the 72 columns"),
        ("RO Stability", true, "mean pairwise Rank-Order stability (36 context pairs)"),
        ("Stress", false, "mean MDS Stress over the 9 contexts (lower is better)"),
        ("CFI", true, "mean comparative fit index of the CFA"),
        ("SRMR", false, "mean standardized root mean square residual (lower is better)"),
        ("RMSEA", false, "mean root mean square error of approximation (lower is better)"),
    ]
    static let statuses = ["matched", "multiple", "none", "fallback", "error"]
    static let cfaIndices = ["cfi", "tli", "srmr", "rmsea"]

    /// Reads the leaderboard and its metrics files and returns the page.
    public static func html(leaderboard path: String, options: ReportOptions = ReportOptions(), strict: Bool = false) throws -> String {
        html(try ReportInput.load(leaderboard: path, strict: strict), options: options)
    }

    /// The page for already loaded documents.
    public static func html(_ input: ReportInput, options: ReportOptions = ReportOptions()) -> String {
        var page = Page(input: input, options: options)
        return page.render()
    }
}
