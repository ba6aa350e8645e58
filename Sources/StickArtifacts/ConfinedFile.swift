// Reading files of a tree that someone else made (an imported checkout, an unpacked dataset) without
// ever leaving it: every path component is opened from its parent's descriptor with O_NOFOLLOW, so a
// link anywhere on the way (`LICENSE → /proc/self/environ`, `data → /etc`) is refused rather than
// followed, and only regular files are read.
import Foundation

public enum ConfinedFile {
    /// Opens `relative` (no `..`, not absolute) below `root` as a regular file, decompressed if it is
    /// compressed.
    public static func open(root: String, relative: String) throws -> ByteSource {
        let name = (root as NSString).appendingPathComponent(relative)
        let fd = try descriptor(root: root, relative: relative, name: name)
        return try Inputs.decompressedIfNeeded(FileDescriptorSource(fd: fd, owns: true, name: name), name: name)
    }

    /// The whole file, refused when larger than `limit` bytes.
    public static func read(root: String, relative: String, limit: Int = InputLimits.maxLineBytes) throws -> Data {
        let name = (root as NSString).appendingPathComponent(relative)
        let fd = try descriptor(root: root, relative: relative, name: name)
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StickError("read failed: \(String(cString: strerror(errno)))", file: name)
            }
            if n == 0 { return data }
            guard data.count + n <= limit else { throw InputLimits.tooLong("file larger", limit: limit, file: name, line: nil) }
            data.append(buffer, count: n)
        }
    }

    /// Whether `relative` below `root` is a regular file reachable without following a link.
    public static func isRegularFile(root: String, relative: String) -> Bool {
        guard let fd = try? descriptor(root: root, relative: relative, name: relative) else { return false }
        close(fd)
        return true
    }

    /// Whether `relative` below `root` is a directory reachable without following a link.
    public static func isDirectory(root: String, relative: String) -> Bool {
        guard let fd = try? walk(root: root, components: components(relative, name: relative), name: relative) else { return false }
        close(fd)
        return true
    }

    static func components(_ relative: String, name: String) throws -> [String] {
        let parts = relative.split(separator: "/").map(String.init).filter { $0 != "." }
        guard !relative.hasPrefix("/"), !parts.contains(".."), !relative.contains("\0") else {
            throw StickError("path '\(relative)' leaves its directory", file: name)
        }
        return parts
    }

    /// A descriptor of the directory `components` below `root`, each opened without following links.
    static func walk(root: String, components: [String], name: String) throws -> Int32 {
        var current = Foundation.open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else { throw StickError("cannot open: \(String(cString: strerror(errno)))", file: root) }
        for component in components {
            let next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let failure = errno
            close(current)
            guard next >= 0 else {
                let reason = failure == ELOOP || failure == ENOTDIR
                    ? "'\(component)' on its path is a link or not a directory; links are not followed"
                    : String(cString: strerror(failure))
                throw StickError(reason, file: name)
            }
            current = next
        }
        return current
    }

    static func descriptor(root: String, relative: String, name: String) throws -> Int32 {
        var parts = try components(relative, name: name)
        guard let last = parts.popLast() else { throw StickError("names a directory, not a file", file: name) }
        let dir = try walk(root: root, components: parts, name: name)
        defer { close(dir) }
        // O_NONBLOCK: opening a FIFO planted under this name must not hang (it is refused below).
        let fd = openat(dir, last, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "is a link; links are not followed" : String(cString: strerror(errno))
            throw StickError(reason, file: name)
        }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw StickError("is not a regular file", file: name)
        }
        // Back to blocking reads.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }
}
