// Downloads a URL to a file (for `stick data import https://…`), streaming into the caller's staging
// directory: a size cap, a total timeout, redirects only within http(s) and never from https to http,
// and a note whenever one leads to another host. Nothing is written anywhere else (no system temp file).
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StickArtifacts
import StickDataset

public enum Download {
    public struct Options: Sendable {
        /// The largest download accepted.
        public var maxBytes: Int64
        /// The whole download, connection included, must finish within this many seconds.
        public var timeout: TimeInterval
        public var maxRedirects: Int

        public init(maxBytes: Int64 = 1 << 30, timeout: TimeInterval = 600, maxRedirects: Int = 5) {
            self.maxBytes = maxBytes
            self.timeout = timeout
            self.maxRedirects = maxRedirects
        }
    }

    public static func fetch(_ url: String, to path: String, options: Options = .init(),
                             note: @escaping @Sendable (String) -> Void = { _ in }) throws {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme), u.host != nil else {
            throw StickError("not an http(s) URL", file: url)
        }
        let display = redactedURL(u)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw StickError("cannot create: \(String(cString: strerror(errno)))", file: path) }
        let receiver = Receiver(fd: fd, url: display, options: options, note: note)
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = min(options.timeout, 60)
        config.timeoutIntervalForResource = options.timeout
        let session = URLSession(configuration: config, delegate: receiver, delegateQueue: nil)
        let task = session.dataTask(with: URLRequest(url: u))
        task.resume()
        // The resource timeout also bounds this wait; the margin covers a stuck cancellation.
        let finished = receiver.done.wait(timeout: .now() + options.timeout + 30)
        if finished == .timedOut { task.cancel() }
        session.invalidateAndCancel()
        close(fd)
        if finished == .timedOut {
            throw StickError("download did not finish within \(Int(options.timeout)) s", file: display)
        }
        if let error = receiver.failure { throw error }
    }

    /// The URL without user, password, query or fragment, for messages.
    static func redactedURL(_ u: URL) -> String {
        guard var c = URLComponents(url: u, resolvingAgainstBaseURL: false) else { return "<url>" }
        if c.user != nil || c.password != nil { c.user = nil; c.password = nil }
        if c.query != nil { c.query = "…" }
        c.fragment = nil
        return c.string ?? "<url>"
    }

    private final class Receiver: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let fd: Int32
        let url: String
        let options: Options
        let note: @Sendable (String) -> Void
        let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var received: Int64 = 0
        private var redirects = 0
        private var error: StickError?
        var failure: StickError? { lock.lock(); defer { lock.unlock() }; return error }

        init(fd: Int32, url: String, options: Options, note: @escaping @Sendable (String) -> Void) {
            self.fd = fd
            self.url = url
            self.options = options
            self.note = note
        }

        private func fail(_ message: String) {
            lock.lock()
            if error == nil { error = StickError(message, file: url) }
            lock.unlock()
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
                fail("download failed: HTTP \((response as? HTTPURLResponse)?.statusCode ?? 0)")
                completionHandler(.cancel)
                return
            }
            if response.expectedContentLength > options.maxBytes {
                fail("download is \(response.expectedContentLength) bytes, over the limit of \(options.maxBytes) (raise it with --max-bytes)")
                completionHandler(.cancel)
                return
            }
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            lock.lock()
            received += Int64(data.count)
            let over = received > options.maxBytes
            lock.unlock()
            if over {
                fail("download exceeds the limit of \(options.maxBytes) bytes (raise it with --max-bytes)")
                dataTask.cancel()
                return
            }
            let written = data.withUnsafeBytes { raw -> Bool in
                var offset = 0
                while offset < raw.count {
                    let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 { if errno == EINTR { continue }; return false }
                    offset += n
                }
                return true
            }
            if !written {
                fail("cannot store the download: \(String(cString: strerror(errno)))")
                dataTask.cancel()
            }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            let from = task.currentRequest?.url ?? task.originalRequest?.url
            guard let to = request.url, let scheme = to.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
                fail("refusing a redirect to a non-http(s) URL")
                completionHandler(nil)
                task.cancel()
                return
            }
            if from?.scheme?.lowercased() == "https", scheme == "http" {
                fail("refusing a redirect from https to plain http (\(redactedURL(to)))")
                completionHandler(nil)
                task.cancel()
                return
            }
            lock.lock()
            redirects += 1
            let tooMany = redirects > options.maxRedirects
            lock.unlock()
            if tooMany {
                fail("more than \(options.maxRedirects) redirects")
                completionHandler(nil)
                task.cancel()
                return
            }
            if to.host?.lowercased() != from?.host?.lowercased() || to.port != from?.port || scheme != from?.scheme?.lowercased() {
                note("note: \(url) redirects to \(redactedURL(to))")
            }
            completionHandler(request)
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
            if let error, failure == nil {
                fail("download failed: \(error.localizedDescription)")
            }
            done.signal()
        }
    }
}
