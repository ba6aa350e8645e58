// A statistical persona model for demos and calibration (not an LLM). Each persona has a latent
// profile over Schwartz's ten values with the circumplex structure: value v sits at angle φ_v on the
// circle, and persona p has a motivational direction α_p, so θ_pv = cos(φ_v − α_p) + u·ε_pv.
// A context replaces the profile by θᶜ_pv = √s·θ_pv + √(1−s)·δᶜ_pv, where δᶜ is an independent profile
// of the same kind: profiles of two contexts correlate by about s (the configured stability), and at
// s = 0 they are unrelated, so measured Rank-Order stability is ≈ 0. A rating item of value v is
// answered with the option whose score is nearest to centre + spread·(θᶜ_pv + e·ε); SVS choices take
// the candidate with the highest (or lowest) latent value. Everything is drawn from Python-compatible
// generators seeded by (seed, persona, context, item), so a run is reproducible and order-free.
import Foundation
import StickArtifacts
import StickRandom

public struct SimulatorBackend: ChatBackend {
    /// Schwartz's circular order; other value names fall back to a position derived from their hash.
    public static let circle = ["Self-Direction", "Stimulation", "Hedonism", "Achievement", "Power", "Security",
                                "Conformity", "Tradition", "Benevolence", "Universalism"]
    public let settings: SimulatorSettings
    public let seed: Int

    public init(settings: SimulatorSettings, seed: Int) {
        self.settings = settings
        self.seed = seed
    }

    static func angle(_ value: String) -> Double {
        if let i = circle.firstIndex(of: value) { return 2 * Double.pi * Double(i) / Double(circle.count) }
        var rng = PythonRandom(seed: "angle#" + value)
        return 2 * Double.pi * rng.random()
    }

    static func normal(_ rng: inout PythonRandom) -> Double {
        let u1 = max(rng.random(), 1e-300), u2 = rng.random()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// One draw of the latent profile kind: circumplex position plus value-specific noise.
    func profile(_ tag: String, value: String) -> Double {
        var direction = PythonRandom(seed: "\(seed)#direction#\(tag)")
        let alpha = 2 * Double.pi * direction.random()
        var unique = PythonRandom(seed: "\(seed)#unique#\(tag)#\(value)")
        return cos(Self.angle(value) - alpha) + settings.uniqueness * Self.normal(&unique)
    }

    /// θᶜ_pv: the persona's stable profile mixed with a context-specific one.
    public func latent(persona: Int, context: String, value: String) -> Double {
        let s = min(1, max(0, settings.stability))
        return s.squareRoot() * profile("persona\(persona)", value: value)
            + (1 - s).squareRoot() * profile("persona\(persona)#context\(context)", value: value)
    }

    public func complete(_ request: ChatRequest, context: RequestContext) async throws -> ChatResult {
        guard let letters = context.answerLetters, !letters.isEmpty else {
            return ChatResult(content: "Simulated reply.", finishReason: "stop")
        }
        if let candidates = context.choiceValues {
            // SVS value choice: the most (or least) important candidate.
            let scored = candidates.enumerated().map { i, v in
                (i, v.map { latent(persona: context.personaIndex, context: context.context, value: $0) } ?? 0)
            }
            let pick = context.choiceMost == false ? scored.min { $0.1 < $1.1 }! : scored.max { $0.1 < $1.1 }!
            return ChatResult(content: "(\(letters[pick.0]))", finishReason: "stop")
        }
        guard let scores = context.letterScores, scores.count == letters.count else {
            return ChatResult(content: "(\(letters[0]))", finishReason: "stop")
        }
        var noise = PythonRandom(seed: "\(seed)#answer#\(context.personaIndex)#\(context.context)#\(context.item ?? -1)")
        let theta = context.itemValue.map { latent(persona: context.personaIndex, context: context.context, value: $0) } ?? 0
        let low = Double(scores.min()!), high = Double(scores.max()!)
        let target = (low + high) / 2 + (high - low) / 4 * (theta + settings.itemNoise * Self.normal(&noise))
        let best = scores.indices.min { abs(Double(scores[$0]) - target) < abs(Double(scores[$1]) - target) }!
        return ChatResult(content: "(\(letters[best]))", finishReason: "stop")
    }

    public func shutdown() async {}
}
