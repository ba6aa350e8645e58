// Percentile bootstrap over personas (beyond the reference): resample the personas with replacement —
// the same draw in every context, since personas are matched across contexts — and recompute
// Rank-Order, Stress and the stored CFA indices. Replicates run in parallel; each has its own
// deterministic draw from the seed, so the result does not depend on scheduling.
import Foundation
import StickPsychometrics

public struct BootstrapSummary: Sendable {
    public var replicates: Int
    public var seed: UInt64
    public var level: Double
    /// Statistic names, e.g. "rank_order", "rank_order/value/Power", "rank_order/chunk_0/chunk_1", "stress/chunk_0", "stress", "cfi/chunk_0", "cfi".
    public var statistics: [String]
    /// replicates × statistics (NaN where a replicate leaves a statistic undefined).
    public var values: Matrix

    /// The percentile interval of each statistic (NaN replicates ignored; NaN when all are).
    public func interval(_ statistic: String) -> (lower: Double, upper: Double)? {
        guard let j = statistics.firstIndex(of: statistic) else { return nil }
        return Bootstrap.percentileInterval(values.column(j), level: level)
    }
}

enum BootstrapRunner {
    static func statisticNames(_ contexts: [String], values: [String], cfa: Bool) -> [String] {
        var names = ["rank_order"] + values.map { "rank_order/value/\($0)" }
        for i in contexts.indices { for j in (i + 1)..<contexts.count { names.append("rank_order/\(contexts[i])/\(contexts[j])") } }
        names += contexts.map { "stress/\($0)" } + ["stress"]
        if cfa { for index in CFAIndex.allCases { names += contexts.map { "\(index.rawValue)/\($0)" } + [index.rawValue] } }
        return names
    }

    static func run(_ input: ScoreInput, centred: [Matrix], completeRows: [Int], options: ScoreOptions) -> BootstrapSummary {
        let names = statisticNames(input.contexts.map(\.name), values: input.values, cfa: options.cfa)
        let n = completeRows.count
        let draws = Bootstrap.resamples(count: options.bootstrap, size: n, seed: options.seed)
        let values = input.values
        // Answers restricted to the complete personas, values in the common order.
        let answers = input.contexts.map { $0.answers.selectingRows(completeRows) }
        let keyings = input.contexts.map { $0.keying.reordered(as: values) }
        // Ranks of each (context, value) column are computed once; a replicate derives its ranks from the draw.
        let workspace = RankOrder.Workspace(centred: centred)
        let rows = ConcurrentSlots<[Double]>(count: options.bootstrap)
        DispatchQueue.concurrentPerform(iterations: options.bootstrap) { r in
            let pick = draws[r]
            var out: [Double] = []
            out.reserveCapacity(names.count)
            var local = workspace
            let ro = local.stability(resample: pick)
            out.append(ro.overall)
            out += ro.perValue
            for i in 0..<centred.count { for j in (i + 1)..<centred.count { out.append(ro.pairwise[i, j]) } }
            let resampled = answers.map { $0.selectingRows(pick) }
            let stress = zip(resampled, keyings).map { a, k in
                Stress.compute(answers: a, keying: k, variant: options.stressVariant)?.stress ?? .nan
            }
            out += stress + [ScoreDocuments.mean(stress)]
            if options.cfa {
                let stored = zip(resampled, keyings).map { a, k in
                    CFASubModel.all.map { CFA.fit(subModel: $0, answers: a, keying: k).stored(rounding: options.cfaRounding) }
                }
                for index in CFAIndex.allCases {
                    let perContext = stored.map { fits in ScoreDocuments.mean(fits.map { index.value($0) }) }
                    out += perContext + [ScoreDocuments.mean(perContext)]
                }
            }
            rows.set(r, out)
        }
        let flat = rows.values.flatMap { $0! }
        return BootstrapSummary(replicates: options.bootstrap, seed: options.seed, level: options.level, statistics: names,
                                values: Matrix(rows: options.bootstrap, cols: names.count, storage: flat))
    }
}
