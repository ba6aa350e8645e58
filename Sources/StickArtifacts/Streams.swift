// Opening inputs and outputs by name: `-` is stdin/stdout, `archive.tar.zst#member` reads one member,
// compression is transparent, and every file output is written to a temporary name and renamed.
import Foundation

public enum Inputs {
    /// Opens `spec` for reading and returns a source of (decompressed) bytes.
    public static func open(_ spec: String) throws -> ByteSource {
        if spec == "-" {
            // Sniffed like a member: plain (even empty) input passes straight through.
            return try decompressedIfNeeded(FileDescriptorSource(fd: 0, owns: false, name: "<stdin>"), name: "<stdin>")
        }
        if let (archive, member) = splitMemberSpec(spec) {
            return try decompressedIfNeeded(try ArchiveDataSource(archivePath: archive, member: member), name: spec)
        }
        let fd = Foundation.open(spec, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StickError("cannot open: \(String(cString: strerror(errno)))", file: spec) }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: spec, isDirectory: &isDirectory), isDirectory.boolValue {
            Foundation.close(fd)
            throw StickError("is a directory, expected a file", file: spec)
        }
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

    /// Reads a whole (small) input into memory.
    public static func readAll(_ spec: String) throws -> Data {
        let source = try open(spec)
        defer { source.close() }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0.baseAddress!, count: $0.count) }
            if n == 0 { break }
            data.append(buffer, count: n)
        }
        return data
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
public final class LineReader {
    private let source: ByteSource
    public let name: String
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    public private(set) var lineNumber = 0
    private let chunk = 1 << 16

    public init(_ source: ByteSource, name: String) {
        self.source = source
        self.name = name
    }

    public convenience init(path: String) throws {
        self.init(try Inputs.open(path), name: path == "-" ? "<stdin>" : path)
    }

    /// The next line, or nil at the end of input.
    public func next() throws -> ArraySlice<UInt8>? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                var end = nl
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let line = buffer[start..<end]
                start = nl + 1
                lineNumber += 1
                return line
            }
            if eof {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                lineNumber += 1
                return line
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            let oldCount = buffer.count
            buffer.reserveCapacity(oldCount + chunk)
            buffer.append(contentsOf: repeatElement(0, count: chunk))
            let n: Int
            do {
                n = try buffer.withUnsafeMutableBytes { try source.read(into: $0.baseAddress! + oldCount, count: chunk) }
            } catch let e as StickError {
                buffer.removeSubrange(oldCount...)
                throw StickError(e.message, file: name, line: lineNumber + 1)
            }
            buffer.removeSubrange((oldCount + n)...)
            if n == 0 { eof = true }
        }
    }

    public func close() { source.close() }
}
