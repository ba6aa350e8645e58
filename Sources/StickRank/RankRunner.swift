// The leaderboard of many models (StickPsychometrics/README.md §7): the 72 columns, Cardinal score and Ordinal win
// rate, benchbench's diversity and sensitivity, and — beyond the reference — rank intervals from the
// models' bootstrap replicates.
import Foundation
import StickArtifacts
import StickPsychometrics

public struct RankOptions: Sendable {
    /// The contexts whose columns make the leaderboard, in column order; nil: the leaderboard's nine in
    /// the reference's order when the models have exactly those, else the first model's order.
    public var contexts: [String]? = nil
    /// Compute diversity and both sensitivities (benchbench).
    public var benchbench = true
    /// Seed of our (documented, not torch-identical) ordinal sensitivity generator.
    public var seed: UInt64 = 0
    public var level = 0.95
    public init() {}

    /// The options a leaderboard recorded (`stick audit` reruns rank with them).
    public init(recorded params: LeaderboardDocument.Parameters) {
        benchbench = params.benchbench
        seed = params.seed
        level = params.level
    }

    /// What a leaderboard records of these options, with the row order it was written in.
    public func recorded(sort: String?, ascending: Bool) -> LeaderboardDocument.Parameters {
        LeaderboardDocument.Parameters(seed: seed, benchbench: benchbench, sort: sort, ascending: ascending, level: level)
    }
}

/// How often a model holds each rank over the bootstrap replicates, and its percentile interval.
public struct RankInterval: Sendable {
    /// distribution[k] = share of replicates in which the model ranks k + 1.
    public var distribution: [Double]
    public var lower: Int
    public var upper: Int
}

public struct RankedLeaderboard: Sendable {
    public var table: LeaderboardTable
    public var inputs: [RankedModelInput]
    public var contexts: [String]
    public var cardinalDiversity: (oneMinusW: Double, meanPairwiseMRC: Double)?
    public var ordinalDiversity: (oneMinusW: Double, meanPairwiseMRC: Double)?
    public var cardinalSensitivity: (tauPrime: Double, mrc: Double)?
    public var ordinalSensitivity: (tauPrime: Double, mrc: Double)?
    /// Per model (table order), when any model has bootstrap replicates.
    public var cardinalRanks: [RankInterval]?
    public var ordinalRanks: [RankInterval]?
    /// Replicates used for the rank intervals, and the models held fixed (no replicates).
    public var replicates = 0
    public var fixedModels: [String] = []
    public var warnings: [String] = []
}

public enum RankRunner {
    public static func rank(_ inputs: [RankedModelInput], options: RankOptions = RankOptions()) throws -> RankedLeaderboard {
        guard inputs.count >= 2 else { throw StickError("a leaderboard needs at least two models, got \(inputs.count)") }
        var seen = Set<String>()
        for i in inputs where !seen.insert(i.metrics.name).inserted {
            throw StickError("model '\(i.metrics.name)' appears twice (\(i.file)); give each model its own name "
                + "(score --model NAME)")
        }
        let contexts = try options.contexts ?? Self.contexts(of: inputs)
        let table = try Leaderboard.build(inputs.map(\.metrics), contexts: contexts)
        var result = RankedLeaderboard(table: table, inputs: inputs, contexts: contexts)
        if options.benchbench {
            result.cardinalDiversity = Benchbench.diversity(table.values)
            result.ordinalDiversity = Benchbench.ordinalDiversity(table.values)
            result.cardinalSensitivity = Benchbench.cardinalSensitivity(table.values)
            result.ordinalSensitivity = Benchbench.ordinalSensitivity(table.values, seed: options.seed)
        }
        let withReplicates = inputs.filter { $0.replicates != nil }
        if !withReplicates.isEmpty {
            let counts = withReplicates.map { $0.replicates!.values.map(\.count).min() ?? 0 }
            let b = counts.min() ?? 0
            if b > 0 {
                result.replicates = b
                result.fixedModels = inputs.filter { $0.replicates == nil }.map(\.metrics.name)
                if Set(counts).count > 1 {
                    result.warnings.append("models carry different numbers of bootstrap replicates; the first \(b) of each are used")
                }
                (result.cardinalRanks, result.ordinalRanks) = rankIntervals(inputs, table: table, replicates: b,
                                                                            contexts: contexts, level: options.level)
            }
        }
        return result
    }

    /// The common contexts of the models: the leaderboard's nine in canonical order, else the first
    /// model's order; every model must have the same set.
    static func contexts(of inputs: [RankedModelInput]) throws -> [String] {
        let first = inputs[0]
        for i in inputs.dropFirst() where Set(i.contexts) != Set(first.contexts) {
            throw StickError("\(i.metrics.name) (\(i.file)) has the contexts \(i.contexts.sorted()), \(first.metrics.name) has "
                + "\(first.contexts.sorted()): a leaderboard compares models on the same contexts")
        }
        guard first.contexts.count >= 2 else { throw StickError("\(first.file) lists fewer than two contexts") }
        return Set(first.contexts) == Set(Leaderboard.contexts) ? Leaderboard.contexts : first.contexts
    }

    /// The 72 columns of one model in one bootstrap replicate (its point values when it has none).
    static func replicateColumns(_ input: RankedModelInput, replicate r: Int, pointRow: [Double], contexts: [String]) -> [Double] {
        guard let reps = input.replicates else { return pointRow }
        func v(_ name: String) -> Double { reps[name].map { $0[r] } ?? .nan }
        var row: [Double] = []
        for i in contexts.indices { for j in (i + 1)..<contexts.count { row.append(v("rank_order/\(contexts[i])/\(contexts[j])")) } }
        row += contexts.map { 1 - v("stress/\($0)") }
        row += contexts.map { v("cfi/\($0)") }
        row += contexts.map { 1 - v("srmr/\($0)") }
        row += contexts.map { 1 - v("rmsea/\($0)") }
        return row
    }

    /// Ranks (1 = best) by descending score; ties share the best rank, NaN ranks last.
    static func ranks(_ scores: [Double]) -> [Int] {
        scores.map { s in s.isNaN ? scores.count : 1 + scores.filter { !$0.isNaN && $0 > s }.count }
    }

    static func rankIntervals(_ inputs: [RankedModelInput], table: LeaderboardTable, replicates: Int, contexts: [String],
                              level: Double) -> ([RankInterval], [RankInterval]) {
        let m = inputs.count
        var cardinal = [[Int]](repeating: [], count: m), ordinal = [[Int]](repeating: [], count: m)
        for r in 0..<replicates {
            let rows = inputs.indices.map { replicateColumns(inputs[$0], replicate: r, pointRow: table.values.row($0), contexts: contexts) }
            let values = Matrix(rows)
            let cardinalScores = rows.map { Leaderboard.nanMean($0) }
            let wins = Leaderboard.winRates(values)
            let ordinalScores = (0..<m).map { i in wins.row(i).reduce(0, +) / Double(wins.cols) }
            for (i, k) in ranks(cardinalScores).enumerated() { cardinal[i].append(k) }
            for (i, k) in ranks(ordinalScores).enumerated() { ordinal[i].append(k) }
        }
        func summarize(_ draws: [Int]) -> RankInterval {
            var distribution = [Double](repeating: 0, count: m)
            for k in draws { distribution[k - 1] += 1 / Double(draws.count) }
            let sorted = draws.sorted()
            let tail = (1 - level) / 2
            let lo = sorted[min(sorted.count - 1, Int((tail * Double(sorted.count)).rounded(.down)))]
            let hi = sorted[max(0, Int(((1 - tail) * Double(sorted.count)).rounded(.up)) - 1)]
            return RankInterval(distribution: distribution, lower: lo, upper: hi)
        }
        return (cardinal.map(summarize), ordinal.map(summarize))
    }
}
