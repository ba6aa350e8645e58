// The OpenAI backend's own HTTP/1.1 client for http:// endpoints (PlainHTTPClient), against a small Python
// server whose path picks its behaviour: connections are kept alive and reused, a "Connection: close" reply
// is honoured, the Host header is right (also for an IPv6 literal), a reply cut short and an oversized body
// are transport errors (the first retried at once), and no request goes out twice on one exchange.
import Foundation
import StickArtifacts
import StickBackends
import StickTestSupport
import Testing

final class BehaviourServer: PythonServer, @unchecked Sendable {
    static let script = #"""
    import http.server, json, socket, sys, threading
    port_file, family = sys.argv[1], sys.argv[2]
    stats = {"connections": 0, "requests": 0, "hosts": []}
    lock = threading.Lock()
    BODY = json.dumps({"choices": [{"message": {"content": "(A)"}, "finish_reason": "stop"}],
                       "usage": {"prompt_tokens": 3, "completion_tokens": 1}}).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *a): pass
        def do_GET(self):
            body = json.dumps(stats).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
            self.wfile.write(body)
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            request = json.loads(self.rfile.read(length))
            assert request["model"] == "model"
            with lock:
                # One handler serves one connection: count the connections that carried a completion.
                if not getattr(self, "counted", False):
                    self.counted = True
                    stats["connections"] += 1
                stats["requests"] += 1
                stats["hosts"].append(self.headers.get("Host"))
            mode = self.path.split("/")[1]
            if mode == "cut":
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n" + BODY[:10])
                self.wfile.flush()
                self.close_connection = True
                return
            body = BODY if mode != "big" else b" " * (65 << 20) + BODY
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if mode == "close":
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(body)

    class Server(http.server.ThreadingHTTPServer):
        address_family = socket.AF_INET6 if family == "6" else socket.AF_INET
        daemon_threads = True
    try:
        server = Server(("::1" if family == "6" else "127.0.0.1", 0), Handler)
        port = server.server_address[1]
    except OSError:
        server, port = None, -1
    with open(port_file + ".tmp", "w") as f: f.write(str(port))
    import os; os.rename(port_file + ".tmp", port_file)
    if server: server.serve_forever()
    """#

    let scratch: ScratchDirectory

    init(ipv6: Bool = false) throws {
        scratch = try ScratchDirectory()
        let portFile = scratch.file("port")
        try super.init(arguments: ["-c", Self.script, portFile, ipv6 ? "6" : "4"], portFile: portFile)
    }

    var available: Bool { port > 0 }

    /// The server's counters, asked at `base` (default: its IPv4 address).
    func stats(base: String? = nil) throws -> [String: Any] {
        let r = try runProcess("/usr/bin/env", ["python3", "-c", """
            import sys, urllib.request
            sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())
            """, (base ?? baseHost) + "/stats"])
        return try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any] ?? [:]
    }

    var baseHost: String { "http://127.0.0.1:\(port)" }
}

@Suite(.timeLimit(.minutes(10)))
struct PlainHTTPTests {
    func ask(_ base: String, times: Int) async throws -> [Result<ChatResult, BackendError>] {
        let backend = OpenAIBackend(baseURLs: [base], apiKey: nil, timeoutSeconds: 10, maxConnectionsPerHost: 4)
        var results: [Result<ChatResult, BackendError>] = []
        for _ in 0..<times {
            do { results.append(.success(try await backend.complete(RetryTests.request, context: RetryTests.context))) } catch let e as BackendError {
                results.append(.failure(e))
            }
        }
        await backend.shutdown()
        return results
    }

    @Test func oneKeptAliveConnectionServesCallsOneAfterAnother() async throws {
        let server = try BehaviourServer()
        defer { server.stop() }
        let results = try await ask(server.baseHost + "/keep/v1", times: 20)
        #expect(results.allSatisfy { (try? $0.get())?.content == "(A)" })
        let stats = try server.stats()
        #expect(stats["requests"] as? Int == 20)
        #expect(stats["connections"] as? Int == 1, "\(stats)")
        #expect((stats["hosts"] as? [String])?.allSatisfy { $0 == "127.0.0.1:\(server.port)" } == true)
    }

    @Test func aConnectionCloseReplyIsHonoured() async throws {
        let server = try BehaviourServer()
        defer { server.stop() }
        let results = try await ask(server.baseHost + "/close/v1", times: 5)
        #expect(results.allSatisfy { (try? $0.get())?.content == "(A)" })
        let stats = try server.stats()
        #expect(stats["requests"] as? Int == 5 && stats["connections"] as? Int == 5, "\(stats)")
    }

    @Test func aReplyCutShortIsATransportErrorRetriedAtOnce() async throws {
        let server = try BehaviourServer()
        defer { server.stop() }
        let results = try await ask(server.baseHost + "/cut/v1", times: 2)
        for result in results {
            guard case .failure(let error) = result else { Issue.record("a cut reply succeeded"); continue }
            #expect(error.message.contains("transport error") && error.retryable && error.retryAtOnce, "\(error.message)")
        }
        // Each call went out once: nothing was resent behind the retry policy's back.
        #expect(try server.stats()["requests"] as? Int == 2)
    }

    @Test func aBodyOverTheLimitIsRefused() async throws {
        let server = try BehaviourServer()
        defer { server.stop() }
        let results = try await ask(server.baseHost + "/big/v1", times: 1)
        guard case .failure(let error)? = results.first else { Issue.record("an oversized body was accepted"); return }
        #expect(error.message.contains("response body larger than 64 MiB"), "\(error.message)")
    }

    @Test func anIPv6LiteralEndpointGetsABracketedHostHeader() async throws {
        let server = try BehaviourServer(ipv6: true)
        defer { server.stop() }
        guard server.available else { return }  // no IPv6 loopback on this machine: nothing to check
        let results = try await ask("http://[::1]:\(server.port)/keep/v1", times: 2)
        #expect(results.allSatisfy { (try? $0.get())?.content == "(A)" }, "\(results)")
        let hosts = try server.stats(base: "http://[::1]:\(server.port)")["hosts"] as? [String]
        #expect(hosts == ["[::1]:\(server.port)", "[::1]:\(server.port)"], "\(String(describing: hosts))")
    }
}
