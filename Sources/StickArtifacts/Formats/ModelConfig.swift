// Model configs: which backend answers, how prompts are shaped for it (system role, CoT, reasoning
// split) and the generation parameters of conversation turns and answers. YAML or JSON. Only `name`,
// `backend`, `model` (and `endpoints` for a server) are needed: every other field defaults to what the
// reference sends (StickQuery/README.md §4).
import Foundation
import Yams

public struct ModelConfig: Codable, Hashable, Sendable {
    public enum Backend: String, Codable, Sendable { case openai, dummy, simulator, replay }
    /// How reasoning is separated from the answer (StickQuery/README.md §4).
    public enum Reasoning: String, Codable, Sendable, CaseIterable {
        /// Plain chat model: the whole content is the answer.
        case none
        /// `message.reasoning_content` holds the reasoning; if absent, split on `</think>`.
        case reasoningContent = "reasoning_content"
        /// Split the content on `</think>`.
        case thinkTag = "think_tag"
        /// The reference's RekaReasoningVllmModel: `message.reasoning_content`; if absent, the content after
        /// the single `</reasoning>`, up to its first `<sep>`.
        case reka
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
    /// The shell command that starts the server this config expects, e.g. the reference's `vllm serve …`
    /// line for a leaderboard model; `stick serve` runs it (`query` never does).
    public var serve: String?

    enum CodingKeys: String, CodingKey {
        case stick, version, name, backend, endpoints, model, cot, reasoning, conversation, answers, seed, retry, concurrency
        case simulator, replay, serve
        case apiKeyEnv = "api_key_env"
        case systemMessage = "system_message"
        case timeoutSeconds = "timeout_seconds"
        case endpointConcurrency = "endpoint_concurrency"
        case rateLimits = "rate_limits"
    }

    public init(name: String, backend: Backend, endpoints: [String]? = nil, model: String = "model", apiKeyEnv: String? = nil,
                systemMessage: Bool = true, cot: Bool = false, reasoning: Reasoning = .none,
                conversation: GenerationParameters? = nil, answers: GenerationParameters? = nil, seed: Int? = nil, timeoutSeconds: Double? = nil,
                retry: RetryPolicy? = nil, concurrency: Int? = nil, simulator: SimulatorSettings? = nil,
                replay: [String]? = nil, serve: String? = nil) {
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
        self.conversation = conversation ?? Self.referenceConversation(reasoning: reasoning)
        self.answers = answers ?? Self.referenceAnswers(cot: cot, reasoning: reasoning)
        self.seed = seed
        self.timeoutSeconds = timeoutSeconds
        self.retry = retry
        self.concurrency = concurrency
        self.simulator = simulator
        self.replay = replay
        self.serve = serve
    }

    /// The reference's conversation-turn parameters: 0.7 and 100 tokens, 2000 for reasoning classes.
    public static func referenceConversation(reasoning: Reasoning) -> GenerationParameters {
        .init(temperature: 0.7, maxTokens: reasoning == .none ? 100 : 2000, n: 1)
    }

    /// The reference's answer parameters: temperature 0 and 10 tokens, 2000 with CoT or a reasoning split.
    public static func referenceAnswers(cot: Bool, reasoning: Reasoning) -> GenerationParameters {
        .init(temperature: 0, maxTokens: cot || reasoning != .none ? 2000 : 10)
    }

    /// Decodes a config; absent fields take the reference's values (see `init(name:…)`).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        stick = try c.decodeIfPresent(String.self, forKey: .stick) ?? "model"
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
        name = try c.decode(String.self, forKey: .name)
        backend = try c.decode(Backend.self, forKey: .backend)
        endpoints = try c.decodeIfPresent([String].self, forKey: .endpoints)
        model = try c.decode(String.self, forKey: .model)
        apiKeyEnv = try c.decodeIfPresent(String.self, forKey: .apiKeyEnv)
        systemMessage = try c.decodeIfPresent(Bool.self, forKey: .systemMessage) ?? true
        cot = try c.decodeIfPresent(Bool.self, forKey: .cot) ?? false
        reasoning = try c.decodeIfPresent(Reasoning.self, forKey: .reasoning) ?? .none
        conversation = try c.decodeIfPresent(GenerationParameters.self, forKey: .conversation)
            ?? Self.referenceConversation(reasoning: reasoning)
        answers = try c.decodeIfPresent(GenerationParameters.self, forKey: .answers)
            ?? Self.referenceAnswers(cot: cot, reasoning: reasoning)
        seed = try c.decodeIfPresent(Int.self, forKey: .seed)
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
        retry = try c.decodeIfPresent(RetryPolicy.self, forKey: .retry)
        concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency)
        endpointConcurrency = try c.decodeIfPresent(Int.self, forKey: .endpointConcurrency)
        rateLimits = try c.decodeIfPresent(RateLimits.self, forKey: .rateLimits)
        simulator = try c.decodeIfPresent(SimulatorSettings.self, forKey: .simulator)
        replay = try c.decodeIfPresent([String].self, forKey: .replay)
        serve = try c.decodeIfPresent(String.self, forKey: .serve)
    }

    /// The config in `path` and the sha256 of its bytes. `endpoints`, when given (`query --endpoint`), replace
    /// the config's own (the hash stays the file's: requests do not contain endpoints).
    public static func load(_ path: String, endpoints: [String]? = nil) throws -> (config: ModelConfig, sha256: String) {
        let data = try Inputs.readAll(path)
        return (try parse(data, file: path, endpoints: endpoints), SHA256Hex.of(data))
    }

    /// A config from the bytes of a YAML or JSON file, checked as `load` checks it; `file` names it in errors.
    public static func parse(_ data: Data, file path: String, endpoints override: [String]? = nil) throws -> ModelConfig {
        let text = String(decoding: data, as: UTF8.self)
        var config: ModelConfig
        do { config = try YAMLDecoder().decode(ModelConfig.self, from: text) } catch let e as YamlError {
            throw StickError("not valid YAML: \(e)", file: path)
        } catch {
            throw StickError(describeDecodingError(error), file: path)
        }
        try ArtifactKind.model.require(found: config.stick, version: config.version, file: path)
        if let override {
            guard config.backend == .openai else {
                throw StickError("--endpoint is for an openai backend; this config's backend is \(config.backend.rawValue)", file: path)
            }
            config.endpoints = override
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
        return config
    }

    /// Checks a base URL given on the command line (`query --endpoint`): http(s) with a host, as the schema's
    /// `endpoints` pattern asks, and no user info — a password in an argument shows in `ps` and in pipeline
    /// logs (the key belongs in the variable `api_key_env` names).
    public static func checkEndpoint(_ url: String) throws {
        let shown = Redaction.urls(in: url).debugDescription
        guard url.hasPrefix("http://") || url.hasPrefix("https://"),
              !url.contains(where: { $0.isWhitespace || $0.isNewline }),
              let parsed = URLComponents(string: url), let host = parsed.host, !host.isEmpty,
              parsed.port != nil || !(url.split(separator: "/", maxSplits: 3).dropFirst().first?.hasSuffix(":") ?? false) else {
            throw StickError("--endpoint must be an http:// or https:// base URL such as http://127.0.0.1:8000/v1, not \(shown)")
        }
        guard parsed.user == nil, parsed.password == nil else {
            throw StickError("--endpoint \(shown): credentials in the URL are refused (they would show in process lists and logs); "
                + "put the API key in the environment variable the config's api_key_env names")
        }
    }

    /// The suffix appended to the last user message of every questionnaire request (StickQuery/README.md §1).
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
