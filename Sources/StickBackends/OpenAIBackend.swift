// Any OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp, Ollama, OpenAI, OpenRouter, …)
// over AsyncHTTPClient. The API key is read from the environment by the caller and only ever goes
// into the Authorization header: it is never logged, echoed in errors or written to artifacts.
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import StickArtifacts

public final class OpenAIBackend: ChatBackend, @unchecked Sendable {
    let client: HTTPClient
    let endpoints: [String]
    /// Each endpoint's chat-completions URL, parsed once.
    private let urls: [URL]
    /// Per endpoint, where a plain-http endpoint's requests go (nil: https, through `client`).
    private let plainTargets: [PlainTarget?]
    /// For plain-http endpoints.
    private let plain: PlainHTTPClient

    struct PlainTarget {
        var host: String
        var port: Int
        var path: String
    }
    /// The same for every request: the content type and the API key.
    private let headers: HTTPHeaders
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
        // An endpoint that does not parse fails its calls with invalidURL, named (ModelConfig checks them first).
        urls = endpoints.map { URL(string: $0 + "/chat/completions") ?? URL(fileURLWithPath: "/") }
        plainTargets = urls.map { url in
            guard url.scheme?.lowercased() == "http", let host = url.host, !host.isEmpty,
                  let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return nil }
            let query = components.percentEncodedQuery.map { "?" + $0 } ?? ""
            return PlainTarget(host: host, port: url.port ?? 80, path: components.percentEncodedPath + query)
        }
        plain = PlainHTTPClient(connectTimeout: .seconds(10), maxBodyBytes: Self.maxBodyBytes)
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        if let key = apiKey, !key.isEmpty { headers.add(name: "Authorization", value: "Bearer \(key)") }
        self.headers = headers
        timeout = .milliseconds(Int64(timeoutSeconds * 1000))
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(idleTimeout: .seconds(60),
                                      concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maxConnectionsPerHost))
        config.timeout = .init(connect: .seconds(10), read: timeout)
        // No spans: nothing here reads them, and handing each request to the global tracer cost 3 % of query's CPU.
        config.tracing.tracer = nil
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }

    /// `preferred` if it has room, else the least-loaded endpoint with room other than `avoided` (when there is
    /// one), or nil when all are at their limit.
    private func tryTakeEndpoint(preferred: Int?, avoided: Int?) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        func hasRoom(_ i: Int) -> Bool { perEndpointLimit.map { inFlight[i] < $0 } ?? true }
        if let p = preferred, inFlight.indices.contains(p), hasRoom(p) {
            inFlight[p] += 1
            return p
        }
        var best: Int?, fallback: Int?
        for i in inFlight.indices where hasRoom(i) {
            if i == avoided { fallback = i } else if best.map({ inFlight[i] < inFlight[$0] }) ?? true { best = i }
        }
        guard let i = best ?? fallback else { return nil }
        inFlight[i] += 1
        return i
    }

    private func takeEndpoint(preferred: Int?, avoided: Int?) async -> Int {
        while true {
            if let i = tryTakeEndpoint(preferred: preferred, avoided: avoided) { return i }
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
        let slot = await takeEndpoint(preferred: context.endpoint, avoided: context.avoidEndpoint)
        defer { releaseEndpoint(slot) }
        do { return try await complete(request, context: context, endpoint: endpoints[slot], slot: slot) } catch var error as BackendError {
            error.endpoint = slot
            throw error
        }
    }

    static let maxBodyBytes = 64 << 20

    private func complete(_ request: ChatRequest, context: RequestContext, endpoint: String, slot: Int) async throws -> ChatResult {
        let status: Int, headers: HTTPHeaders, body: ByteBuffer
        let bytes = ByteBuffer(bytes: context.encodedBody ?? request.body())
        do {
            if let target = plainTargets[slot] {
                let response = try await plain.post(host: target.host, port: target.port, path: target.path,
                                                    headers: self.headers, body: bytes, timeout: timeout)
                (status, headers, body) = (response.status, response.headers, response.body)
            } else {
                // AHC's future-based call with the whole body given at once: one hop back from the event loop
                // with the complete response (its async API, a body collected as a stream, cost more).
                let http = try HTTPClient.Request(url: urls[slot], method: .POST, headers: self.headers,
                                                  body: .byteBuffer(bytes))
                let task = client.execute(request: http, delegate: ResponseAccumulator(request: http, maxBodySize: Self.maxBodyBytes),
                                          deadline: .now() + timeout)
                let response = try await withTaskCancellationHandler { try await task.futureResult.get() } onCancel: { task.cancel() }
                (status, headers, body) = (Int(response.status.code), response.headers, response.body ?? ByteBuffer())
            }
        } catch let error as HTTPClientError {
            if error == .cancelled, Task.isCancelled { throw CancellationError() }
            throw BackendError("\(endpoint): transport error (\(Self.describe(error)))", retryable: true,
                               retryAtOnce: error == .remoteConnectionClosed)
        } catch let error as PlainHTTPClient.Failure {
            let what = switch error {
            case .connectionClosed: "connection closed by the server"
            case .malformedResponse: "malformed HTTP response"
            case .timeout: "timeout"
            case .bodyTooLarge: "response body larger than \(Self.maxBodyBytes >> 20) MiB"
            }
            // A broken exchange is retried at once (once), as a reset or an unparseable body; a timeout or an
            // oversized body backs off.
            throw BackendError("\(endpoint): transport error (\(what))", retryable: true,
                               retryAtOnce: error == .connectionClosed || error == .malformedResponse)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw BackendError("\(endpoint): transport error (\(Self.describe(error)))", retryable: true,
                               retryAtOnce: Self.isReset(error))
        }
        guard status == 200 else {
            let retryAfter = headers.first(name: "Retry-After").flatMap(Double.init)
            let retryable = status == 408 || status == 409 || status == 429 || status >= 500
            throw BackendError("\(endpoint): HTTP \(status): \(Self.errorMessage(Data(body.readableBytesView)))",
                               retryable: retryable, retryAfter: retryAfter, status: status)
        }
        // The usual body is scanned where it lies; only an unusual one is copied for the tree reading.
        if let reading = body.withUnsafeReadableBytes({ Self.scanCompletion($0.bindMemory(to: UInt8.self)) }) {
            return try Self.result(reading, endpoint: endpoint)
        }
        return try Self.parseTree(Data(body.readableBytesView), endpoint: endpoint)
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
        if let channel = error as? ChannelError, case .connectTimeout = channel { return "connect timeout" }
        if let connect = error as? NIOConnectionError, let first = connect.connectionErrors.first?.error { return describe(first) }
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

    /// A 200 whose body is not a usable completion is a (retryable) failure, never a crash. Read from the
    /// parsed JSON tree by hand (Foundation's JSONDecoder was about a sixth of query's CPU), as strictly as
    /// the Codable shape it replaces: a member of the wrong type anywhere in it makes the body malformed,
    /// and null counts as absent (a test checks both agree on valid and invalid bodies). The usual body
    /// takes a faster path first (`scanCompletion`, which a test checks against the tree reading).
    static func parse(_ data: Data, endpoint: String) throws -> ChatResult {
        if let reading = data.withUnsafeBytes({ scanCompletion($0.bindMemory(to: UInt8.self)) }) {
            return try result(reading, endpoint: endpoint)
        }
        return try parseTree(data, endpoint: endpoint)
    }

    /// A body the scan left alone (logprobs, unusual numbers or names), read from its JSON tree.
    static func parseTree(_ data: Data, endpoint: String) throws -> ChatResult {
        let reading: Reading
        do { reading = try treeCompletion(data) } catch {
            throw BackendError("\(endpoint): malformed response body (\(data.count) bytes)", retryable: true,
                               retryAtOnce: true)
        }
        return try result(reading, endpoint: endpoint)
    }

    /// What a completion body says: its choices and token usage.
    typealias Reading = (choices: [Choice]?, usage: TokenUsage?)

    static func result(_ reading: Reading, endpoint: String) throws -> ChatResult {
        guard let choice = reading.choices?.first, let message = choice.message else {
            throw BackendError("\(endpoint): response without choices", retryable: true)
        }
        return ChatResult(content: message.content, reasoning: message.reasoning, finishReason: choice.finishReason,
                          usage: reading.usage, topLogprobs: choice.topLogprobs)
    }

    /// The body read from its parsed JSON tree; throws when it is malformed.
    static func treeCompletion(_ data: Data) throws -> Reading {
        guard case .object(let root) = try OrderedJSON.parse(data) else { throw Shape() }
        let choices = try root.optionalArray("choices")?.map(Choice.init)
        let usage = try root.optionalObject("usage").map {
            TokenUsage(promptTokens: try $0.optionalInt("prompt_tokens") ?? 0,
                       completionTokens: try $0.optionalInt("completion_tokens") ?? 0)
        }
        return (choices, usage)
    }

    /// The usual completion body read straight from its bytes (JSONScanner): choices and usage, other
    /// members skipped. Nil for anything unusual — logprobs, numbers other than plain integers, escaped
    /// or repeated names —, which the tree reading then decides.
    static func scanCompletion(_ json: UnsafeBufferPointer<UInt8>) -> Reading? {
        JSONScanner.decode(json) { s in
            var choices: [Choice]?, usage: TokenUsage?
            try s.object(completionKeys, skippingOthers: true) { s, key in
                if key == 0 {
                    choices = s.null() ? nil : try s.array { try Choice(scanning: &$0) }
                } else if !s.null() {
                    var prompt: Int?, completion: Int?
                    try s.object(usageKeys, skippingOthers: true) { s, key in
                        let value = s.null() ? nil : try s.int()
                        if key == 0 { prompt = value } else { completion = value }
                    }
                    usage = TokenUsage(promptTokens: prompt ?? 0, completionTokens: completion ?? 0)
                }
            }
            return (choices, usage)
        }
    }

    private static let completionKeys = JSONScanner.Keys(["choices", "usage"])
    private static let usageKeys = JSONScanner.Keys(["prompt_tokens", "completion_tokens"])
    fileprivate static let choiceKeys = JSONScanner.Keys(["message", "finish_reason", "logprobs"])
    fileprivate static let messageKeys = JSONScanner.Keys(["content", "reasoning_content"])

    struct Shape: Error {}

    /// One choice of a completion body.
    struct Choice {
        var message: (content: String?, reasoning: String?)?
        var finishReason: String?
        /// Per token the listed alternatives, or the sampled token alone when the server lists none.
        var topLogprobs: [[TokenLogprob]]?

        /// One choice as `scanCompletion` reads it: logprobs other than null are left to the tree reading.
        init(scanning s: inout JSONScanner) throws {
            var message: (content: String?, reasoning: String?)?, finishReason: String?
            try s.object(OpenAIBackend.choiceKeys, skippingOthers: true) { s, key in
                switch key {
                case 0:
                    guard !s.null() else { message = nil; return }
                    var content: String?, reasoning: String?
                    try s.object(OpenAIBackend.messageKeys, skippingOthers: true) { s, key in
                        let value = s.null() ? nil : try s.string()
                        if key == 0 { content = value } else { reasoning = value }
                    }
                    message = (content, reasoning)
                case 1: finishReason = s.null() ? nil : try s.string()
                default: guard s.null() else { throw JSONScanner.Unsupported() }
                }
            }
            self.message = message
            self.finishReason = finishReason
        }

        init(_ value: JSONValue) throws {
            guard case .object(let o) = value else { throw Shape() }
            message = try o.optionalObject("message").map {
                (try $0.optionalString("content"), try $0.optionalString("reasoning_content"))
            }
            finishReason = try o.optionalString("finish_reason")
            topLogprobs = try o.optionalObject("logprobs")?.optionalArray("content")?.map { entry in
                guard case .object(let e) = entry else { throw Shape() }
                let token = try e.requiredString("token"), logprob = try e.requiredDouble("logprob")
                let top = try e.optionalArray("top_logprobs")?.map { alternative in
                    guard case .object(let a) = alternative else { throw Shape() }
                    return TokenLogprob(token: try a.requiredString("token"), logprob: try a.requiredDouble("logprob"))
                }
                return top?.isEmpty == false ? top! : [TokenLogprob(token: token, logprob: logprob)]
            }
        }
    }

    public func shutdown() async {
        plain.shutdown()
        try? await client.shutdown()
    }
}

/// Typed reads of a parsed JSON object with Codable's rules: absent or null is nil; any other type throws.
extension JSONObject {
    func optionalString(_ key: String) throws -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case .string(let v)?: return v
        default: throw OpenAIBackend.Shape()
        }
    }

    func optionalObject(_ key: String) throws -> JSONObject? {
        switch self[key] {
        case nil, .null?: return nil
        case .object(let v)?: return v
        default: throw OpenAIBackend.Shape()
        }
    }

    func optionalArray(_ key: String) throws -> [JSONValue]? {
        switch self[key] {
        case nil, .null?: return nil
        case .array(let v)?: return v
        default: throw OpenAIBackend.Shape()
        }
    }

    /// An integer: a number with no fractional part, within Int's range (as JSONDecoder decodes Int).
    func optionalInt(_ key: String) throws -> Int? {
        switch self[key] {
        case nil, .null?: return nil
        case .number(let v)?:
            guard v.rounded() == v, let i = Int(exactly: v) else { throw OpenAIBackend.Shape() }
            return i
        default: throw OpenAIBackend.Shape()
        }
    }

    func requiredString(_ key: String) throws -> String {
        guard case .string(let v)? = self[key] else { throw OpenAIBackend.Shape() }
        return v
    }

    func requiredDouble(_ key: String) throws -> Double {
        guard case .number(let v)? = self[key] else { throw OpenAIBackend.Shape() }
        return v
    }
}
