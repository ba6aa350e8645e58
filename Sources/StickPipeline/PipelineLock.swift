// The lock file `<spec stem>.lock` beside the spec: per finished stage, the command, the param values and
// the SHA-256 of every dep and out as they were when the stage last succeeded. JSON with sorted keys:
//
//   {
//     "stages" : {
//       "query@dummy" : {
//         "cmd" : ["stick query run/sessions.jsonl.zst --model pipelines/models/dummy.yaml -o run/dummy/responses.jsonl.zst"],
//         "deps" : {"pipelines/models/dummy.yaml" : {"sha256" : "…", "size" : 412},
//                   "run/sessions.jsonl.zst" : {"sha256" : "…", "size" : 1234567}},
//         "outs" : {"run/dummy/responses.jsonl.zst" : {"sha256" : "…", "size" : 7654321}},
//         "params" : {"seed" : 1}                     (empty deps, outs, params are left out)
//       }
//     },
//     "stick" : "pipeline-lock",
//     "version" : 1
//   }
//
// A directory's hash is the SHA-256 of its `sha256  relative/path` lines (every regular file below it,
// symlinks followed, paths sorted bytewise), with "files" counting them. The lock is rewritten
// atomically (temporary file + rename) after every stage that finishes, so it always describes
// finished work; a failed stage is removed from it.
import Foundation
import StickArtifacts

/// The content hash of a file or directory.
public struct ContentHash: Codable, Hashable, Sendable {
    public var sha256: String
    public var size: Int64
    /// Number of files, for directories.
    public var files: Int?

    public init(sha256: String, size: Int64, files: Int? = nil) {
        self.sha256 = sha256
        self.size = size
        self.files = files
    }
}

public struct LockEntry: Codable, Hashable, Sendable {
    public var cmd: [String]
    public var deps: [String: ContentHash]
    public var outs: [String: ContentHash]
    public var params: [String: PipelineValue]

    public init(cmd: [String], deps: [String: ContentHash], outs: [String: ContentHash], params: [String: PipelineValue]) {
        self.cmd = cmd
        self.deps = deps
        self.outs = outs
        self.params = params
    }

    enum CodingKeys: String, CodingKey { case cmd, deps, outs, params }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cmd = try c.decode([String].self, forKey: .cmd)
        deps = try c.decodeIfPresent([String: ContentHash].self, forKey: .deps) ?? [:]
        outs = try c.decodeIfPresent([String: ContentHash].self, forKey: .outs) ?? [:]
        params = try c.decodeIfPresent([String: PipelineValue].self, forKey: .params) ?? [:]
    }

    /// Empty deps, outs and params are left out.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cmd, forKey: .cmd)
        if !deps.isEmpty { try c.encode(deps, forKey: .deps) }
        if !outs.isEmpty { try c.encode(outs, forKey: .outs) }
        if !params.isEmpty { try c.encode(params, forKey: .params) }
    }
}

public struct PipelineLock: Codable, Sendable {
    public var stick = "pipeline-lock"
    public var version = 1
    public var stages: [String: LockEntry] = [:]

    public init(stages: [String: LockEntry] = [:]) { self.stages = stages }

    /// Reads a lock file; an absent file is an empty lock.
    public static func load(_ path: String) throws -> PipelineLock {
        guard FileManager.default.fileExists(atPath: path) else { return PipelineLock() }
        guard let data = FileManager.default.contents(atPath: path) else { throw StickError("cannot read the lock file", file: path) }
        let lock: PipelineLock
        do { lock = try JSONDecoder().decode(PipelineLock.self, from: data) } catch {
            throw StickError("not a pipeline lock file: \(describeDecodingError(error)) (delete it to start over)", file: path)
        }
        guard lock.stick == "pipeline-lock", lock.version == 1 else {
            throw StickError("unsupported lock file (\(lock.stick) version \(lock.version))", file: path)
        }
        return lock
    }

    /// Writes the lock atomically.
    public func save(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        try withOutput(path, codec: Codec.none) { try $0.write(data) }
    }
}

/// Hashes files and directories, remembering files by (device, inode, size, mtime) within one run.
public final class ContentHasher: @unchecked Sendable {
    private struct Key: Hashable {
        var path: String, dev: UInt64, ino: UInt64, size: Int64, sec: Int, nsec: Int
    }
    private var cache: [Key: String] = [:]
    private let lock = NSLock()

    public init() {}

    /// Forgets what was remembered of `path` and everything below it (before a stage rewrites it).
    public func forget(_ path: String) {
        lock.withLock { cache = cache.filter { !Paths.isSameOrInside($0.key.path, path) } }
    }

    /// nil when `path` does not exist.
    public func hash(_ path: String) throws -> ContentHash? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        if (st.st_mode & S_IFMT) == S_IFDIR { return try hashDirectory(path) }
        return ContentHash(sha256: try hashFile(path, st), size: Int64(st.st_size))
    }

    private func hashFile(_ path: String, _ st: stat) throws -> String {
        #if canImport(Darwin)
        let key = Key(path: path, dev: UInt64(st.st_dev), ino: UInt64(st.st_ino), size: Int64(st.st_size),
                      sec: Int(st.st_mtimespec.tv_sec), nsec: Int(st.st_mtimespec.tv_nsec))
        #else
        let key = Key(path: path, dev: UInt64(st.st_dev), ino: UInt64(st.st_ino), size: Int64(st.st_size),
                      sec: Int(st.st_mtim.tv_sec), nsec: Int(st.st_mtim.tv_nsec))
        #endif
        if let h = lock.withLock({ cache[key] }) { return h }
        let h = try SHA256Hex.ofFile(path).sha256
        lock.withLock { cache[key] = h }
        return h
    }

    private func hashDirectory(_ path: String) throws -> ContentHash {
        var files: [(String, String, Int64)] = []
        func walk(_ dir: String, _ rel: String, _ depth: Int) throws {
            guard depth < 64 else { throw StickError("directories nested too deeply (a symlink loop?)", file: dir) }
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: dir) } catch {
                throw StickError("cannot list the directory: \(error.localizedDescription)", file: dir)
            }
            for name in names {
                let full = dir + "/" + name, r = rel.isEmpty ? name : rel + "/" + name
                var st = stat()
                guard stat(full, &st) == 0 else { continue }  // a dangling symlink
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    try walk(full, r, depth + 1)
                } else if (st.st_mode & S_IFMT) == S_IFREG {
                    files.append((r, try hashFile(full, st), Int64(st.st_size)))
                }
            }
        }
        try walk(path, "", 0)
        files.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        let listing = files.map { "\($0.1)  \($0.0)\n" }.joined()
        return ContentHash(sha256: SHA256Hex.of(listing), size: files.reduce(0) { $0 + $1.2 }, files: files.count)
    }
}
