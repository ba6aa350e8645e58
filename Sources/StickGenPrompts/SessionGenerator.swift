// Builds session records from a dataset and a design, exactly as the reference builds its prompts
import Foundation
// (StickGenPrompts/README.md §1, §3–5): Python-seeded permutations with the stride quirk, lettered option strings,
// interlocutor prompts and conversation openers.
import StickArtifacts
import StickDataset
import StickRandom


/// Which sessions to generate.
public struct SessionSelection: Sendable, Equatable {
    public var contexts: [String]?
    public var personas: Set<Int>?
    /// 1-based shard number and shard count: session j (0-based, after filtering) goes to shard j % count + 1.
    public var shard: (index: Int, count: Int)?

    public init(contexts: [String]? = nil, personas: Set<Int>? = nil, shard: (index: Int, count: Int)? = nil) {
        self.contexts = contexts
        self.personas = personas
        self.shard = shard
    }

    public static func == (a: SessionSelection, b: SessionSelection) -> Bool {
        a.contexts == b.contexts && a.personas == b.personas && a.shard?.index == b.shard?.index
            && a.shard?.count == b.shard?.count
    }

    /// Parses "0-4,7,10-12" into indices.
    public static func parseIndices(_ text: String) throws -> Set<Int> {
        var out = Set<Int>()
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", maxSplits: 1).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            switch bounds.count {
            case 1:
                guard let v = bounds[0], v >= 0 else { throw StickError("invalid persona index '\(part)'") }
                out.insert(v)
            case 2:
                guard let a = bounds[0], let b = bounds[1], a >= 0, a <= b else {
                    throw StickError("invalid persona range '\(part)' (expected A-B with A ≤ B)")
                }
                out.formUnion(a...b)
            default:
                throw StickError("invalid persona selection '\(part)'")
            }
        }
        guard !out.isEmpty else { throw StickError("empty persona selection") }
        return out
    }

    /// Parses "K/N" with 1 ≤ K ≤ N.
    public static func parseShard(_ text: String) throws -> (index: Int, count: Int) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else {
            throw StickError("invalid shard '\(text)': expected K/N with 1 ≤ K ≤ N, e.g. 2/8")
        }
        return (k, n)
    }
}

public enum SessionGenerator {
    static let sentenceRule = "Your every reply must be in one sentence only."

    /// The interlocutor's system prompt S for a chat model (StickGenPrompts/README.md §5).
    public static func interlocutorPrompt(interlocutor: Persona?, persona: Persona, knowsPersona: Bool,
                                          longMessages: Bool) -> String {
        let base = interlocutor.map { "You are simulating \($0.description)" } ?? "You are simulating a human using a chatbot."
        let knows = knowsPersona ? "The chatbot is pretending to be \(persona.name). " : ""
        return base + " " + knows + (longMessages ? "" : sentenceRule)
    }

    /// The item string I: text + "\n(L) option" for each letter in shown order.
    public static func itemPrompt(text: String, letters: [String], options: [String]) -> String {
        var s = text
        for (l, o) in zip(letters, options) { s += "\n(\(l)) \(o)" }
        return s
    }

    /// Generates the selected sessions in design order (contexts, then personas), calling `emit` for each.
    public static func generate(dataset: Dataset, design: Design, selection: SessionSelection = .init(),
                                emit: (SessionRecord) throws -> Void) throws {
        let population = try dataset.population(design.population)
        let contexts = try selectedContexts(design: design, selection: selection)
        if let personas = selection.personas, let bad = personas.first(where: { $0 >= population.personas.count }) {
            throw StickError("persona \(bad) does not exist: the population '\(population.id)' has \(population.personas.count) personas (0-\(population.personas.count - 1))")
        }
        var ordinal = 0
        for context in contexts {
            let instrument = try dataset.instrument(context.instrument)
            let n = instrument.optionScores.count
            guard n <= 9 else {
                throw StickError("instrument '\(instrument.id)' has \(n) options; the reference's permutations support at most 9")
            }
            let q = instrument.itemCount
            // Permutations depend on the whole population, whatever the selection.
            let permutations = Permutations.reference(seed: context.permutationSeed, optionCount: n, questions: q,
                                                      participants: population.personas.count)
            let openers = try context.conversation?.openers.map { try dataset.openers($0) }
            let interlocutors = try context.conversation?.interlocutors.map { try dataset.interlocutors($0) }
            if let openers, openers.count < population.personas.count {
                throw StickError("context '\(context.id)': opener set '\(context.conversation!.openers!)' has \(openers.count) openers for \(population.personas.count) personas")
            }
            if let interlocutors, interlocutors.population != population.id {
                throw StickError("context '\(context.id)': interlocutor set '\(interlocutors.id)' belongs to population '\(interlocutors.population)', not '\(population.id)'")
            }
            for (p, persona) in population.personas.enumerated() {
                if let chosen = selection.personas, !chosen.contains(p) { continue }
                defer { ordinal += 1 }
                if let shard = selection.shard, ordinal % shard.count != shard.index - 1 { continue }
                try emit(session(context: context, instrument: instrument, persona: persona, index: p,
                                 permutations: permutations[p], openers: openers, interlocutors: interlocutors))
            }
        }
    }

    static func selectedContexts(design: Design, selection: SessionSelection) throws -> [ContextSpec] {
        guard let wanted = selection.contexts else { return design.contexts }
        let known = Set(design.contexts.map(\.id))
        if let unknown = wanted.first(where: { !known.contains($0) }) {
            throw StickError("design '\(design.name)' has no context '\(unknown)'; it has: "
                + design.contexts.map(\.id).joined(separator: ", "))
        }
        let set = Set(wanted)
        return design.contexts.filter { set.contains($0.id) }
    }

    static func session(context: ContextSpec, instrument: Instrument, persona: Persona, index p: Int,
                        permutations: [[Int]], openers: [Opener]?, interlocutors: InterlocutorSet?) throws -> SessionRecord {
        let questionnaire = try instrument.items(for: persona)
        let items = questionnaire.enumerated().map { (q, item) -> SessionItem in
            let perm = permutations[q]
            let letters = Array(optionLetters.prefix(perm.count))
            let shown = perm.map { item.options[$0] }
            return SessionItem(index: q, text: item.text, letters: letters, permutation: perm, options: shown,
                               scores: perm.map { instrument.optionScores[$0] },
                               prompt: itemPrompt(text: item.text, letters: letters, options: shown))
        }
        var conversation: ConversationPlan?
        if let spec = context.conversation {
            let interlocutor = interlocutors?.personas[p]
            let plan = InterlocutorPlan(
                kind: interlocutor == nil ? "human" : "persona", persona: interlocutor, set: interlocutors?.id,
                index: interlocutor == nil ? nil : p,
                prompt: interlocutorPrompt(interlocutor: interlocutor, persona: persona,
                                           knowsPersona: spec.interlocutorKnowsPersona ?? false,
                                           longMessages: spec.longMessages ?? false))
            conversation = ConversationPlan(
                turns: spec.turns, opening: spec.opening ?? openers![p].text, openerSet: spec.openers,
                openerIndex: spec.openers == nil ? nil : p, interlocutor: plan)
        }
        let choiceCalls = instrument.procedure == .svs ? 2 * (instrument.svs?.groups.count ?? 0) : 0
        return SessionRecord(
            id: "\(context.id)/\(p)", context: context.id, personaIndex: p, persona: persona,
            personaPrompt: "You are " + persona.description, instrument: instrument.id,
            procedure: instrument.procedure, instructions: instrument.instructions,
            permutationSeed: context.permutationSeed, conversation: conversation, items: items,
            values: instrument.values, svs: instrument.svs,
            calls: (conversation?.turns ?? 0) + items.count + choiceCalls)
    }
}
