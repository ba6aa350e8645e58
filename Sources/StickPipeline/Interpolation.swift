// `${name}` interpolation: `${var}`, `${item}`, `${key}`, `${item.field}`, `${list.0}`; `\${` is a literal `${`.
//
// * A string that is exactly one reference takes the referenced value as it is (a list stays a list:
//   `foreach: ${models}`).
// * Inside a longer string a reference must be a scalar, except:
//   - in `cmd`, a word (delimited by whitespace or one of ; | & ( ) < >) holding a list reference is
//     repeated for every item (each item quoted on its own, see below), like the shell's brace expansion:
//     `rank runs/${models}/metrics.json` → `rank runs/a/metrics.json runs/b/metrics.json`, `for m in ${models}; do`
//     → `for m in a b; do`;
//   - in `deps`/`outs`/`params`, an entry holding a list reference becomes one entry per item.
//   Several list references in one word or entry give their cartesian product.
// * In `cmd` every value that is not made of safe characters is quoted for the shell where it lands
//   (ShellQuoting.swift): the spec's own text is code, values are data.
import Foundation
import StickArtifacts
import Yams

/// The names a template can see.
public struct InterpolationScope {
    /// The value of a root name (`models` in `${models.0}`), or nil when the name is unknown.
    let lookup: (String) throws -> PipelineValue?
    /// The known root names, for messages.
    let names: () -> [String]

    public init(names: @escaping () -> [String], lookup: @escaping (String) throws -> PipelineValue?) {
        self.names = names
        self.lookup = lookup
    }

    /// Fixed values (and nothing else).
    public init(_ values: [String: PipelineValue]) {
        self.init(names: { values.keys.sorted() }, lookup: { values[$0] })
    }

    /// These values shadowing `base`.
    public func adding(_ values: [String: PipelineValue]) -> InterpolationScope {
        let base = self
        return InterpolationScope(names: { Array(Set(base.names()).union(values.keys)).sorted() },
                                  lookup: { try values[$0] ?? base.lookup($0) })
    }
}

/// A string split into literal text and `${…}` references.
struct Template {
    enum Part: Equatable {
        case literal(String)
        case ref(path: [String], text: String)
    }

    let source: String
    let parts: [Part]

    var hasReferences: Bool { parts.contains { if case .ref = $0 { return true } else { return false } } }

    static func contains(_ s: String) -> Bool { s.contains("${") }

    init(_ source: String) throws {
        self.source = source
        var parts: [Part] = []
        var literal = ""
        let chars = Array(source)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 2 < chars.count, chars[i + 1] == "$", chars[i + 2] == "{" {
                literal += "${"
                i += 3
                continue
            }
            if c == "$", i + 1 < chars.count, chars[i + 1] == "{" {
                guard let close = chars[(i + 2)...].firstIndex(of: "}") else {
                    throw StickError("unterminated '${' in '\(source)' (write \\${ for a literal ${)")
                }
                let inner = String(chars[(i + 2)..<close]).trimmingCharacters(in: .whitespaces)
                let path = inner.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard !inner.isEmpty, path.allSatisfy(Template.isName) else {
                    throw StickError("'${\(inner)}' in '\(source)' is not a variable reference "
                        + "(expected ${name}, ${name.key} or ${name.0}; write \\${ for a literal ${)")
                }
                if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                parts.append(.ref(path: path, text: "${\(inner)}"))
                i = close + 1
                continue
            }
            literal.append(c)
            i += 1
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    static func isName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        if CharacterSet.decimalDigits.contains(first) { return s.unicodeScalars.allSatisfy { CharacterSet.decimalDigits.contains($0) } }
        return s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" }
    }

    /// Resolves one reference.
    static func resolve(_ path: [String], text: String, in scope: InterpolationScope) throws -> PipelineValue {
        guard var value = try scope.lookup(path[0]) else {
            let known = scope.names()
            throw StickError("unknown variable '\(path[0])' in '\(text)'"
                + (known.isEmpty ? " (no variables are defined)" : " (known: \(known.joined(separator: ", ")))"))
        }
        var walked = path[0]
        for segment in path.dropFirst() {
            switch value {
            case .map(let entries):
                guard let next = entries.first(where: { $0.key == segment })?.value else {
                    throw StickError("'\(walked)' has no key '\(segment)' in '\(text)' (keys: \(entries.map(\.key).joined(separator: ", ")))")
                }
                value = next
            case .list(let items):
                guard let index = Int(segment), items.indices.contains(index) else {
                    throw StickError("'\(walked)' is a list of \(items.count); '\(segment)' in '\(text)' is not an index of it")
                }
                value = items[index]
            default:
                throw StickError("'\(walked)' is \(value.kindName), it has no '.\(segment)' (in '\(text)')")
            }
            walked += "." + segment
        }
        return value
    }

    static func text(of value: PipelineValue, ref: String, in source: String) throws -> String {
        if let t = value.scalarText { return t }
        switch value {
        case .null: throw StickError("'\(ref)' is null in '\(source)'")
        case .map: throw StickError("'\(ref)' is a mapping in '\(source)'; name one of its keys (${name.key})")
        default:
            throw StickError("'\(ref)' is a list in '\(source)'; a list can stand alone ('\(ref)'), "
                + "in a cmd word or in a deps/outs entry, not inside other text")
        }
    }

    /// The value: the referenced value itself for a lone reference, else the concatenated text.
    func value(in scope: InterpolationScope) throws -> PipelineValue {
        if parts.count == 1, case .ref(let path, let text) = parts[0] {
            return try Template.resolve(path, text: text, in: scope)
        }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .ref(let path, let text): out += try Template.text(of: Template.resolve(path, text: text, in: scope), ref: text, in: source)
            }
        }
        return .string(out)
    }

    /// Every expansion of `parts` (lists multiply, in order).
    static func expansions(_ parts: [Part], source: String, in scope: InterpolationScope) throws -> [String] {
        var results = [""]
        for part in parts {
            switch part {
            case .literal(let s): results = results.map { $0 + s }
            case .ref(let path, let text):
                let value = try resolve(path, text: text, in: scope)
                if case .list(let items) = value {
                    let texts = try items.map { try Template.text(of: $0, ref: text + "[…]", in: source) }
                    results = results.flatMap { prefix in texts.map { prefix + $0 } }
                } else {
                    let t = try Template.text(of: value, ref: text, in: source)
                    results = results.map { $0 + t }
                }
            }
        }
        return results
    }

    /// A list-field entry: one string per expansion.
    func entries(in scope: InterpolationScope) throws -> [String] {
        try Template.expansions(parts, source: source, in: scope)
    }

    /// A command: each word (between whitespace and ; | & ( ) < >) holding a list reference is repeated per item,
    /// and every value is quoted for the shell where it is not made of safe characters (ShellQuoting.swift).
    func command(in scope: InterpolationScope) throws -> String {
        enum Token { case space(String), word([Part]) }
        var tokens: [Token] = []
        func appendToWord(_ part: Part) {
            if case .word(var parts)? = tokens.last {
                parts.append(part)
                tokens[tokens.count - 1] = .word(parts)
            } else {
                tokens.append(.word([part]))
            }
        }
        for part in parts {
            switch part {
            case .ref: appendToWord(part)
            case .literal(let s):
                var run = ""
                var runIsSpace: Bool?
                func flush() {
                    guard let isSpace = runIsSpace, !run.isEmpty else { return }
                    if isSpace { tokens.append(.space(run)) } else { appendToWord(.literal(run)) }
                    run = ""
                }
                for ch in s {
                    let isSpace = ch.isWhitespace || ";|&()<>".contains(ch)
                    if runIsSpace != isSpace { flush(); runIsSpace = isSpace }
                    run.append(ch)
                }
                flush()
            }
        }
        typealias Unit = ShellCommandBuilder.Unit
        func chars(_ s: String) -> [Unit] { s.unicodeScalars.map { .char($0) } }
        var units: [Unit] = []
        for token in tokens {
            switch token {
            case .space(let s): units += chars(s)
            case .word(let parts):
                // Every expansion of the word (lists multiply, in order), values kept apart from the author's text.
                var expansions: [[Unit]] = [[]]
                for part in parts {
                    switch part {
                    case .literal(let s): expansions = expansions.map { $0 + chars(s) }
                    case .ref(let path, let text):
                        let value = try Template.resolve(path, text: text, in: scope)
                        if case .list(let items) = value {
                            let values = try items.enumerated().map { i, item in
                                Unit.value(try Template.text(of: item, ref: text + "[…]", in: source), ref: "\(text) (item \(i))")
                            }
                            expansions = expansions.flatMap { prefix in values.map { prefix + [$0] } }
                        } else {
                            let unit = Unit.value(try Template.text(of: value, ref: text, in: source), ref: text)
                            expansions = expansions.map { $0 + [unit] }
                        }
                    }
                }
                for (i, expansion) in expansions.enumerated() {
                    if i > 0 { units.append(.char(" ")) }
                    units += expansion
                }
            }
        }
        return try ShellCommandBuilder.build(units)
    }
}

/// Interpolates every string in a YAML node. Errors name `file` and the line of the scalar.
struct NodeInterpolator {
    let file: String

    func value(_ node: Node, in scope: InterpolationScope) throws -> PipelineValue {
        switch node {
        case .scalar(let scalar):
            let value = PipelineValue(node: node)
            guard case .string(let s) = value, Template.contains(s) else { return value }
            return try located(scalar.mark) { try Template(s).value(in: scope) }
        case .sequence(let seq): return .list(try seq.map { try value($0, in: scope) })
        case .mapping(let map):
            return .map(try map.map { PipelineValue.Entry($0.key.string ?? "", try value($0.value, in: scope)) })
        case .alias: return .null
        }
    }

    func located<T>(_ mark: Mark?, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as StickError {
            throw e.located(file: file, line: mark?.line)
        }
    }
}
