// What every backend implements: one attempt at a chat completion (the vocabulary is in StickArtifacts).
import Foundation
import StickArtifacts

/// A failed attempt, and whether trying again may help.
public struct BackendError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var retryable: Bool
    /// Seconds the server asked us to wait (Retry-After).
    public var retryAfter: Double?
    public var status: Int?
    /// The attempt broke off in transit (the connection was reset or closed under it, or a 200 came with a
    /// body that is not JSON): worth one more try at once, before any backoff (`completeWithRetries`).
    public var retryAtOnce: Bool
    /// Which of the backend's endpoints the attempt went to (backends with several endpoints).
    public var endpoint: Int?

    /// The message loses the credentials and queries of any URL in it: it goes into error records and logs.
    public init(_ message: String, retryable: Bool, retryAfter: Double? = nil, status: Int? = nil,
                retryAtOnce: Bool = false) {
        self.message = Redaction.urls(in: message)
        self.retryable = retryable
        self.retryAfter = retryAfter
        self.status = status
        self.retryAtOnce = retryable && retryAtOnce
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
    /// The request's wire bytes and their SHA-256 when the caller already encoded them (each call is
    /// encoded once: hashed for the record, sent by the backend).
    public var encodedBody: Data?
    public var requestSHA256: String?
    /// The endpoint to send to when it has room (a retry at once goes where its attempt broke off: on the
    /// deterministic fake server, another endpoint would see the same attempt number and fault the same way,
    /// and a real server keeps its prefix cache); nil: the backend chooses.
    public var endpoint: Int?
    /// An endpoint to stay away from when another has room: where the previous attempt failed (a backed-off
    /// retry goes elsewhere when it can; the least-loaded choice would send it back to the first endpoint
    /// whenever the loads are even, as at the end of a run).
    public var avoidEndpoint: Int?

    public init(sessionID: String, context: String, personaIndex: Int, step: Int, answerLetters: [String]? = nil,
                item: Int? = nil, letterScores: [Int]? = nil, itemValue: String? = nil, choiceValues: [String?]? = nil,
                choiceMost: Bool? = nil, encodedBody: Data? = nil, requestSHA256: String? = nil) {
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
        self.encodedBody = encodedBody
        self.requestSHA256 = requestSHA256
    }
}
