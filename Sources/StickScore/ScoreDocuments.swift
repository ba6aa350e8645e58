// What `score` writes: the metrics JSON (ours: every statistic, full precision, NaN as null), the same
// numbers in the reference's per-model analysis JSON (StickPsychometrics/README.md §9, for its rank_models.py), and the
// value-scores CSV.
import Foundation
import StickArtifacts
import StickPsychometrics

public enum ScoreDocuments {
    static func num(_ x: Double) -> JSONValue { .finite(x) }
    static func obj(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(pairs) }
    /// Plain mean; NaN propagates, as in the reference's np.mean.
    static func mean(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }

    // MARK: ours

    public static func metrics(_ m: ModelScores, sources: [InputProvenance]) -> MetricsDocument {
        let names = m.contextNames
        let ro = m.rankOrder
        func byContext<T>(_ values: [T]) -> OrderedMap<T> { OrderedMap(Array(zip(names, values))) }
        func byValue<T>(_ values: [T]) -> OrderedMap<T> { OrderedMap(Array(zip(m.values, values))) }
        let rankOrder = MetricsDocument.RankOrder(
            overall: ro.overall, perValue: byValue(ro.perValue), pairs: ro.pairs.map { [names[$0.0], names[$0.1]] },
            perValuePairs: byValue(ro.perValuePairs),
            pairwise: byContext(names.indices.map { a in byContext(names.indices.map { b in ro.pairwise[a, b] }) }))
        return MetricsDocument(
            model: m.model, inputs: sources,
            options: .init(stressVariant: m.options.stressVariant.rawValue, cfa: m.options.cfa, cfaRounding: m.options.cfaRounding.rawValue,
                           ipsative: m.options.ipsative, bootstrap: m.options.bootstrap, seed: m.options.seed),
            personaCount: m.personas.count, contexts: names,
            instruments: OrderedMap(m.contexts.map { ($0.name, $0.instrument) }), valueOrder: m.values,
            rankOrder: rankOrder,
            ipsative: m.ipsative.map { .init(overall: $0.overall, pairMeans: $0.pairMeans) },
            stress: stress(m), cfa: m.options.cfa ? cfa(m) : nil, cronbachAlpha: alpha(m),
            bootstrap: m.bootstrap.map(bootstrap), parse: m.parseCounts, usage: m.usage, warnings: m.warnings)
    }

    static func stress(_ m: ModelScores) -> MetricsDocument.Stress {
        let names = m.contextNames
        var variants = OrderedMap<MetricsDocument.StressVariantResult>()
        for variant in StressVariant.allCases where m.contexts.first?.stress[variant] != nil {
            let results = m.contexts.map { $0.stress[variant] ?? nil }
            variants[variant.rawValue] = .init(perContext: OrderedMap(Array(zip(names, results.map { $0?.stress ?? .nan }))),
                                               mean: mean(results.map { $0?.stress ?? .nan }),
                                               iterations: OrderedMap(Array(zip(names, results.map { $0?.iterations }))))
        }
        // Where each value's items ended up (mean of their 2-D coordinates): the report's value circle.
        let positions = OrderedMap<OrderedMap<[Double]>?>(m.contexts.map { c in
            guard let result = c.stress[m.options.stressVariant] ?? nil else { return (c.name, nil) }
            return (c.name, OrderedMap(valuePositions(result, context: c, values: m.values).map { ($0.0, [$0.1, $0.2]) }))
        })
        return .init(variant: m.options.stressVariant.rawValue, perContext: OrderedMap(Array(zip(names, m.stress()))),
                     mean: mean(m.stress()), variants: variants, valuePositions: positions)
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

    static func cfa(_ m: ModelScores) -> MetricsDocument.CFA {
        let rounding = m.options.cfaRounding
        let perContext = OrderedMap(m.contexts.map { c in
            (c.name, OrderedMap(zip(CFASubModel.all, c.cfa).map { sub, fit in
                let stored = fit.stored(rounding: rounding)
                return (sub.name, MetricsDocument.CFAFit(
                    status: fit.status.rawValue, message: fit.message, chisq: fit.chisq, df: fit.df,
                    baselineChisq: fit.baselineChisq, baselineDf: fit.baselineDf,
                    cfi: fit.indices.cfi, tli: fit.indices.tli, srmr: fit.indices.srmr, rmsea: fit.indices.rmsea, npar: fit.npar,
                    factorCorrelations: fit.factorCorrelations, converged: fit.converged,
                    stored: OrderedMap(CFAIndex.allCases.map { ($0.rawValue, $0.value(stored)) })))
            }))
        })
        let means = CFAIndex.allCases.map { index in (index.rawValue, m.cfaStored(index).map(mean)) }
        return .init(rounding: rounding.rawValue, submodels: CFASubModel.all.map(\.name), perContext: perContext,
                     perContextMean: OrderedMap(means.map { ($0.0, OrderedMap(Array(zip(m.contextNames, $0.1)))) }),
                     overallMean: OrderedMap(means.map { ($0.0, mean($0.1)) }))
    }

    static func alpha(_ m: ModelScores) -> MetricsDocument.CronbachAlpha {
        let perContextMean = m.contexts.map { mean($0.alpha) }
        return .init(perContext: OrderedMap(m.contexts.map { c in (c.name, OrderedMap(Array(zip(m.values, c.alpha)))) }),
                     perContextMean: OrderedMap(Array(zip(m.contextNames, perContextMean))),
                     perValueMean: OrderedMap(m.values.indices.map { v in (m.values[v], mean(m.contexts.map { $0.alpha[v] })) }),
                     overall: mean(perContextMean))
    }

    static func bootstrap(_ b: BootstrapSummary) -> MetricsDocument.Bootstrap {
        .init(replicates: b.replicates, seed: b.seed, level: b.level,
              method: "percentile; personas resampled with replacement, the same draw in every context",
              intervals: OrderedMap(b.statistics.map { name in
                  let ci = b.interval(name)!
                  return (name, [ci.lower, ci.upper])
              }),
              statistics: b.statistics, values: (0..<b.values.rows).map { b.values.row($0) })
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
