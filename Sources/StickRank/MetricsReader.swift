// Reads the per-model numbers the leaderboard needs from any of the per-model files in use: our
// metrics JSON (`score`), the reference's analysis JSON (data_analysis.py, keys `Pairwise_Rank-Order`,
// `All_Stress`, `All_CFI`, …) and the fixtures' compact leaderboard-input JSON. Models analysed by
// either tool can therefore share one leaderboard.
import Foundation
import StickArtifacts
import StickPsychometrics

/// One model's leaderboard inputs plus, when `score` ran a bootstrap, its replicate values.
public struct RankedModelInput: Sendable {
    public var metrics: ModelMetrics
    /// The model's contexts in its own order (the order its file lists them).
    public var contexts: [String]
    /// Which format the file was in: stick, reference or fixture.
    public var format: String
    public var file: String
    /// The sha256 of the file's bytes as stored (compressed or not), what the leaderboard records.
    public var sha256: String = ""
    /// Bootstrap replicates: statistic name → values (same names as BootstrapSummary.statistics).
    public var replicates: [String: [Double]]?
    /// The whole document, for the report (parse rates, value positions, …); nil for reference files.
    public var document: JSONValue?
}

public enum MetricsReader {
    public static func read(_ path: String, name: String? = nil) throws -> RankedModelInput {
        let data = try Inputs.readAll(path)
        let root: JSONValue
        do { root = try OrderedJSON.parse(data, pythonLiterals: true) } catch let e as StickError {
            throw StickError(e.message, file: path)
        }
        guard case .object = root else { throw StickError("is not a JSON object", file: path) }
        let stem = name ?? Self.stem(path)
        var input: RankedModelInput
        if root["stick"] != nil {
            input = try readStick(root, file: path)
        } else if root["Pairwise_Rank-Order"] != nil {
            input = try readReference(root, model: stem, file: path)
        } else if root["rank_order_pairwise"] != nil {
            input = try readFixture(root, model: stem, file: path)
        } else {
            throw StickError("is neither a stick metrics JSON, a reference analysis JSON nor a leaderboard-input JSON", file: path)
        }
        input.sha256 = try Inputs.provenanceSHA256(path)
        return input
    }

    static func stem(_ path: String) -> String {
        var base = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".zst", ".gz", ".json"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        return base
    }

    static func number(_ v: JSONValue?) -> Double? {
        switch v {
        case .number(let d)?: return d
        case .null?: return .nan
        default: return nil
        }
    }

    static func table(_ v: JSONValue?, file: String, what: String) throws -> [String: Double] {
        guard case .object(let o)? = v else { throw StickError("\(what) is missing or not an object", file: file) }
        var out: [String: Double] = [:]
        for (k, x) in o.pairs {
            guard let d = number(x) else { throw StickError("\(what)[\(k)] is not a number", file: file) }
            out[k] = d
        }
        return out
    }

    static func readStick(_ root: JSONValue, file: String) throws -> RankedModelInput {
        let doc: MetricsDocument
        do { doc = try MetricsDocument(json: root) } catch let e as StickError { throw e.located(file: file) }
        let ro = doc.rankOrder.pairwise.dictionary.mapValues(\.dictionary)
        guard let cfa = doc.cfa else {
            throw StickError("has no cfa (was score run with --no-cfa?): the leaderboard needs the CFA", file: file)
        }
        var stored: [String: [String: [String: Double]]] = ["CFI": [:], "SRMR": [:], "RMSEA": [:]]
        for (context, subs) in cfa.perContext.pairs {
            for (sub, fit) in subs.pairs {
                for index in ["CFI", "SRMR", "RMSEA"] {
                    guard let x = fit.stored[index.lowercased()] else {
                        throw StickError("cfa.per_context.\(context).\(sub).stored.\(index.lowercased()) is missing", file: file)
                    }
                    stored[index]![context, default: [:]][sub] = x
                }
            }
        }
        return RankedModelInput(metrics: ModelMetrics(name: doc.model, pairwiseRankOrder: ro, stress: doc.stress.perContext.dictionary,
                                                      cfaStored: stored),
                                contexts: doc.contexts, format: "stick", file: file, replicates: doc.bootstrap?.columns, document: root)
    }

    /// The reference keys its maps by run directory; rank_models.py strips the directory and cuts the
    /// timestamp at "_202" (StickPsychometrics/README.md §1.1), as score's reader does.
    static func readReference(_ root: JSONValue, model: String, file: String) throws -> RankedModelInput {
        let label = ReferenceFormats.contextLabel
        guard case .object(let pairwise)? = root["Pairwise_Rank-Order"] else { throw StickError("Pairwise_Rank-Order is not an object", file: file) }
        var ro: [String: [String: Double]] = [:]
        for (a, row) in pairwise.pairs {
            let t = try table(row, file: file, what: "Pairwise_Rank-Order")
            ro[label(a)] = Dictionary(t.map { (label($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        }
        let stress = Dictionary(try table(root["All_Stress"], file: file, what: "All_Stress").map { (label($0.key), $0.value) },
                                uniquingKeysWith: { a, _ in a })
        var cfa: [String: [String: [String: Double]]] = [:]
        for index in ["CFI", "SRMR", "RMSEA"] {
            guard case .object(let perContext)? = root["All_" + index] else {
                throw StickError("All_\(index) is missing (run data_analysis.py with --cfa)", file: file)
            }
            var out: [String: [String: Double]] = [:]
            for (context, subs) in perContext.pairs { out[label(context)] = try table(subs, file: file, what: "All_\(index)") }
            cfa[index] = out
        }
        return RankedModelInput(metrics: ModelMetrics(name: model, pairwiseRankOrder: ro, stress: stress, cfaStored: cfa),
                                contexts: pairwise.keys.map(label), format: "reference", file: file, replicates: nil, document: nil)
    }

    static func readFixture(_ root: JSONValue, model: String, file: String) throws -> RankedModelInput {
        guard case .object(let pairwise)? = root["rank_order_pairwise"] else { throw StickError("rank_order_pairwise is not an object", file: file) }
        var ro: [String: [String: Double]] = [:]
        for (a, row) in pairwise.pairs { ro[a] = try table(row, file: file, what: "rank_order_pairwise") }
        let stress = try table(root["stress"], file: file, what: "stress")
        var cfa: [String: [String: [String: Double]]] = [:]
        for index in ["CFI", "SRMR", "RMSEA"] {
            guard case .object(let perContext)? = root["cfa_stored"]?[index] else { throw StickError("cfa_stored.\(index) is missing", file: file) }
            var out: [String: [String: Double]] = [:]
            for (context, subs) in perContext.pairs { out[context] = try table(subs, file: file, what: "cfa_stored.\(index)") }
            cfa[index] = out
        }
        let contexts: [String] = { if case .object(let o)? = root["stress"] { return o.keys }; return [] }()
        return RankedModelInput(metrics: ModelMetrics(name: root["model"]?.stringValue ?? model, pairwiseRankOrder: ro, stress: stress,
                                                      cfaStored: cfa),
                                contexts: contexts, format: "fixture", file: file, replicates: nil, document: root)
    }
}
