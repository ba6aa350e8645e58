// The responses artifact: one record per LLM call, in (session, step) order.
import Foundation

public struct ResponseRecord: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable { case conversation, answer, choice }

    public var session: String
    public var context: String
    public var personaIndex: Int
    public var step: Int
    public var kind: Kind
    /// The 0-based questionnaire item answered (answers only).
    public var item: Int?
    /// The request as sent (omitted with --no-requests; `requestSHA256` always identifies it).
    public var request: ChatRequest?
    public var requestSHA256: String
    public var content: String?
    public var reasoning: String?
    public var finishReason: String?
    public var usage: TokenUsage?
    /// Per generated token, the server's top alternatives (when logprobs were asked for and returned).
    public var topLogprobs: [[TokenLogprob]]?
    public var latencyMS: Double
    public var attempts: Int
    /// Set when the call finally failed; the other result fields are then absent.
    public var error: String?
    /// SVS steps are parsed while the session runs: the letter that entered the history…
    public var letter: String?
    /// …and whether it was a random fallback because no "(L)" was found.
    public var fallback: Bool?
    /// The request's messages as JSON when the engine already encoded them for the body; not part of the
    /// record's value (not coded, ignored by ==), only spares `jsonLine()` encoding them again.
    public var encodedMessages = EncodedBytes()

    enum CodingKeys: String, CodingKey {
        case session, context, step, kind, item, request, content, reasoning, usage, attempts, error, letter, fallback
        case personaIndex = "persona_index"
        case requestSHA256 = "request_sha256"
        case finishReason = "finish_reason"
        case latencyMS = "latency_ms"
        case topLogprobs = "top_logprobs"
    }

    public init(session: String, context: String, personaIndex: Int, step: Int, kind: Kind, item: Int? = nil,
                request: ChatRequest? = nil, requestSHA256: String, content: String? = nil, reasoning: String? = nil,
                finishReason: String? = nil, usage: TokenUsage? = nil, latencyMS: Double, attempts: Int,
                error: String? = nil, letter: String? = nil, fallback: Bool? = nil) {
        self.session = session
        self.context = context
        self.personaIndex = personaIndex
        self.step = step
        self.kind = kind
        self.item = item
        self.request = request
        self.requestSHA256 = requestSHA256
        self.content = content
        self.reasoning = reasoning
        self.finishReason = finishReason
        self.usage = usage
        self.latencyMS = latencyMS
        self.attempts = attempts
        self.error = error
        self.letter = letter
        self.fallback = fallback
    }

    public var result: ChatResult? {
        error == nil ? ChatResult(content: content, reasoning: reasoning, finishReason: finishReason, usage: usage,
                                  topLogprobs: topLogprobs) : nil
    }
}

/// Bytes carried along as a cache: every two values are equal, so they never change a record's identity.
public struct EncodedBytes: Hashable, Sendable {
    public var bytes: [UInt8]?
    public init(_ bytes: [UInt8]? = nil) { self.bytes = bytes }
    public static func == (a: EncodedBytes, b: EncodedBytes) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}

extension ResponseRecord {
    /// The record as one JSON line (without the newline), byte-identical to StickJSON.encoder()'s output;
    /// hand-written because query writes one per call (a test compares the two).
    public func jsonLine() -> [UInt8] {
        var json = JSONBytes(capacity: 512 + (request?.messages.reduce(0) { $0 + $1.content.utf8.count } ?? 0))
        json.beginObject()
        json.key("attempts"); json.int(attempts)
        if let content { json.key("content"); json.string(content) }
        json.key("context"); json.string(context)
        if let error { json.key("error"); json.string(error) }
        if let fallback { json.key("fallback"); json.bool(fallback) }
        if let finishReason { json.key("finish_reason"); json.string(finishReason) }
        if let item { json.key("item"); json.int(item) }
        json.key("kind"); json.string(kind.rawValue)
        json.key("latency_ms"); json.double(latencyMS)
        if let letter { json.key("letter"); json.string(letter) }
        json.key("persona_index"); json.int(personaIndex)
        if let reasoning { json.key("reasoning"); json.string(reasoning) }
        if let request { json.key("request"); request.writeJSON(into: &json, messagesJSON: encodedMessages.bytes) }
        json.key("request_sha256"); json.string(requestSHA256)
        json.key("session"); json.string(session)
        json.key("step"); json.int(step)
        if let topLogprobs {
            json.key("top_logprobs")
            json.beginArray()
            for position in topLogprobs {
                json.beginArray()
                for alternative in position {
                    json.beginObject()
                    json.key("logprob"); json.double(alternative.logprob)
                    json.key("token"); json.string(alternative.token)
                    json.endObject()
                }
                json.endArray()
            }
            json.endArray()
        }
        if let usage {
            json.key("usage")
            json.beginObject()
            json.key("completion_tokens"); json.int(usage.completionTokens)
            json.key("prompt_tokens"); json.int(usage.promptTokens)
            json.endObject()
        }
        json.endObject()
        return json.bytes
    }
}
