// What `score` writes: the metrics JSON (ours: every statistic, full precision, NaN as null), the same
// numbers in the reference's per-model analysis JSON (metrics.md §6, for its rank_models.py), and the
// value-scores CSV.
import Foundation
import StickArtifacts
import StickPsychometrics

public enum MetricsDocument {
    public static let kind = "metrics"
    public static let version = 1

    static func num(_ x: Double) -> JSONValue { .finite(x) }
    static func obj(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(pairs) }
    /// Plain mean; NaN propagates, as in the reference's np.mean.
    static func mean(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }

    // MARK: ours

    public static func json(_ m: ModelScores, sources: [InputProvenance]) -> JSONValue {
        let names = m.contextNames
        let ro = m.rankOrder
        var doc: [(String, JSONValue)] = [
            ("stick", .string(kind)), ("version", .number(Double(version))), ("tool", .string(stickToolName)),
            ("model", .string(m.model)),
            ("inputs", .array(sources.map { obj([("role", .string($0.role)), ("name", .string($0.name)), ("sha256", .string($0.sha256))]) })),
            ("options", obj([
                ("stress_variant", .string(m.options.stressVariant.rawValue)),
                ("cfa", .bool(m.options.cfa)),
                ("cfa_rounding", .string(m.options.cfaRounding.rawValue)),
                ("ipsative", .bool(m.options.ipsative)),
                ("bootstrap", .number(Double(m.options.bootstrap))),
                ("seed", .number(Double(m.options.seed))),
            ])),
            ("n_personas", .number(Double(m.personas.count))),
            ("contexts", .array(names.map { .string($0) })),
            ("instruments", obj(m.contexts.map { ($0.name, .string($0.instrument)) })),
            ("value_order", .array(m.values.map { .string($0) })),
        ]
        doc.append(("rank_order", obj([
            ("overall", num(ro.overall)),
            ("per_value", obj(zip(m.values, ro.perValue).map { ($0, num($1)) })),
            ("pairs", .array(ro.pairs.map { .array([.string(names[$0.0]), .string(names[$0.1])]) })),
            ("per_value_pairs", obj(m.values.indices.map { v in (m.values[v], .array(ro.perValuePairs[v].map(num))) })),
            ("pairwise", obj(names.indices.map { a in
                (names[a], obj(names.indices.map { b in (names[b], num(ro.pairwise[a, b])) }))
            })),
        ])))
        if let ips = m.ipsative {
            doc.append(("ipsative", obj([("overall", num(ips.overall)), ("pair_means", .array(ips.pairMeans.map(num)))])))
        }
        doc.append(("stress", stressJSON(m)))
        if m.options.cfa { doc.append(("cfa", cfaJSON(m))) }
        doc.append(("cronbach_alpha", alphaJSON(m)))
        if let b = m.bootstrap { doc.append(("bootstrap", bootstrapJSON(b))) }
        if let counts = m.parseCounts { doc.append(("parse", .object(counts))) }
        if let usage = m.usage { doc.append(("usage", .object(usage))) }
        doc.append(("warnings", .array(m.warnings.map { .string($0) })))
        return obj(doc)
    }

    static func stressJSON(_ m: ModelScores) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("variant", .string(m.options.stressVariant.rawValue)),
            ("per_context", obj(zip(m.contextNames, m.stress()).map { ($0, num($1)) })),
            ("mean", num(mean(m.stress()))),
        ]
        for variant in StressVariant.allCases where m.contexts.first?.stress[variant] != nil {
            let results = m.contexts.map { $0.stress[variant] ?? nil }
            pairs.append((variant.rawValue, obj([
                ("per_context", obj(zip(m.contextNames, results).map { ($0, num($1?.stress ?? .nan)) })),
                ("mean", num(mean(results.map { $0?.stress ?? .nan }))),
                ("n_iter", obj(zip(m.contextNames, results).map { ($0, $1.map { .number(Double($0.iterations)) } ?? .null) })),
            ])))
        }
        // Where each value's items ended up (mean of their 2-D coordinates): the report's value circle.
        pairs.append(("value_positions", obj(m.contexts.map { c in
            guard let result = c.stress[m.options.stressVariant] ?? nil else { return (c.name, JSONValue.null) }
            return (c.name, obj(valuePositions(result, context: c, values: m.values).map { ($0.0, .array([num($0.1), num($0.2)])) }))
        })))
        return obj(pairs)
    }

    /// The centroid of each value's items in the final MDS configuration.
    static func valuePositions(_ result: StressResult, context: ContextScores, values: [String]) -> [(String, Double, Double)] {
        let keying = context.keying
        let keyed = keying.keyedItems
        return values.map { v in
            guard let vi = keying.index(of: v) else { return (v, .nan, .nan) }
            let rows = keying.items[vi].compactMap { keyed.firstIndex(of: $0) }
            let x = mean(rows.map { result.configuration[$0, 0] }), y = mean(rows.map { result.configuration[$0, 1] })
            return (v, x, y)
        }
    }

    static func cfaJSON(_ m: ModelScores) -> JSONValue {
        let rounding = m.options.cfaRounding
        let perContext = obj(m.contexts.map { c in
            (c.name, obj(zip(CFASubModel.all, c.cfa).map { sub, fit in
                let stored = fit.stored(rounding: rounding)
                var fields: [(String, JSONValue)] = [("status", .string(fit.status.rawValue))]
                if let message = fit.message { fields.append(("message", .string(message))) }
                fields += [
                    ("chisq", num(fit.chisq)), ("df", .number(Double(fit.df))),
                    ("baseline_chisq", num(fit.baselineChisq)), ("baseline_df", .number(Double(fit.baselineDf))),
                    ("cfi", num(fit.indices.cfi)), ("tli", num(fit.indices.tli)), ("srmr", num(fit.indices.srmr)),
                    ("rmsea", num(fit.indices.rmsea)), ("npar", .number(Double(fit.npar))),
                    ("factor_correlations", fit.factorCorrelations.map { .array($0.map(num)) } ?? .null),
                    ("converged", .bool(fit.converged)),
                    ("stored", obj(CFAIndex.allCases.map { ($0.rawValue, num($0.value(stored))) })),
                ]
                return (sub.name, obj(fields))
            }))
        })
        let means = CFAIndex.allCases.map { index in (index.rawValue, m.cfaStored(index).map(mean)) }
        return obj([
            ("rounding", .string(rounding.rawValue)),
            ("submodels", .array(CFASubModel.all.map { .string($0.name) })),
            ("per_context", perContext),
            ("per_context_mean", obj(means.map { name, values in (name, obj(zip(m.contextNames, values).map { ($0, num($1)) })) })),
            ("overall_mean", obj(means.map { ($0.0, num(mean($0.1))) })),
        ])
    }

    static func alphaJSON(_ m: ModelScores) -> JSONValue {
        let perContextMean = m.contexts.map { mean($0.alpha) }
        return obj([
            ("per_context", obj(m.contexts.map { c in (c.name, obj(zip(m.values, c.alpha).map { ($0, num($1)) })) })),
            ("per_context_mean", obj(zip(m.contextNames, perContextMean).map { ($0, num($1)) })),
            ("per_value_mean", obj(m.values.indices.map { v in (m.values[v], num(mean(m.contexts.map { $0.alpha[v] }))) })),
            ("overall", num(mean(perContextMean))),
        ])
    }

    static func bootstrapJSON(_ b: BootstrapSummary) -> JSONValue {
        obj([
            ("replicates", .number(Double(b.replicates))), ("seed", .number(Double(b.seed))), ("level", .number(b.level)),
            ("method", .string("percentile; personas resampled with replacement, the same draw in every context")),
            ("intervals", obj(b.statistics.map { name in
                let ci = b.interval(name)!
                return (name, .array([num(ci.lower), num(ci.upper)]))
            })),
            ("statistics", .array(b.statistics.map { .string($0) })),
            ("values", .array((0..<b.values.rows).map { r in .array(b.values.row(r).map(num)) })),
        ])
    }

    // MARK: the reference's per-model analysis JSON

    /// `prefix` is prepended to each context label to form the reference's directory keys (its
    /// rank_models.py strips `./Leaderboard/results/stability_leaderboard/<MODEL>/` and cuts at "_202").
    public static func referenceJSON(_ m: ModelScores, prefix: String = "") -> JSONValue {
        let keys = m.contextNames.map { prefix + $0 }
        let ro = m.rankOrder
        func byContext(_ values: [JSONValue]) -> JSONValue { obj(Array(zip(keys, values))) }
        func square(_ entry: (Int, Int) -> Double) -> JSONValue {
            byContext(keys.indices.map { a in byContext(keys.indices.map { b in num(entry(a, b)) }) })
        }
        var pairs: [(String, JSONValue)] = [
            ("Rank-Order", num(ro.overall)),
            ("Pairwise_Rank-Order", square { ro.pairwise[$0, $1] }),
            ("Per_value_Pairwise_Rank-Order", obj(m.values.indices.map { v in
                (m.values[v], square { a, b in
                    if a == b { return 1 }
                    let k = ro.pairs.firstIndex { $0 == (min(a, b), max(a, b)) }!
                    return ro.perValuePairs[v][k]
                })
            })),
            ("All_Rank-Order_stabilities", obj(m.values.indices.map { v in (m.values[v], .array(ro.perValuePairs[v].map(num))) })),
            ("Ipsative", num(m.ipsative?.overall ?? .nan)),
            ("Cronbach_alpha", num(mean(m.contexts.map { mean($0.alpha) }))),
            ("Cronbach_alphas", byContext(m.contexts.map { c in obj(zip(m.values, c.alpha).map { ($0, num($1)) }) })),
            ("Stress", num(mean(m.stress()))),
            ("All_Stress", byContext(m.stress().map(num))),
        ]
        if m.options.cfa {
            for index in CFAIndex.allCases {
                let stored = m.cfaStored(index)
                pairs.append((index.rawValue.uppercased(), num(mean(stored.map(mean)))))
                pairs.append(("All_" + index.rawValue.uppercased(), byContext(stored.map { values in
                    obj(zip(CFASubModel.all, values).map { ($0.name, num($1)) })
                })))
            }
        }
        return obj(pairs)
    }

    // MARK: value scores CSV

    /// `context,persona,value,raw,centred`: every persona's value scores in every context.
    public static func valueScoresCSV(_ m: ModelScores) -> String {
        var out = "context,persona,value,raw,centred\n"
        for c in m.contexts {
            for (p, persona) in m.personas.enumerated() {
                for (v, value) in m.values.enumerated() {
                    out += "\(CSV.field(c.name)),\(CSV.field(persona)),\(CSV.field(value)),"
                        + "\(csvNumber(c.valueScores.raw[p, v])),\(csvNumber(c.valueScores.centred[p, v]))\n"
                }
            }
        }
        return out
    }

    static func csvNumber(_ x: Double) -> String { x.isFinite ? "\(x)" : "" }
}
