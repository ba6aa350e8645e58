// The leaderboard artifact (written by `rank -o`, read by `report`): per model the reference's
// leaderboard.csv summary columns, the leaderboard columns and win rates, and rank intervals when the
// models carry bootstrap replicates; benchbench's diversity and sensitivity. Models keep the order
// `rank` wrote them in; `json` and `init(json:)` are the one mapping. Like every artifact it names its
// inputs (each metrics file as given, with its sha256, in rank's order) and the parameters that shape
// it, so `stick audit` can rerun rank exactly.
import Foundation

public struct LeaderboardDocument: Codable, Sendable, Equatable {
    public static let kind = ArtifactKind.leaderboard

    /// The reference's leaderboard.csv columns, in its order (each model's summary).
    public static let summaryColumns = ["Ordinal (Win rate)", "Cardinal (Score)", "RO Stability", "Stress", "CFI", "SRMR", "RMSEA"]

    /// How often a model held each rank over the bootstrap replicates, and its percentile interval.
    public struct RankInterval: Sendable, Equatable {
        public var lower: Int
        public var upper: Int
        /// distribution[k] = share of replicates in which the model ranks k + 1.
        public var distribution: [Double]

        public init(lower: Int, upper: Int, distribution: [Double]) {
            self.lower = lower
            self.upper = upper
            self.distribution = distribution
        }
    }

    public struct Entry: Sendable, Equatable {
        public var model: String
        /// The input format `rank` read (stick, reference, fixture); nil when the document names none.
        public var format: String?
        /// The file the model was ranked from (its metrics document for format stick).
        public var file: String?
        /// One per `summaryColumns` name, in that order; NaN for null, nil when the member is absent.
        public var summary: [Double?]
        public var values: OrderedMap<Double>
        public var winRates: OrderedMap<Double>
        public var cardinalRank: RankInterval?
        public var ordinalRank: RankInterval?

        public init(model: String, format: String?, file: String?, summary: [Double?], values: OrderedMap<Double>,
                    winRates: OrderedMap<Double>, cardinalRank: RankInterval? = nil, ordinalRank: RankInterval? = nil) {
            self.model = model
            self.format = format
            self.file = file
            self.summary = summary
            self.values = values
            self.winRates = winRates
            self.cardinalRank = cardinalRank
            self.ordinalRank = ordinalRank
        }

        /// The summary value of the column named `name` (nil when absent or not a summary column).
        public func summary(_ name: String) -> Double? {
            LeaderboardDocument.summaryColumns.firstIndex(of: name).flatMap { $0 < summary.count ? summary[$0] : nil }
        }
    }

    public struct Diversity: Sendable, Equatable {
        public var oneMinusW: Double
        public var meanPairwiseMRC: Double

        public init(oneMinusW: Double, meanPairwiseMRC: Double) {
            self.oneMinusW = oneMinusW
            self.meanPairwiseMRC = meanPairwiseMRC
        }
    }

    public struct Sensitivity: Sendable, Equatable {
        public var tauPrime: Double
        public var mrc: Double
        public var note: String?

        public init(tauPrime: Double, mrc: Double, note: String? = nil) {
            self.tauPrime = tauPrime
            self.mrc = mrc
            self.note = note
        }
    }

    /// A cardinal and an ordinal figure of the same kind.
    public struct Pair<Figure: Sendable & Equatable>: Sendable, Equatable {
        public var cardinal: Figure
        public var ordinal: Figure

        public init(cardinal: Figure, ordinal: Figure) {
            self.cardinal = cardinal
            self.ordinal = ordinal
        }
    }

    public struct Bootstrap: Sendable, Equatable {
        public var replicates: Int
        /// Models without replicates (their point values enter every replicate).
        public var fixedModels: [String]

        public init(replicates: Int, fixedModels: [String]) {
            self.replicates = replicates
            self.fixedModels = fixedModels
        }
    }

    /// The parameters of `rank` that change the document.
    public struct Parameters: Sendable, Equatable {
        /// Seed of the Ordinal sensitivity's sampling.
        public var seed: UInt64
        /// Diversity and sensitivities computed.
        public var benchbench: Bool
        /// The column rows were sorted by (nil: input order), and the direction.
        public var sort: String?
        public var ascending: Bool
        /// Coverage of the rank intervals.
        public var level: Double

        public init(seed: UInt64 = 0, benchbench: Bool = true, sort: String? = nil, ascending: Bool = false, level: Double = 0.95) {
            self.seed = seed
            self.benchbench = benchbench
            self.sort = sort
            self.ascending = ascending
            self.level = level
        }
    }

    public var version: Int
    public var tool: String?
    /// The metrics files ranked, in rank's order (role "metrics"); empty in files written before rank recorded them.
    public var inputs: [InputProvenance]
    /// nil in files written before rank recorded them.
    public var params: Parameters?
    public var contexts: [String]
    /// The leaderboard columns (RO-…, Stress-…, CFA indices per context), in column order.
    public var columns: [String]
    public var models: [Entry]
    public var diversity: Pair<Diversity>?
    public var sensitivity: Pair<Sensitivity>?
    public var bootstrap: Bootstrap?
    public var warnings: [String]

    public init(tool: String? = stickToolName, inputs: [InputProvenance] = [], params: Parameters? = nil, contexts: [String],
                columns: [String], models: [Entry], diversity: Pair<Diversity>?,
                sensitivity: Pair<Sensitivity>?, bootstrap: Bootstrap?, warnings: [String]) {
        version = Self.kind.currentVersion
        self.tool = tool
        self.inputs = inputs
        self.params = params
        self.contexts = contexts
        self.columns = columns
        self.models = models
        self.diversity = diversity
        self.sensitivity = sensitivity
        self.bootstrap = bootstrap
        self.warnings = warnings
    }

    // MARK: JSON

    public var json: JSONValue {
        func num(_ x: Double) -> JSONValue { .finite(x) }
        func int(_ i: Int) -> JSONValue { .number(Double(i)) }
        func strings(_ xs: [String]) -> JSONValue { .array(xs.map { .string($0) }) }
        func interval(_ r: RankInterval) -> JSONValue {
            .object([("lower", int(r.lower)), ("upper", int(r.upper)), ("distribution", .array(r.distribution.map(num)))])
        }
        var doc: [(String, JSONValue)] = [("stick", .string(Self.kind.rawValue)), ("version", int(version))]
        if let tool { doc.append(("tool", .string(tool))) }
        if !inputs.isEmpty {
            doc.append(("inputs", .array(inputs.map {
                .object([("role", .string($0.role)), ("name", .string($0.name)), ("sha256", .string($0.sha256))])
            })))
        }
        if let p = params {
            doc.append(("params", .object([
                ("seed", .number(Double(p.seed))), ("benchbench", .bool(p.benchbench)), ("sort", p.sort.map { .string($0) } ?? .null),
                ("ascending", .bool(p.ascending)), ("level", num(p.level)),
            ])))
        }
        doc += [("contexts", strings(contexts)), ("columns", strings(columns))]
        doc.append(("models", .array(models.map { e in
            var fields: [(String, JSONValue)] = [("model", .string(e.model))]
            if let format = e.format { fields.append(("format", .string(format))) }
            if let file = e.file { fields.append(("file", .string(file))) }
            for (name, x) in zip(Self.summaryColumns, e.summary) { if let x { fields.append((name, num(x))) } }
            fields.append(("values", e.values.json(num)))
            fields.append(("win_rates", e.winRates.json(num)))
            if let c = e.cardinalRank, let o = e.ordinalRank {
                fields.append(("rank_intervals", .object([("cardinal", interval(c)), ("ordinal", interval(o))])))
            }
            return .object(fields)
        })))
        if let d = diversity {
            func figure(_ x: Diversity) -> JSONValue { .object([("one_minus_W", num(x.oneMinusW)), ("mean_pairwise_MRC", num(x.meanPairwiseMRC))]) }
            doc.append(("diversity", .object([("cardinal", figure(d.cardinal)), ("ordinal", figure(d.ordinal))])))
        }
        if let s = sensitivity {
            func figure(_ x: Sensitivity) -> JSONValue {
                var fields: [(String, JSONValue)] = [("tau_prime", num(x.tauPrime)), ("MRC", num(x.mrc))]
                if let note = x.note { fields.append(("note", .string(note))) }
                return .object(fields)
            }
            doc.append(("sensitivity", .object([("cardinal", figure(s.cardinal)), ("ordinal", figure(s.ordinal))])))
        }
        if let b = bootstrap {
            doc.append(("bootstrap", .object([("replicates", int(b.replicates)), ("fixed_models", strings(b.fixedModels))])))
        }
        doc.append(("warnings", strings(warnings)))
        return .object(doc)
    }

    /// Reads a leaderboard document; errors name the member that is missing or malformed. Members a
    /// report can do without (a model's format, file, summary columns, maps) may be absent.
    public init(json root: JSONValue) throws {
        typealias R = JSONRead
        try Self.kind.require(root, file: nil)
        func table(_ v: JSONValue?, _ what: String) throws -> OrderedMap<Double> {
            try v.map { try OrderedMap.from($0, what, R.number) } ?? OrderedMap()
        }
        func optionalString(_ v: JSONValue?, _ what: String) throws -> String? { try v.map { try R.string($0, what) } }
        version = try R.int(root["version"], "version")
        tool = try optionalString(root["tool"], "tool")
        inputs = try (root["inputs"].map { try R.array($0, "inputs") } ?? []).enumerated().map { i, v in
            InputProvenance(role: try R.string(v["role"], "inputs[\(i)].role"), name: try R.string(v["name"], "inputs[\(i)].name"),
                            sha256: try R.string(v["sha256"], "inputs[\(i)].sha256"))
        }
        params = try root["params"].map { p in
            Parameters(seed: try R.seed(p["seed"], "params.seed"), benchbench: try R.bool(p["benchbench"], "params.benchbench"),
                       sort: try p["sort"].flatMap { $0 == .null ? nil : try R.string($0, "params.sort") },
                       ascending: try R.bool(p["ascending"], "params.ascending"), level: try R.number(p["level"], "params.level"))
        }
        contexts = try root["contexts"].map { try R.strings($0, "contexts") } ?? []
        columns = try root["columns"].map { try R.strings($0, "columns") } ?? []
        guard case .array(let entries)? = root["models"] else { throw StickError("has no models array") }
        models = try entries.enumerated().map { i, e in
            let what = "models[\(i)]"
            guard let model = e["model"]?.stringValue else { throw StickError("\(what) has no model name") }
            func interval(_ kind: String) throws -> RankInterval? {
                try e["rank_intervals"]?[kind].map { r in
                    RankInterval(lower: try R.int(r["lower"], "\(what).rank_intervals.\(kind).lower"),
                                 upper: try R.int(r["upper"], "\(what).rank_intervals.\(kind).upper"),
                                 distribution: try r["distribution"].map { try R.numbers($0, "\(what).rank_intervals.\(kind).distribution") } ?? [])
                }
            }
            return Entry(model: model, format: try optionalString(e["format"], what + ".format"), file: try optionalString(e["file"], what + ".file"),
                         summary: try Self.summaryColumns.map { name in try e[name].map { try R.number($0, "\(what).\(name)") } },
                         values: try table(e["values"], what + ".values"), winRates: try table(e["win_rates"], what + ".win_rates"),
                         cardinalRank: try interval("cardinal"), ordinalRank: try interval("ordinal"))
        }
        func pair<F>(_ key: String, _ figure: (JSONValue, String) throws -> F) throws -> Pair<F>? {
            try root[key].map { v in
                Pair(cardinal: try figure(v["cardinal"] ?? .null, "\(key).cardinal"), ordinal: try figure(v["ordinal"] ?? .null, "\(key).ordinal"))
            }
        }
        diversity = try pair("diversity") { v, what in
            Diversity(oneMinusW: try R.number(v["one_minus_W"], what + ".one_minus_W"),
                      meanPairwiseMRC: try R.number(v["mean_pairwise_MRC"], what + ".mean_pairwise_MRC"))
        }
        sensitivity = try pair("sensitivity") { v, what in
            Sensitivity(tauPrime: try R.number(v["tau_prime"], what + ".tau_prime"), mrc: try R.number(v["MRC"], what + ".MRC"),
                        note: try optionalString(v["note"], what + ".note"))
        }
        bootstrap = try root["bootstrap"].map { b in
            Bootstrap(replicates: try R.int(b["replicates"], "bootstrap.replicates"),
                      fixedModels: try b["fixed_models"].map { try R.strings($0, "bootstrap.fixed_models") } ?? [])
        }
        warnings = try root["warnings"].map { try R.strings($0, "warnings") } ?? []
    }

    /// Reads the leaderboard file at `path` (- for stdin; errors name it).
    public static func read(_ path: String) throws -> LeaderboardDocument {
        let root: JSONValue
        do { root = try OrderedJSON.parse(try Inputs.readAll(path), pythonLiterals: true) } catch let e as StickError {
            throw e.located(file: path)
        }
        do { return try LeaderboardDocument(json: root) } catch let e as StickError { throw e.located(file: path) }
    }

    public init(from decoder: Decoder) throws { try self.init(json: try JSONValue(from: decoder)) }
    public func encode(to encoder: Encoder) throws { try json.encode(to: encoder) }
}
