// Lexical path arithmetic (no file system access, symlinks are not followed): stage paths are compared
// as written, after `.`/`..` are folded, relative to the pipeline's working directory. `resolved` and
// `physical` do look at the file system: where outputs really land (PipelineGraph checks them).
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Paths {
    /// `a/./b/../c/` → `a/c`; keeps leading `..` of relative paths; "" for the directory itself.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var out: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == "..", let last = out.last, last != ".." { out.removeLast(); continue }
            if component == "..", absolute { continue }
            out.append(component)
        }
        let joined = out.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }

    /// `path` made absolute against `base` (itself absolute), normalized.
    static func absolute(_ path: String, base: String) -> String {
        path.hasPrefix("/") ? normalize(path) : normalize(base + "/" + path)
    }

    /// Whether `path` is `ancestor` or inside it (both normalized absolute paths).
    static func isSameOrInside(_ path: String, _ ancestor: String) -> Bool {
        if path == ancestor { return true }
        if ancestor == "/" { return true }
        return path.hasPrefix(ancestor + "/")
    }

    /// Whether one of the two contains the other (or they are equal).
    static func overlap(_ a: String, _ b: String) -> Bool { isSameOrInside(a, b) || isSameOrInside(b, a) }

    /// A relative path from directory `from` to `to` (both absolute, normalized); "." when equal.
    static func relative(from: String, to: String) -> String {
        let a = from.split(separator: "/"), b = to.split(separator: "/")
        var common = 0
        while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
        let parts = Array(repeating: "..", count: a.count - common) + b[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// `path` (absolute) with the symlinks of its longest existing prefix resolved (realpath) and the rest
    /// appended, normalized: where writing to `path` would land. `..` is folded lexically first.
    static func resolved(_ path: String) -> String {
        physical(normalize(path))
    }

    /// Like `resolved`, but `..` is left to the file system, as the kernel reads it (`link/..` is the
    /// parent of the link's target, not the directory holding the link).
    static func physical(_ path: String) -> String {
        var prefix = path
        var rest: [String] = []
        while true {
            if let real = realpath(prefix, nil) {
                defer { free(real) }
                return normalize(([String(cString: real)] + rest.reversed()).joined(separator: "/"))
            }
            let parent = (prefix as NSString).deletingLastPathComponent
            if parent == prefix || parent.isEmpty { return normalize(path) }
            rest.append((prefix as NSString).lastPathComponent)
            prefix = parent
        }
    }

    /// The absolute, normalized current directory.
    static var currentDirectory: String { normalize(FileManager.default.currentDirectoryPath) }

    /// A file name safe for any stage name: `query@{a b}` → `query@_a_b_`.
    /// Shard K of N's file for `path`: `.shard-K-of-N` before the extensions, which name the compression
    /// (`run/responses.jsonl.zst` → `run/responses.shard-2-of-3.jsonl.zst`).
    static func shardFile(_ path: String, shard: Int, of count: Int) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        let body = base.hasPrefix(".") ? base.dropFirst() : Substring(base)
        let stemEnd = body.firstIndex(of: ".") ?? body.endIndex
        let name = String(base[..<stemEnd]) + ".shard-\(shard)-of-\(count)" + String(base[stemEnd...])
        return directory.isEmpty ? name : directory + "/" + name
    }

    static func safeFileName(_ name: String) -> String {
        String(name.unicodeScalars.map { s -> Character in
            let ok = (s.isASCII && (CharacterSet.alphanumerics.contains(s))) || "._-@=+,".unicodeScalars.contains(s)
            return ok ? Character(s) : "_"
        })
    }
}
