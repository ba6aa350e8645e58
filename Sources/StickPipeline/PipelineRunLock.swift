// One run of a pipeline at a time: `stick pipeline run` deletes and rewrites the stages' outputs and the
// lock file, so two runs of one spec would write the same files. A run takes an exclusive flock(2) on
// `.<spec stem>.lock.run` beside the spec (demo.yaml → .demo.lock.run) for its whole duration and writes
// its holder into it ("pid 123 on host since 2025-01-01T12:00:00Z"); a second run fails at once and
// names that holder. The kernel drops the flock when the holder exits however it exits, so a file left
// behind by a killed run does not block the next one.
//
// The file is removed at the end (while still locked) so no stale file lingers beside the spec. That
// opens a race — a waiter may have opened the old file before the unlink and then lock it after the
// close — so after locking, the file descriptor's inode is compared with the path's and the whole
// thing is retried when they differ.
import Foundation
import StickArtifacts
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class PipelineRunLock: @unchecked Sendable {
    public let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Takes the run lock at `path` or throws naming its holder; `spec` is the spec path for messages.
    public static func acquire(_ path: String, spec: String) throws -> PipelineRunLock {
        for _ in 0..<100 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw StickError("cannot create the run lock \(path): \(String(cString: strerror(errno)))", file: spec)
            }
            var locked: Int32
            repeat { locked = flock(fd, LOCK_EX | LOCK_NB) } while locked != 0 && errno == EINTR
            if locked != 0 {
                let code = errno
                let holder = readHolder(fd)
                close(fd)
                if code == EWOULDBLOCK {
                    throw StickError("another run of this pipeline is in progress (\(holder ?? "its holder has just started and not yet written its name")); "
                        + "it holds the run lock \(path). Wait for it to finish", file: spec)
                }
                throw StickError("cannot lock the run lock \(path): \(String(cString: strerror(code)))", file: spec)
            }
            // Locked — but maybe a file that its previous holder has just unlinked: then start over.
            var held = stat(), current = stat()
            guard fstat(fd, &held) == 0, stat(path, &current) == 0,
                  held.st_ino == current.st_ino, held.st_dev == current.st_dev else {
                close(fd)
                continue
            }
            let holder = "pid \(getpid()) on \(hostName()) since \(ISO8601DateFormatter().string(from: Date()))\n"
            _ = ftruncate(fd, 0)
            _ = holder.utf8CString.withUnsafeBufferPointer { pwrite(fd, $0.baseAddress, $0.count - 1, 0) }
            return PipelineRunLock(path: path, fd: fd)
        }
        throw StickError("cannot take the run lock \(path): it keeps being replaced", file: spec)
    }

    /// Removes the file, then lets go (in that order: see the top of the file). Idempotent.
    public func release() {
        guard fd >= 0 else { return }
        unlink(path)
        close(fd)
        fd = -1
    }

    deinit { release() }

    private static func readHolder(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private static func hostName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "?" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
