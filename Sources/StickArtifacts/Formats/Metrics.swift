// The metrics artifact (metrics.json, written by `score`, read by `rank` and `report`): every statistic of
// one model, full precision, NaN and infinities as null. Maps keep the study's order (contexts, values,
// sub-models) so the same scores give the same bytes; `json` and `init(json:)` are the one mapping.
import Foundation

public struct MetricsDocument: Codable, Sendable, Equatable {
    public static let kind = ArtifactKind.metrics

    public struct Options: Sendable, Equatable {
        public var stressVariant: String
        public var cfa: Bool
        public var cfaRounding: String
        public var ipsative: Bool
        public var bootstrap: Int
        public var seed: UInt64

        public init(stressVariant: String, cfa: Bool, cfaRounding: String, ipsative: Bool, bootstrap: Int, seed: UInt64) {
            self.stressVariant = stressVariant
            self.cfa = cfa
            self.cfaRounding = cfaRounding
            self.ipsative = ipsative
            self.bootstrap = bootstrap
            self.seed = seed
        }
    }

    public struct RankOrder: Sendable, Equatable {
        public var overall: Double
        public var perValue: OrderedMap<Double>
        /// The context pairs (a, b), in the order of `perValuePairs`' entries.
        public var pairs: [[String]]
        public var perValuePairs: OrderedMap<[Double]>
        public var pairwise: OrderedMap<OrderedMap<Double>>

        public init(overall: Double, perValue: OrderedMap<Double>, pairs: [[String]], perValuePairs: OrderedMap<[Double]>,
                    pairwise: OrderedMap<OrderedMap<Double>>) {
            self.overall = overall
            self.perValue = perValue
            self.pairs = pairs
            self.perValuePairs = perValuePairs
            self.pairwise = pairwise
        }
    }

    public struct Ipsative: Sendable, Equatable {
        public var overall: Double
        public var pairMeans: [Double]

        public init(overall: Double, pairMeans: [Double]) {
            self.overall = overall
            self.pairMeans = pairMeans
        }
    }

    public struct StressVariantResult: Sendable, Equatable {
        public var perContext: OrderedMap<Double>
        public var mean: Double
        /// SMACOF iterations per context (nil where the context has no result).
        public var iterations: OrderedMap<Int?>

        public init(perContext: OrderedMap<Double>, mean: Double, iterations: OrderedMap<Int?>) {
            self.perContext = perContext
            self.mean = mean
            self.iterations = iterations
        }
    }

    public struct Stress: Sendable, Equatable {
        /// The variant `perContext` and `mean` report.
        public var variant: String
        public var perContext: OrderedMap<Double>
        public var mean: Double
        /// Every variant computed, by name (legacy, v17).
        public var variants: OrderedMap<StressVariantResult>
        /// Per context, each value's (x, y) in the MDS configuration; nil where MDS failed.
        public var valuePositions: OrderedMap<OrderedMap<[Double]>?>

        public init(variant: String, perContext: OrderedMap<Double>, mean: Double, variants: OrderedMap<StressVariantResult>,
                    valuePositions: OrderedMap<OrderedMap<[Double]>?>) {
            self.variant = variant
            self.perContext = perContext
            self.mean = mean
            self.variants = variants
            self.valuePositions = valuePositions
        }
    }

    public struct CFAFit: Sendable, Equatable {
        public var status: String
        public var message: String?
        public var chisq: Double
        public var df: Int
        public var baselineChisq: Double
        public var baselineDf: Int
        public var cfi: Double
        public var tli: Double
        public var srmr: Double
        public var rmsea: Double
        public var npar: Int
        public var factorCorrelations: [Double]?
        public var converged: Bool
        /// The values as the reference stores them (failure values, jsonlite rounding), by index name.
        public var stored: OrderedMap<Double>

        public init(status: String, message: String? = nil, chisq: Double, df: Int, baselineChisq: Double, baselineDf: Int,
                    cfi: Double, tli: Double, srmr: Double, rmsea: Double, npar: Int, factorCorrelations: [Double]?,
                    converged: Bool, stored: OrderedMap<Double>) {
            self.status = status
            self.message = message
            self.chisq = chisq
            self.df = df
            self.baselineChisq = baselineChisq
            self.baselineDf = baselineDf
            self.cfi = cfi
            self.tli = tli
            self.srmr = srmr
            self.rmsea = rmsea
            self.npar = npar
            self.factorCorrelations = factorCorrelations
            self.converged = converged
            self.stored = stored
        }
    }

    public struct CFA: Sendable, Equatable {
        public var rounding: String
        public var submodels: [String]
        /// Context → sub-model → fit.
        public var perContext: OrderedMap<OrderedMap<CFAFit>>
        /// Index name → context → mean over sub-models of the stored values.
        public var perContextMean: OrderedMap<OrderedMap<Double>>
        public var overallMean: OrderedMap<Double>

        public init(rounding: String, submodels: [String], perContext: OrderedMap<OrderedMap<CFAFit>>,
                    perContextMean: OrderedMap<OrderedMap<Double>>, overallMean: OrderedMap<Double>) {
            self.rounding = rounding
            self.submodels = submodels
            self.perContext = perContext
            self.perContextMean = perContextMean
            self.overallMean = overallMean
        }
    }

    public struct CronbachAlpha: Sendable, Equatable {
        public var perContext: OrderedMap<OrderedMap<Double>>
        public var perContextMean: OrderedMap<Double>
        public var perValueMean: OrderedMap<Double>
        public var overall: Double

        public init(perContext: OrderedMap<OrderedMap<Double>>, perContextMean: OrderedMap<Double>,
                    perValueMean: OrderedMap<Double>, overall: Double) {
            self.perContext = perContext
            self.perContextMean = perContextMean
            self.perValueMean = perValueMean
            self.overall = overall
        }
    }

    public struct Bootstrap: Sendable, Equatable {
        public var replicates: Int
        public var seed: UInt64
        public var level: Double
        public var method: String
        /// Statistic → [lower, upper].
        public var intervals: OrderedMap<[Double]>
        public var statistics: [String]
        /// One row per replicate, one column per statistic.
        public var values: [[Double]]

        public init(replicates: Int, seed: UInt64, level: Double, method: String, intervals: OrderedMap<[Double]>,
                    statistics: [String], values: [[Double]]) {
            self.replicates = replicates
            self.seed = seed
            self.level = level
            self.method = method
            self.intervals = intervals
            self.statistics = statistics
            self.values = values
        }

        /// The replicate values of each statistic.
        public var columns: [String: [Double]] {
            var out: [String: [Double]] = [:]
            for (k, name) in statistics.enumerated() { out[name] = values.map { $0[k] } }
            return out
        }
    }

    public var version: Int
    public var tool: String
    public var model: String
    public var inputs: [InputProvenance]
    public var options: Options
    public var personaCount: Int
    public var contexts: [String]
    /// Context → instrument id.
    public var instruments: OrderedMap<String>
    public var valueOrder: [String]
    public var rankOrder: RankOrder
    public var ipsative: Ipsative?
    public var stress: Stress
    public var cfa: CFA?
    public var cronbachAlpha: CronbachAlpha
    public var bootstrap: Bootstrap?
    /// Parse rates per context and status, as `parse` recorded them.
    public var parse: JSONObject?
    /// Token usage, as `query` recorded it.
    public var usage: JSONObject?
    public var warnings: [String]

    public init(tool: String = stickToolName, model: String, inputs: [InputProvenance], options: Options, personaCount: Int,
                contexts: [String], instruments: OrderedMap<String>, valueOrder: [String], rankOrder: RankOrder,
                ipsative: Ipsative?, stress: Stress, cfa: CFA?, cronbachAlpha: CronbachAlpha, bootstrap: Bootstrap?,
                parse: JSONObject?, usage: JSONObject?, warnings: [String]) {
        version = Self.kind.currentVersion
        self.tool = tool
        self.model = model
        self.inputs = inputs
        self.options = options
        self.personaCount = personaCount
        self.contexts = contexts
        self.instruments = instruments
        self.valueOrder = valueOrder
        self.rankOrder = rankOrder
        self.ipsative = ipsative
        self.stress = stress
        self.cfa = cfa
        self.cronbachAlpha = cronbachAlpha
        self.bootstrap = bootstrap
        self.parse = parse
        self.usage = usage
        self.warnings = warnings
    }

    // MARK: JSON

    public var json: JSONValue {
        func num(_ x: Double) -> JSONValue { .finite(x) }
        func nums(_ xs: [Double]) -> JSONValue { .array(xs.map(num)) }
        func table(_ m: OrderedMap<Double>) -> JSONValue { m.json(num) }
        var doc: [(String, JSONValue)] = [
            ("stick", .string(Self.kind.rawValue)), ("version", .number(Double(version))), ("tool", .string(tool)),
            ("model", .string(model)),
            ("inputs", .array(inputs.map { .object([("role", .string($0.role)), ("name", .string($0.name)), ("sha256", .string($0.sha256))]) })),
            ("options", .object([
                ("stress_variant", .string(options.stressVariant)), ("cfa", .bool(options.cfa)),
                ("cfa_rounding", .string(options.cfaRounding)), ("ipsative", .bool(options.ipsative)),
                ("bootstrap", .number(Double(options.bootstrap))), ("seed", .number(Double(options.seed))),
            ])),
            ("n_personas", .number(Double(personaCount))),
            ("contexts", .array(contexts.map { .string($0) })),
            ("instruments", instruments.json { .string($0) }),
            ("value_order", .array(valueOrder.map { .string($0) })),
            ("rank_order", .object([
                ("overall", num(rankOrder.overall)),
                ("per_value", table(rankOrder.perValue)),
                ("pairs", .array(rankOrder.pairs.map { .array($0.map { .string($0) }) })),
                ("per_value_pairs", rankOrder.perValuePairs.json(nums)),
                ("pairwise", rankOrder.pairwise.json(table)),
            ])),
        ]
        if let ipsative { doc.append(("ipsative", .object([("overall", num(ipsative.overall)), ("pair_means", nums(ipsative.pairMeans))]))) }
        var stressPairs: [(String, JSONValue)] = [
            ("variant", .string(stress.variant)), ("per_context", table(stress.perContext)), ("mean", num(stress.mean)),
        ]
        for (name, v) in stress.variants.pairs {
            stressPairs.append((name, .object([
                ("per_context", table(v.perContext)), ("mean", num(v.mean)),
                ("n_iter", v.iterations.json { $0.map { .number(Double($0)) } ?? .null }),
            ])))
        }
        stressPairs.append(("value_positions", stress.valuePositions.json { $0.map { $0.json(nums) } ?? .null }))
        doc.append(("stress", .object(stressPairs)))
        if let cfa {
            doc.append(("cfa", .object([
                ("rounding", .string(cfa.rounding)),
                ("submodels", .array(cfa.submodels.map { .string($0) })),
                ("per_context", cfa.perContext.json { $0.json { fit in
                    var fields: [(String, JSONValue)] = [("status", .string(fit.status))]
                    if let message = fit.message { fields.append(("message", .string(message))) }
                    fields += [
                        ("chisq", num(fit.chisq)), ("df", .number(Double(fit.df))),
                        ("baseline_chisq", num(fit.baselineChisq)), ("baseline_df", .number(Double(fit.baselineDf))),
                        ("cfi", num(fit.cfi)), ("tli", num(fit.tli)), ("srmr", num(fit.srmr)), ("rmsea", num(fit.rmsea)),
                        ("npar", .number(Double(fit.npar))),
                        ("factor_correlations", fit.factorCorrelations.map(nums) ?? .null),
                        ("converged", .bool(fit.converged)),
                        ("stored", table(fit.stored)),
                    ]
                    return .object(fields)
                } }),
                ("per_context_mean", cfa.perContextMean.json(table)),
                ("overall_mean", table(cfa.overallMean)),
            ])))
        }
        doc.append(("cronbach_alpha", .object([
            ("per_context", cronbachAlpha.perContext.json(table)),
            ("per_context_mean", table(cronbachAlpha.perContextMean)),
            ("per_value_mean", table(cronbachAlpha.perValueMean)),
            ("overall", num(cronbachAlpha.overall)),
        ])))
        if let b = bootstrap {
            doc.append(("bootstrap", .object([
                ("replicates", .number(Double(b.replicates))), ("seed", .number(Double(b.seed))), ("level", .number(b.level)),
                ("method", .string(b.method)),
                ("intervals", b.intervals.json(nums)),
                ("statistics", .array(b.statistics.map { .string($0) })),
                ("values", .array(b.values.map(nums))),
            ])))
        }
        if let parse { doc.append(("parse", .object(parse))) }
        if let usage { doc.append(("usage", .object(usage))) }
        doc.append(("warnings", .array(warnings.map { .string($0) })))
        return .object(doc)
    }

    /// Reads a metrics document; errors name the member that is missing or malformed.
    public init(json root: JSONValue) throws {
        typealias R = JSONRead
        try ArtifactKind.metrics.require(root, file: nil)
        func table(_ v: JSONValue?, _ what: String) throws -> OrderedMap<Double> { try OrderedMap.from(v, what, R.number) }
        version = try R.int(root["version"], "version")
        tool = root["tool"]?.stringValue ?? "unknown"
        model = try R.string(root["model"], "model")
        inputs = try (root["inputs"].map { try R.array($0, "inputs") } ?? []).enumerated().map { i, v in
            InputProvenance(role: try R.string(v["role"], "inputs[\(i)].role"), name: try R.string(v["name"], "inputs[\(i)].name"),
                            sha256: try R.string(v["sha256"], "inputs[\(i)].sha256"))
        }
        let o = root["options"]
        options = Options(stressVariant: try R.string(o?["stress_variant"], "options.stress_variant"), cfa: try R.bool(o?["cfa"], "options.cfa"),
                          cfaRounding: try R.string(o?["cfa_rounding"], "options.cfa_rounding"),
                          ipsative: try R.bool(o?["ipsative"], "options.ipsative"), bootstrap: try R.int(o?["bootstrap"], "options.bootstrap"),
                          seed: try R.seed(o?["seed"], "options.seed"))
        personaCount = try R.int(root["n_personas"], "n_personas")
        contexts = try R.strings(root["contexts"], "contexts")
        instruments = try OrderedMap.from(root["instruments"], "instruments", R.string)
        valueOrder = try R.strings(root["value_order"], "value_order")
        let ro = root["rank_order"]
        rankOrder = RankOrder(
            overall: try R.number(ro?["overall"], "rank_order.overall"),
            perValue: try table(ro?["per_value"], "rank_order.per_value"),
            pairs: try R.array(ro?["pairs"], "rank_order.pairs").enumerated().map { try R.strings($1, "rank_order.pairs[\($0)]") },
            perValuePairs: try OrderedMap.from(ro?["per_value_pairs"], "rank_order.per_value_pairs", R.numbers),
            pairwise: try OrderedMap.from(ro?["pairwise"], "rank_order.pairwise", table))
        ipsative = try root["ipsative"].map { i in
            Ipsative(overall: try R.number(i["overall"], "ipsative.overall"), pairMeans: try R.numbers(i["pair_means"], "ipsative.pair_means"))
        }
        let s = root["stress"]
        var variants = OrderedMap<StressVariantResult>()
        if case .object(let members)? = s {
            for (name, v) in members.pairs where !["variant", "per_context", "mean", "value_positions"].contains(name) {
                variants[name] = StressVariantResult(
                    perContext: try table(v["per_context"], "stress.\(name).per_context"),
                    mean: try R.number(v["mean"], "stress.\(name).mean"),
                    iterations: try OrderedMap.from(v["n_iter"], "stress.\(name).n_iter") { x, what in
                        x == .null ? nil : try R.int(x, what)
                    })
            }
        }
        stress = Stress(variant: try R.string(s?["variant"], "stress.variant"), perContext: try table(s?["per_context"], "stress.per_context"),
                        mean: try R.number(s?["mean"], "stress.mean"), variants: variants,
                        valuePositions: try s?["value_positions"].map {
                            try OrderedMap.from($0, "stress.value_positions") { x, what in
                                x == .null ? nil : try OrderedMap.from(x, what, R.numbers)
                            }
                        } ?? OrderedMap())
        cfa = try root["cfa"].map { c in
            CFA(rounding: try R.string(c["rounding"], "cfa.rounding"), submodels: try R.strings(c["submodels"], "cfa.submodels"),
                perContext: try OrderedMap.from(c["per_context"], "cfa.per_context") { subs, what in
                    try OrderedMap.from(subs, what) { f, what in
                        CFAFit(status: try R.string(f["status"], what + ".status"), message: f["message"]?.stringValue,
                               chisq: try R.number(f["chisq"], what + ".chisq"), df: try R.int(f["df"], what + ".df"),
                               baselineChisq: try R.number(f["baseline_chisq"], what + ".baseline_chisq"),
                               baselineDf: try R.int(f["baseline_df"], what + ".baseline_df"),
                               cfi: try R.number(f["cfi"], what + ".cfi"), tli: try R.number(f["tli"], what + ".tli"),
                               srmr: try R.number(f["srmr"], what + ".srmr"), rmsea: try R.number(f["rmsea"], what + ".rmsea"),
                               npar: try R.int(f["npar"], what + ".npar"),
                               factorCorrelations: f["factor_correlations"] == .null ? nil
                                   : try f["factor_correlations"].map { try R.numbers($0, what + ".factor_correlations") },
                               converged: try R.bool(f["converged"], what + ".converged"),
                               stored: try table(f["stored"], what + ".stored"))
                    }
                },
                perContextMean: try OrderedMap.from(c["per_context_mean"], "cfa.per_context_mean", table),
                overallMean: try table(c["overall_mean"], "cfa.overall_mean"))
        }
        let a = root["cronbach_alpha"]
        cronbachAlpha = CronbachAlpha(
            perContext: try OrderedMap.from(a?["per_context"], "cronbach_alpha.per_context", table),
            perContextMean: try table(a?["per_context_mean"], "cronbach_alpha.per_context_mean"),
            perValueMean: try table(a?["per_value_mean"], "cronbach_alpha.per_value_mean"),
            overall: try R.number(a?["overall"], "cronbach_alpha.overall"))
        bootstrap = try root["bootstrap"].map { b in
            let statistics = try R.strings(b["statistics"], "bootstrap.statistics")
            let values = try R.array(b["values"], "bootstrap.values").enumerated().map { i, row in
                let cells = try R.numbers(row, "bootstrap.values[\(i)]")
                guard cells.count == statistics.count else {
                    throw StickError("bootstrap.values rows must have one value per statistic")
                }
                return cells
            }
            return Bootstrap(replicates: try R.int(b["replicates"], "bootstrap.replicates"), seed: try R.seed(b["seed"], "bootstrap.seed"),
                             level: try R.number(b["level"], "bootstrap.level"), method: b["method"]?.stringValue ?? "",
                             intervals: try OrderedMap.from(b["intervals"], "bootstrap.intervals", R.numbers),
                             statistics: statistics, values: values)
        }
        if case .object(let p)? = root["parse"] { parse = p } else { parse = nil }
        if case .object(let u)? = root["usage"] { usage = u } else { usage = nil }
        warnings = try root["warnings"].map { try R.strings($0, "warnings") } ?? []
    }

    /// Reads the metrics file at `path` (errors name it).
    public static func read(_ path: String) throws -> MetricsDocument {
        let root: JSONValue
        do { root = try OrderedJSON.parse(try Inputs.readAll(path), pythonLiterals: true) } catch let e as StickError {
            throw e.located(file: path)
        }
        do { return try MetricsDocument(json: root) } catch let e as StickError { throw e.located(file: path) }
    }

    public init(from decoder: Decoder) throws { try self.init(json: try JSONValue(from: decoder)) }
    public func encode(to encoder: Encoder) throws { try json.encode(to: encoder) }
}
