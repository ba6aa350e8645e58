// The stage DAG: an edge A → B when B depends on a path that A writes — the same path, a file inside
// an output directory of A, or a directory holding outputs of A. Two stages may not write the same
// path (or one inside the other, also once symlinks are followed), and cycles are refused with the
// cycle spelled out. Outputs are deleted before their stage runs, so each must land strictly inside
// the working directory (or a directory allowed with --allow-outs-under) and hold neither the spec
// nor its lock files (OutputPlaces).
import Foundation
import StickArtifacts

/// Where stages may write: strictly inside the working directory or an allowed root once symlinks are
/// resolved, and never over the spec, its lock file or its run lock.
public struct OutputPlaces: Sendable {
    /// The working directory, then the allowed roots; resolved.
    public let roots: [String]
    private let protected: [(path: String, what: String)]

    /// `allowedRoots`: absolute, or relative to the current directory.
    public init(spec: PipelineSpec, allowedRoots: [String] = []) {
        let cwd = Paths.currentDirectory
        var roots = [Paths.resolved(spec.workingDirectory)]
        for r in allowedRoots {
            let root = Paths.resolved(Paths.absolute(r, base: cwd))
            if !roots.contains(root) { roots.append(root) }
        }
        self.roots = roots
        let specDirectory = Paths.resolved(spec.directory)
        let name = (spec.path as NSString).lastPathComponent
        protected = [
            (specDirectory + "/" + name, "the spec"), (Paths.resolved(spec.specFile), "the spec"),
            (Paths.resolved(spec.lockPath), "the lock file"), (Paths.resolved(spec.runLockPath), "the run lock"),
        ]
    }

    /// Why `path` (absolute) may not be an output, or nil when it may.
    public func problem(with path: String) -> String? {
        let real = Paths.resolved(path)
        let resolvesTo = real == Paths.normalize(path) ? "" : " (it resolves to \(real))"
        if let root = roots.first(where: { Paths.isSameOrInside($0, real) }) {
            let which = root == roots[0] ? "the working directory" : "the allowed directory \(root)"
            return (root == real ? "is \(which) itself" : "holds \(which)") + resolvesTo + "; outputs are deleted before their stage runs"
        }
        guard roots.contains(where: { Paths.isSameOrInside(real, $0) }) else {
            return "is outside the working directory \(roots[0])" + resolvesTo
                + (roots.count > 1 ? " and the directories allowed with --allow-outs-under" : "")
                + "; outputs are deleted before their stage runs, so they must be inside it (or under a directory given with --allow-outs-under)"
        }
        if let p = protected.first(where: { Paths.isSameOrInside($0.path, real) }) {
            return "would delete \(p.what) \(p.path)" + resolvesTo
        }
        return nil
    }
}

public struct PipelineGraph: Sendable {
    public let spec: PipelineSpec
    /// Stage names in a topological order (ties broken by spec order).
    public let order: [String]
    /// Direct upstream stages of each stage (the stages whose outputs it reads), in spec order.
    public let upstream: [String: [String]]
    /// Direct downstream stages of each stage.
    public let downstream: [String: [String]]
    /// For each stage and dep: the stages producing (part of) that dep.
    public let producers: [String: [String: [String]]]

    /// Where outputs may be.
    public let outputPlaces: OutputPlaces

    private let index: [String: Int]

    /// `allowOutsUnder`: directories outside the working directory where outputs may be too (absolute, or
    /// relative to the current directory).
    public init(_ spec: PipelineSpec, allowOutsUnder: [String] = []) throws {
        self.spec = spec
        let places = OutputPlaces(spec: spec, allowedRoots: allowOutsUnder)
        self.outputPlaces = places
        let stages = spec.stages
        var index: [String: Int] = [:]
        for (i, s) in stages.enumerated() { index[s.name] = i }
        self.index = index
        let file = spec.path

        // Outputs: each where it may be; no path written twice, none inside another (also through symlinks).
        var outs: [(abs: String, real: String, path: String, stage: Int)] = []
        for (i, s) in stages.enumerated() {
            for o in s.outs {
                let abs = spec.absolutePath(o)
                if let problem = places.problem(with: abs) {
                    throw StickError("stage '\(s.name)': output '\(o)' \(problem)", file: file, line: s.line)
                }
                let real = Paths.resolved(abs)
                for other in outs where Paths.overlap(other.abs, abs) || Paths.overlap(other.real, real) {
                    let a = stages[other.stage]
                    let lexical = Paths.overlap(other.abs, abs)
                    if other.stage == i {
                        throw StickError("stage '\(s.name)': outputs '\(other.path)' and '\(o)' overlap"
                            + (lexical ? "" : " once symlinks are followed"), file: file, line: s.line)
                    }
                    let what = !lexical ? "outputs '\(other.path)' and '\(o)' overlap once symlinks are followed (\(other.real), \(real)):"
                        : other.abs == abs ? "'\(o)' is an output of" : "outputs '\(other.path)' and '\(o)' overlap:"
                    throw StickError("two stages write one output: \(what) stage '\(a.name)'\(a.line.map { " (line \($0))" } ?? "") "
                        + "and stage '\(s.name)'", file: file, line: s.line)
                }
                outs.append((abs, real, o, i))
            }
        }

        // Edges.
        var up = [[Int]](repeating: [], count: stages.count)
        var producers: [String: [String: [String]]] = [:]
        for (i, s) in stages.enumerated() {
            var byDep: [String: [String]] = [:]
            for d in s.deps {
                let abs = spec.absolutePath(d)
                var from: [Int] = []
                for o in outs where Paths.overlap(o.abs, abs) {
                    if o.stage == i {
                        throw StickError("stage '\(s.name)' depends on its own output ('\(d)' and '\(o.path)')", file: file, line: s.line)
                    }
                    if !from.contains(o.stage) { from.append(o.stage) }
                }
                byDep[d] = from.sorted().map { stages[$0].name }
                for f in from where !up[i].contains(f) { up[i].append(f) }
            }
            up[i].sort()
            producers[s.name] = byDep
        }
        var down = [[Int]](repeating: [], count: stages.count)
        for (i, ups) in up.enumerated() { for u in ups { down[u].append(i) } }

        // Kahn, smallest spec index first.
        var indegree = up.map(\.count)
        var ready = indegree.indices.filter { indegree[$0] == 0 }
        var order: [Int] = []
        while !ready.isEmpty {
            ready.sort()
            let n = ready.removeFirst()
            order.append(n)
            for d in down[n] {
                indegree[d] -= 1
                if indegree[d] == 0 { ready.append(d) }
            }
        }
        if order.count < stages.count {
            let cycle = PipelineGraph.findCycle(up: up, among: Set(indegree.indices.filter { indegree[$0] > 0 }))
            let names = cycle.map { stages[$0].name }
            let via = zip(cycle, cycle.dropFirst()).compactMap { a, b -> String? in
                let dep = stages[b].deps.first { producers[stages[b].name]?[$0]?.contains(stages[a].name) == true }
                return dep.map { "'\(stages[b].name)' reads '\($0)' from '\(stages[a].name)'" }
            }
            throw StickError("the stages form a cycle: \(names.joined(separator: " → "))"
                + (via.isEmpty ? "" : " (\(via.joined(separator: "; ")))"), file: file, line: stages[cycle[0]].line)
        }
        self.order = order.map { stages[$0].name }
        var upstream: [String: [String]] = [:], downstream: [String: [String]] = [:]
        for (i, s) in stages.enumerated() {
            upstream[s.name] = up[i].map { stages[$0].name }
            downstream[s.name] = down[i].sorted().map { stages[$0].name }
        }
        self.upstream = upstream
        self.downstream = downstream
        self.producers = producers
    }

    /// A cycle among `nodes` following upstream edges, as producer → … → consumer → first producer.
    private static func findCycle(up: [[Int]], among nodes: Set<Int>) -> [Int] {
        var state: [Int: Int] = [:]  // 1 visiting, 2 done
        var stack: [Int] = []
        func visit(_ n: Int) -> [Int]? {
            state[n] = 1
            stack.append(n)
            for u in up[n] where nodes.contains(u) {
                if state[u] == 1, let start = stack.firstIndex(of: u) {
                    // stack[start...] goes consumer → producer; reverse for producer → consumer.
                    var cyc = Array(Array(stack[start...]).reversed())
                    let first = cyc.firstIndex(of: cyc.min()!)!
                    cyc = Array(cyc[first...] + cyc[..<first])
                    return cyc + [cyc[0]]
                }
                if state[u] == nil, let c = visit(u) { return c }
            }
            stack.removeLast()
            state[n] = 2
            return nil
        }
        for n in nodes.sorted() where state[n] == nil {
            if let c = visit(n) { return c }
        }
        return Array(nodes.sorted())
    }

    public func stage(_ name: String) -> PipelineStage { spec.stages[index[name]!] }

    /// The stages needed for `targets` (a stage name or a foreach/matrix group name) and everything upstream
    /// of them, in topological order; every stage when `targets` is empty.
    public func selection(_ targets: [String]) throws -> [String] {
        if targets.isEmpty { return order }
        var wanted = Set<String>()
        for t in targets {
            let matches = spec.stages.filter { $0.name == t || $0.group == t }.map(\.name)
            guard !matches.isEmpty else {
                let known = spec.stages.map(\.name)
                throw StickError("no stage '\(t)' (stages: \(known.joined(separator: ", ")))", file: spec.path)
            }
            var stack = matches
            while let n = stack.popLast() {
                guard wanted.insert(n).inserted else { continue }
                stack += upstream[n] ?? []
            }
        }
        return order.filter(wanted.contains)
    }

    /// Stages of `selection` that no other stage of the selection reads from.
    public func finalStages(of selection: [String]) -> [String] {
        let set = Set(selection)
        return selection.filter { (downstream[$0] ?? []).allSatisfy { !set.contains($0) } }
    }

    /// Deps of `selection` that no stage produces and that do not exist.
    public func missingSources(in selection: [String]) -> [(stage: String, dep: String)] {
        var missing: [(String, String)] = []
        for name in selection {
            for d in stage(name).deps where (producers[name]?[d] ?? []).isEmpty {
                if !FileManager.default.fileExists(atPath: spec.absolutePath(d)) { missing.append((name, d)) }
            }
        }
        return missing
    }

    /// The graph as text: stages in topological order with what they read from whom.
    public func text(selection: [String]? = nil) -> String {
        let names = selection ?? order
        var lines = ["\(spec.path): \(names.count) stage\(names.count == 1 ? "" : "s") in topological order (wdir \(spec.workingDirectory))"]
        let width = names.map(\.count).max() ?? 0
        for (n, name) in names.enumerated() {
            let s = stage(name)
            let ups = upstream[name] ?? []
            let pad = String(repeating: " ", count: width - name.count)
            lines.append("\(String(n + 1).leftPadded(to: String(names.count).count)). \(name)\(pad)"
                + (ups.isEmpty ? "  (source)" : "  ← \(ups.joined(separator: ", "))"))
            for d in s.deps {
                let from = producers[name]?[d] ?? []
                lines.append("      dep  \(d)" + (from.isEmpty ? "" : "  (from \(from.joined(separator: ", ")))"))
            }
            for o in s.outs { lines.append("      out  \(o)") }
            for p in s.params { lines.append("      param \(p.name) = \(p.value)") }
        }
        return lines.joined(separator: "\n")
    }

    /// The graph in Graphviz dot.
    public func dot(selection: [String]? = nil) -> String {
        let names = selection ?? order
        let set = Set(names)
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        var lines = ["digraph pipeline {", "  rankdir=LR;", "  node [shape=box];"]
        for n in names { lines.append("  \(q(n));") }
        for n in names { for u in upstream[n] ?? [] where set.contains(u) { lines.append("  \(q(u)) -> \(q(n));") } }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
