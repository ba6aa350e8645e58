// Message construction exactly as the reference (StickQuery/README.md §1–2): construct_messages,
// fix_alternating, the conversation role assignment.
import StickArtifacts
import StickBackends

public enum Prompting {
    /// `fix_alternating`: an empty user turn between a system prompt and an assistant turn, an "OK"
    /// assistant turn between two leading user turns.
    public static func fixAlternating(_ messages: inout [ChatMessage]) {
        guard messages.count > 1 else { return }
        if messages[0].role == "system", messages[1].role == "assistant" {
            messages.insert(.user(""), at: 1)
        }
        if messages[0].role == "user", messages[1].role == "user" {
            messages.insert(.assistant("OK"), at: 1)
        }
    }

    /// `construct_messages(prompt, system_message, conv)` with `U = (D + "\n\n" if D) + I`.
    public static func construct(persona: String, systemMessage: Bool, conversation: [ChatMessage],
                                 description: String, item: String) -> [ChatMessage] {
        let u = (description.isEmpty ? "" : description + "\n\n") + item
        if systemMessage || !conversation.isEmpty {
            var messages: [ChatMessage] = []
            if !persona.isEmpty { messages.append(ChatMessage(role: systemMessage ? "system" : "user", content: persona)) }
            messages += conversation
            messages.append(.user(u))
            if !systemMessage { fixAlternating(&messages) }
            return messages
        }
        return [.user((persona.isEmpty ? "" : persona + "\n\n") + u)]
    }

    /// The messages for conversation turn `turn` (0-based): even turns are the persona's, odd ones the
    /// interlocutor's. Roles are assigned backwards so the last message is the user's.
    public static func conversationTurn(turn: Int, texts: [String], persona: String, interlocutor: String,
                                        systemMessage: Bool) -> [ChatMessage] {
        let prompt = turn % 2 == 0 ? persona : interlocutor
        var messages = [ChatMessage(role: systemMessage ? "system" : "user", content: prompt)]
        for (j, text) in texts.enumerated() {
            messages.append(ChatMessage(role: (texts.count - 1 - j) % 2 == 0 ? "user" : "assistant", content: text))
        }
        fixAlternating(&messages)
        return messages
    }

    /// The finished conversation as the persona remembers it: opening (user), replies alternating.
    public static func conversationHistory(_ texts: [String]) -> [ChatMessage] {
        texts.enumerated().map { ChatMessage(role: $0.offset % 2 == 0 ? "user" : "assistant", content: $0.element) }
    }

    /// The choices string: "\n(L) option" for each option.
    public static func choices(_ options: [String], letters: [String]) -> String {
        zip(letters, options).map { "\n(\($0)) \($1)" }.joined()
    }
}
