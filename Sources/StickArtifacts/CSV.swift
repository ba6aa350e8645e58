// CSV, one family: `field` writes a cell as Python's csv module quotes it; `rows` reads like Python's
// `csv.reader` with the default dialect (and so like the pandas C parser on the reference files): in
// particular a quote that closes a field early and is followed by more text continues the field
// unquoted, which is how female PVQ item 40 gets its trailing `""` (StickGenPrompts/README.md §2).

public enum CSV {
    /// A cell, quoted (with doubled quotes) only when it holds a comma, a quote or a line break.
    public static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private enum State { case startField, inField, inQuoted, quoteInQuoted }

    /// Parses `text` into rows of fields.
    public static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [Unicode.Scalar] = []
        var state = State.startField
        var rowHasContent = false

        func endField() {
            row.append(String(String.UnicodeScalarView(field)))
            field.removeAll(keepingCapacity: true)
        }
        func endRow() {
            if rowHasContent || !row.isEmpty {
                endField()
                rows.append(row)
            }
            row = []
            field.removeAll(keepingCapacity: true)
            rowHasContent = false
            state = .startField
        }

        var scalars = text.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            switch state {
            case .startField:
                if c == "\"" { state = .inQuoted; rowHasContent = true }
                else if c == "," { endField(); rowHasContent = true }
                else if c == "\n" || c == "\r" { endRow() }
                else { field.append(c); state = .inField; rowHasContent = true }
            case .inField:
                if c == "," { endField(); state = .startField }
                else if c == "\n" || c == "\r" { endRow() }
                else { field.append(c) }
            case .inQuoted:
                if c == "\"" { state = .quoteInQuoted } else { field.append(c) }
            case .quoteInQuoted:
                if c == "\"" { field.append(c); state = .inQuoted }
                else if c == "," { endField(); state = .startField }
                else if c == "\n" || c == "\r" { endRow() }
                else { field.append(c); state = .inField }
            }
        }
        if state != .startField || rowHasContent || !row.isEmpty { endRow() }
        return rows
    }
}
