// Reading a spec's YAML: the top-level keys, vars, wdir, and each stage expanded (foreach, matrix) and
// interpolated into PipelineStages. Every error names the spec file and, where it has one, the line.
import Foundation
import StickArtifacts
import Yams

private let stageKeys: Set<String> = ["cmd", "deps", "outs", "params", "desc", "always_changed", "matrix", "resources", "shards", "service"]
private let foreachKeys: Set<String> = ["foreach", "do", "desc"]
private let reservedNames: Set<String> = ["item", "key", "shard", "shards", "shard_out"]

struct SpecParser {
    let file: String
    let directory: String
    /// Known once `wdir` is read (before the stages).
    var workingDirectory = ""

    func error(_ message: String, _ node: Node?) -> StickError {
        StickError(message, file: file, line: node?.mark?.line)
    }

    func parse(_ yaml: String, overrides: [VarOverride]) throws -> PipelineSpec {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            throw yamlError(error, yaml)
        }
        guard let root, case .mapping(let top) = root else {
            throw StickError("a pipeline spec is a mapping with 'stick: pipeline', 'version: 1' and 'stages'", file: file)
        }
        for (key, value) in top {
            guard let k = key.string, ["stick", "version", "wdir", "vars", "stages"].contains(k) else {
                throw error("unknown key '\(key.string ?? "?")' (expected stick, version, wdir, vars, stages)", key)
            }
            _ = value
        }
        guard top["stick"]?.string == "pipeline" else {
            throw error("expected 'stick: pipeline' (this is \(top["stick"]?.string.map { "'stick: \($0)'" } ?? "not a stick file"))", top["stick"] ?? root)
        }
        guard let version = top["version"] else { throw error("missing 'version: 1'", root) }
        guard version.int == 1 else { throw error("unsupported version '\(version.string ?? "?")' (this stick reads version 1)", version) }

        // Vars.
        let vars = VarTable(file: file)
        if let varsNode = top["vars"] {
            guard case .mapping(let map) = varsNode else {
                throw error("'vars' must be a mapping of names to values", varsNode)
            }
            for (key, value) in map {
                guard let name = key.string, Template.isName(name), Int(name) == nil else {
                    throw error("'\(key.string ?? "?")' is not a valid var name (letters, digits, _ and -)", key)
                }
                guard !reservedNames.contains(name) else {
                    throw error("'\(name)' is reserved for foreach/matrix items; choose another var name", key)
                }
                guard vars.raw[name] == nil else { throw error("var '\(name)' is defined twice", key) }
                vars.order.append(name)
                vars.raw[name] = PipelineValue(node: value)
                vars.lines[name] = key.mark?.line
            }
        }
        for o in overrides { try vars.apply(o) }
        var resolvedVars: [PipelineValue.Entry] = []
        for name in vars.order { resolvedVars.append(.init(name, try vars.get(name)!)) }
        let scope = vars.scope

        // Working directory.
        var wdir = directory
        if let w = top["wdir"] {
            guard case .string(let s) = try NodeInterpolator(file: file).value(w, in: scope), !s.isEmpty else {
                throw error("'wdir' must be a directory path", w)
            }
            wdir = Paths.absolute(s, base: directory)
        }

        // Stages.
        guard let stagesNode = top["stages"] else { throw error("missing 'stages'", root) }
        guard case .mapping(let stageMap) = stagesNode else { throw error("'stages' must be a mapping of stage names to stages", stagesNode) }
        var stages: [PipelineStage] = []
        var seen: [String: Int?] = [:]
        var parser = self
        parser.workingDirectory = wdir
        for (key, body) in stageMap {
            guard let name = key.string, isStageName(name) else {
                throw error("'\(key.string ?? "?")' is not a valid stage name (letters, digits, _ . -; '@' is reserved for expanded stages)", key)
            }
            guard case .mapping(let map) = body else { throw error("stage '\(name)' must be a mapping (cmd, deps, outs, …)", body) }
            for s in try parser.expand(name: name, key: key, map: map, scope: scope) {
                if let previous = seen[s.name] {
                    throw error("two stages are named '\(s.name)'" + (previous.map { " (the other at line \($0))" } ?? ""), key)
                }
                seen[s.name] = s.line
                stages.append(s)
            }
        }
        return PipelineSpec(path: file, directory: directory, workingDirectory: wdir, vars: resolvedVars, stages: stages)
    }

    /// A YAML syntax error with its line, and a hint for the usual `[${var}/x]` mistake.
    func yamlError(_ error: Error, _ yaml: String) -> StickError {
        var problem: String, line: Int?
        switch error as? YamlError {
        case .scanner(let context, let p, let mark, _)?, .parser(let context, let p, let mark, _)?, .composer(let context, let p, let mark, _)?:
            problem = p + (context.map { " (\($0.text) at line \($0.mark.line))" } ?? "")
            line = mark.line
        case .duplicatedKeysInMapping(let duplicates, let context)?:
            problem = "duplicate key\(duplicates.count == 1 ? "" : "s") \(duplicates.map { "'\($0)'" }.joined(separator: ", "))"
            line = context.mark.line
        default:
            problem = "\(error)"
        }
        if let line {
            let text = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            if line - 1 < text.count, let ref = text[line - 1].range(of: "${"),
               text[line - 1][..<ref.lowerBound].contains(where: { "[{,".contains($0) }) {
                problem += "; inside [ ] or { } an entry holding ${…} must be quoted (\"${out}/x\") or written as a block list (- ${out}/x)"
            }
        }
        return StickError("not valid YAML: " + problem, file: file, line: line)
    }

    func isStageName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first != "." && first != "-" else { return false }
        return s.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || "_.-".unicodeScalars.contains($0) }
    }

    func expand(name: String, key: Node, map: Node.Mapping, scope: InterpolationScope) throws -> [PipelineStage] {
        let interpolator = NodeInterpolator(file: file)
        if let foreach = map["foreach"] {
            for (k, _) in map where !foreachKeys.contains(k.string ?? "") {
                throw error("stage '\(name)': unknown key '\(k.string ?? "?")' beside 'foreach' (the stage goes under 'do:')", k)
            }
            guard let template = map["do"], case .mapping(let body) = template else {
                throw error("stage '\(name)': 'foreach' needs a 'do:' mapping (the stage template)", map["do"] ?? key)
            }
            if body["foreach"] != nil || body["matrix"] != nil {
                throw error("stage '\(name)': 'do:' cannot hold another foreach or matrix", template)
            }
            let items = try interpolator.value(foreach, in: scope)
            var result: [PipelineStage] = []
            switch items {
            case .list(let list):
                for (index, item) in list.enumerated() {
                    let suffix = item.isScalar && item != .null ? item.scalarText! : String(index)
                    result += (try stages(name: "\(name)@\(suffix)", group: name, map: body, key: key,
                                            scope: scope.adding(["item": item])))
                }
            case .map(let entries):
                for entry in entries {
                    result += (try stages(name: "\(name)@\(entry.key)", group: name, map: body, key: key,
                                            scope: scope.adding(["item": entry.value, "key": .string(entry.key)])))
                }
            default:
                throw error("stage '\(name)': 'foreach' must be a list or a mapping (or a var holding one), not \(items.kindName)", foreach)
            }
            return result
        }
        if map["do"] != nil { throw error("stage '\(name)': 'do' needs 'foreach'", map["do"]) }
        guard let matrix = map["matrix"] else {
            return try stages(name: name, group: name, map: map, key: key, scope: scope)
        }
        guard case .mapping(let dims) = matrix, !dims.isEmpty else {
            throw error("stage '\(name)': 'matrix' must map names to lists", matrix)
        }
        var dimensions: [(String, [PipelineValue])] = []
        for (k, v) in dims {
            guard let dim = k.string, Template.isName(dim) else { throw error("stage '\(name)': '\(k.string ?? "?")' is not a valid matrix name", k) }
            guard case .list(let values) = try interpolator.value(v, in: scope) else {
                throw error("stage '\(name)': matrix '\(dim)' must be a list (or a var holding one)", v)
            }
            dimensions.append((dim, values))
        }
        var combos: [[(String, PipelineValue, Int)]] = [[]]
        for (dim, values) in dimensions {
            combos = combos.flatMap { prefix in values.enumerated().map { prefix + [(dim, $0.element, $0.offset)] } }
        }
        return try combos.flatMap { combo in
            let suffix = combo.map { dim, value, index in value.isScalar && value != .null ? value.scalarText! : "\(dim)\(index)" }
                .joined(separator: "-")
            let item = PipelineValue.map(combo.map { .init($0.0, $0.1) })
            return try stages(name: "\(name)@\(suffix)", group: name, map: map, key: key, scope: scope.adding(["item": item]))
        }
    }

    /// A stage; with `shards: N`, its N shard stages and the stage itself merging their files (see PipelineSpec.swift).
    func stages(name: String, group: String, map: Node.Mapping, key: Node, scope: InterpolationScope) throws -> [PipelineStage] {
        guard let shardsNode = map["shards"] else { return [try stage(name: name, group: group, map: map, key: key, scope: scope)] }
        let count = try NodeInterpolator(file: file).value(shardsNode, in: scope)
        guard case .number(let text) = count, let n = Int(text), (1...1000).contains(n) else {
            throw error("stage '\(name)': 'shards' must be a whole number from 1 to 1000 (or a var holding one), not \(count)", shardsNode)
        }
        // The declared outs are the merged files, the same for every shard.
        let outTexts: [String]
        switch map["outs"] {
        case .sequence(let seq)?: outTexts = seq.map { $0.string ?? "" }
        case let node?: outTexts = [node.string ?? ""]
        case nil: outTexts = []
        }
        if outTexts.contains(where: { $0.contains("${shard") }) {
            throw error("stage '\(name)': the outs of a sharded stage are the merged files; a shard writes ${shard_out}", map["outs"])
        }
        let merged = try stage(name: name, group: group, map: map, key: key,
                               scope: scope.adding(["shard": .string("1"), "shards": .string(text), "shard_out": .string("")]))
        guard merged.outs.count == 1, let out = merged.outs.first else {
            throw error("stage '\(name)': a sharded stage has exactly one out, the sessions, responses or answers file that "
                + "`stick merge` makes from the shards' files (it has \(merged.outs.count))", map["outs"] ?? key)
        }
        var result: [PipelineStage] = []
        for k in 1...n {
            let shardOut = Paths.shardFile(out, shard: k, of: n)
            var shard = try stage(name: "\(name)+shard\(k)", group: group + "+shards", map: map, key: key,
                                  scope: scope.adding(["shard": .number(String(k)), "shards": .number(String(n)), "shard_out": .string(shardOut)]))
            shard.outs = [shardOut]
            shard.summary = (merged.summary.map { $0 + " " } ?? "") + "(shard \(k) of \(n))"
            result.append(shard)
        }
        let shardFiles = result.map { $0.outs[0] }
        if merged.service != nil {
            // One server for every shard: a single stage starts it and runs the shards' commands at once.
            result = [served(result, name: name, group: group, like: merged)]
        }
        let merge = PipelineStage(name: name, group: group,
                                  commands: ["stick merge " + shardFiles.map(ShellQuoting.quote).joined(separator: " ") + " -o " + ShellQuoting.quote(out)],
                                  deps: shardFiles, outs: [out], summary: "merges the \(n) shard\(n == 1 ? "" : "s") of \(name)", line: key.mark?.line)
        result.append(merge)
        return result
    }

    /// The shards of a stage with a service as one stage `NAME+shards`: its service, and one command running
    /// every shard's commands in the background and failing if any shard failed.
    func served(_ shards: [PipelineStage], name: String, group: String, like merged: PipelineStage) -> PipelineStage {
        let q = ShellQuoting.quote
        let starts = shards.enumerated().map { i, shard in
            "(" + shard.commands.map { "/bin/sh -c " + q($0) }.joined(separator: " && ") + ") </dev/null & stick_shard_\(i + 1)=$!"
        }
        let waits = shards.indices.map { "wait \"$stick_shard_\($0 + 1)\" || stick_failed=1" }
        let command = (starts + ["stick_failed=0"] + waits + ["exit \"$stick_failed\""]).joined(separator: "; ")
        var stage = PipelineStage(name: name + "+shards", group: group + "+shards", commands: [command], deps: merged.deps,
                                  outs: shards.map { $0.outs[0] }, params: merged.params, alwaysChanged: merged.alwaysChanged,
                                  summary: (merged.summary.map { $0 + " " } ?? "") + "(\(shards.count) shards sharing one service)",
                                  line: merged.line)
        stage.resources = merged.resources
        stage.service = merged.service
        return stage
    }

    func stage(name: String, group: String, map: Node.Mapping, key: Node, scope: InterpolationScope) throws -> PipelineStage {
        let interpolator = NodeInterpolator(file: file)
        for (k, _) in map where !stageKeys.contains(k.string ?? "") {
            throw error("stage '\(group)': unknown key '\(k.string ?? "?")' (expected cmd, deps, outs, params, desc, always_changed, resources, service, shards, foreach/do, matrix)", k)
        }
        func strings(_ node: Node, field: String, _ convert: (Template) throws -> [String]) throws -> [String] {
            let elements: [Node]
            switch node {
            case .sequence(let seq): elements = Array(seq)
            case .scalar: elements = [node]
            default: throw error("stage '\(name)': '\(field)' must be a string or a list of strings", node)
            }
            var out: [String] = []
            for element in elements {
                guard case .scalar(let scalar) = element, PipelineValue(node: element) != .null else {
                    throw error("stage '\(name)': every '\(field)' entry must be a string", element)
                }
                out += try interpolator.located(element.mark) {
                    do { return try convert(try Template(scalar.string)) } catch let e as StickError {
                        throw StickError("stage '\(name)', \(field): \(e.message)")
                    }
                }
            }
            return out
        }
        guard let cmdNode = map["cmd"] else { throw error("stage '\(name)' has no 'cmd'", key) }
        let commands = try strings(cmdNode, field: "cmd") { [try $0.command(in: scope)] }
            .filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        guard !commands.isEmpty else { throw error("stage '\(name)': 'cmd' is empty", cmdNode) }

        func paths(_ field: String) throws -> [String] {
            guard let node = map[field] else { return [] }
            var out: [String] = []
            for p in try strings(node, field: field, { try $0.entries(in: scope) }) {
                let n = Paths.normalize(p)
                guard !n.isEmpty else {
                    throw error("stage '\(name)': '\(p)' in \(field) is the working directory itself", node)
                }
                // Outputs are checked where they land after `..` is folded (PipelineGraph); the command gets the
                // path as written, where the kernel reads `link/..` as the parent of the link's target.
                if field == "outs", p.split(separator: "/").contains(".."),
                   Paths.physical(p.hasPrefix("/") ? p : workingDirectory + "/" + p) != Paths.resolved(Paths.absolute(n, base: workingDirectory)) {
                    throw error("stage '\(name)': output '\(p)' goes through a symlink before '..', so it is not '\(n)'; "
                        + "write the output without '..'", node)
                }
                if !out.contains(n) { out.append(n) }
            }
            return out
        }
        let deps = try paths("deps"), outs = try paths("outs")

        var params: [PipelineStage.Param] = []
        if let node = map["params"] {
            for p in try strings(node, field: "params", { try $0.entries(in: scope) }) where !params.contains(where: { $0.name == p }) {
                let segments = p.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard segments.allSatisfy(Template.isName) else {
                    throw error("stage '\(name)': '\(p)' in params is not a var name", node)
                }
                let value = try interpolator.located(node.mark) {
                    do {
                        return try Template.resolve(segments, text: p, in: InterpolationScope(names: scope.names, lookup: {
                            reservedNames.contains($0) ? nil : try scope.lookup($0)
                        }))
                    } catch let e as StickError {
                        throw StickError("stage '\(name)', params: \(e.message) (params name vars)")
                    }
                }
                params.append(.init(name: p, value: value))
            }
        }
        var alwaysChanged = false
        if let node = map["always_changed"] {
            guard let b = node.bool else { throw error("stage '\(name)': 'always_changed' must be true or false", node) }
            alwaysChanged = b
        }
        var summary: String?
        if let node = map["desc"] {
            summary = try interpolator.value(node, in: scope).scalarText
        }
        var stage = PipelineStage(name: name, group: group, commands: commands, deps: deps, outs: outs, params: params,
                                  alwaysChanged: alwaysChanged, summary: summary, line: key.mark?.line)
        if let node = map["resources"] {
            guard case .mapping(let fields) = node else {
                throw error("stage '\(name)': 'resources' must be a mapping (cpus, mem, time, gres)", node)
            }
            for (k, v) in fields {
                let field = k.string ?? "?"
                let value = try interpolator.value(v, in: scope)
                guard let text = value.scalarText, value.isScalar, value != .null else {
                    throw error("stage '\(name)': resources.\(field) must be a scalar", v)
                }
                do { try stage.resources.set(field, text) } catch let e as StickError {
                    throw error("stage '\(name)': \(e.message)", v)
                }
            }
        }
        if let node = map["service"] {
            stage.service = try service(node, stage: name, scope: scope)
        }
        return stage
    }

    /// `service: {cmd, ready, timeout}`.
    func service(_ node: Node, stage name: String, scope: InterpolationScope) throws -> StageService {
        let interpolator = NodeInterpolator(file: file)
        guard case .mapping(let fields) = node else {
            throw error("stage '\(name)': 'service' must be a mapping (cmd, ready, timeout)", node)
        }
        for (k, _) in fields where !["cmd", "ready", "timeout"].contains(k.string ?? "") {
            throw error("stage '\(name)': unknown key 'service.\(k.string ?? "?")' (expected cmd, ready, timeout)", k)
        }
        guard let cmdNode = fields["cmd"], case .scalar(let cmd) = cmdNode else {
            throw error("stage '\(name)': 'service' needs 'cmd', the command that starts the server", fields["cmd"] ?? node)
        }
        let command = try interpolator.located(cmdNode.mark) {
            do { return try Template(cmd.string).command(in: scope) } catch let e as StickError {
                throw StickError("stage '\(name)', service.cmd: \(e.message)")
            }
        }
        guard !command.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw error("stage '\(name)': 'service.cmd' is empty", cmdNode) }
        guard let readyNode = fields["ready"] else {
            throw error("stage '\(name)': 'service' needs 'ready', an http:// URL that answers 2xx once the server is ready", node)
        }
        let ready = try interpolator.value(readyNode, in: scope)
        guard let url = ready.scalarText, case .string = ready else {
            throw error("stage '\(name)': 'service.ready' must be an http:// URL", readyNode)
        }
        do { _ = try StageService.parseURL(url) } catch let e as StickError { throw error("stage '\(name)': \(e.message)", readyNode) }
        var timeout = 600.0
        if let t = fields["timeout"] {
            let value = try interpolator.value(t, in: scope)
            guard case .number(let text) = value, let seconds = Double(text), seconds > 0, seconds <= 7 * 86400 else {
                throw error("stage '\(name)': 'service.timeout' must be a number of seconds (up to a week), not \(value)", t)
            }
            timeout = seconds
        }
        return StageService(command: command, readyURL: url, timeout: timeout)
    }
}
