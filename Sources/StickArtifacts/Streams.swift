// Opening inputs and outputs by name: `-` is stdin/stdout, `archive.tar.zst#member` reads one member,
// compression is transparent, and every file output is written to a temporary name and renamed.
import StickDigest
import Foundation

/// Every byte this process reads from stdin, hashed on the way (stdin can be read only once).
enum StandardInputDigest {
    nonisolated(unsafe) private static var hasher = SHA256Hasher()
    private static let lock = NSLock()

    static func hex() -> String {
        var copy = lock.withLock { hasher }
        return SHA256Hex.hex(copy.finalize())
    }

    static func update(_ bytes: UnsafeRawBufferPointer) { lock.withLock { hasher.update(bufferPointer: bytes) } }

    final class Source: ByteSource {
        private let base: ByteSource

        init(_ base: ByteSource) { self.base = base }

        func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
            let n = try base.read(into: buffer, count: count)
            if n > 0 { update(UnsafeRawBufferPointer(start: buffer, count: n)) }
            return n
        }

        func close() { base.close() }
    }
}

public enum Inputs {
    /// Opens `spec` for reading and returns a source of (decompressed) bytes.
    public static func open(_ spec: String) throws -> ByteSource {
        if spec == "-" {
            // Sniffed like a member: plain (even empty) input passes straight through. The bytes are hashed
            // as they stream, for the provenance of what was read (`provenanceSHA256("-")`).
            let stdin = StandardInputDigest.Source(FileDescriptorSource(fd: 0, owns: false, name: "<stdin>"))
            return try decompressedIfNeeded(stdin, name: "<stdin>")
        }
        if let (archive, member) = splitMemberSpec(spec) {
            return try decompressedIfNeeded(try ArchiveDataSource(archivePath: archive, member: member), name: spec)
        }
        let fd = Foundation.open(spec, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StickError("cannot open: \(String(cString: strerror(errno)))", file: spec) }
        let isPipe: Bool
        do { isPipe = try requireReadableKind(fd, name: spec) } catch {
            Foundation.close(fd)
            throw error
        }
        // A pipe cannot be peeked at with pread: sniff it like stdin.
        if isPipe { return try decompressedIfNeeded(FileDescriptorSource(fd: fd, owns: true, name: spec), name: spec) }
        var magic = [UInt8](repeating: 0, count: 6)
        let n = magic.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 6, 0) }
        if n > 0, Codec.sniff(Array(magic.prefix(n))) != nil {
            defer { Foundation.close(fd) }
            // libarchive reads from a dup that the source owns (and closes: libarchive does not).
            let source = try ArchiveDataSource(streamFD: dup(fd), name: spec, owns: true)
            return source
        }
        return FileDescriptorSource(fd: fd, owns: true, name: spec)
    }

    /// The sha256 an output records for an input: of the file's bytes, of an archive member's bytes as
    /// stored (the sha256 its manifest lists), or for `-` of the bytes read from stdin so far (call it once
    /// the input has been read to its end).
    public static func provenanceSHA256(_ spec: String) throws -> String {
        if spec == "-" { return StandardInputDigest.hex() }
        guard let (archive, member) = splitMemberSpec(spec) else { return try SHA256Hex.ofFile(spec).sha256 }
        let source = try ArchiveDataSource(archivePath: archive, member: member)
        defer { source.close() }
        var hasher = SHA256Hasher()
        try forEachChunk(of: source) { hasher.update(bufferPointer: $0) }
        return SHA256Hex.hex(hasher.finalize())
    }

    /// A member that is itself compressed (`run.tar.zst#sessions.jsonl.zst`) is decompressed too.
    static func decompressedIfNeeded(_ source: ByteSource, name: String) throws -> ByteSource {
        var magic = [UInt8](repeating: 0, count: 6)
        var have = 0
        do {
            while have < magic.count {
                let n = try magic.withUnsafeMutableBytes { try source.read(into: $0.baseAddress! + have, count: $0.count - have) }
                if n == 0 { break }
                have += n
            }
        } catch {
            source.close()
            throw error
        }
        let prefixed = PrefixedSource(prefix: Array(magic.prefix(have)), rest: source)
        guard Codec.sniff(Array(magic.prefix(have))) != nil else { return prefixed }
        return try ArchiveDataSource(decompressing: prefixed, name: name)
    }

    /// `a.tar.zst#x.jsonl` → ("a.tar.zst", "x.jsonl") when `a.tar.zst` is an existing file and the
    /// whole spec is not itself a file.
    public static func splitMemberSpec(_ spec: String) -> (String, String)? {
        guard let hash = spec.lastIndex(of: "#") else { return nil }
        if FileManager.default.fileExists(atPath: spec) { return nil }
        let archive = String(spec[..<hash])
        let member = String(spec[spec.index(after: hash)...])
        guard !member.isEmpty, FileManager.default.fileExists(atPath: archive) else { return nil }
        return (archive, normalizedMemberPath(member))
    }

    /// Regular files and pipes (stdin, `<(…)`) are read; directories, devices (`/dev/zero` never ends)
    /// and sockets are refused.
    /// Returns whether it is a pipe.
    @discardableResult
    static func requireReadableKind(_ fd: Int32, name: String) throws -> Bool {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw StickError("cannot stat: \(String(cString: strerror(errno)))", file: name) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return false
        case S_IFIFO: return true
        case S_IFDIR: throw StickError("is a directory, expected a file", file: name)
        default: throw StickError("is a device or socket, not a file", file: name)
        }
    }

    /// Reads a whole JSON/YAML document (decompressed) into memory, refusing one larger than `limit`
    /// bytes (by default the longest accepted line, `InputLimits.maxLineBytes`).
    public static func readAll(_ spec: String, limit: Int = InputLimits.maxLineBytes) throws -> Data {
        let source = try open(spec)
        defer { source.close() }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0.baseAddress!, count: $0.count) }
            if n == 0 { break }
            guard data.count + n <= limit else {
                throw InputLimits.tooLong("document larger", limit: limit, file: spec == "-" ? "<stdin>" : spec, line: nil)
            }
            data.append(buffer, count: n)
        }
        return data
    }

    /// Reads `source` to its end in 64 KiB chunks, handing each to `body`.
    static func forEachChunk(of source: ByteSource, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0.baseAddress!, count: $0.count) }
            if n == 0 { return }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    /// Copies an input (stdin, say) to `path`, streaming, and returns its sha256 and size.
    public static func spool(_ spec: String, to path: String) throws -> (sha256: String, size: Int64) {
        let source = try open(spec)
        defer { source.close() }
        return try withOutput(path, codec: Codec.none) { out in
            var hasher = SHA256Hasher()
            var size: Int64 = 0
            try forEachChunk(of: source) { chunk in
                hasher.update(bufferPointer: chunk)
                try out.write(chunk)
                size += Int64(chunk.count)
            }
            return (SHA256Hex.hex(hasher.finalize()), size)
        }
    }
}

/// An output that appears under its final name only when `commit()` succeeds.
public final class OutputFile: ByteSink {
    public let path: String
    private let temporaryPath: String?
    private var sink: DescriptorSink?
    private let fd: Int32
    private var done = false
    private var fdClosed = false

    /// `-` writes to stdout (uncompressed unless `codec` says otherwise); a path gets the codec its
    /// suffix names unless `codec` is given.
    public init(_ path: String, codec: Codec? = nil) throws {
        self.path = path
        if path == "-" {
            fd = 1
            temporaryPath = nil
            sink = try DescriptorSink(fd: 1, codec: codec ?? .none, name: "<stdout>")
            return
        }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StickError("the directory '\(dir)' does not exist", file: path)
        }
        let tmp = "\(dir)/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let opened = Foundation.open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            throw StickError("cannot create: \(String(cString: strerror(errno)))", file: path)
        }
        fd = opened
        temporaryPath = tmp
        do {
            sink = try DescriptorSink(fd: opened, codec: codec ?? Codec.forPath(path), name: path)
        } catch {
            Foundation.close(opened)
            unlink(tmp)
            throw error
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let sink else { throw StickError("write after close", file: path) }
        try sink.write(bytes)
    }

    /// Flushes, closes and renames the temporary file into place.
    public func finish() throws {
        guard !done, let sink else { return }
        done = true
        do {
            try sink.finish()
            if let tmp = temporaryPath {
                guard fsync(fd) == 0 || errno == EINVAL else {
                    throw StickError("fsync failed: \(String(cString: strerror(errno)))", file: path)
                }
                Foundation.close(fd)
                fdClosed = true
                guard rename(tmp, path) == 0 else {
                    throw StickError("cannot rename into place: \(String(cString: strerror(errno)))", file: path)
                }
            }
        } catch {
            cleanUp()
            throw error
        }
        self.sink = nil
    }

    /// Drops everything written so far; the final name is never created.
    public func abandon() {
        guard !done else { return }
        done = true
        sink?.abandon()
        cleanUp()
    }

    private func cleanUp() {
        sink = nil
        if let tmp = temporaryPath {
            if !fdClosed { Foundation.close(fd) }
            fdClosed = true
            unlink(tmp)
        }
    }

    deinit { abandon() }
}

/// Runs `body` with an output, committing it on success and discarding it on any error.
public func withOutput<T>(_ path: String, codec: Codec? = nil, _ body: (OutputFile) throws -> T) throws -> T {
    let out = try OutputFile(path, codec: codec)
    do {
        let result = try body(out)
        try out.finish()
        return result
    } catch {
        out.abandon()
        throw error
    }
}

/// Splits a byte source into lines (without the `\n`, and without a trailing `\r`), counting from 1.
/// Linear in its input: each byte is searched for a newline once, and the buffer grows geometrically
/// up to the longest accepted line (`InputLimits.maxLineBytes`); a longer line is an error naming the
/// file and line, so a stream without newlines (a decompression bomb of zeros) ends quickly.
public final class LineReader {
    private let source: ByteSource
    public let name: String
    public let maxLineBytes: Int
    /// `buffer[start..<end]` holds unread bytes; `buffer[start..<scanned]` holds no newline.
    private var buffer: [UInt8]
    private var start = 0
    private var scanned = 0
    private var end = 0
    private var eof = false
    public private(set) var lineNumber = 0
    private static let initialCapacity = 1 << 16

    public init(_ source: ByteSource, name: String, maxLineBytes: Int = InputLimits.maxLineBytes) {
        self.source = source
        self.name = name
        self.maxLineBytes = maxLineBytes
        buffer = [UInt8](repeating: 0, count: LineReader.initialCapacity)
    }

    public convenience init(path: String, maxLineBytes: Int = InputLimits.maxLineBytes) throws {
        self.init(try Inputs.open(path), name: path == "-" ? "<stdin>" : path, maxLineBytes: maxLineBytes)
    }

    /// The next line, or nil at the end of input.
    public func next() throws -> ArraySlice<UInt8>? {
        while true {
            let newline: Int? = buffer.withUnsafeBytes { raw in
                guard scanned < end, let hit = memchr(raw.baseAddress! + scanned, 0x0A, end - scanned) else { return nil }
                return UnsafeRawPointer(hit) - raw.baseAddress!
            }
            if let nl = newline {
                guard nl - start <= maxLineBytes else { throw tooLong() }
                var lineEnd = nl
                if lineEnd > start, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let line = buffer[start..<lineEnd]
                start = nl + 1
                scanned = start
                lineNumber += 1
                return line
            }
            scanned = end
            guard end - start <= maxLineBytes else { throw tooLong() }
            if eof {
                guard start < end else { return nil }
                let line = buffer[start..<end]
                start = end
                scanned = end
                lineNumber += 1
                return line
            }
            try fill()
        }
    }

    /// The next line that holds more than spaces and tabs, or nil at the end of input. Blank lines are
    /// counted and skipped in one scan of the buffer, so a stream of newlines costs what reading it costs.
    public func nextNonBlank() throws -> ArraySlice<UInt8>? {
        while true {
            var p = start
            var lineStart = start
            var nonBlank = false
            while p < end {
                let b = buffer[p]
                if b == 0x0A {
                    lineNumber += 1
                    lineStart = p + 1
                } else if b == 0x0D && p + 1 < end && buffer[p + 1] == 0x0A {
                    // "\r\n" ends a line like "\n".
                } else if b != 0x20 && b != 0x09 {
                    nonBlank = true
                    break
                }
                p += 1
            }
            start = lineStart
            scanned = max(scanned, start)
            if nonBlank { return try next() }
            // Only blanks up to the end of what is buffered: at the end of input the last line is blank too.
            if eof {
                if start < end { lineNumber += 1 }
                start = end
                scanned = end
                return nil
            }
            guard end - start <= maxLineBytes else { throw tooLong() }
            try fill()
        }
    }

    /// Reads more input after the unread bytes: moves them to the front when that frees room, else
    /// doubles the buffer (capped just above the longest accepted line).
    private func fill() throws {
        if start > 0 && (end == buffer.count || start >= buffer.count / 2) {
            let unread = end - start
            buffer.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: unread)
            }
            scanned -= start
            end = unread
            start = 0
        }
        if end == buffer.count {
            let grown = min(buffer.count * 2, maxLineBytes + LineReader.initialCapacity + 1)
            guard grown > buffer.count else { throw tooLong() }
            // One allocation and two block copies (an element-wise append is slow in debug builds).
            let old = buffer
            buffer = [UInt8](unsafeUninitializedCapacity: grown) { raw, initialized in
                old.withUnsafeBytes { UnsafeMutableRawPointer(raw.baseAddress!).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                memset(raw.baseAddress! + old.count, 0, grown - old.count)
                initialized = grown
            }
        }
        let room = buffer.count - end
        let n: Int
        do {
            n = try buffer.withUnsafeMutableBytes { try source.read(into: $0.baseAddress! + end, count: room) }
        } catch let e as StickError {
            throw StickError(e.message, file: name, line: lineNumber + 1)
        }
        if n == 0 { eof = true }
        end += n
    }

    private func tooLong() -> StickError {
        InputLimits.tooLong("line longer", limit: maxLineBytes, file: name, line: lineNumber + 1)
    }

    public func close() { source.close() }
}
