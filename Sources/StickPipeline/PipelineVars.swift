// Vars: `--set` overrides and the var table, whose values may refer to each other (`${out}/x`) and are
// interpolated lazily, in any order, with cycles reported.
import Foundation
import StickArtifacts

/// A `--set key=value` override of a var: the value is parsed as YAML (`3`, `true`, `[a, b]`).
public struct VarOverride: Hashable, Sendable {
    public var key: String
    public var value: PipelineValue

    public init(key: String, value: PipelineValue) {
        self.key = key
        self.value = value
    }

    /// Parses `key=value`.
    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "=") else {
            throw StickError("--set '\(text)': expected key=value")
        }
        key = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ Template.isName(String($0)) }) else {
            throw StickError("--set '\(text)': '\(key)' is not a var name")
        }
        value = try PipelineValue.parseYAML(String(text[text.index(after: eq)...]))
    }
}

/// The vars, resolved lazily so they can refer to each other (`sessions: ${out}/sessions.jsonl.zst`).
final class VarTable {
    let file: String
    var order: [String] = []
    var raw: [String: PipelineValue] = [:]
    var lines: [String: Int] = [:]
    var resolved: [String: PipelineValue] = [:]
    var resolving: [String] = []

    init(file: String) { self.file = file }

    var scope: InterpolationScope {
        InterpolationScope(names: { [unowned self] in self.order }, lookup: { [unowned self] in try self.get($0) })
    }

    func get(_ name: String) throws -> PipelineValue? {
        if let r = resolved[name] { return r }
        guard let value = raw[name] else { return nil }
        if let start = resolving.firstIndex(of: name) {
            let cycle = resolving[start...] + [name]
            throw StickError("vars refer to each other in a cycle: \(cycle.joined(separator: " → "))", file: file, line: lines[name])
        }
        resolving.append(name)
        defer { resolving.removeLast() }
        do {
            let r = try interpolate(value)
            resolved[name] = r
            return r
        } catch let e as StickError {
            throw e.located(file: file, line: lines[name])
        }
    }

    private func interpolate(_ value: PipelineValue) throws -> PipelineValue {
        switch value {
        case .string(let s) where Template.contains(s): return try Template(s).value(in: scope)
        case .list(let items): return .list(try items.map(interpolate))
        case .map(let entries): return .map(try entries.map { .init($0.key, try interpolate($0.value)) })
        default: return value
        }
    }

    func apply(_ override: VarOverride) throws {
        let path = override.key.split(separator: ".").map(String.init)
        guard let current = raw[path[0]] else {
            throw StickError("--set \(override.key): the spec has no var '\(path[0])'"
                + (order.isEmpty ? "" : " (vars: \(order.joined(separator: ", ")))"), file: file)
        }
        func set(_ value: PipelineValue, _ rest: ArraySlice<String>, _ walked: String) throws -> PipelineValue {
            guard let key = rest.first else { return override.value }
            switch value {
            case .map(var entries):
                guard let i = entries.firstIndex(where: { $0.key == key }) else {
                    throw StickError("--set \(override.key): '\(walked)' has no key '\(key)'", file: file)
                }
                entries[i].value = try set(entries[i].value, rest.dropFirst(), walked + "." + key)
                return .map(entries)
            case .list(var items):
                guard let i = Int(key), items.indices.contains(i) else {
                    throw StickError("--set \(override.key): '\(key)' is not an index of '\(walked)'", file: file)
                }
                items[i] = try set(items[i], rest.dropFirst(), walked + "." + key)
                return .list(items)
            default:
                throw StickError("--set \(override.key): '\(walked)' is \(value.kindName)", file: file)
            }
        }
        raw[path[0]] = try set(current, path.dropFirst(), path[0])
    }
}

