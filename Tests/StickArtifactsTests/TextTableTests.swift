// The one plain-text table printer: widths from the widest cell or the minimum, alignment per column.
import StickArtifacts
import StickTestSupport
import Testing

@Suite struct TextTableTests {
    @Test("columns take the widest cell, numbers right-aligned, trailing spaces trimmed")
    func layout() {
        var table = TextTable([.init("context"), .init("calls", .right), .init("note")])
        table.append(["no_conv", "5", ""])
        table.append(["grammar_long", "1234", "x"])
        #expect(table.render() == """
            context       calls  note
            no_conv           5
            grammar_long   1234  x
            """)
    }

    @Test("minimum widths hold without a header; short rows leave their cells empty")
    func minimumWidths() {
        var table = TextTable([.init("size", .right, minimumWidth: 6), .init("kind", minimumWidth: 5), .init("path")],
                              gap: " ", showsHeader: false)
        table.append(["12", "a", "p/q"])
        table.append(["7"])
        #expect(table.render() == "    12 a     p/q\n     7")
    }
}
