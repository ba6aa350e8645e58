// The dataset artifact (dataset.json): instruments, populations, interlocutor sets, opener sets.
// Loading, importing and the demo live in StickDataset; the records live here so that every stage
// reads them through one type.
import Foundation

public struct Persona: Codable, Hashable, Sendable {
    public var name: String
    public var description: String
    public var gender: String

    public init(name: String, description: String, gender: String) {
        self.name = name
        self.description = description
        self.gender = gender
    }
}

public struct QuestionnaireItem: Codable, Hashable, Sendable {
    public var text: String
    /// Options in their original order (the order the scores refer to).
    public var options: [String]

    public init(text: String, options: [String]) {
        self.text = text
        self.options = options
    }
}

/// A value and the 1-based item numbers whose mean scores it.
public struct ValueKey: Codable, Hashable, Sendable {
    public var name: String
    public var items: [Int]

    public init(name: String, items: [Int]) {
        self.name = name
        self.items = items
    }
}

/// How the items of an instrument are asked.
public enum Procedure: String, Codable, Sendable {
    /// Every item alone, with no history of earlier answers (PVQ).
    case independent
    /// Schwartz Value Survey: per group, choose-and-rate the most and least important value, then the rest,
    /// with a running history (StickQuery/README.md §3).
    case svs
}

public struct SVSGroup: Codable, Hashable, Sendable {
    public var name: String
    /// 1-based item numbers, in the order they are shown.
    public var items: [Int]
    /// The group's text appended to the instrument instructions in the first query of the group.
    public var description: String
    public var prefixMost: String
    public var prefixLeast: String

    enum CodingKeys: String, CodingKey {
        case name, items, description
        case prefixMost = "prefix_most"
        case prefixLeast = "prefix_least"
    }

    public init(name: String, items: [Int], description: String, prefixMost: String, prefixLeast: String) {
        self.name = name
        self.items = items
        self.description = description
        self.prefixMost = prefixMost
        self.prefixLeast = prefixLeast
    }
}

public struct SVSProcedureSpec: Codable, Hashable, Sendable {
    public var groups: [SVSGroup]
    /// Put before the first remaining item of each group ("Now, rate the rest of the values.").
    public var restInstruction: String
    /// Before the chosen value in the rating step: `chosenPrefix + V + chosenSuffix`.
    public var chosenPrefix: String
    public var chosenSuffix: String

    enum CodingKeys: String, CodingKey {
        case groups
        case restInstruction = "rest_instruction"
        case chosenPrefix = "chosen_prefix"
        case chosenSuffix = "chosen_suffix"
    }

    public init(groups: [SVSGroup], restInstruction: String, chosenPrefix: String, chosenSuffix: String) {
        self.groups = groups
        self.restInstruction = restInstruction
        self.chosenPrefix = chosenPrefix
        self.chosenSuffix = chosenSuffix
    }
}

public struct Instrument: Codable, Hashable, Sendable {
    public var id: String
    public var name: String
    public var procedure: Procedure
    /// The questionnaire description put before an item ("D" in StickGenPrompts/README.md §3).
    public var instructions: String
    /// The numeric score of each original option index.
    public var optionScores: [Int]
    public var values: [ValueKey]
    /// Item texts per variant: a persona's `gender` selects its variant, `*` serves everyone else.
    public var variants: [String: [QuestionnaireItem]]
    public var svs: SVSProcedureSpec?

    enum CodingKeys: String, CodingKey {
        case id, name, procedure, instructions, values, variants, svs
        case optionScores = "option_scores"
    }

    public init(id: String, name: String, procedure: Procedure, instructions: String, optionScores: [Int],
                values: [ValueKey], variants: [String: [QuestionnaireItem]], svs: SVSProcedureSpec? = nil) {
        self.id = id
        self.name = name
        self.procedure = procedure
        self.instructions = instructions
        self.optionScores = optionScores
        self.values = values
        self.variants = variants
        self.svs = svs
    }

    public var itemCount: Int { variants.values.first?.count ?? 0 }

    /// The items a persona is asked.
    public func items(for persona: Persona) throws -> [QuestionnaireItem] {
        if let v = variants[persona.gender] ?? variants["*"] { return v }
        throw StickError(
            "instrument '\(id)' has no item variant for gender '\(persona.gender)' (persona \(persona.name)) "
                + "and no '*' variant; variants: \(variants.keys.sorted().joined(separator: ", "))")
    }
}

public struct Population: Codable, Hashable, Sendable {
    public var id: String
    public var personas: [Persona]

    public init(id: String, personas: [Persona]) {
        self.id = id
        self.personas = personas
    }
}

/// One interlocutor per persona of a population: `personas[i]` talks with persona i.
public struct InterlocutorSet: Codable, Hashable, Sendable {
    public var id: String
    public var population: String
    public var personas: [Persona]

    public init(id: String, population: String, personas: [Persona]) {
        self.id = id
        self.population = population
        self.personas = personas
    }
}

/// A conversation opener: a Reddit post, a chess move, any first message.
public struct Opener: Codable, Hashable, Sendable {
    public var text: String
    public var source: String?
    public var nTokens: Int?

    enum CodingKeys: String, CodingKey {
        case text, source
        case nTokens = "n_tokens"
    }

    public init(text: String, source: String? = nil, nTokens: Int? = nil) {
        self.text = text
        self.source = source
        self.nTokens = nTokens
    }
}

/// The index entry of an opener set in `dataset.json`.
public struct OpenerSetInfo: Codable, Hashable, Sendable {
    public var id: String
    public var file: String
    public var count: Int
    public var sha256: String
    public var description: String?

    public init(id: String, file: String, count: Int, sha256: String, description: String? = nil) {
        self.id = id
        self.file = file
        self.count = count
        self.sha256 = sha256
        self.description = description
    }
}

/// `dataset.json`.
public struct DatasetManifest: Codable, Hashable, Sendable {
    public var stick: String = ArtifactKind.dataset.rawValue
    public var version: Int = ArtifactKind.dataset.currentVersion
    public var name: String
    public var synthetic: Bool
    public var description: String
    public var source: String
    public var license: String
    public var attribution: [String]
    /// The design `gen-prompts` uses for this dataset when none is named.
    public var defaultDesign: String
    public var instruments: [Instrument]
    public var populations: [Population]
    public var interlocutorSets: [InterlocutorSet]
    public var openerSets: [OpenerSetInfo]

    enum CodingKeys: String, CodingKey {
        case stick, version, name, synthetic, description, source, license, attribution, instruments, populations
        case defaultDesign = "default_design"
        case interlocutorSets = "interlocutor_sets"
        case openerSets = "opener_sets"
    }

    public init(name: String, synthetic: Bool, description: String, source: String, license: String,
                attribution: [String], defaultDesign: String, instruments: [Instrument], populations: [Population],
                interlocutorSets: [InterlocutorSet], openerSets: [OpenerSetInfo]) {
        self.name = name
        self.synthetic = synthetic
        self.description = description
        self.source = source
        self.license = license
        self.attribution = attribution
        self.defaultDesign = defaultDesign
        self.instruments = instruments
        self.populations = populations
        self.interlocutorSets = interlocutorSets
        self.openerSets = openerSets
    }
}

