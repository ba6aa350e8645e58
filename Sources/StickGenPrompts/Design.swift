// Designs by name: the built-in ones (leaderboard, demo) or a YAML/JSON file.
import Foundation
import StickArtifacts

extension Design {
    /// Loads a built-in design by name or a YAML/JSON file; returns it with the sha256 of its text.
    public static func load(_ nameOrPath: String) throws -> (design: Design, sha256: String, source: String) {
        let text: String
        let source: String
        if FileManager.default.fileExists(atPath: nameOrPath) {
            let data = try Inputs.readAll(nameOrPath)
            guard let t = String(data: data, encoding: .utf8) else { throw StickError("not UTF-8 text", file: nameOrPath) }
            text = t
            source = nameOrPath
        } else if let builtin = BuiltinDesigns.all[nameOrPath] {
            text = builtin
            source = "builtin:\(nameOrPath)"
        } else {
            throw StickError("no such design file, and no built-in design of that name (built in: "
                + BuiltinDesigns.all.keys.sorted().joined(separator: ", ") + ")", file: nameOrPath)
        }
        return (try parse(text, file: source), SHA256Hex.of(text), source)
    }
}
