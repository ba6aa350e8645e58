// The toolkit's own dataset format: one `dataset.json` (instruments, populations, interlocutor sets,
// the index of opener sets) plus one `openers/<id>.jsonl` per opener set. Texts are kept byte-exact.
import Foundation
import StickArtifacts

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
    /// with a running history (protocol.md §6).
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
    /// The questionnaire description put before an item ("D" in protocol.md §3).
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

/// A loaded dataset: the manifest and every opener set.
public struct Dataset: Sendable {
    public var manifest: DatasetManifest
    public var openerSets: [String: [Opener]]
    /// Where it came from (a directory, or `demo` for the embedded one) and the sha256 of its manifest.
    public var location: String
    public var manifestSHA256: String

    public init(manifest: DatasetManifest, openerSets: [String: [Opener]], location: String, manifestSHA256: String) {
        self.manifest = manifest
        self.openerSets = openerSets
        self.location = location
        self.manifestSHA256 = manifestSHA256
    }

    public func instrument(_ id: String) throws -> Instrument {
        guard let i = manifest.instruments.first(where: { $0.id == id }) else {
            throw StickError("dataset '\(manifest.name)' has no instrument '\(id)'; it has: "
                + manifest.instruments.map(\.id).joined(separator: ", "))
        }
        return i
    }

    public func population(_ id: String) throws -> Population {
        guard let p = manifest.populations.first(where: { $0.id == id }) else {
            throw StickError("dataset '\(manifest.name)' has no population '\(id)'; it has: "
                + manifest.populations.map(\.id).joined(separator: ", "))
        }
        return p
    }

    public func interlocutors(_ id: String) throws -> InterlocutorSet {
        guard let s = manifest.interlocutorSets.first(where: { $0.id == id }) else {
            throw StickError("dataset '\(manifest.name)' has no interlocutor set '\(id)'; it has: "
                + manifest.interlocutorSets.map(\.id).joined(separator: ", "))
        }
        return s
    }

    public func openers(_ id: String) throws -> [Opener] {
        guard let o = openerSets[id] else {
            throw StickError("dataset '\(manifest.name)' has no opener set '\(id)'; it has: "
                + openerSets.keys.sorted().joined(separator: ", "))
        }
        return o
    }

    public static let manifestFileName = "dataset.json"

    /// Loads `demo` (the embedded synthetic dataset) or a dataset directory.
    public static func load(_ location: String) throws -> Dataset {
        if location == "demo" { return try DemoDataset.load() }
        let manifestPath = (location as NSString).appendingPathComponent(manifestFileName)
        var st = stat()
        guard lstat(manifestPath, &st) == 0 else {
            throw StickError("not a stick dataset (no \(manifestFileName)); create one with `stick data import`",
                             file: location)
        }
        // A dataset may come from anyone: its files are read without following links out of it.
        let data = try ConfinedFile.read(root: location, relative: manifestFileName)
        return try load(manifest: data, location: location, manifestSHA256: SHA256Hex.of(data),
                        name: { (location as NSString).appendingPathComponent($0) }) {
            try ConfinedFile.open(root: location, relative: $0)
        }
    }

    /// A dataset from the bytes of its manifest and `open`, which opens one of its files by the path
    /// relative to the dataset that the manifest gives; messages name the files by `name`. Directories
    /// and the embedded demo share it, so both get the same checks.
    static func load(manifest data: Data, location: String, manifestSHA256: String, name: (String) -> String,
                     open: (String) throws -> ByteSource) throws -> Dataset {
        let manifestPath = name(manifestFileName)
        let manifest = try decodeManifest(data, file: manifestPath)
        var sets: [String: [Opener]] = [:]
        for info in manifest.openerSets {
            let path = name(info.file)
            let reader = try JSONLReader<Opener>(source: try open(info.file), name: path, kind: .openers)
            sets[info.id] = try reader.readAll()
            if sets[info.id]!.count != info.count {
                throw StickError("holds \(sets[info.id]!.count) openers, \(manifestFileName) says \(info.count)", file: path)
            }
        }
        let dataset = Dataset(manifest: manifest, openerSets: sets, location: location, manifestSHA256: manifestSHA256)
        try dataset.validate(file: manifestPath)
        return dataset
    }

    static func decodeManifest(_ data: Data, file: String) throws -> DatasetManifest {
        let header: ArtifactHeaderFields
        do { header = try JSONDecoder().decode(ArtifactHeaderFields.self, from: data) } catch {
            throw StickError("not a stick dataset manifest: \(describeDecodingError(error))", file: file)
        }
        guard header.stick == ArtifactKind.dataset.rawValue else {
            throw StickError("expected a 'dataset' document, found '\(header.stick)'", file: file)
        }
        guard ArtifactKind.dataset.readableVersions.contains(header.version) else {
            throw StickError("dataset version \(header.version) is not supported by \(stickToolName)", file: file)
        }
        do { return try JSONDecoder().decode(DatasetManifest.self, from: data) } catch {
            throw StickError(describeDecodingError(error), file: file)
        }
    }

    /// Cross-checks that every reference inside the dataset resolves.
    public func validate(file: String) throws {
        for inst in manifest.instruments {
            let counts = Set(inst.variants.values.map(\.count))
            guard counts.count == 1, let q = counts.first, q > 0 else {
                throw StickError("instrument '\(inst.id)': variants must have the same, non-zero number of items", file: file)
            }
            for (variant, items) in inst.variants {
                for (i, item) in items.enumerated() where item.options.count != inst.optionScores.count {
                    throw StickError("instrument '\(inst.id)' variant '\(variant)' item \(i + 1) has \(item.options.count) "
                        + "options, option_scores has \(inst.optionScores.count)", file: file)
                }
            }
            for v in inst.values {
                if let bad = v.items.first(where: { $0 < 1 || $0 > q }) {
                    throw StickError("instrument '\(inst.id)' value '\(v.name)' names item \(bad), outside 1...\(q)", file: file)
                }
            }
            if inst.procedure == .svs {
                guard let svs = inst.svs else {
                    throw StickError("instrument '\(inst.id)' uses the svs procedure but has no 'svs' block", file: file)
                }
                for g in svs.groups where g.items.contains(where: { $0 < 1 || $0 > q }) {
                    throw StickError("instrument '\(inst.id)' group '\(g.name)' names an item outside 1...\(q)", file: file)
                }
            }
        }
        for set in manifest.interlocutorSets {
            let population = try population(set.population)
            guard set.personas.count == population.personas.count else {
                throw StickError("interlocutor set '\(set.id)' has \(set.personas.count) entries for a population of "
                    + "\(population.personas.count)", file: file)
            }
        }
    }
}

/// Just the kind and version, to refuse a foreign document before decoding the rest.
struct ArtifactHeaderFields: Decodable {
    var stick: String
    var version: Int
}
