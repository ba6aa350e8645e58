// Any OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp, Ollama, OpenAI, OpenRouter, …)
// over AsyncHTTPClient. The API key is read from the environment by the caller and only ever goes
// into the Authorization header: it is never logged, echoed in errors or written to artifacts.
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import StickArtifacts

public final class OpenAIBackend: ChatBackend, @unchecked Sendable {
    let client: HTTPClient
    let endpoints: [String]
    private let authorization: String?
    let timeout: TimeAmount
    private let lock = NSLock()
    private var inFlight: [Int]
    /// Requests in flight per endpoint at most (nil: no per-endpoint limit).
    let perEndpointLimit: Int?
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// `baseURLs` end in `/v1` (e.g. `http://127.0.0.1:8000/v1`); each request goes to the endpoint with
    /// the fewest requests in flight, waiting while every endpoint is at `perEndpointLimit`.
    public init(baseURLs: [String], apiKey: String?, timeoutSeconds: Double, maxConnectionsPerHost: Int,
                perEndpointLimit: Int? = nil) {
        endpoints = baseURLs.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        inFlight = Array(repeating: 0, count: max(1, baseURLs.count))
        self.perEndpointLimit = perEndpointLimit
        authorization = apiKey.flatMap { $0.isEmpty ? nil : "Bearer \($0)" }
        timeout = .milliseconds(Int64(timeoutSeconds * 1000))
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(idleTimeout: .seconds(60),
                                      concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maxConnectionsPerHost))
        config.timeout = .init(connect: .seconds(10), read: timeout)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }

    /// `preferred` if it has room, else the least-loaded endpoint with room, or nil when all are at their limit.
    private func tryTakeEndpoint(preferred: Int?) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        if let p = preferred, inFlight.indices.contains(p), perEndpointLimit.map({ inFlight[p] < $0 }) ?? true {
            inFlight[p] += 1
            return p
        }
        let i = inFlight.indices.min { inFlight[$0] < inFlight[$1] }!
        if let limit = perEndpointLimit, inFlight[i] >= limit { return nil }
        inFlight[i] += 1
        return i
    }

    private func takeEndpoint(preferred: Int?) async -> Int {
        while true {
            if let i = tryTakeEndpoint(preferred: preferred) { return i }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                lock.lock()
                waiters.append(c)
                lock.unlock()
            }
        }
    }

    private func releaseEndpoint(_ i: Int) {
        lock.lock()
        inFlight[i] -= 1
        let waiter = waiters.isEmpty ? nil : waiters.removeFirst()
        lock.unlock()
        waiter?.resume()
    }

    public func complete(_ request: ChatRequest, context: RequestContext) async throws -> ChatResult {
        let slot = await takeEndpoint(preferred: context.endpoint)
        defer { releaseEndpoint(slot) }
        do { return try await complete(request, context: context, endpoint: endpoints[slot]) } catch var error as BackendError {
            error.endpoint = slot
            throw error
        }
    }

    private func complete(_ request: ChatRequest, context: RequestContext, endpoint: String) async throws -> ChatResult {
        var http = HTTPClientRequest(url: endpoint + "/chat/completions")
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        if let authorization { http.headers.add(name: "Authorization", value: authorization) }
        http.body = .bytes(ByteBuffer(bytes: context.encodedBody ?? request.body()))
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(http, timeout: timeout)
            body = try await response.body.collect(upTo: 64 << 20)
        } catch let error as HTTPClientError {
            throw BackendError("\(endpoint): transport error (\(Self.describe(error)))", retryable: true,
                               retryAtOnce: error == .remoteConnectionClosed)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw BackendError("\(endpoint): transport error (\(Self.describe(error)))", retryable: true,
                               retryAtOnce: Self.isReset(error))
        }
        let status = Int(response.status.code)
        let data = Data(body.readableBytesView)
        guard status == 200 else {
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init)
            let retryable = status == 408 || status == 409 || status == 429 || status >= 500
            throw BackendError("\(endpoint): HTTP \(status): \(Self.errorMessage(data))", retryable: retryable,
                               retryAfter: retryAfter, status: status)
        }
        return try Self.parse(data, endpoint: endpoint)
    }

    static func describe(_ error: HTTPClientError) -> String {
        switch error {
        case .deadlineExceeded, .readTimeout, .connectTimeout: return "timeout"
        case .remoteConnectionClosed: return "connection closed by the server"
        default: return "\(error)"
        }
    }

    static func describe(_ error: Error) -> String {
        if let io = error as? IOError { return "\(type(of: error)): \(String(cString: strerror(io.errnoCode)))" }
        return "\(type(of: error))"
    }

    /// The connection was reset, aborted or closed under the request (not a timeout, not a refused connect).
    static func isReset(_ error: Error) -> Bool {
        if let io = error as? IOError { return [ECONNRESET, ECONNABORTED, EPIPE].contains(io.errnoCode) }
        if let channel = error as? ChannelError { return channel == .eof || channel == .ioOnClosedChannel || channel == .outputClosed }
        return false
    }

    /// The server's own error message (never the request, which could hold secrets of the caller).
    static func errorMessage(_ data: Data) -> String {
        struct Envelope: Decodable { struct E: Decodable { var message: String? }; var error: E? }
        if let e = try? JSONDecoder().decode(Envelope.self, from: data), let m = e.error?.message { return m }
        return String(decoding: data.prefix(200), as: UTF8.self)
    }

    struct CompletionBody: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var reasoning_content: String?
            }
            struct Logprobs: Decodable {
                struct Entry: Decodable {
                    struct Alternative: Decodable { var token: String; var logprob: Double }
                    var token: String
                    var logprob: Double
                    var top_logprobs: [Alternative]?
                }
                var content: [Entry]?
            }
            var message: Message?
            var finish_reason: String?
            var logprobs: Logprobs?
        }
        struct Usage: Decodable {
            var prompt_tokens: Int?
            var completion_tokens: Int?
        }
        var choices: [Choice]?
        var usage: Usage?
    }

    /// A 200 whose body is not a usable completion is a (retryable) failure, never a crash.
    static func parse(_ data: Data, endpoint: String) throws -> ChatResult {
        let decoded: CompletionBody
        do { decoded = try JSONDecoder().decode(CompletionBody.self, from: data) } catch {
            throw BackendError("\(endpoint): malformed response body (\(data.count) bytes)", retryable: true,
                               retryAtOnce: true)
        }
        guard let choice = decoded.choices?.first, let message = choice.message else {
            throw BackendError("\(endpoint): response without choices", retryable: true)
        }
        let usage = decoded.usage.map { TokenUsage(promptTokens: $0.prompt_tokens ?? 0, completionTokens: $0.completion_tokens ?? 0) }
        // Per token the listed alternatives, or the sampled token alone when the server lists none.
        let top = choice.logprobs?.content.map { entries in
            entries.map { e in
                (e.top_logprobs?.isEmpty == false ? e.top_logprobs! : [.init(token: e.token, logprob: e.logprob)])
                    .map { TokenLogprob(token: $0.token, logprob: $0.logprob) }
            }
        }
        return ChatResult(content: message.content, reasoning: message.reasoning_content,
                          finishReason: choice.finish_reason, usage: usage, topLogprobs: top)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
