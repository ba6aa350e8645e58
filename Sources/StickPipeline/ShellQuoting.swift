// Values in shell commands. A stage's `cmd` is code written by the spec's author and runs as it is;
// the values interpolated into it (vars, `--set`, foreach/matrix items) are data and may come from
// anyone, so each must reach the command as literal text, whatever it holds.
//
// A value made only of safe characters (ASCII letters, digits and / . _ - @ + = , : %) is inserted
// as it is, so commands of ordinary values (and the lock files recording them) do not change. Any
// other value is quoted for the place the author put it in, which a small POSIX sh lexer follows
// through the author's text:
//
//   plain text, inside $( … )   'value'             (' written as '\'')
//   inside "…"                  "'value'"           (the double quote is closed and reopened)
//   inside '…'                  value               (' written as '\'')
//   a here-document body        value with \ $ ` escaped, or as it is after a quoted <<'EOF'
//   a # comment                 value as it is
//
// Where quoting cannot be made safe — inside backquotes, ${ … }, $(( … )), $' … ', a value right after
// a `$`, a here-document delimiter, a value with a newline in a here-document or a comment, or one
// holding a NUL byte — an unsafe value is an error rather than a guess. So is an unsafe value after
// text the lexer cannot follow for certain: a `case` inside $( … ) (whose patterns end in an unmatched
// `)`), or \' inside $'…' (bash and dash disagree there).
import Foundation
import StickArtifacts

public enum ShellQuoting {
    /// Whether `s` can stand in a shell word unquoted: ASCII letters, digits and `/._-@+=,:%` only.
    public static func isSafe(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { c in
            switch c {
            case "a"..."z", "A"..."Z", "0"..."9", "/", ".", "_", "-", "@", "+", "=", ",", ":", "%": return true
            default: return false
            }
        }
    }

    /// `s` as exactly one shell word: unchanged when it is non-empty and safe, else in single quotes.
    public static func quote(_ s: String) -> String {
        if !s.isEmpty && isSafe(s) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A command being assembled from the author's characters and values (see the top of this file).
struct ShellCommandBuilder {
    enum Unit {
        case char(Unicode.Scalar)
        /// A value and the reference it came from (for messages).
        case value(String, ref: String)
    }

    private enum Frame: Equatable {
        /// The top level, or inside `$( … )` (`substitution`), with the depth of `( … )` opened in it.
        case plain(substitution: Bool, parens: Int)
        case single
        case double
        /// `$'…'` (bash; dash has no such quote, but then it is `$` and '…', where a value is refused too).
        case ansi
        case backquote
        /// `${ … }` written by the author (`\${` in the spec), with the depth of `{ … }` opened in it.
        case parameter(braces: Int, inDouble: Bool)
        /// `$(( … ))`, with the depth of `( … )` opened in it.
        case arithmetic(parens: Int)
        case comment
        case heredoc(quoted: Bool)
    }

    private struct Heredoc {
        var delimiter: String
        var stripTabs: Bool
        var quoted: Bool
    }

    /// The delimiter word after `<<`, being read.
    private struct DelimiterWord {
        var stripTabs: Bool
        var text = ""
        var quoted = false
        var quote: Unicode.Scalar?
        var started = false
        var escaped = false
    }

    private var out = String.UnicodeScalarView()
    private var frames: [Frame] = [.plain(substitution: false, parens: 0)]
    /// The previous character was a backslash that quotes this one.
    private var escaped = false
    /// The previous character was an unquoted `$` (a value after it would be read as part of an expansion).
    private var dollar = false
    /// At the start of a word, where `#` begins a comment.
    private var wordStart = true
    private var delimiterWord: DelimiterWord?
    private var pendingHeredocs: [Heredoc] = []
    /// The here-document whose body is being read, and the frame depth below its frame.
    private var heredoc: (doc: Heredoc, base: Int)?
    /// The current line of that body and the reference of a value in it, for the delimiter check.
    private var line = ""
    private var lineValue: String?
    /// Set once the author's text is beyond what this lexer follows for certain: why.
    private var uncertain: String?

    /// The command: the author's characters as they are, each value quoted for where it stands.
    static func build(_ units: [Unit]) throws -> String {
        var b = ShellCommandBuilder()
        var i = 0
        while i < units.count {
            switch units[i] {
            case .value(let v, let ref): try b.insert(v, ref: ref)
            case .char(let c):
                let next: (Int) -> Unicode.Scalar? = { k in
                    guard i + k < units.count, case .char(let n) = units[i + k] else { return nil }
                    return n
                }
                i += try b.consume(c, next) - 1
            }
            i += 1
        }
        return String(b.out)
    }

    private mutating func emit(_ s: String) {
        out.append(contentsOf: s.unicodeScalars)
        if heredoc != nil { line += s }
    }

    private mutating func emit(_ c: Unicode.Scalar) {
        out.append(c)
        if heredoc != nil { line.unicodeScalars.append(c) }
    }

    // MARK: Values

    private mutating func insert(_ value: String, ref: String) throws {
        if value.unicodeScalars.contains("\0") { throw StickError("the value of \(ref) holds a NUL character") }
        if delimiterWord != nil {
            guard ShellQuoting.isSafe(value) else {
                throw StickError("the value of \(ref) would be a here-document delimiter; only letters, digits and /._-@+=,:% can be")
            }
            delimiterWord!.text += value
            delimiterWord!.started = true
            emit(value)
            return
        }
        defer { dollar = false }
        guard !escaped else { throw StickError("\(ref) follows a backslash; quote it instead") }
        if heredoc != nil {
            // A body ends at a line equal to its delimiter: a value must not make one.
            if value.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
                throw StickError("the value of \(ref) holds a line break, which cannot be put in a here-document safely")
            }
            lineValue = ref
        }
        if ShellQuoting.isSafe(value) {
            emit(value)
            if !value.isEmpty { wordStart = false }
            return
        }
        let unquotable = frames.contains { frame in
            switch frame {
            case .backquote, .parameter, .arithmetic, .ansi: return true
            default: return false
            }
        }
        func refuse(_ place: String) -> StickError {
            StickError("the value of \(ref) cannot be quoted \(place); it holds characters other than letters, digits and "
                + "/._-@+=,:% (\(describe(value)))")
        }
        if dollar { throw refuse("right after a `$`") }
        if let uncertain { throw refuse("after \(uncertain)") }
        if unquotable { throw refuse("inside backquotes, ${…}, $((…)) or $'…' (use $(…) and pass the value as an argument)") }
        switch frames.last! {
        case .plain:
            emit(ShellQuoting.quote(value))
            wordStart = false
        case .double:
            emit("\"" + ShellQuoting.quote(value) + "\"")
        case .single:
            emit(value.replacingOccurrences(of: "'", with: "'\\''"))
        case .heredoc(let quoted):
            if quoted {
                emit(value)
            } else {
                var escapedValue = ""
                for c in value.unicodeScalars {
                    if c == "\\" || c == "$" || c == "`" { escapedValue += "\\" }
                    escapedValue.unicodeScalars.append(c)
                }
                emit(escapedValue)
            }
        case .comment:
            if value.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
                throw StickError("the value of \(ref) holds a line break and stands in a # comment, where it would end the comment")
            }
            emit(value)
        case .ansi, .backquote, .parameter, .arithmetic:
            throw refuse("here")
        }
    }

    private func describe(_ value: String) -> String {
        let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
        return "'" + shown.unicodeScalars.map { $0 == "\n" ? "\\n" : $0 == "\r" ? "\\r" : $0 == "\t" ? "\\t" : String($0) }.joined() + "'"
    }

    // MARK: The author's characters

    /// Takes `c` (and whatever of the following characters belongs to it); returns how many were taken.
    private mutating func consume(_ c: Unicode.Scalar, _ next: (Int) -> Unicode.Scalar?) throws -> Int {
        if delimiterWord != nil, readDelimiter(c) { return 1 }
        let inBody = heredoc != nil
        if c == "\n", let active = heredoc {
            let text = active.doc.stripTabs ? String(line.drop { $0 == "\t" }) : line
            if text == active.doc.delimiter {
                if let ref = lineValue {
                    throw StickError("the value of \(ref) makes a line equal to the here-document delimiter '\(active.doc.delimiter)'")
                }
                frames.removeSubrange(active.base...)
                heredoc = nil
                escaped = false
                dollar = false
                out.append(c)
                wordStart = true
                startHeredoc()
                return 1
            }
        }
        let taken = try step(c, next)
        if c == "\n" && inBody {
            line = ""
            lineValue = nil
        }
        return taken
    }

    private mutating func step(_ c: Unicode.Scalar, _ next: (Int) -> Unicode.Scalar?) throws -> Int {
        dollar = false
        if escaped {
            escaped = false
            wordStart = false
            emit(c)
            return 1
        }
        switch frames.last! {
        case .plain(let substitution, let parens):
            if substitution, wordStart, c == "c", next(1) == "a", next(2) == "s", next(3) == "e",
               next(4).map({ " \t\n;&|()<>".unicodeScalars.contains($0) }) ?? true {
                uncertain = "a `case` inside $(…)"
            }
            switch c {
            case "\\": escaped = true
            case "'": frames.append(.single)
            case "\"": frames.append(.double)
            case "`": frames.append(.backquote)
            case "$":
                if let n = dollarConstruct(next, inDouble: false) { return n }
                dollar = true
            case "#" where wordStart:
                frames.append(.comment)
            case "<" where next(1) == "<":
                if next(2) == "<" {  // bash's here-string, not a here-document
                    emit("<<<")
                    wordStart = true
                    return 3
                }
                let strip = next(2) == "-"
                emit(strip ? "<<-" : "<<")
                delimiterWord = DelimiterWord(stripTabs: strip)
                wordStart = true
                return strip ? 3 : 2
            case "(" where substitution:
                frames[frames.count - 1] = .plain(substitution: true, parens: parens + 1)
            case ")" where substitution:
                if parens == 0 { frames.removeLast() } else { frames[frames.count - 1] = .plain(substitution: true, parens: parens - 1) }
            default: break
            }
            emit(c)
            wordStart = c == " " || c == "\t" || c == "\n" || ";|&()<>".unicodeScalars.contains(c)
            if c == "\n" { startHeredoc() }
            return 1
        case .single:
            if c == "'" { frames.removeLast() }
        case .double:
            switch c {
            case "\\": escaped = true
            case "\"": frames.removeLast()
            case "`": frames.append(.backquote)
            case "$":
                if let n = dollarConstruct(next, inDouble: true) { return n }
                dollar = true
            default: break
            }
        case .ansi:
            if c == "\\" {
                escaped = true
                if next(1) == "'" { uncertain = "\\' inside $'…'" }
            } else if c == "'" {
                frames.removeLast()
            }
        case .backquote:
            if c == "\\" { escaped = true } else if c == "`" { frames.removeLast() }
        case .parameter(let braces, let inDouble):
            switch c {
            case "\\": escaped = true
            case "'" where !inDouble: frames.append(.single)
            case "\"": frames.append(.double)
            case "`": frames.append(.backquote)
            case "{": frames[frames.count - 1] = .parameter(braces: braces + 1, inDouble: inDouble)
            case "}":
                if braces == 0 { frames.removeLast() } else { frames[frames.count - 1] = .parameter(braces: braces - 1, inDouble: inDouble) }
            case "$":
                if let n = dollarConstruct(next, inDouble: true) { return n }
            default: break
            }
        case .arithmetic(let parens):
            switch c {
            case "(": frames[frames.count - 1] = .arithmetic(parens: parens + 1)
            case ")":
                if parens > 0 {
                    frames[frames.count - 1] = .arithmetic(parens: parens - 1)
                } else if next(1) == ")" {
                    frames.removeLast()
                    emit("))")
                    return 2
                }
            case "$":
                if let n = dollarConstruct(next, inDouble: true) { return n }
            default: break
            }
        case .comment:
            if c == "\n" {
                frames.removeLast()
                return try step(c, next)
            }
        case .heredoc(let quoted):
            if !quoted {
                switch c {
                case "\\": escaped = true
                case "`": frames.append(.backquote)
                case "$":
                    if let n = dollarConstruct(next, inDouble: true) { return n }
                    dollar = true
                default: break
                }
            }
        }
        emit(c)
        return 1
    }

    /// `$(`, `$((`, `${` and (outside double quotes) `$'` at `$`: pushes the frame, emits the opening and
    /// returns its length; nil for a lone `$`.
    private mutating func dollarConstruct(_ next: (Int) -> Unicode.Scalar?, inDouble: Bool) -> Int? {
        switch next(1) {
        case "(":
            if next(2) == "(" {
                frames.append(.arithmetic(parens: 0))
                emit("$((")
                return 3
            }
            frames.append(.plain(substitution: true, parens: 0))
            wordStart = true
            emit("$(")
            return 2
        case "{":
            frames.append(.parameter(braces: 0, inDouble: inDouble))
            emit("${")
            return 2
        case "'" where !inDouble:
            frames.append(.ansi)
            emit("$'")
            return 2
        default:
            return nil
        }
    }

    /// A character of the word after `<<`; false when the word has ended before it.
    private mutating func readDelimiter(_ c: Unicode.Scalar) -> Bool {
        var w = delimiterWord!
        defer { if delimiterWord != nil { delimiterWord = w } }
        if !w.started {
            if c == " " || c == "\t" { emit(c); return true }
            w.started = true
        }
        if w.escaped {
            w.escaped = false
            w.text.unicodeScalars.append(c)
        } else if let q = w.quote {
            if c == q {
                w.quote = nil
            } else if q == "\"" && c == "\\" {
                w.escaped = true
            } else {
                w.text.unicodeScalars.append(c)
            }
        } else {
            switch c {
            case " ", "\t", "\n", ";", "|", "&", "(", ")", "<", ">":
                pendingHeredocs.append(Heredoc(delimiter: w.text, stripTabs: w.stripTabs, quoted: w.quoted))
                delimiterWord = nil
                return false
            case "'", "\"":
                w.quote = c
                w.quoted = true
            case "\\":
                w.escaped = true
                w.quoted = true
            default:
                w.text.unicodeScalars.append(c)
            }
        }
        emit(c)
        return true
    }

    /// After a newline that ends a command line: the body of the next pending here-document begins.
    private mutating func startHeredoc() {
        guard heredoc == nil, !pendingHeredocs.isEmpty else { return }
        let doc = pendingHeredocs.removeFirst()
        heredoc = (doc, frames.count)
        frames.append(.heredoc(quoted: doc.quoted))
        line = ""
        lineValue = nil
    }
}
