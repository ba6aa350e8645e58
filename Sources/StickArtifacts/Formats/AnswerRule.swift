// How an answer letter is read from a response, the reference's rule (StickQuery/README.md §4–5), shared by
// query (SVS answers enter the conversation) and parse: the answer text (whole generation; for CoT the
// 40 characters after the single "Answer:"; for reasoning models the 40 characters after the
// reasoning), then a case-sensitive "(L)" substring test where the alphabetically earliest letter wins.
import Foundation

public enum AnswerParsing {
    /// The text that is searched for "(L)", or nil when the reference would record "error".
    public static func answerText(_ result: ChatResult, cot: Bool, reasoning: ModelConfig.Reasoning) -> String? {
        let content = result.content ?? ""
        guard reasoning == .none else { return reply(result, reasoning: reasoning).map { pythonPrefix($0, 40) } }
        guard cot else { return content }
        let parts = content.components(separatedBy: "Answer:")
        guard parts.count == 2 else { return nil }
        return pythonPrefix(parts[1], 40)
    }

    /// A reasoning model's reply without its reasoning: the content when the server separated the
    /// reasoning (`reasoning_content`), else the content after the single closing tag. Zero or several
    /// tags give nil — the reference's "error" (StickQuery/README.md §4) — so an unparsed thought never passes
    /// for a reply.
    public static func reply(_ result: ChatResult, reasoning: ModelConfig.Reasoning) -> String? {
        let content = result.content ?? ""
        switch reasoning {
        case .none: return content
        case .reasoningContent, .reka:
            if result.reasoning != nil { return content }
        case .thinkTag: break
        }
        let parts = content.components(separatedBy: reasoning == .reka ? "</reasoning>" : "</think>")
        guard parts.count == 2 else { return nil }
        return reasoning == .reka ? parts[1].components(separatedBy: "<sep>")[0] : parts[1]
    }

    /// The letters whose "(L)" occurs in `text`, in `letters` order (the reference's test).
    public static func matches(_ text: String?, letters: [String]) -> [String] {
        guard let text else { return [] }
        return letters.filter { text.contains("(\($0))") }
    }

    /// The letter the reference picks: among the letters whose "(L)" occurs, the earliest in `letters`.
    public static func matchLetter(_ text: String?, letters: [String]) -> String? { matches(text, letters: letters).first }

    /// The text a conversation turn leaves in the history: the content (a missing one becomes " ", as
    /// in the reference), for reasoning models the reply after the reasoning cropped to 400 characters,
    /// or "error" when the reasoning could not be separated (what the reference then sends on).
    public static func conversationText(_ result: ChatResult, reasoning: ModelConfig.Reasoning) -> String {
        guard let content = result.content else { return " " }
        guard reasoning != .none else { return content }
        return reply(result, reasoning: reasoning).map { pythonPrefix($0, 400) } ?? "error"
    }

    /// Python's `text[:n]`: the first n Unicode code points (Swift's `prefix` counts grapheme clusters,
    /// which differ for "\r\n" and combining marks).
    public static func pythonPrefix(_ text: String, _ n: Int) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(n)))
    }
}
