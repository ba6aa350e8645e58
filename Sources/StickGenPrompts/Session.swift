// The sessions artifact: one record per (context, persona) with everything `query` needs and nothing
// model-specific, so one sessions file serves every model.
import StickDataset

public struct SessionItem: Codable, Hashable, Sendable {
    /// 0-based item number in the questionnaire.
    public var index: Int
    public var text: String
    /// The letters shown, in order ("A"…).
    public var letters: [String]
    /// For each letter, the original option index it shows (the reference's letter→option dict).
    public var permutation: [Int]
    /// The option texts in shown order.
    public var options: [String]
    /// The score each letter earns.
    public var scores: [Int]
    /// The item string: text followed by "\n(L) option" per letter (protocol.md §3.1).
    public var prompt: String
}

public struct InterlocutorPlan: Codable, Hashable, Sendable {
    /// "human" or "persona".
    public var kind: String
    public var persona: Persona?
    /// Which interlocutor set and entry the persona came from.
    public var set: String?
    public var index: Int?
    /// The interlocutor's system prompt S (protocol.md §5).
    public var prompt: String
}

public struct ConversationPlan: Codable, Hashable, Sendable {
    public var turns: Int
    public var opening: String
    /// The opener set and line when the opening came from one.
    public var openerSet: String?
    public var openerIndex: Int?
    public var interlocutor: InterlocutorPlan

    enum CodingKeys: String, CodingKey {
        case turns, opening, interlocutor
        case openerSet = "opener_set"
        case openerIndex = "opener_index"
    }
}

public struct SessionRecord: Codable, Hashable, Sendable {
    public var id: String
    public var context: String
    public var personaIndex: Int
    public var persona: Persona
    /// "You are " + description.
    public var personaPrompt: String
    public var instrument: String
    public var procedure: Procedure
    /// The questionnaire description D.
    public var instructions: String
    public var permutationSeed: String
    public var conversation: ConversationPlan?
    public var items: [SessionItem]
    /// The value key (1-based items) used to score this session.
    public var values: [ValueKey]
    public var svs: SVSProcedureSpec?
    /// LLM calls this session takes: conversation turns + one per item (+ two choices per SVS group).
    public var calls: Int

    enum CodingKeys: String, CodingKey {
        case id, context, persona, instrument, procedure, instructions, conversation, items, values, svs, calls
        case personaIndex = "persona_index"
        case personaPrompt = "persona_prompt"
        case permutationSeed = "permutation_seed"
    }
}
