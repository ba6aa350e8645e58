// Writing a whole buffer to a descriptor: write(2) may write part of it or be interrupted by a signal.
import Foundation

public enum FileDescriptorIO {
    /// Writes all of `bytes` to `fd`; an error names `name` (the file, for the message).
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, name: String) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw StickError("write failed: \(String(cString: strerror(errno)))", file: name)
            }
            offset += n
        }
    }
}
