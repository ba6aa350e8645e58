// The deterministic fake OpenAI server (../shared/tools/fake-openai-server.py) as child processes: one
// Python process is bound to one core, so a model config names several as its endpoints.
import Foundation
import StickArtifacts
#if canImport(Glibc)
import Glibc
#endif

public struct FakeServer: Sendable {
    public let pid: pid_t
    public let port: Int

    /// The servers' pids while they run, killed by `Bench.fail` and at exit.
    nonisolated(unsafe) static var live: [pid_t] = []

    static func killAll() {
        for pid in live where pid > 0 {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        live = []
    }

    /// Starts a server on a free port (extra flags: latency, faults) and waits until it answers /health.
    /// `salt`: the server's responses and fault draws (two servers of one salt fault on the same attempts).
    public static func start(work: String, slot: Int, flags: [String] = [], salt: String = "dev-1") -> FakeServer {
        Bench.require(Bench.fakeServerScript, "the fake OpenAI server (set STICK_FAKE_OPENAI_SERVER)")
        let portFile = work + "/fake-port-\(slot)"
        try? FileManager.default.removeItem(atPath: portFile)
        let log = work + "/fake-server-\(slot).log"
        let pid = Child.launch(["python3", Bench.fakeServerScript, "--salt", salt, "--port", "0", "--port-file", portFile] + flags,
                               stderrPath: log)
        live.append(pid)
        let start = Date()
        while Date().timeIntervalSince(start) < 20 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
               let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), port > 0,
               httpGet(port: port, path: "/health") != nil {
                return FakeServer(pid: pid, port: port)
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                Bench.fail("the fake server exited (status \(status)):\n" + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))
            }
            usleep(20_000)
        }
        Bench.fail("the fake server did not start within 20 s")
    }

    /// utime + stime so far (all threads), from /proc/PID/stat.
    public var cpuSeconds: Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return .nan }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let u = Double(fields[11]), let s = Double(fields[12]) else { return .nan }
        return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    public func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        FakeServer.live.removeAll { $0 == pid }
    }

    /// A minimal HTTP/1.0 GET on 127.0.0.1; the body, or nil.
    static func httpGet(port: Int, path: String) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else { return nil }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            response.append(contentsOf: buffer[0..<n])
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        return String(text[split.upperBound...])
    }
}

/// Several fake servers behind one model config.
public struct FakeServers: Sendable {
    public let servers: [FakeServer]

    /// `ownSalts`: each server its own salt, so that a retry sent to the other server does not meet the fault
    /// its first attempt met (the servers then answer differently: for runs whose records are only counted).
    public static func start(_ count: Int, work: String, flags: [String] = [], ownSalts: Bool = false) -> FakeServers {
        FakeServers(servers: (0..<count).map {
            FakeServer.start(work: work, slot: $0, flags: flags, salt: ownSalts && $0 > 0 ? "dev-1-\($0)" : "dev-1")
        })
    }

    public var cpuSeconds: Double { servers.reduce(0) { $0 + $1.cpuSeconds } }
    public func stop() { servers.forEach { $0.stop() } }

    /// A model config for these servers: no chain of thought, answers capped at 10 tokens.
    public func writeModelConfig(_ path: String, concurrency: Int, maxAttempts: Int = 8) {
        let yaml = """
            stick: model
            version: 1
            name: fake-openai
            backend: openai
            endpoints:
            \(servers.map { "  - http://127.0.0.1:\($0.port)/v1" }.joined(separator: "\n"))
            model: model
            api_key_env: STICK_BENCH_UNSET_API_KEY
            system_message: true
            cot: false
            reasoning: none
            conversation:
              temperature: 0.7
              max_tokens: 100
              n: 1
            answers:
              temperature: 0
              max_tokens: 10
            concurrency: \(concurrency)
            timeout_seconds: 600
            retry:
              max_attempts: \(maxAttempts)
              initial_delay: 0.05
              max_delay: 2

            """
        guard FileManager.default.createFile(atPath: path, contents: Data(yaml.utf8)) else { Bench.fail("cannot write \(path)") }
    }
}

public enum Artifacts {
    /// The records of a JSONL artifact (the header line not counted).
    public static func recordCount(_ path: String) -> Int {
        guard let lines = try? LineReader(path: path) else { return -1 }
        defer { lines.close() }
        var n = -1
        while (try? lines.next()) != nil { n += 1 }
        return n
    }

    /// The sessions of a sessions artifact and the calls they plan.
    public static func sessionCalls(_ path: String) -> (sessions: Int, calls: Int) {
        guard let reader = try? JSONLReader<SessionRecord>(path: path, kind: .sessions) else { Bench.fail("cannot read \(path)") }
        defer { reader.close() }
        var sessions = 0, calls = 0
        while let (_, record) = (try? reader.next()) ?? nil {
            sessions += 1
            calls += record.calls
        }
        return (sessions, calls)
    }

    /// Writes `times` copies of every session (ids suffixed "#k"), the header once.
    public static func repeatSessions(_ source: String, to destination: String, times: Int) {
        do {
            let reader = try JSONLReader<SessionRecord>(path: source, kind: .sessions)
            defer { reader.close() }
            try withOutput(destination) { out in
                let writer = try JSONLWriter(output: out, header: reader.header)
                while let (_, record) = try reader.next() {
                    for k in 0..<times {
                        var copy = record
                        copy.id = record.id + "#\(k)"
                        try writer.write(copy)
                    }
                }
            }
        } catch { Bench.fail("cannot repeat \(source): \(error)") }
    }
}
