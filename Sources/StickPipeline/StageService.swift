// `service:` on a stage: a server the stage's commands talk to (an OpenAI-compatible `vllm serve …`,
// `llama-server …`), started before the commands and stopped after them whatever happens.
//
// The service runs as `/bin/sh -c CMD` in the working directory, in a process group of its own, with its
// stdout and stderr in `.stick/logs/STAGE.service.log`. It is ready when an HTTP GET of its `ready` URL
// answers 2xx; until then it is polled every 0.25 s, and the stage fails if the service exits first or
// is not ready within `timeout` seconds. Afterwards the whole group gets SIGTERM and, if anything of it is
// still there 10 s later, SIGKILL (a server's workers die with it).
import Foundation
import StickArtifacts

/// `service:` of a stage.
public struct StageService: Hashable, Sendable {
    /// The command that starts the server (interpolated and quoted as `cmd` is).
    public var command: String
    /// An `http://HOST:PORT/PATH` URL that answers 2xx once the server is ready.
    public var readyURL: String
    /// Seconds to wait for readiness.
    public var timeout: Double

    public init(command: String, readyURL: String, timeout: Double = 600) {
        self.command = command
        self.readyURL = readyURL
        self.timeout = timeout
    }

    /// Polls `url` until it answers 2xx; throws when `timeout` seconds pass or `alive` turns false first
    /// (`exited` describes how, for the message).
    public static func waitUntilReady(_ url: String, timeout: Double, alive: () -> Bool, exited: () -> String = { "" }) throws {
        let (host, port, path) = try parseURL(url)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if !alive() { throw StickError("the service exited\(exited()) before \(url) answered") }
            if HTTPProbe.isReady(host: host, port: port, path: path) { return }
            if Date() >= deadline {
                throw StickError("the service was not ready: \(url) did not answer 2xx within \(ServiceProcess.seconds(timeout)) s")
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
    }

    /// The URL's host, port and path, or why it cannot be probed.
    public static func parseURL(_ url: String) throws -> (host: String, port: UInt16, path: String) {
        guard url.hasPrefix("http://"), !url.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw StickError("service.ready must be an http:// URL (the server's readiness endpoint, e.g. http://127.0.0.1:8000/health), not \(url.debugDescription)")
        }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let path = slash == rest.endIndex ? "/" : String(rest[slash...])
        var host = String(authority), port: UInt16 = 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let p = UInt16(authority[authority.index(after: colon)...]), p > 0 else {
                throw StickError("service.ready: bad port in \(url.debugDescription)")
            }
            host = String(authority[..<colon])
            port = p
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains("@") else { throw StickError("service.ready: no host in \(url.debugDescription)") }
        return (host, port, path)
    }
}

/// A running service: its process group, readiness, stop.
final class ServiceProcess {
    let pid: pid_t
    let logPath: String
    private var exited: ShellExit?

    /// Starts `command` in a new process group, output to `logPath`.
    init(_ command: String, in directory: String, environment: [String: String], logPath: String) throws {
        self.logPath = logPath
        pid = try ShellProcess.spawnGroupLeader(command, in: directory, environment: environment, logPath: logPath)
    }

    /// Whether the group leader has exited (reaped here), and how.
    private func poll() -> ShellExit? {
        if let exited { return exited }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exited = ShellExit(waitStatus: status) }
        return exited
    }

    /// Waits until `url` answers 2xx; throws if the service exits first or `timeout` passes.
    func waitUntilReady(_ service: StageService, cancellation: PipelineCancellation? = nil) throws {
        try StageService.waitUntilReady(service.readyURL, timeout: service.timeout, alive: { poll() == nil && cancellation?.isCancelled != true },
                                        exited: { poll().map { " (\($0.description))" } ?? "" })
    }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(s) }

    /// SIGTERM to the group, SIGKILL to what is left after `grace` seconds; the leader reaped.
    func stop(grace: Double = 10) {
        _ = kill(-pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        // The group is gone when signal 0 finds nobody (its members may outlive the leader).
        while Date() < deadline {
            _ = poll()
            if kill(-pid, 0) != 0 && errno == ESRCH { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if kill(-pid, 0) == 0 { _ = kill(-pid, SIGKILL) }
        if exited == nil {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            exited = ShellExit(waitStatus: status)
        }
    }

    /// The last lines of the service's log.
    func tail(_ n: Int = 20) -> [String] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return Array(text.split(separator: "\n").map(String.init).suffix(n))
    }
}

/// A minimal HTTP/1.0 GET over a socket: enough to ask a local server whether it is ready.
enum HTTPProbe {
    static func isReady(host: String, port: UInt16, path: String, timeout: Double = 2) -> Bool {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return false }
        defer { freeaddrinfo(list) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else { continue }
            let request = Array("GET \(path) HTTP/1.0\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
            guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { continue }
            var buffer = [UInt8](repeating: 0, count: 64)
            var received: [UInt8] = []
            while received.count < 12 {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                received += buffer[0..<n]
            }
            // "HTTP/1.x 2xx"
            let line = String(decoding: received.prefix(12), as: UTF8.self)
            return line.hasPrefix("HTTP/1.") && line.count >= 12 && line[line.index(line.startIndex, offsetBy: 9)] == "2"
        }
        return false
    }
}

extension PipelineGraph {
    /// Refuses stages with a `service:` where the executor cannot run one (the Makefile export).
    public func refuseServices(in stages: [String], under executor: String) throws {
        guard let name = stages.first(where: { stage($0).service != nil }) else { return }
        throw StickError("stage '\(name)' has a 'service', which \(executor) does not run yet; run the pipeline locally "
            + "(stick pipeline run), or start the server outside the pipeline", file: spec.path, line: stage(name).line)
    }
}

