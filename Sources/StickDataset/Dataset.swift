// The toolkit's own dataset format: one `dataset.json` (instruments, populations, interlocutor sets,
// the index of opener sets) plus one `openers/<id>.jsonl` per opener set. Texts are kept byte-exact.
import Foundation
import StickArtifacts

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
        try ArtifactKind.dataset.require(found: header.stick, version: header.version, file: file)
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
