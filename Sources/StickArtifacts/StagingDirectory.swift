// Scratch directories beside an output (unpack, import, downloads): work happens there and moves into
// place only when it is complete. A run killed with -9 cannot clean up after itself, so every scratch
// directory names its creator (host and pid) and holds a lock while in use; the next run of any command
// that stages into the same parent removes the abandoned ones and says so.
import Foundation

public final class StagingDirectory {
    /// The directory itself.
    public let path: String
    private var lockFD: Int32
    private static let lockName = ".lock"

    /// Creates `.stick-PURPOSE-HOST-PID-RANDOM/` in `parent` (which must exist), holding its lock.
    public init(in parent: String, purpose: String) throws {
        let name = ".stick-\(purpose)-\(StagingDirectory.hostTag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        path = (parent as NSString).appendingPathComponent(name)
        guard mkdir(path, 0o700) == 0 else {
            throw StickError("cannot create a staging directory: \(String(cString: strerror(errno)))", file: path)
        }
        lockFD = open((path as NSString).appendingPathComponent(StagingDirectory.lockName),
                      O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard lockFD >= 0, flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            let reason = String(cString: strerror(errno))
            if lockFD >= 0 { close(lockFD) }
            try? FileManager.default.removeItem(atPath: path)
            throw StickError("cannot lock a staging directory: \(reason)", file: path)
        }
    }

    /// A path inside the staging directory.
    public func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    /// Removes the directory and everything in it (its lock last).
    public func remove() {
        guard lockFD >= 0 else { return }
        try? FileManager.default.removeItem(atPath: path)
        close(lockFD)
        lockFD = -1
    }

    deinit { remove() }

    /// Removes the staging directories of `purpose` in `parent` whose creator is gone: on this host,
    /// its process no longer exists; from another host (a shared file system), nobody holds its lock
    /// and it was last changed over a minute ago. Returns what was removed, for the caller to report.
    @discardableResult
    public static func removeAbandoned(in parent: String, purpose: String) -> [String] {
        let prefix = ".stick-\(purpose)-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return [] }
        var removed: [String] = []
        for name in names.sorted() where name.hasPrefix(prefix) {
            let parts = name.dropFirst(prefix.count).split(separator: "-")
            guard parts.count >= 3, let pid = Int32(parts[parts.count - 2]) else { continue }
            let host = parts.dropLast(2).joined(separator: "-")
            let dir = (parent as NSString).appendingPathComponent(name)
            var st = stat()
            // Only real directories: never follow a link planted under this name.
            guard lstat(dir, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { continue }
            let abandoned: Bool
            if host == hostTag {
                abandoned = kill(pid, 0) != 0 && errno == ESRCH
            } else {
                let fd = open((dir as NSString).appendingPathComponent(lockName), O_RDWR | O_CLOEXEC | O_NOFOLLOW)
                defer { if fd >= 0 { close(fd) } }
                let idle = Date().timeIntervalSince1970 - Double(st.st_mtim.tv_sec) > 60
                abandoned = fd >= 0 && idle && flock(fd, LOCK_EX | LOCK_NB) == 0
            }
            guard abandoned else { continue }
            if (try? FileManager.default.removeItem(atPath: dir)) != nil { removed.append(dir) }
        }
        return removed
    }

    /// The host name, reduced to characters that cannot be confused with the name's separators.
    static let hostTag: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        let raw = String(cString: buffer)
        let tag = String(raw.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "_" })
        return tag.isEmpty ? "host" : tag
    }()
}
