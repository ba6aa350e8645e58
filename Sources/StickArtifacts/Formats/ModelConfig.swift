// Model configs: which backend answers, how prompts are shaped for it (system role, CoT, reasoning
// split) and the generation parameters of conversation turns and answers. YAML or JSON.
import Foundation
import Yams

public struct ModelConfig: Codable, Hashable, Sendable {
    public enum Backend: String, Codable, Sendable { case openai, dummy, simulator, replay }
    /// How reasoning is separated from the answer (protocol.md §7).
    public enum Reasoning: String, Codable, Sendable, CaseIterable {
        /// Plain chat model: the whole content is the answer.
        case none
        /// `message.reasoning_content` holds the reasoning; if absent, split on `</think>`.
        case reasoningContent = "reasoning_content"
        /// Split the content on `</think>`.
        case thinkTag = "think_tag"
    }

    public var stick: String
    public var version: Int
    /// The name models are reported under (like the reference's engine name).
    public var name: String
    public var backend: Backend
    /// Base URLs (ending in /v1); several spread the load. Defaults to $OPENAI_BASE_URL.
    public var endpoints: [String]?
    /// The model id sent in requests (`model` for the reference's vLLM servers).
    public var model: String
    /// The environment variable holding the API key (never the key itself).
    public var apiKeyEnv: String?
    /// Whether the model has a system role; without one the persona goes into a user message.
    public var systemMessage: Bool
    /// Chain-of-thought suffix and parsing ("Answer: (X)").
    public var cot: Bool
    public var reasoning: Reasoning
    public var conversation: GenerationParameters
    public var answers: GenerationParameters
    public var seed: Int?
    public var timeoutSeconds: Double?
    public var retry: RetryPolicy?
    /// Requests in flight at once (all endpoints together).
    public var concurrency: Int?
    /// Requests in flight per endpoint at most.
    public var endpointConcurrency: Int?
    /// Requests and tokens per minute at most (all endpoints together).
    public var rateLimits: RateLimits?
    /// The `simulator` backend's persona model.
    public var simulator: SimulatorSettings?
    /// The `replay` backend's sources: responses artifacts whose recorded answers are served again.
    public var replay: [String]?

    enum CodingKeys: String, CodingKey {
        case stick, version, name, backend, endpoints, model, cot, reasoning, conversation, answers, seed, retry, concurrency
        case simulator, replay
        case apiKeyEnv = "api_key_env"
        case systemMessage = "system_message"
        case timeoutSeconds = "timeout_seconds"
        case endpointConcurrency = "endpoint_concurrency"
        case rateLimits = "rate_limits"
    }

    public init(name: String, backend: Backend, endpoints: [String]? = nil, model: String = "model", apiKeyEnv: String? = nil,
                systemMessage: Bool = true, cot: Bool = false, reasoning: Reasoning = .none,
                conversation: GenerationParameters = .init(temperature: 0.7, maxTokens: 100, n: 1),
                answers: GenerationParameters? = nil, seed: Int? = nil, timeoutSeconds: Double? = nil,
                retry: RetryPolicy? = nil, concurrency: Int? = nil, simulator: SimulatorSettings? = nil,
                replay: [String]? = nil) {
        stick = "model"
        version = 1
        self.name = name
        self.backend = backend
        self.endpoints = endpoints
        self.model = model
        self.apiKeyEnv = apiKeyEnv
        self.systemMessage = systemMessage
        self.cot = cot
        self.reasoning = reasoning
        self.conversation = conversation
        self.answers = answers ?? .init(temperature: 0, maxTokens: cot ? 2000 : 10)
        self.seed = seed
        self.timeoutSeconds = timeoutSeconds
        self.retry = retry
        self.concurrency = concurrency
        self.simulator = simulator
        self.replay = replay
    }

    public static func load(_ path: String) throws -> (config: ModelConfig, sha256: String) {
        let data = try Inputs.readAll(path)
        let text = String(decoding: data, as: UTF8.self)
        let config: ModelConfig
        do { config = try YAMLDecoder().decode(ModelConfig.self, from: text) } catch let e as YamlError {
            throw StickError("not valid YAML: \(e)", file: path)
        } catch {
            throw StickError(describeDecodingError(error), file: path)
        }
        guard config.stick == "model" else { throw StickError("expected `stick: model`, found '\(config.stick)'", file: path) }
        guard config.version == 1 else {
            throw StickError("model config version \(config.version) is not supported by \(stickToolName)", file: path)
        }
        if config.backend == .openai, (config.endpoints ?? []).isEmpty,
           ProcessInfo.processInfo.environment["OPENAI_BASE_URL"] == nil {
            throw StickError("an openai backend needs `endpoints` or $OPENAI_BASE_URL", file: path)
        }
        if config.backend == .simulator, config.simulator == nil {
            throw StickError("a simulator backend needs a `simulator: {stability: …}` block", file: path)
        }
        if config.backend == .replay, (config.replay ?? []).isEmpty {
            throw StickError("a replay backend needs `replay: [responses files]`", file: path)
        }
        return (config, SHA256Hex.of(data))
    }

    /// The suffix appended to the last user message of every questionnaire request (protocol.md §3.1).
    public var querySuffix: String {
        cot ? "\nThink step by step and then finish your answer with \"Answer: (X)\", where X is the letter of the option."
            : "\nReply ONLY with \"(X)\", where X is the letter of the option."
    }
}

/// How failed calls are retried (the policy; the retrying is StickBackends').
public struct RetryPolicy: Codable, Hashable, Sendable {
    public var maxAttempts: Int
    public var initialDelay: Double
    public var maxDelay: Double

    enum CodingKeys: String, CodingKey {
        case maxAttempts = "max_attempts"
        case initialDelay = "initial_delay"
        case maxDelay = "max_delay"
    }

    public init(maxAttempts: Int = 6, initialDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }
}

/// Requests and tokens per minute at most.
public struct RateLimits: Codable, Hashable, Sendable {
    public var requestsPerMinute: Double?
    public var tokensPerMinute: Double?

    enum CodingKeys: String, CodingKey {
        case requestsPerMinute = "requests_per_minute"
        case tokensPerMinute = "tokens_per_minute"
    }

    public init(requestsPerMinute: Double? = nil, tokensPerMinute: Double? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }
}

/// The `simulator` backend's persona model.
public struct SimulatorSettings: Codable, Hashable, Sendable {
    /// Cross-context stability s in [0, 1].
    public var stability: Double
    /// Weight u of value-specific noise in the latent profile.
    public var uniqueness: Double
    /// Standard deviation e of the per-answer noise.
    public var itemNoise: Double

    enum CodingKeys: String, CodingKey {
        case stability, uniqueness
        case itemNoise = "item_noise"
    }

    public init(stability: Double, uniqueness: Double = 0.5, itemNoise: Double = 0.5) {
        self.stability = stability
        self.uniqueness = uniqueness
        self.itemNoise = itemNoise
    }
}
