// The chat-completion vocabulary: messages in, one generation out. Requests and results are part of
// the responses artifact (every record keeps its exact request), so their types live with the formats.
import Foundation

public struct ChatMessage: Codable, Hashable, Sendable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ c: String) -> ChatMessage { .init(role: "system", content: c) }
    public static func user(_ c: String) -> ChatMessage { .init(role: "user", content: c) }
    public static func assistant(_ c: String) -> ChatMessage { .init(role: "assistant", content: c) }
}

/// Sampling parameters of one request (what the reference calls generation args).
public struct GenerationParameters: Codable, Hashable, Sendable {
    public var temperature: Double
    public var maxTokens: Int
    /// Sent only when set: the reference sends `n: 1` with conversation turns but not with answers.
    public var n: Int?
    public var topP: Double?
    public var seed: Int?
    public var stop: [String]?
    public var logprobs: Bool?
    public var topLogprobs: Int?

    enum CodingKeys: String, CodingKey {
        case temperature, n, seed, stop, logprobs
        case maxTokens = "max_tokens"
        case topP = "top_p"
        case topLogprobs = "top_logprobs"
    }

    public init(temperature: Double, maxTokens: Int, n: Int? = nil, topP: Double? = nil, seed: Int? = nil,
                stop: [String]? = nil, logprobs: Bool? = nil, topLogprobs: Int? = nil) {
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.n = n
        self.topP = topP
        self.seed = seed
        self.stop = stop
        self.logprobs = logprobs
        self.topLogprobs = topLogprobs
    }
}

/// One chat-completion request, exactly as it goes on the wire (minus transport details).
public struct ChatRequest: Codable, Hashable, Sendable {
    public var model: String
    public var messages: [ChatMessage]
    public var parameters: GenerationParameters

    public init(model: String, messages: [ChatMessage], parameters: GenerationParameters) {
        self.model = model
        self.messages = messages
        self.parameters = parameters
    }

    /// The OpenAI request body, keys sorted so the bytes (and their hash) are stable. Written by hand
    /// (JSONBytes) because it is encoded for every call; a test checks it equals JSONEncoder's bytes.
    /// `messagesJSON` is `messagesJSON()` when the caller already has it (the record reuses it).
    public func body(messagesJSON: [UInt8]? = nil) -> Data {
        var json = JSONBytes(capacity: 1024 + (messagesJSON?.count ?? 0))
        json.beginObject()
        // The parameters' keys sort around "messages" and "model": interleave them.
        writeParameters(&json, keys: { $0 < "messages" })
        json.key("messages"); json.raw(messagesJSON ?? self.messagesJSON())
        json.key("model"); json.string(model)
        writeParameters(&json, keys: { $0 > "model" })
        json.endObject()
        return Data(json.bytes)
    }

    /// The request as its Codable form encodes with sorted keys (how response records store it).
    public func writeJSON(into json: inout JSONBytes, messagesJSON: [UInt8]? = nil) {
        json.beginObject()
        json.key("messages"); json.raw(messagesJSON ?? self.messagesJSON())
        json.key("model"); json.string(model)
        json.key("parameters")
        json.beginObject()
        writeParameters(&json, keys: { _ in true })
        json.endObject()
        json.endObject()
    }

    /// The generation parameters whose key `keys` accepts, in sorted key order (absent ones omitted).
    private func writeParameters(_ json: inout JSONBytes, keys: (String) -> Bool) {
        let p = parameters
        if let v = p.logprobs, keys("logprobs") { json.key("logprobs"); json.bool(v) }
        if keys("max_tokens") { json.key("max_tokens"); json.int(p.maxTokens) }
        if let v = p.n, keys("n") { json.key("n"); json.int(v) }
        if let v = p.seed, keys("seed") { json.key("seed"); json.int(v) }
        if let v = p.stop, keys("stop") { json.key("stop"); json.beginArray(); v.forEach { json.string($0) }; json.endArray() }
        if keys("temperature") { json.key("temperature"); json.double(p.temperature) }
        if let v = p.topLogprobs, keys("top_logprobs") { json.key("top_logprobs"); json.int(v) }
        if let v = p.topP, keys("top_p") { json.key("top_p"); json.double(v) }
    }

    /// The messages array as JSON: the largest part of both the body and the stored request, encoded once.
    public func messagesJSON() -> [UInt8] {
        var json = JSONBytes(capacity: messages.reduce(64) { $0 + $1.content.utf8.count + 32 })
        json.beginArray()
        for m in messages {
            json.beginObject()
            json.key("content"); json.string(m.content)
            json.key("role"); json.string(m.role)
            json.endObject()
        }
        json.endArray()
        return json.bytes
    }
}

public struct TokenUsage: Codable, Hashable, Sendable {
    public var promptTokens: Int
    public var completionTokens: Int

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// One alternative for a generated token, with its log-probability.
public struct TokenLogprob: Codable, Hashable, Sendable {
    public var token: String
    public var logprob: Double

    public init(token: String, logprob: Double) {
        self.token = token
        self.logprob = logprob
    }
}

/// What a backend returns for one request.
public struct ChatResult: Codable, Hashable, Sendable {
    /// `message.content`; the reference turns a null content into " " for conversation turns.
    public var content: String?
    /// `message.reasoning_content` when the server splits reasoning out.
    public var reasoning: String?
    public var finishReason: String?
    public var usage: TokenUsage?
    /// Per generated token, the server's top alternatives (only when logprobs were requested and returned).
    public var topLogprobs: [[TokenLogprob]]?

    enum CodingKeys: String, CodingKey {
        case content, reasoning, usage
        case finishReason = "finish_reason"
        case topLogprobs = "top_logprobs"
    }

    public init(content: String?, reasoning: String? = nil, finishReason: String? = nil, usage: TokenUsage? = nil,
                topLogprobs: [[TokenLogprob]]? = nil) {
        self.content = content
        self.reasoning = reasoning
        self.finishReason = finishReason
        self.usage = usage
        self.topLogprobs = topLogprobs
    }
}
