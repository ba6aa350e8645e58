// One writer per output: a command that appends to or rewrites a long-lived file (query's journal)
// holds an exclusive flock(2) on a lock file beside it for as long as it runs. A second process fails
// at once with an error naming the holder instead of interleaving its writes.
import Foundation

public final class OutputLock {
    public let path: String
    private var fd: Int32 = -1

    /// Takes the lock at `path` (created if missing) or throws naming who holds it; `what` says what is
    /// being protected in that message.
    public convenience init(_ path: String, protecting what: String) throws {
        try self.init(path) { holder in
            StickError("\(what) is being written by another process (\(holder)); wait for it to finish, "
                + "or stop it (its lock is \(path))", file: what)
        }
    }

    /// Takes the lock at `path` (created if missing); when another process holds it, throws what `busy`
    /// makes of the holder's description ("pid 123 on host since …").
    public init(_ path: String, busy: (String) -> StickError) throws {
        self.path = path
        for _ in 0..<100 {
            let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard opened >= 0 else { throw StickError("cannot create the lock file: \(String(cString: strerror(errno)))", file: path) }
            var locked: Int32
            repeat { locked = flock(opened, LOCK_EX | LOCK_NB) } while locked != 0 && errno == EINTR
            if locked != 0 {
                let code = errno
                let holder = OutputLock.holder(opened)
                close(opened)
                guard code == EWOULDBLOCK else { throw StickError("cannot lock: \(String(cString: strerror(code)))", file: path) }
                throw busy(holder)
            }
            // The previous holder may have unlinked the file between our open and flock: then the lock
            // we hold is on a file nobody else can see. Start again on the file that is there now.
            var held = stat(), current = stat()
            if fstat(opened, &held) == 0, lstat(path, &current) == 0, held.st_ino == current.st_ino, held.st_dev == current.st_dev {
                fd = opened
                break
            }
            close(opened)
        }
        guard fd >= 0 else { throw StickError("cannot take the lock: it keeps being replaced", file: path) }
        let formatter = ISO8601DateFormatter()
        let text = "pid \(getpid()) on \(StagingDirectory.hostTag) since \(formatter.string(from: Date()))\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// Removes the lock file, then releases the lock (in that order, so a waiting process retries).
    public func release() {
        guard fd >= 0 else { return }
        unlink(path)
        close(fd)
        fd = -1
    }

    deinit { release() }

    static func holder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 200)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        let text = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.isEmpty ? "its holder has just started and not yet written its name" : text
    }
}
