// The reference's baseline model, made deterministic: conversation turns get the reference's filler
// text; questionnaire items get a uniformly random letter drawn from a seed, the session and the step
// (the reference draws from unseeded global state and, in its current code, crashes; StickQuery/README.md §6).
import StickArtifacts
import StickRandom

public struct DummyBackend: ChatBackend {
    public static let filler = "Dummy simulated message. This is a filler message it same some extra text so as to help estimate the number of tokens. As the gpt generations is set to 100 tokens max. Here we aim to also 100 tokens message. I am repeating it now. This is a filler message it same some extra text so as to help estimate the number of tokens. As the gpt generations is set to 100 tokens max. Here we aim to also 100 tokens message."

    public let seed: Int

    public init(seed: Int) { self.seed = seed }

    public func complete(_ request: ChatRequest, context: RequestContext) async throws -> ChatResult {
        guard let letters = context.answerLetters, !letters.isEmpty else {
            return ChatResult(content: Self.filler, finishReason: "stop")
        }
        var rng = PythonRandom(seed: "dummy#\(seed)#\(context.sessionID)#\(context.step)")
        return ChatResult(content: "(\(letters[rng.randbelow(letters.count)]))", finishReason: "stop")
    }

    public func shutdown() async {}
}
