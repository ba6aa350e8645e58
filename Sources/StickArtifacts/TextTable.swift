// Plain-text tables for people (stderr summaries, listings, plans): one printer instead of a hand-padded
// copy per command.

/// Columns as wide as their widest cell (or their minimum), text left-aligned, numbers right-aligned,
/// separated by `gap`; trailing spaces trimmed.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        public var minimumWidth: Int

        public init(_ title: String, _ alignment: Alignment = .left, minimumWidth: Int = 0) {
            self.title = title
            self.alignment = alignment
            self.minimumWidth = minimumWidth
        }
    }

    public var columns: [Column]
    public var rows: [[String]] = []
    public var gap: String
    public var showsHeader: Bool

    public init(_ columns: [Column], gap: String = "  ", showsHeader: Bool = true) {
        self.columns = columns
        self.gap = gap
        self.showsHeader = showsHeader
    }

    public mutating func append(_ cells: [String]) { rows.append(cells) }

    public func render() -> String {
        let all = (showsHeader ? [columns.map(\.title)] : []) + rows
        let widths = columns.indices.map { i in
            all.map { i < $0.count ? $0[i].count : 0 }.reduce(columns[i].minimumWidth, max)
        }
        return all.map { cells in
            var line = ""
            for (i, column) in columns.enumerated() {
                let cell = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                if i > 0 { line += gap }
                line += column.alignment == .left ? cell + pad : pad + cell
            }
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
