// How an answer letter is read from a response, the reference's rule (protocol.md §7–8), shared by
// query (SVS answers enter the conversation) and parse: the answer text (whole generation; for CoT the
// 40 characters after the single "Answer:"; for reasoning models the 40 characters after the
// reasoning), then a case-sensitive "(L)" substring test where the alphabetically earliest letter wins.
import Foundation

public enum AnswerParsing {
    /// The text that is searched for "(L)", or nil when the reference would record "error".
    public static func answerText(_ result: ChatResult, cot: Bool, reasoning: ModelConfig.Reasoning) -> String? {
        let content = result.content ?? ""
        switch reasoning {
        case .none:
            guard cot else { return content }
            let parts = content.components(separatedBy: "Answer:")
            guard parts.count == 2 else { return nil }
            return String(parts[1].prefix(40))
        case .reasoningContent, .thinkTag:
            if reasoning == .reasoningContent, result.reasoning != nil { return String(content.prefix(40)) }
            let parts = content.components(separatedBy: "</think>")
            guard parts.count == 2 else { return nil }
            return String(parts[1].prefix(40))
        }
    }

    /// The letters whose "(L)" occurs in `text`, in `letters` order (the reference's test).
    public static func matches(_ text: String?, letters: [String]) -> [String] {
        guard let text else { return [] }
        return letters.filter { text.contains("(\($0))") }
    }

    /// The letter the reference picks: among the letters whose "(L)" occurs, the earliest in `letters`.
    public static func matchLetter(_ text: String?, letters: [String]) -> String? { matches(text, letters: letters).first }

    /// The content a reasoning model's conversation turn keeps: after the reasoning, cropped to 400.
    public static func conversationText(_ result: ChatResult, reasoning: ModelConfig.Reasoning) -> String {
        guard let content = result.content else { return " " }
        switch reasoning {
        case .none: return content
        case .reasoningContent, .thinkTag:
            if reasoning == .reasoningContent, result.reasoning != nil { return String(content.prefix(400)) }
            let parts = content.components(separatedBy: "</think>")
            return String((parts.count == 2 ? parts[1] : content).prefix(400))
        }
    }
}
