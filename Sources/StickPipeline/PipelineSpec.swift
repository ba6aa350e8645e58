// The pipeline spec (`stick: pipeline`, version 1), modelled on DVC's dvc.yaml:
//
//   stick: pipeline
//   version: 1
//   wdir: ..                       # where commands run and paths are relative to (default: the spec's directory)
//   vars: {out: run, models: [a, b]}
//   stages:
//     prompts:
//       cmd: stick gen-prompts demo -o ${out}/sessions.jsonl.zst
//       outs: [...]
//     query:
//       foreach: ${models}          # a list (or a var holding one) → query@a, query@b; ${item}
//       do: {cmd: ..., deps: [...], outs: [...], params: [...]}
//     sweep:
//       matrix: {model: ${models}, seed: [1, 2]}   # cartesian product → sweep@a-1 …; ${item.model}
//       cmd: ...
//
//     query:
//       shards: 3                   # query+shard1 … query+shard3 (${shard} 1..3, ${shards} 3, writing ${shard_out}),
//       cmd: ...                    # then query itself: `stick merge` of the shard files → its one declared out
//       outs: [${out}/responses.jsonl.zst]
//
// A foreach over a mapping gives `${key}` and `${item}` and names its stages `stage@KEY`. Items that
// are not scalars are named by their index (`stage@0`), matrix dimensions that are not scalars by
// name and index (`stage@cfg0-1`). Every error names the spec file and, where it has one, the line.
// A sharded stage's shards form the group `NAME+shards` (one Slurm job array); each writes its out with
// `.shard-K-of-N` before the extensions (`${shard_out}`), and the files are kept (they are the shards' outs
// in the lock, so a rerun skips the shards that are up to date). With a `service:`, the shards are one stage
// `NAME+shards` that starts the server once and runs every shard's commands at once.
// This file: the spec's types; PipelineVars.swift: vars and --set; PipelineSpecParser.swift: reading the YAML.
import Foundation
import StickArtifacts

/// One runnable stage after foreach/matrix expansion and interpolation.
public struct PipelineStage: Hashable, Sendable {
    /// `query@dummy` for expanded stages, else the name in the spec.
    public var name: String
    /// The name in the spec (`query` for `query@dummy`).
    public var group: String
    /// Shell commands run in order with `/bin/sh -c` in the working directory.
    public var commands: [String]
    /// Files or directories read, relative to the working directory (normalized).
    public var deps: [String]
    /// Files or directories written, relative to the working directory (normalized).
    public var outs: [String]
    /// Var names (dotted paths allowed) whose values the stage depends on, with their values.
    public var params: [Param]
    /// Run every time, whatever the lock says.
    public var alwaysChanged: Bool
    /// `desc:` in the spec.
    public var summary: String?
    /// The line of the stage in the spec.
    public var line: Int?
    /// `resources:` — what a cluster job of the stage asks for (the local runner ignores it).
    public var resources: StageResources = StageResources()
    /// `service:` — a server started before the commands and stopped after them (StageService.swift).
    public var service: StageService?

    public struct Param: Hashable, Sendable {
        public var name: String
        public var value: PipelineValue
    }

    public init(name: String, group: String? = nil, commands: [String], deps: [String] = [], outs: [String] = [],
                params: [Param] = [], alwaysChanged: Bool = false, summary: String? = nil, line: Int? = nil) {
        self.name = name
        self.group = group ?? name
        self.commands = commands
        self.deps = deps
        self.outs = outs
        self.params = params
        self.alwaysChanged = alwaysChanged
        self.summary = summary
        self.line = line
    }
}

public struct PipelineSpec: Sendable {
    /// The spec file as given (used in messages).
    public var path: String
    /// The spec's directory, absolute.
    public var directory: String
    /// The directory commands run in and paths are relative to, absolute.
    public var workingDirectory: String
    /// The vars after overrides and interpolation, in spec order.
    public var vars: [PipelineValue.Entry]
    /// The stages after expansion, in spec order.
    public var stages: [PipelineStage]

    /// `<dir>/<name>.lock` beside the spec: `demo.yaml` → `demo.lock`.
    public var lockPath: String {
        let base = (path as NSString).lastPathComponent
        let stem = (base as NSString).deletingPathExtension
        return directory + "/" + (stem.isEmpty ? base : stem) + ".lock"
    }

    /// `<dir>/.<name>.lock.run` beside the spec: held (flock) by a run for its whole duration (PipelineRunLock).
    public var runLockPath: String {
        let base = (path as NSString).lastPathComponent
        let stem = (base as NSString).deletingPathExtension
        return directory + "/." + (stem.isEmpty ? base : stem) + ".lock.run"
    }

    /// The spec file, absolute.
    public var specFile: String { directory + "/" + (path as NSString).lastPathComponent }

    public func stage(named name: String) -> PipelineStage? { stages.first { $0.name == name } }

    /// A stage path made absolute (against the working directory).
    public func absolutePath(_ path: String) -> String { Paths.absolute(path, base: workingDirectory) }

    /// The value of a var (dotted paths allowed), after overrides.
    public func value(of name: String) -> PipelineValue? {
        let path = name.split(separator: ".").map(String.init)
        guard var value = vars.first(where: { $0.key == path.first })?.value else { return nil }
        for segment in path.dropFirst() {
            if let v = value[segment] { value = v } else if case .list(let items) = value, let i = Int(segment),
                items.indices.contains(i) { value = items[i] } else { return nil }
        }
        return value
    }

    public init(path: String, directory: String, workingDirectory: String, vars: [PipelineValue.Entry], stages: [PipelineStage]) {
        self.path = path
        self.directory = directory
        self.workingDirectory = workingDirectory
        self.vars = vars
        self.stages = stages
    }

    /// Reads and expands a spec file.
    public static func load(_ path: String, overrides: [VarOverride] = []) throws -> PipelineSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StickError(FileManager.default.fileExists(atPath: path) ? "cannot read the pipeline spec" : "no such pipeline spec", file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw StickError("the spec is not UTF-8 text", file: path) }
        let absolute = Paths.absolute(path, base: Paths.currentDirectory)
        return try parse(yaml: text, path: path, directory: (absolute as NSString).deletingLastPathComponent, overrides: overrides)
    }

    /// Expands spec text; `directory` is where the spec lives (relative `wdir` starts there).
    public static func parse(yaml: String, path: String, directory: String, overrides: [VarOverride] = []) throws -> PipelineSpec {
        try SpecParser(file: path, directory: Paths.normalize(directory)).parse(yaml, overrides: overrides)
    }
}

