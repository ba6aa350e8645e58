// Sessions records decoded by hand (JSONScanner): `query` reads every session twice (a survey, then the
// run), and JSONDecoder was most of its JSON decoding time. Anything but the plain shape gen-prompts
// writes falls back to JSONDecoder (FastDecodable), so what is accepted and how errors read is unchanged;
// a test checks that both decoders agree.

/// A record type with a hand-written decoder for its usual shape; `JSONLReader` tries it first.
public protocol FastDecodable: Decodable {
    /// The record, or nil when `json` is anything but the plain shape (JSONDecoder then decides).
    static func fastDecode(_ json: UnsafeBufferPointer<UInt8>) -> Self?
}

extension SessionRecord: FastDecodable {
    public static func fastDecode(_ json: UnsafeBufferPointer<UInt8>) -> SessionRecord? {
        JSONScanner.decode(json) { try SessionRecord(scanning: &$0) }
    }

    private static let keys = JSONScanner.Keys(["id", "context", "persona_index", "persona", "persona_prompt", "instrument",
                                                "procedure", "instructions", "permutation_seed", "conversation", "items",
                                                "values", "svs", "calls"])

    init(scanning s: inout JSONScanner) throws {
        var id: String?, context: String?, personaIndex: Int?, persona: Persona?, personaPrompt: String?
        var instrument: String?, procedure: Procedure?, instructions: String?, permutationSeed: String?
        var conversation: ConversationPlan?, items: [SessionItem]?, values: [ValueKey]?, svs: SVSProcedureSpec?
        var calls: Int?
        try s.object(Self.keys) { s, key in
            switch key {
            case 0: id = try s.string()
            case 1: context = try s.string()
            case 2: personaIndex = try s.int()
            case 3: persona = try Persona(scanning: &s)
            case 4: personaPrompt = try s.string()
            case 5: instrument = try s.string()
            case 6:
                guard let p = Procedure(rawValue: try s.string()) else { throw JSONScanner.Unsupported() }
                procedure = p
            case 7: instructions = try s.string()
            case 8: permutationSeed = try s.string()
            case 9: conversation = s.null() ? nil : try ConversationPlan(scanning: &s)
            case 10: items = try s.array { try SessionItem(scanning: &$0) }
            case 11: values = try s.array { try ValueKey(scanning: &$0) }
            case 12: svs = s.null() ? nil : try SVSProcedureSpec(scanning: &s)
            default: calls = try s.int()
            }
        }
        guard let id, let context, let personaIndex, let persona, let personaPrompt, let instrument, let procedure,
              let instructions, let permutationSeed, let items, let values, let calls else { throw JSONScanner.Unsupported() }
        self.init(id: id, context: context, personaIndex: personaIndex, persona: persona, personaPrompt: personaPrompt,
                  instrument: instrument, procedure: procedure, instructions: instructions, permutationSeed: permutationSeed,
                  conversation: conversation, items: items, values: values, svs: svs, calls: calls)
    }
}

extension SessionItem {
    private static let keys = JSONScanner.Keys(["index", "text", "letters", "permutation", "options", "scores", "prompt"])

    init(scanning s: inout JSONScanner) throws {
        var index: Int?, text: String?, letters: [String]?, permutation: [Int]?, options: [String]?, scores: [Int]?
        var prompt: String?
        try s.object(Self.keys) { s, key in
            switch key {
            case 0: index = try s.int()
            case 1: text = try s.string()
            case 2: letters = try s.strings()
            case 3: permutation = try s.ints()
            case 4: options = try s.strings()
            case 5: scores = try s.ints()
            default: prompt = try s.string()
            }
        }
        guard let index, let text, let letters, let permutation, let options, let scores, let prompt else {
            throw JSONScanner.Unsupported()
        }
        self.init(index: index, text: text, letters: letters, permutation: permutation, options: options, scores: scores,
                  prompt: prompt)
    }
}

extension Persona {
    private static let keys = JSONScanner.Keys(["name", "description", "gender"])

    init(scanning s: inout JSONScanner) throws {
        var name: String?, description: String?, gender: String?
        try s.object(Self.keys) { s, key in
            switch key {
            case 0: name = try s.string()
            case 1: description = try s.string()
            default: gender = try s.string()
            }
        }
        guard let name, let description, let gender else { throw JSONScanner.Unsupported() }
        self.init(name: name, description: description, gender: gender)
    }
}

extension ValueKey {
    private static let keys = JSONScanner.Keys(["name", "items"])

    init(scanning s: inout JSONScanner) throws {
        var name: String?, items: [Int]?
        try s.object(Self.keys) { s, key in
            if key == 0 { name = try s.string() } else { items = try s.ints() }
        }
        guard let name, let items else { throw JSONScanner.Unsupported() }
        self.init(name: name, items: items)
    }
}

extension ConversationPlan {
    private static let keys = JSONScanner.Keys(["turns", "opening", "opener_set", "opener_index", "interlocutor"])

    init(scanning s: inout JSONScanner) throws {
        var turns: Int?, opening: String?, openerSet: String?, openerIndex: Int?, interlocutor: InterlocutorPlan?
        try s.object(Self.keys) { s, key in
            switch key {
            case 0: turns = try s.int()
            case 1: opening = try s.string()
            case 2: openerSet = s.null() ? nil : try s.string()
            case 3: openerIndex = s.null() ? nil : try s.int()
            default: interlocutor = try InterlocutorPlan(scanning: &s)
            }
        }
        guard let turns, let opening, let interlocutor else { throw JSONScanner.Unsupported() }
        self.init(turns: turns, opening: opening, openerSet: openerSet, openerIndex: openerIndex, interlocutor: interlocutor)
    }
}

extension InterlocutorPlan {
    private static let keys = JSONScanner.Keys(["kind", "persona", "set", "index", "prompt"])

    init(scanning s: inout JSONScanner) throws {
        var kind: String?, persona: Persona?, set: String?, index: Int?, prompt: String?
        try s.object(Self.keys) { s, key in
            switch key {
            case 0: kind = try s.string()
            case 1: persona = s.null() ? nil : try Persona(scanning: &s)
            case 2: set = s.null() ? nil : try s.string()
            case 3: index = s.null() ? nil : try s.int()
            default: prompt = try s.string()
            }
        }
        guard let kind, let prompt else { throw JSONScanner.Unsupported() }
        self.init(kind: kind, persona: persona, set: set, index: index, prompt: prompt)
    }
}

extension SVSProcedureSpec {
    private static let keys = JSONScanner.Keys(["groups", "rest_instruction", "chosen_prefix", "chosen_suffix"])

    init(scanning s: inout JSONScanner) throws {
        var groups: [SVSGroup]?, restInstruction: String?, chosenPrefix: String?, chosenSuffix: String?
        try s.object(Self.keys) { s, key in
            switch key {
            case 0: groups = try s.array { try SVSGroup(scanning: &$0) }
            case 1: restInstruction = try s.string()
            case 2: chosenPrefix = try s.string()
            default: chosenSuffix = try s.string()
            }
        }
        guard let groups, let restInstruction, let chosenPrefix, let chosenSuffix else { throw JSONScanner.Unsupported() }
        self.init(groups: groups, restInstruction: restInstruction, chosenPrefix: chosenPrefix, chosenSuffix: chosenSuffix)
    }
}

extension SVSGroup {
    private static let keys = JSONScanner.Keys(["name", "items", "description", "prefix_most", "prefix_least"])

    init(scanning s: inout JSONScanner) throws {
        var name: String?, items: [Int]?, description: String?, prefixMost: String?, prefixLeast: String?
        try s.object(Self.keys) { s, key in
            switch key {
            case 0: name = try s.string()
            case 1: items = try s.ints()
            case 2: description = try s.string()
            case 3: prefixMost = try s.string()
            default: prefixLeast = try s.string()
            }
        }
        guard let name, let items, let description, let prefixMost, let prefixLeast else { throw JSONScanner.Unsupported() }
        self.init(name: name, items: items, description: description, prefixMost: prefixMost, prefixLeast: prefixLeast)
    }
}
