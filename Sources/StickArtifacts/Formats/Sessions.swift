// The sessions artifact: one record per (context, persona) with everything `query` needs and nothing
// model-specific, so one sessions file serves every model (written by gen-prompts, read by query and parse).
import Foundation

public let optionLetters: [String] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".map { String($0) }

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
    /// The item string: text followed by "\n(L) option" per letter (StickGenPrompts/README.md §3).
    public var prompt: String

    public init(index: Int, text: String, letters: [String], permutation: [Int], options: [String], scores: [Int], prompt: String) {
        self.index = index
        self.text = text
        self.letters = letters
        self.permutation = permutation
        self.options = options
        self.scores = scores
        self.prompt = prompt
    }
}

public struct InterlocutorPlan: Codable, Hashable, Sendable {
    /// "human" or "persona".
    public var kind: String
    public var persona: Persona?
    /// Which interlocutor set and entry the persona came from.
    public var set: String?
    public var index: Int?
    /// The interlocutor's system prompt S (StickGenPrompts/README.md §5).
    public var prompt: String

    public init(kind: String, persona: Persona? = nil, set: String? = nil, index: Int? = nil, prompt: String) {
        self.kind = kind
        self.persona = persona
        self.set = set
        self.index = index
        self.prompt = prompt
    }
}

public struct ConversationPlan: Codable, Hashable, Sendable {
    public var turns: Int
    public var opening: String
    /// The opener set and line when the opening came from one.
    public var openerSet: String?
    public var openerIndex: Int?
    public var interlocutor: InterlocutorPlan

    public init(turns: Int, opening: String, openerSet: String? = nil, openerIndex: Int? = nil, interlocutor: InterlocutorPlan) {
        self.turns = turns
        self.opening = opening
        self.openerSet = openerSet
        self.openerIndex = openerIndex
        self.interlocutor = interlocutor
    }

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

    public init(id: String, context: String, personaIndex: Int, persona: Persona, personaPrompt: String, instrument: String, procedure: Procedure, instructions: String, permutationSeed: String, conversation: ConversationPlan? = nil, items: [SessionItem], values: [ValueKey], svs: SVSProcedureSpec? = nil, calls: Int) {
        self.id = id
        self.context = context
        self.personaIndex = personaIndex
        self.persona = persona
        self.personaPrompt = personaPrompt
        self.instrument = instrument
        self.procedure = procedure
        self.instructions = instructions
        self.permutationSeed = permutationSeed
        self.conversation = conversation
        self.items = items
        self.values = values
        self.svs = svs
        self.calls = calls
    }

    enum CodingKeys: String, CodingKey {
        case id, context, persona, instrument, procedure, instructions, conversation, items, values, svs, calls
        case personaIndex = "persona_index"
        case personaPrompt = "persona_prompt"
        case permutationSeed = "permutation_seed"
    }
}

extension SessionRecord {
    /// Bounds that no real design comes near; beyond them a record is refused rather than run.
    public static let maxCalls = 1 << 20
    public static let maxTurns = 10_000

    /// What makes this record unusable by `query` and `parse` (which index items, letters and SVS
    /// groups by the numbers it holds), or nil when it is consistent: items numbered 0, 1, … in order,
    /// as many letters as options and scores, SVS groups naming distinct items, and `calls` equal to
    /// the calls the record implies.
    public func inconsistency() -> String? {
        guard (1...Self.maxCalls).contains(calls) else { return "has \(calls) calls (1 to \(Self.maxCalls))" }
        guard items.count <= Self.maxCalls else { return "has \(items.count) items (at most \(Self.maxCalls))" }
        for (position, item) in items.enumerated() {
            guard item.index == position else { return "item \(position) has index \(item.index); items must be numbered 0, 1, … in order" }
            let n = item.letters.count
            guard n >= 1, n <= optionLetters.count else { return "item \(position) has \(n) letters (1 to \(optionLetters.count))" }
            guard item.permutation.count == n, item.options.count == n, item.scores.count == n else {
                return "item \(position) has \(n) letters but \(item.permutation.count) permutation entries, "
                    + "\(item.options.count) options and \(item.scores.count) scores"
            }
            guard Set(item.letters).count == n else { return "item \(position) repeats a letter" }
        }
        for value in values {
            if let bad = value.items.first(where: { $0 < 1 || $0 > items.count }) {
                return "value '\(value.name)' names item \(bad); items are 1 to \(items.count)"
            }
        }
        let turns = conversation?.turns ?? 0
        guard (0...Self.maxTurns).contains(turns) else { return "has \(turns) conversation turns (0 to \(Self.maxTurns))" }
        var choiceCalls = 0
        switch procedure {
        case .independent: break
        case .svs:
            guard let svs, !svs.groups.isEmpty else { return "uses the svs procedure without svs groups" }
            guard let ratingLetters = items.first?.letters.count, items.allSatisfy({ $0.letters.count == ratingLetters }) else {
                return "svs items must all have the same rating letters"
            }
            var used = Set<Int>()
            for group in svs.groups {
                guard group.items.count >= 2, group.items.count <= optionLetters.count else {
                    return "svs group '\(group.name)' has \(group.items.count) items (2 to \(optionLetters.count))"
                }
                for i in group.items {
                    guard i >= 1, i <= items.count else { return "svs group '\(group.name)' names item \(i); items are 1 to \(items.count)" }
                    guard used.insert(i).inserted else { return "svs item \(i) appears twice in the groups" }
                }
            }
            guard used.count == items.count else { return "svs groups cover \(used.count) of its \(items.count) items" }
            choiceCalls = 2 * svs.groups.count
        }
        let expected = turns + items.count + choiceCalls
        guard calls == expected else { return "says calls = \(calls), but its turns, items and svs groups make \(expected)" }
        return nil
    }
}
