// The chat-completion vocabulary every backend speaks: messages in, one generation out.
import Crypto
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

    /// The OpenAI request body, keys sorted so the bytes (and their hash) are stable.
    public func body() throws -> Data {
        var object: [String: AnyEncodable] = [
            "model": AnyEncodable(model), "messages": AnyEncodable(messages),
            "temperature": AnyEncodable(parameters.temperature), "max_tokens": AnyEncodable(parameters.maxTokens),
        ]
        if let n = parameters.n { object["n"] = AnyEncodable(n) }
        if let v = parameters.topP { object["top_p"] = AnyEncodable(v) }
        if let v = parameters.seed { object["seed"] = AnyEncodable(v) }
        if let v = parameters.stop { object["stop"] = AnyEncodable(v) }
        if let v = parameters.logprobs { object["logprobs"] = AnyEncodable(v) }
        if let v = parameters.topLogprobs { object["top_logprobs"] = AnyEncodable(v) }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(object)
    }
}

struct AnyEncodable: Encodable {
    let encodeTo: (Encoder) throws -> Void
    init<T: Encodable>(_ v: T) { encodeTo = v.encode }
    func encode(to encoder: Encoder) throws { try encodeTo(encoder) }
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

/// What a backend returns for one request.
public struct ChatResult: Codable, Hashable, Sendable {
    /// `message.content`; the reference turns a null content into " " for conversation turns.
    public var content: String?
    /// `message.reasoning_content` when the server splits reasoning out.
    public var reasoning: String?
    public var finishReason: String?
    public var usage: TokenUsage?

    enum CodingKeys: String, CodingKey {
        case content, reasoning, usage
        case finishReason = "finish_reason"
    }

    public init(content: String?, reasoning: String? = nil, finishReason: String? = nil, usage: TokenUsage? = nil) {
        self.content = content
        self.reasoning = reasoning
        self.finishReason = finishReason
        self.usage = usage
    }
}

/// A failed attempt, and whether trying again may help.
public struct BackendError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var retryable: Bool
    /// Seconds the server asked us to wait (Retry-After).
    public var retryAfter: Double?
    public var status: Int?

    public init(_ message: String, retryable: Bool, retryAfter: Double? = nil, status: Int? = nil) {
        self.message = message
        self.retryable = retryable
        self.retryAfter = retryAfter
        self.status = status
    }

    public var description: String { message }
}

/// Anything that answers chat requests. Backends are shared by concurrent tasks.
public protocol ChatBackend: Sendable {
    /// One attempt; throws BackendError. Retries are the caller's business.
    func complete(_ request: ChatRequest, context: RequestContext) async throws -> ChatResult
    func shutdown() async
}

/// Who is asking: lets deterministic backends (dummy, simulator) depend on the session and step only.
public struct RequestContext: Sendable {
    public var sessionID: String
    public var context: String
    public var personaIndex: Int
    public var step: Int
    /// The valid answer letters when the request asks a questionnaire item, nil for conversation turns.
    public var answerLetters: [String]?
    /// For rating items: the item's 0-based index and the score each letter earns.
    public var item: Int?
    public var letterScores: [Int]?
    /// The value the item measures (nil when it scores none).
    public var itemValue: String?
    /// For SVS value choices: the value each lettered candidate measures, and whether the most
    /// important (true) or the least important (false) one is asked for.
    public var choiceValues: [String?]?
    public var choiceMost: Bool?

    public init(sessionID: String, context: String, personaIndex: Int, step: Int, answerLetters: [String]? = nil,
                item: Int? = nil, letterScores: [Int]? = nil, itemValue: String? = nil, choiceValues: [String?]? = nil,
                choiceMost: Bool? = nil) {
        self.sessionID = sessionID
        self.context = context
        self.personaIndex = personaIndex
        self.step = step
        self.answerLetters = answerLetters
        self.item = item
        self.letterScores = letterScores
        self.itemValue = itemValue
        self.choiceValues = choiceValues
        self.choiceMost = choiceMost
    }
}

/// SHA-256 of request bodies, hex: the key of recorded responses.
public enum SHA256Body {
    public static func hex(_ data: Data) -> String {
        Crypto.SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
