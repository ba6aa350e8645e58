// Run archives: deterministic tar (zstd by default) with a MANIFEST.json of every member's size,
// sha256 and artifact kind; safe extraction that verifies every hash and never writes outside its
// target directory.
import CArchive
import StickDigest
import Foundation

public struct ManifestMember: Codable, Equatable, Sendable {
    public var path: String
    public var size: Int64
    public var sha256: String
    public var kind: String?
    public var version: Int?
}

public struct ArchiveManifest: Codable, Equatable, Sendable {
    public var stick: String = ArtifactKind.manifest.rawValue
    public var version: Int = ArtifactKind.manifest.currentVersion
    public var tool: String = stickToolName
    public var members: [ManifestMember]

    public static let fileName = "MANIFEST.json"
}

/// A member as the archive itself describes it.
public struct ArchiveEntryInfo: Equatable, Sendable {
    public enum EntryType: String, Sendable { case file, directory, symlink, hardlink, other }
    public var path: String
    public var size: Int64
    public var type: EntryType
}

public struct ExtractionLimits: Sendable {
    public var maxMemberSize: Int64
    public var maxTotalSize: Int64
    public var maxMembers: Int

    public init(maxMemberSize: Int64 = 8 << 30, maxTotalSize: Int64 = 64 << 30, maxMembers: Int = 100_000) {
        self.maxMemberSize = maxMemberSize
        self.maxTotalSize = maxTotalSize
        self.maxMembers = maxMembers
    }
}

public enum Archives {
    // MARK: pack

    /// Writes every regular file under `directory` (sorted, with fixed metadata) plus a manifest, so the
    /// same input gives the same bytes. The codec follows the output name (`.tar.zst` by default).
    @discardableResult
    public static func pack(directory: String, to output: String, adding extras: [(name: String, file: String)] = []) throws -> ArchiveManifest {
        var sources: [String: String] = [:]
        for f in try regularFiles(under: directory) { sources[f] = (directory as NSString).appendingPathComponent(f) }
        // Files from elsewhere (the run's shared sessions, its model config): regular files, no links.
        for extra in extras {
            let name = try safeRelativePath(extra.name, archive: output)
            guard name != ArchiveManifest.fileName else { throw StickError("cannot add a member named \(name)", file: extra.file) }
            guard sources[name] == nil else { throw StickError("the archive already has a member '\(name)'", file: extra.file) }
            var st = stat()
            guard lstat(extra.file, &st) == 0 else { throw StickError("cannot add: \(String(cString: strerror(errno)))", file: extra.file) }
            guard (st.st_mode & S_IFMT) == S_IFREG else { throw StickError("pack stores regular files only (not a link or directory)", file: extra.file) }
            sources[name] = extra.file
        }
        let files = sources.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let paths = files.map { sources[$0]! }
        // The manifest comes first in the archive and needs every hash: hash and sniff on every core.
        let results = LockedArray<Result<ManifestMember, Error>?>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            results[i] = Result {
                let full = paths[i]
                let (sha, size) = try SHA256Hex.ofFile(full)
                let sniffed = (try? sniffArtifact(full)) ?? nil
                return ManifestMember(path: files[i], size: size, sha256: sha, kind: sniffed?.kind, version: sniffed?.version)
            }
        }
        let members = try results.values.map { try $0!.get() }
        let manifest = ArchiveManifest(members: members)
        let manifestData = try StickJSON.encoder(pretty: true).encode(manifest) + Data("\n".utf8)
        let codec = output == "-" ? Codec.zstd : Codec.forPath(output)

        // zstd compresses on worker threads while this one reads the files (as `tar | zstd -T1` overlaps).
        try withOutput(output, codec: Codec.none) { out in
            let writer = try TarWriter(sink: out, codec: codec, name: output, zstdWorkers: 2)
            try writer.add(path: ArchiveManifest.fileName, data: manifestData)
            for m in members {
                try writer.add(path: m.path, file: sources[m.path]!, size: m.size)
            }
            try writer.close()
        }
        return manifest
    }

    /// Relative paths of the regular files under `directory`, sorted bytewise; links are refused so an
    /// archive never depends on what they point to.
    static func regularFiles(under directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StickError("not a directory", file: directory)
        }
        guard let e = FileManager.default.enumerator(atPath: directory) else {
            throw StickError("cannot list", file: directory)
        }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            let full = (directory as NSString).appendingPathComponent(rel)
            let attrs = try FileManager.default.attributesOfItem(atPath: full)
            let type = attrs[.type] as? FileAttributeType
            if type == .typeDirectory { continue }
            if type == .typeSymbolicLink { throw StickError("pack stores regular files only, found a link", file: full) }
            guard type == .typeRegular else { throw StickError("pack stores regular files only", file: full) }
            let name = (rel as NSString).lastPathComponent
            if rel == ArchiveManifest.fileName || (name.hasPrefix(".") && name.contains(".tmp-")) { continue }
            out.append(rel)
        }
        return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Checks an unpacked run directory against its MANIFEST.json in place: every listed member is a
    /// regular file (links are refused, never followed) of the listed size and sha256, and every regular
    /// file is listed. Returns the manifest; throws naming the first member that differs.
    public static func verifyDirectory(_ directory: String) throws -> ArchiveManifest {
        let manifestPath = (directory as NSString).appendingPathComponent(ArchiveManifest.fileName)
        // Refuses links anywhere in the directory (the manifest included) before anything is opened.
        let files = try regularFiles(under: directory)
        var st = stat()
        guard lstat(manifestPath, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw StickError("has no \(ArchiveManifest.fileName) (a regular file); pack the directory with `stick pack`", file: directory)
        }
        let data = try Inputs.readAll(manifestPath, limit: 64 << 20)
        let manifest: ArchiveManifest
        do { manifest = try JSONDecoder().decode(ArchiveManifest.self, from: data) } catch {
            throw StickError("invalid \(ArchiveManifest.fileName): \(describeDecodingError(error))", file: manifestPath)
        }
        let listed = Set(manifest.members.map(\.path))
        if let extra = files.first(where: { !listed.contains($0) }) {
            throw StickError("member '\(extra)' is not listed in \(ArchiveManifest.fileName)", file: directory)
        }
        let present = Set(files)
        for m in manifest.members {
            let path = try safeRelativePath(m.path, archive: manifestPath)
            guard present.contains(path) else {
                throw StickError("member '\(m.path)' listed in \(ArchiveManifest.fileName) is missing", file: directory)
            }
            let (sha, size) = try SHA256Hex.ofFile((directory as NSString).appendingPathComponent(path))
            guard sha == m.sha256, size == m.size else {
                throw StickError("member '\(m.path)' does not match \(ArchiveManifest.fileName) (sha256 \(sha), size \(size); "
                    + "expected \(m.sha256), \(m.size))", file: directory)
            }
        }
        return manifest
    }

    // MARK: list

    /// The members of an archive, in archive order.
    public static func entries(of archivePath: String) throws -> [ArchiveEntryInfo] {
        let reader = try TarReader(path: archivePath)
        defer { reader.close() }
        var out: [ArchiveEntryInfo] = []
        while let info = try reader.nextEntry() { out.append(info) }
        return out
    }

    /// The manifest of an archive written by `pack`, if it has one.
    public static func manifest(of archivePath: String) throws -> ArchiveManifest? {
        let reader = try TarReader(path: archivePath)
        defer { reader.close() }
        guard let first = try reader.nextEntry(), first.path == ArchiveManifest.fileName else { return nil }
        let data = try reader.readData(limit: 64 << 20)
        do { return try JSONDecoder().decode(ArchiveManifest.self, from: data) } catch {
            throw StickError("invalid \(ArchiveManifest.fileName): \(describeDecodingError(error))", file: archivePath)
        }
    }

    // MARK: extract

    /// Extracts `archivePath` into `directory` (created if needed). Everything is first written to a
    /// staging directory inside `directory` and moved into place only when every check passed: paths
    /// stay inside, no member passes through a link, links resolve inside (judged against what the
    /// archive itself created, never lexically), hard links name earlier regular files, no devices,
    /// every extracted byte (links included) within the limits, and (with a manifest) every member a
    /// regular file whose hash matches. Staging left by a killed run is removed first (`note` says so).
    /// Returns the extracted relative paths.
    @discardableResult
    public static func extract(_ archivePath: String, into directory: String, limits: ExtractionLimits = .init(),
                               requireManifest: Bool = true, overwrite: Bool = false,
                               note: (String) -> Void = { _ in }) throws -> [String] {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for stale in StagingDirectory.removeAbandoned(in: directory, purpose: "unpack") {
            note("removed \(stale), left by an interrupted unpack")
        }
        let staging = try StagingDirectory(in: directory, purpose: "unpack")
        defer { staging.remove() }
        let root = staging.file("root")
        try fm.createDirectory(atPath: root, withIntermediateDirectories: false)

        let reader = try TarReader(path: archivePath)
        defer { reader.close() }
        var manifest: ArchiveManifest?
        var expected: [String: ManifestMember] = [:]
        var verified = Set<String>()
        var extracted: [String] = []
        var tree = ExtractedTree()
        var total: Int64 = 0
        var index = 0

        func fail(_ message: String, _ member: String? = nil) -> StickError {
            StickError(member.map { "member '\($0)': \(message)" } ?? message, file: archivePath)
        }
        func count(_ bytes: Int64, _ member: String) throws {
            total += bytes
            guard total <= limits.maxTotalSize else {
                throw fail("the archive expands to more than \(limits.maxTotalSize) bytes (links counted)", member)
            }
        }

        while let entry = try reader.nextEntry() {
            index += 1
            guard index <= limits.maxMembers else { throw fail("more than \(limits.maxMembers) members") }
            // Tarballs made with `tar -C dir .` start with the root itself ("./"): nothing to extract.
            if entry.type == .directory, normalizedMemberPath(entry.path).isEmpty || entry.path == "." { continue }
            let path = try safeRelativePath(entry.path, archive: archivePath)
            if index == 1, path == ArchiveManifest.fileName, entry.type == .file {
                let data = try reader.readData(limit: 64 << 20)
                do { manifest = try JSONDecoder().decode(ArchiveManifest.self, from: data) } catch {
                    throw fail("invalid \(ArchiveManifest.fileName): \(describeDecodingError(error))")
                }
                for m in manifest!.members { expected[m.path] = m }
                continue
            }
            if requireManifest && manifest == nil {
                throw fail("has no \(ArchiveManifest.fileName) as its first member; it was not written by `stick pack` "
                    + "(use --no-verify to extract it anyway)")
            }
            // `stick pack` writes regular files only: in a manifest archive anything else is foreign.
            if manifest != nil, entry.type != .file, entry.type != .directory {
                throw fail("is a \(entry.type.rawValue), but an archive with a \(ArchiveManifest.fileName) holds regular files only", path)
            }
            if let problem = tree.problemAdding(path, isDirectory: entry.type == .directory) { throw fail(problem, path) }
            let target = (root as NSString).appendingPathComponent(path)
            // Parents are real directories the archive made (checked above), so creating them follows no link.
            try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            switch entry.type {
            case .directory:
                try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
                tree.nodes[path] = .directory
                continue
            case .symlink:
                let linkTarget = reader.currentLinkTarget ?? ""
                guard !linkTarget.isEmpty, !linkTarget.hasPrefix("/"), !linkTarget.contains("\0") else {
                    throw fail("is a link to '\(linkTarget)', outside the target directory", path)
                }
                tree.nodes[path] = .symlink(linkTarget)
                guard tree.resolve(path) != nil else {
                    throw fail("is a link to '\(linkTarget)', which resolves outside the target directory", path)
                }
                try fm.createSymbolicLink(atPath: target, withDestinationPath: linkTarget)
            case .hardlink:
                let linkTarget = try safeRelativePath(reader.currentLinkTarget ?? "", archive: archivePath)
                guard case .file(let size)? = tree.nodes[linkTarget] else {
                    throw fail("is a hard link to '\(linkTarget)', which is not an earlier regular file of the archive", path)
                }
                // A copy, not a link: counted against the limits like any other file.
                try count(size, path)
                try copyRegularFile(from: (root as NSString).appendingPathComponent(linkTarget), to: target)
                tree.nodes[path] = .file(size)
            case .other:
                throw fail("is a device, FIFO or socket; only files, directories and links are extracted", path)
            case .file:
                guard entry.size <= limits.maxMemberSize else {
                    throw fail("is \(entry.size) bytes, over the limit of \(limits.maxMemberSize)", path)
                }
                let (sha, size) = try reader.copyData(to: target, limit: limits.maxMemberSize, member: path, expectedSize: entry.size)
                try count(size, path)
                tree.nodes[path] = .file(size)
                if manifest != nil {
                    guard let m = expected[path] else { throw fail("is not listed in \(ArchiveManifest.fileName)", path) }
                    guard m.sha256 == sha, m.size == size else {
                        throw fail("does not match \(ArchiveManifest.fileName) (sha256 \(sha), size \(size); expected \(m.sha256), \(m.size))", path)
                    }
                    verified.insert(path)
                }
            }
            extracted.append(path)
        }
        // A later member can change what an earlier link resolves through: judge every link again.
        for (path, node) in tree.nodes {
            guard case .symlink(let linkTarget) = node else { continue }
            guard tree.resolve(path) != nil else {
                throw fail("is a link to '\(linkTarget)', which resolves outside the target directory", path)
            }
        }
        if let manifest {
            let missing = manifest.members.map(\.path).filter { !verified.contains($0) }
            guard missing.isEmpty else { throw fail("members listed in \(ArchiveManifest.fileName) are missing: \(missing.joined(separator: ", "))") }
            // Keep the manifest beside the files so the directory can be checked or packed again.
            let data = try StickJSON.encoder(pretty: true).encode(manifest) + Data("\n".utf8)
            try data.write(to: URL(fileURLWithPath: (root as NSString).appendingPathComponent(ArchiveManifest.fileName)))
            extracted.insert(ArchiveManifest.fileName, at: 0)
        }

        // Every check passed: move the top-level entries into place (refusing before moving anything
        // if one of them already exists, so a refused extraction leaves `directory` as it was).
        let topLevel = try fm.contentsOfDirectory(atPath: root).sorted()
        func exists(_ destination: String) -> Bool {
            var st = stat()
            return lstat(destination, &st) == 0
        }
        if !overwrite, let name = topLevel.first(where: { exists((directory as NSString).appendingPathComponent($0)) }) {
            throw StickError("'\(name)' already exists in \(directory); use --force to replace it", file: archivePath)
        }
        for name in topLevel {
            let destination = (directory as NSString).appendingPathComponent(name)
            if exists(destination) { try fm.removeItem(atPath: destination) }
            try fm.moveItem(atPath: (root as NSString).appendingPathComponent(name), toPath: destination)
        }
        return extracted
    }

    /// Copies a regular file without following links at either end.
    static func copyRegularFile(from source: String, to target: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard input >= 0 else { throw StickError("cannot open: \(String(cString: strerror(errno)))", file: source) }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard output >= 0 else { throw StickError("cannot create: \(String(cString: strerror(errno)))", file: target) }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 { throw StickError("read failed: \(String(cString: strerror(errno)))", file: source) }
            if n == 0 { return }
            try buffer.withUnsafeBytes { raw in
                var off = 0
                while off < n {
                    let w = write(output, raw.baseAddress! + off, n - off)
                    if w < 0 { throw StickError("write failed: \(String(cString: strerror(errno)))", file: target) }
                    off += w
                }
            }
        }
    }

    /// Normalises a member path and refuses absolute paths, `..` and empty names.
    static func safeRelativePath(_ raw: String, archive: String) throws -> String {
        let path = normalizedMemberPath(raw)
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        guard !trimmed.isEmpty, !trimmed.hasPrefix("/") else {
            throw StickError("member '\(raw)' has an absolute or empty path", file: archive)
        }
        let components = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.contains(where: { $0 == ".." || $0.isEmpty }), !trimmed.contains("\0") else {
            throw StickError("member '\(raw)' has a path that leaves the target directory", file: archive)
        }
        return components.filter { $0 != "." }.joined(separator: "/")
    }
}

/// What an extraction has created so far, by relative path: links are judged against it (resolved
/// through the links the archive made), never against the file system or lexically.
struct ExtractedTree {
    enum Node: Equatable {
        case directory
        case file(Int64)
        case symlink(String)
    }

    var nodes: [String: Node] = [:]

    /// Why `path` cannot be added (it exists, or a parent is a link or a file), or nil; records the
    /// parents as directories.
    mutating func problemAdding(_ path: String, isDirectory: Bool) -> String? {
        var prefix = ""
        for component in path.split(separator: "/").dropLast() {
            prefix += prefix.isEmpty ? String(component) : "/\(component)"
            switch nodes[prefix] {
            case .symlink?: return "lies below the link '\(prefix)'"
            case .file?: return "lies below the file '\(prefix)'"
            case .directory?: continue
            case nil: nodes[prefix] = .directory
            }
        }
        switch nodes[path] {
        case nil: return nil
        case .directory? where isDirectory: return nil
        default: return "appears twice"
        }
    }

    /// Where the link at `path` leads, relative to the root, following links the archive made; nil
    /// when it leaves the root (or loops).
    func resolve(_ path: String) -> String? {
        var hops = 0
        func walk(_ components: [Substring], from base: [String]) -> [String]? {
            var stack = base
            for c in components {
                if c.isEmpty || c == "." { continue }
                if c == ".." {
                    guard !stack.isEmpty else { return nil }
                    stack.removeLast()
                    continue
                }
                stack.append(String(c))
                if case .symlink(let target)? = nodes[stack.joined(separator: "/")] {
                    hops += 1
                    guard hops <= 40, !target.hasPrefix("/") else { return nil }
                    stack.removeLast()
                    guard let resolved = walk(target.split(separator: "/", omittingEmptySubsequences: false), from: stack) else { return nil }
                    stack = resolved
                }
            }
            return stack
        }
        let parts = path.split(separator: "/").map(String.init)
        guard case .symlink(let target)? = nodes[path] else { return path }
        hops = 1
        return walk(target.split(separator: "/", omittingEmptySubsequences: false), from: Array(parts.dropLast()))
            .map { $0.joined(separator: "/") }
    }
}

/// Streams the entries of any archive libarchive reads (tar, with any compression).
final class TarReader {
    private var handle: OpaquePointer?
    private var entry: OpaquePointer?
    let path: String

    init(path: String) throws {
        self.path = path
        guard let a = archive_read_new() else { throw StickError("libarchive: out of memory", file: path) }
        handle = a
        archive_read_support_filter_all(a)
        archive_read_support_format_all(a)
        if archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK {
            let detail = archive_error_string(a).map { String(cString: $0) } ?? "unknown error"
            close()
            throw StickError("cannot open archive: \(detail)", file: path)
        }
    }

    private func failure(_ what: String) -> StickError {
        let detail = handle.flatMap { archive_error_string($0) }.map { String(cString: $0) } ?? "unknown error"
        return StickError("\(what): \(detail)", file: path)
    }

    func nextEntry() throws -> ArchiveEntryInfo? {
        guard let a = handle else { return nil }
        let r = archive_read_next_header(a, &entry)
        if r == ARCHIVE_EOF { return nil }
        guard r >= ARCHIVE_WARN, let e = entry else { throw failure("cannot read the archive (truncated or corrupt?)") }
        let name = archive_entry_pathname(e).map { String(cString: $0) } ?? ""
        let mode = UInt32(archive_entry_filetype(e))
        let type: ArchiveEntryInfo.EntryType
        if archive_entry_hardlink(e) != nil {
            type = .hardlink
        } else {
            switch mode & STICK_AE_IFMT {
            case STICK_AE_IFREG: type = .file
            case STICK_AE_IFDIR: type = .directory
            case STICK_AE_IFLNK: type = .symlink
            default: type = .other
            }
        }
        return ArchiveEntryInfo(path: name, size: archive_entry_size(e), type: type)
    }

    var currentLinkTarget: String? {
        guard let e = entry else { return nil }
        if let h = archive_entry_hardlink(e) { return String(cString: h) }
        return archive_entry_symlink(e).map { String(cString: $0) }
    }

    func readData(limit: Int64) throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
            if n < 0 { throw failure("cannot read member data") }
            if n == 0 { return data }
            data.append(buffer, count: n)
            if data.count > limit { throw StickError("member larger than \(limit) bytes", file: path) }
        }
    }

    private static let zeroBlock = [UInt8](repeating: 0, count: 1 << 16)

    /// Copies the current member into a new file at `target`, hashing it; stops past `limit` bytes.
    /// A large member is hashed and written on a second thread while the next bytes are decompressed.
    func copyData(to target: String, limit: Int64, member: String, expectedSize: Int64) throws -> (String, Int64) {
        let fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw StickError("cannot create '\(target)': \(String(cString: strerror(errno)))", file: path) }
        defer { Foundation.close(fd) }
        let writer = HashingWriter(fd: fd, name: target)
        let pipeline = expectedSize > 1 << 20 ? ChunkPipeline { try writer.consume($0) } : nil
        var size: Int64 = 0
        do {
            // libarchive's own buffers, without a copy; a hole in a sparse member is written as zeros.
            var block: UnsafeRawPointer?
            var count = 0
            var offset: Int64 = 0
            while true {
                let r = archive_read_data_block(handle, &block, &count, &offset)
                if r == ARCHIVE_EOF { break }
                guard r >= ARCHIVE_WARN else { throw failure("cannot read member '\(member)'") }
                let hole = offset - size
                guard hole >= 0, offset + Int64(count) <= limit else {
                    throw StickError("member '\(member)' is larger than the limit of \(limit) bytes, or malformed", file: path)
                }
                func emit(_ chunk: UnsafeRawBufferPointer) throws {
                    if let pipeline { try pipeline.send(Data(chunk)) } else { try writer.consume(chunk) }
                }
                var zeros = hole
                while zeros > 0 {
                    let n = Int(min(zeros, Int64(Self.zeroBlock.count)))
                    try Self.zeroBlock.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                    zeros -= Int64(n)
                }
                if count > 0, let block { try emit(UnsafeRawBufferPointer(start: block, count: count)) }
                size = offset + Int64(count)
            }
            try pipeline?.finish()
        } catch {
            pipeline?.cancel()
            throw error
        }
        return (SHA256Hex.hex(writer.hasher.finalize()), size)
    }

    func close() {
        if let a = handle { archive_read_free(a) }
        handle = nil
    }

    deinit { close() }
}

/// Writes a tar stream with fixed metadata (mtime 0, root ownership, mode 0644) into a sink.
final class TarWriter {
    private var handle: OpaquePointer?
    private let sink: ByteSink
    let name: String

    init(sink: ByteSink, codec: Codec, name: String, zstdWorkers: Int = 0) throws {
        self.sink = sink
        self.name = name
        guard let a = archive_write_new() else { throw StickError("libarchive: out of memory", file: name) }
        handle = a
        _ = codec.addWriteFilter(a, zstdWorkers: zstdWorkers)
        archive_write_set_format_pax_restricted(a)
        archive_write_set_bytes_in_last_block(a, 1)
        let context = Unmanaged.passUnretained(self).toOpaque()
        let r = archive_write_open2(a, context, nil, { _, ctx, buffer, length in
            let writer = Unmanaged<TarWriter>.fromOpaque(ctx!).takeUnretainedValue()
            do {
                try writer.sink.write(UnsafeRawBufferPointer(start: buffer, count: length))
                return la_ssize_t(length)
            } catch {
                return -1
            }
        }, nil, nil)
        try check(r)
    }

    private func check(_ r: Int32) throws {
        guard r < ARCHIVE_WARN, let a = handle else { return }
        let detail = archive_error_string(a).map { String(cString: $0) } ?? "unknown error"
        throw StickError("cannot write archive: \(detail)", file: name)
    }

    private func header(path: String, size: Int64) throws {
        let e = archive_entry_new()
        defer { archive_entry_free(e) }
        archive_entry_set_pathname(e, path)
        archive_entry_set_size(e, size)
        archive_entry_set_filetype(e, STICK_AE_IFREG)
        archive_entry_set_perm(e, 0o644)
        archive_entry_set_mtime(e, 0, 0)
        archive_entry_set_uid(e, 0)
        archive_entry_set_gid(e, 0)
        try check(archive_write_header(handle, e))
    }

    private func data(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        let n = archive_write_data(handle, bytes.baseAddress, bytes.count)
        if n < 0 { try check(Int32(n)) }
    }

    func add(path: String, data: Data) throws {
        try header(path: path, size: Int64(data.count))
        try data.withUnsafeBytes { try self.data($0) }
    }

    func add(path: String, file: String, size: Int64) throws {
        try header(path: path, size: size)
        guard let h = FileHandle(forReadingAtPath: file) else { throw StickError("cannot open", file: file) }
        defer { try? h.close() }
        var written: Int64 = 0
        while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty {
            written += Int64(chunk.count)
            guard written <= size else { throw StickError("changed while being packed", file: file) }
            try chunk.withUnsafeBytes { try self.data($0) }
        }
        guard written == size else { throw StickError("changed while being packed", file: file) }
    }

    func close() throws {
        guard let a = handle else { return }
        handle = nil
        let r = archive_write_close(a)
        let detail = archive_error_string(a).map { String(cString: $0) } ?? ""
        archive_write_free(a)
        if r < ARCHIVE_WARN { throw StickError("cannot write archive: \(detail)", file: name) }
    }

    deinit { if let a = handle { archive_write_free(a) } }
}

/// Hashes bytes and writes them to a descriptor (on whichever thread feeds it).
final class HashingWriter: @unchecked Sendable {
    let fd: Int32
    let name: String
    var hasher = SHA256Hasher()

    init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }

    func consume(_ data: Data) throws { try data.withUnsafeBytes { try consume($0) } }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: chunk)
        try FileDescriptorIO.writeAll(fd, chunk, name: name)
    }
}

/// A fixed-size array written from concurrent iterations, one index each.
final class LockedArray<Element>: @unchecked Sendable {
    private var storage: [Element]
    private let lock = NSLock()

    init(count: Int) where Element: ExpressibleByNilLiteral { storage = Array(repeating: nil, count: count) }

    subscript(i: Int) -> Element {
        get { lock.lock(); defer { lock.unlock() }; return storage[i] }
        set { lock.lock(); storage[i] = newValue; lock.unlock() }
    }

    var values: [Element] { lock.lock(); defer { lock.unlock() }; return storage }
}
