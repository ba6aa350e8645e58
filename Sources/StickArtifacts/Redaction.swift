// Secrets that users put into URLs (`http://user:secret@host/v1`, `?api_key=…`) must not reach error
// records, logs or artifacts: every URL in a message loses its user info and its query string.
public enum Redaction {
    /// `text` with the user info and the query of every `scheme://…` URL replaced.
    public static func urls(in text: String) -> String {
        guard text.contains("://") else { return text }
        let scalars = Array(text.unicodeScalars)
        func ends(_ c: Unicode.Scalar) -> Bool {
            c.properties.isWhitespace || "\"'<>`()[]{},;|\\".unicodeScalars.contains(c)
        }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            // "://" starts a URL's authority.
            guard i + 2 < scalars.count, scalars[i] == ":", scalars[i + 1] == "/", scalars[i + 2] == "/" else {
                out.append(scalars[i])
                i += 1
                continue
            }
            out.append(contentsOf: "://".unicodeScalars)
            i += 3
            var authorityEnd = i
            while authorityEnd < scalars.count, !ends(scalars[authorityEnd]), !"/?#".unicodeScalars.contains(scalars[authorityEnd]) {
                authorityEnd += 1
            }
            let authority = scalars[i..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                out.append(contentsOf: "REDACTED@".unicodeScalars)
                out.append(contentsOf: scalars[(at + 1)..<authorityEnd])
            } else {
                out.append(contentsOf: authority)
            }
            i = authorityEnd
            // The path, then a query (dropped) and a fragment.
            while i < scalars.count, !ends(scalars[i]) {
                if scalars[i] == "?" {
                    out.append(contentsOf: "?REDACTED".unicodeScalars)
                    i += 1
                    while i < scalars.count, !ends(scalars[i]), scalars[i] != "#" { i += 1 }
                    continue
                }
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }
}
