// Model configs become backends (the config format itself is in StickArtifacts).
import Foundation
import StickArtifacts
import StickBackends

extension ModelConfig {
    /// The backend this config names. The API key is read here, from the variable the config names.
    public func makeBackend(concurrencyOverride: Int? = nil) throws -> ChatBackend {
        switch backend {
        case .dummy:
            return DummyBackend(seed: seed ?? 0)
        case .simulator:
            return SimulatorBackend(settings: simulator ?? SimulatorSettings(stability: 0.5), seed: seed ?? 0)
        case .replay:
            var recorded: [String: ChatResult] = [:]
            for path in replay ?? [] {
                let reader = try JSONLReader<ResponseRecord>(path: path, kind: .responses)
                while let (_, r) = try reader.next() {
                    if let result = r.result { recorded[r.requestSHA256] = result }
                }
            }
            return ReplayBackend(recorded: recorded)
        case .openai:
            let env = ProcessInfo.processInfo.environment
            let urls = endpoints ?? env["OPENAI_BASE_URL"].map { [$0] } ?? []
            return OpenAIBackend(baseURLs: urls, apiKey: env[apiKeyEnv ?? "OPENAI_API_KEY"],
                                 timeoutSeconds: timeoutSeconds ?? 600,
                                 maxConnectionsPerHost: concurrencyOverride ?? concurrency ?? 32,
                                 perEndpointLimit: endpointConcurrency)
        }
    }
}
