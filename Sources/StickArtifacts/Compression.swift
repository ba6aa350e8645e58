// Compressed streams through libarchive: codecs chosen by file name when writing and by magic bytes
// when reading, so `.zst`, `.gz`, `.xz` and plain files are interchangeable everywhere.
import CArchive
import Foundation

public enum Codec: String, CaseIterable, Sendable {
    case none, zstd, gzip, xz

    /// The codec a file name asks for (`-` and unknown suffixes: none).
    public static func forPath(_ path: String) -> Codec {
        if path.hasSuffix(".zst") || path.hasSuffix(".zstd") { return .zstd }
        if path.hasSuffix(".gz") { return .gzip }
        if path.hasSuffix(".xz") { return .xz }
        return .none
    }

    /// The codec whose magic bytes start `prefix`, if any.
    public static func sniff(_ prefix: [UInt8]) -> Codec? {
        if prefix.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        if prefix.starts(with: [0x1F, 0x8B]) { return .gzip }
        if prefix.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        return nil
    }

    /// `zstdWorkers` ≥ 1 compresses on that many worker threads while the caller goes on (zstd's
    /// streaming multithreaded mode, as `zstd -T1` and up: its output does not depend on the number of
    /// workers, but differs from the single-threaded mode's).
    func addWriteFilter(_ a: OpaquePointer, zstdWorkers: Int = 0) -> Int32 {
        switch self {
        case .none: return archive_write_add_filter_none(a)
        case .zstd:
            let r = archive_write_add_filter_zstd(a)
            if zstdWorkers > 0 { _ = archive_write_set_filter_option(a, "zstd", "threads", String(zstdWorkers)) }
            return r
        case .gzip:
            let r = archive_write_add_filter_gzip(a)
            // libarchive stamps the gzip header with the current time unless told not to ("!timestamp"),
            // which would make the same content give different bytes from one second to the next.
            _ = archive_write_set_filter_option(a, "gzip", "timestamp", nil)
            return r
        case .xz: return archive_write_add_filter_xz(a)
        }
    }
}

/// Anything that yields bytes in chunks; `read` returns 0 at the end.
public protocol ByteSource: AnyObject {
    /// Reads up to `count` bytes into `buffer`; 0 means end of input.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int
    func close()
}

/// Plain bytes from a file descriptor.
final class FileDescriptorSource: ByteSource {
    let fd: Int32
    /// Cleared on close: closing twice could close a descriptor the number was reused for.
    private var ownsDescriptor: Bool
    let name: String

    init(fd: Int32, owns: Bool, name: String) {
        self.fd = fd
        self.ownsDescriptor = owns
        self.name = name
    }

    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        while true {
            let n = Foundation.read(fd, buffer, count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw StickError("read failed: \(String(cString: strerror(errno)))", file: name)
        }
    }

    func close() {
        if ownsDescriptor { _ = Foundation.close(fd) }
        ownsDescriptor = false
    }
}

/// A libarchive read handle positioned on one entry's data: a whole compressed stream (raw format)
/// or one member of an archive.
final class ArchiveDataSource: ByteSource {
    private var handle: OpaquePointer?
    let name: String
    /// A descriptor this source closes (libarchive's `archive_read_open_fd` never closes it).
    private var ownedFD: Int32 = -1
    /// The compressed source read through libarchive's callbacks, kept alive while the handle is open.
    private var upstream: UpstreamReader?

    /// Opens `fd` as a single (possibly compressed) stream; with `owns`, `close()` closes `fd`.
    init(streamFD fd: Int32, name: String, owns: Bool = false) throws {
        self.name = name
        if owns { ownedFD = fd }
        guard let a = archive_read_new() else { close(); throw StickError("libarchive: out of memory", file: name) }
        handle = a
        archive_read_support_filter_all(a)
        archive_read_support_format_raw(a)
        try check(archive_read_open_fd(a, fd, 1 << 16), "cannot open")
        var entry: OpaquePointer?
        let r = archive_read_next_header(a, &entry)
        if r == ARCHIVE_EOF { close(); return }  // empty input
        try check(r, "cannot read the compressed stream")
    }

    /// Opens member `member` of the archive file at `archivePath`.
    init(archivePath: String, member: String) throws {
        name = "\(archivePath)#\(member)"
        guard let a = archive_read_new() else { throw StickError("libarchive: out of memory", file: name) }
        handle = a
        archive_read_support_filter_all(a)
        archive_read_support_format_all(a)
        try check(archive_read_open_filename(a, archivePath, 1 << 16), "cannot open archive")
        var entry: OpaquePointer?
        while true {
            let r = archive_read_next_header(a, &entry)
            if r == ARCHIVE_EOF {
                close()
                throw StickError("no member named '\(member)' in the archive", file: archivePath)
            }
            try check(r, "cannot read the archive")
            if let p = archive_entry_pathname(entry), normalizedMemberPath(String(cString: p)) == member {
                // A link's data would be empty, or another member's: only a regular file is read.
                guard archive_entry_hardlink(entry) == nil, UInt32(archive_entry_filetype(entry)) & STICK_AE_IFMT == STICK_AE_IFREG else {
                    close()
                    throw StickError("member '\(member)' is not a regular file (a link, directory or device)", file: archivePath)
                }
                return
            }
        }
    }

    /// Decompresses `source` (e.g. a compressed member of an archive), which this source then owns.
    init(decompressing source: ByteSource, name: String) throws {
        self.name = name
        let reader = UpstreamReader(source)
        upstream = reader
        guard let a = archive_read_new() else { close(); throw StickError("libarchive: out of memory", file: name) }
        handle = a
        archive_read_support_filter_all(a)
        archive_read_support_format_raw(a)
        let r = archive_read_open(a, Unmanaged.passUnretained(reader).toOpaque(), nil, { _, ctx, buffer in
            Unmanaged<UpstreamReader>.fromOpaque(ctx!).takeUnretainedValue().fill(buffer)
        }, nil)
        try check(r, "cannot open")
        var entry: OpaquePointer?
        try check(archive_read_next_header(a, &entry), "cannot read the compressed stream")
    }

    private func check(_ status: Int32, _ what: String) throws {
        guard status < ARCHIVE_WARN else { return }
        let detail = upstream?.error.map { "\($0.message)" }
            ?? handle.flatMap { archive_error_string($0) }.map { String(cString: $0) } ?? "unknown error"
        close()
        throw StickError("\(what): \(detail)", file: name)
    }

    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        guard let a = handle else { return 0 }
        let n = archive_read_data(a, buffer, count)
        if n < 0 {
            if let e = upstream?.error { throw StickError(e.message, file: name) }
            let detail = archive_error_string(a).map { String(cString: $0) } ?? "unknown error"
            throw StickError("corrupt or truncated compressed data: \(detail)", file: name)
        }
        return n
    }

    func close() {
        if let a = handle { archive_read_free(a) }
        handle = nil
        upstream?.source.close()
        upstream = nil
        if ownedFD >= 0 { _ = Foundation.close(ownedFD) }
        ownedFD = -1
    }

    deinit { close() }
}

/// Feeds a `ByteSource` to libarchive's read callback, remembering the error it threw.
final class UpstreamReader {
    let source: ByteSource
    private let capacity = 1 << 16
    private let buffer: UnsafeMutableRawPointer
    private(set) var error: StickError?

    init(_ source: ByteSource) {
        self.source = source
        buffer = .allocate(byteCount: capacity, alignment: 1)
    }

    deinit { buffer.deallocate() }

    func fill(_ out: UnsafeMutablePointer<UnsafeRawPointer?>?) -> la_ssize_t {
        do {
            let n = try source.read(into: buffer, count: capacity)
            out?.pointee = UnsafeRawPointer(buffer)
            return la_ssize_t(n)
        } catch {
            self.error = (error as? StickError) ?? StickError("\(error)")
            return -1
        }
    }
}

/// Bytes read ahead of a source (to sniff them), served again before the rest of it.
final class PrefixedSource: ByteSource {
    private var prefix: [UInt8]
    private let rest: ByteSource

    init(prefix: [UInt8], rest: ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        guard !prefix.isEmpty else { return try rest.read(into: buffer, count: count) }
        let n = min(count, prefix.count)
        prefix.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: n) }
        prefix.removeFirst(n)
        return n
    }

    func close() { rest.close() }
}

/// Strips a leading "./" so members can be named either way.
func normalizedMemberPath(_ p: String) -> String {
    var s = Substring(p)
    while s.hasPrefix("./") { s = s.dropFirst(2) }
    return String(s)
}

/// Where bytes go; `finish` commits, `abandon` discards.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    func finish() throws
    func abandon()
}

extension ByteSink {
    public func write(_ data: Data) throws { try data.withUnsafeBytes { try write($0) } }
    public func write(_ string: String) throws {
        var s = string
        try s.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }
}

/// Writes to a file descriptor, optionally through a compression filter (libarchive's raw format).
final class DescriptorSink: ByteSink {
    let fd: Int32
    let name: String
    private var compressor: OpaquePointer?

    init(fd: Int32, codec: Codec, name: String) throws {
        self.fd = fd
        self.name = name
        if codec != .none {
            guard let a = archive_write_new() else { throw StickError("libarchive: out of memory", file: name) }
            compressor = a
            _ = codec.addWriteFilter(a)
            archive_write_set_format_raw(a)
            // No block padding: the output must be a bare compressed stream that other tools read.
            archive_write_set_bytes_in_last_block(a, 1)
            try check(archive_write_open_fd(a, fd))
            let entry = archive_entry_new()
            defer { archive_entry_free(entry) }
            archive_entry_set_pathname(entry, "data")
            archive_entry_set_filetype(entry, STICK_AE_IFREG)
            try check(archive_write_header(a, entry))
        }
    }

    private func check(_ status: Int32) throws {
        guard status < ARCHIVE_WARN, let a = compressor else { return }
        let detail = archive_error_string(a).map { String(cString: $0) } ?? "unknown error"
        throw StickError("compression failed: \(detail)", file: name)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0, let base = bytes.baseAddress else { return }
        if let a = compressor {
            let n = archive_write_data(a, base, bytes.count)
            if n < 0 { try check(Int32(n)) }
            return
        }
        try FileDescriptorIO.writeAll(fd, UnsafeRawBufferPointer(start: base, count: bytes.count), name: name)
    }

    func finish() throws {
        if let a = compressor {
            compressor = nil
            let r = archive_write_close(a)
            let detail = archive_error_string(a).map { String(cString: $0) } ?? ""
            archive_write_free(a)
            if r < ARCHIVE_WARN { throw StickError("compression failed: \(detail)", file: name) }
        }
    }

    func abandon() {
        if let a = compressor { archive_write_free(a) }
        compressor = nil
    }
}
