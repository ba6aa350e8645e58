// Every statistic of one model (StickPsychometrics/README.md §2–6) from its answers, with percentile
// bootstrap intervals over personas on request (§8). Contexts are independent, so they run in parallel;
// so do bootstrap replicates.
import Foundation
import StickArtifacts
import StickPsychometrics

public struct ScoreOptions: Sendable {
    /// The Stress variant reported as "the" Stress (the leaderboard's); both are computed unless `bothStressVariants` is false.
    public var stressVariant: StressVariant = .legacy
    public var bothStressVariants = true
    public var cfa = true
    public var cfaRounding: CFARounding = .reference
    public var ipsative = false
    /// Bootstrap replicates (0: none).
    public var bootstrap = 0
    public var seed: UInt64 = 0
    public var level = 0.95

    public init() {}
}

public struct ContextScores: Sendable {
    public var name: String
    public var instrument: String
    /// The instrument's keys, values in the model's common order.
    public var keying: ValueKeying
    public var valueScores: ValueScores
    /// Per variant; nil where Stress is undefined (every item pair has δ = 0: all personas answered alike).
    public var stress: [StressVariant: StressResult?]
    /// One fit per CFA sub-model, in `CFASubModel.all` order (empty when CFA is off).
    public var cfa: [CFAFit]
    public var alpha: [Double]
    /// Personas with a complete answer set, used by Stress, CFA and alpha here.
    public var completePersonas: Int
}

public struct ModelScores: Sendable {
    public var model: String
    public var values: [String]
    public var personas: [String]
    public var contexts: [ContextScores]
    public var rankOrder: RankOrderResult
    public var ipsative: IpsativeResult?
    public var bootstrap: BootstrapSummary?
    public var options: ScoreOptions
    public var warnings: [String]
    /// Carried from the answers artifact for the report.
    public var parseCounts: JSONObject? = nil
    public var usage: JSONObject? = nil

    public var contextNames: [String] { contexts.map(\.name) }

    /// The reported Stress of each context (the chosen variant; NaN where undefined).
    public func stress(_ variant: StressVariant? = nil) -> [Double] {
        contexts.map { c in (c.stress[variant ?? options.stressVariant] ?? nil)?.stress ?? .nan }
    }

    /// The stored (rounded or failure) value of a CFA index per context and sub-model.
    public func cfaStored(_ index: CFAIndex) -> [[Double]] {
        contexts.map { c in c.cfa.map { index.value($0.stored(rounding: options.cfaRounding)) } }
    }
}

/// The four CFA fit indices by name, in the reference's order.
public enum CFAIndex: String, CaseIterable, Sendable {
    case cfi, tli, srmr, rmsea

    public func value(_ indices: CFAIndices) -> Double {
        switch self {
        case .cfi: return indices.cfi
        case .tli: return indices.tli
        case .srmr: return indices.srmr
        case .rmsea: return indices.rmsea
        }
    }
}

public enum Scorer {
    public static func score(_ input: ScoreInput, options: ScoreOptions = ScoreOptions()) throws -> ModelScores {
        try input.validate()
        var warnings: [String] = []
        let values = input.values
        let variants: [StressVariant] = options.bothStressVariants ? StressVariant.allCases : [options.stressVariant]

        // Per context, in parallel: value scores, Stress, CFA, alpha.
        let perContext = ConcurrentSlots<(ContextScores, [String])>(count: input.contexts.count)
        DispatchQueue.concurrentPerform(iterations: input.contexts.count) { i in
            perContext.set(i, scoreContext(input.contexts[i], values: values, variants: variants, options: options))
        }
        let results = perContext.values.map { $0! }
        let contexts = results.map(\.0)
        warnings += results.flatMap(\.1)

        // Rank-Order over the personas answered completely in every context (listwise).
        let complete = completeRows(input)
        if complete.count < input.personas.count {
            warnings.append("\(input.personas.count - complete.count) personas lack answers in some context; Rank-Order "
                + "and Ipsative use the \(complete.count) personas answered completely everywhere")
        }
        let centred = contexts.map { $0.valueScores.centred.selectingRows(complete) }
        let rankOrder = RankOrder.stability(centred: centred)
        let ipsative = options.ipsative ? RankOrder.ipsative(centred: centred) : nil
        for (c, scores) in zip(contexts, contexts.map(\.stress)) where (scores[options.stressVariant] ?? nil) == nil {
            warnings.append("context '\(c.name)': every item pair has the same correlation profile (all personas answer "
                + "alike?): Stress is undefined there (NaN); the reference crashes on such input")
        }

        var model = ModelScores(model: input.model, values: values, personas: input.personas, contexts: contexts,
                                rankOrder: rankOrder, ipsative: ipsative, bootstrap: nil, options: options, warnings: warnings,
                                parseCounts: input.parseCounts, usage: input.usage)
        if options.bootstrap > 0 {
            model.bootstrap = BootstrapRunner.run(input, centred: centred, completeRows: complete, options: options)
        }
        return model
    }

    /// Rows with an answer to every item in every context.
    static func completeRows(_ input: ScoreInput) -> [Int] {
        input.contexts.reduce(Array(0..<input.personas.count)) { rows, c in
            let answered = Set(answeredRows(c.answers))
            return rows.filter(answered.contains)
        }
    }

    /// Rows of `answers` with no missing item.
    static func answeredRows(_ answers: Matrix) -> [Int] {
        (0..<answers.rows).filter { p in (0..<answers.cols).allSatisfy { !answers[p, $0].isNaN } }
    }

    static func scoreContext(_ context: ScoreInput.Context, values: [String], variants: [StressVariant],
                             options: ScoreOptions) -> (ContextScores, [String]) {
        var notes: [String] = []
        // Values in the model's common order, so that Rank-Order correlates like with like.
        let keying = context.keying.reordered(as: values)
        let valueScores = ValueScoring.scores(answers: context.answers, keying: keying)
        let rows = answeredRows(context.answers)
        if rows.count < context.answers.rows {
            notes.append("context '\(context.name)': \(context.answers.rows - rows.count) personas with unanswered items are left "
                + "out of Stress, CFA and alpha there (listwise, as lavaan does)")
        }
        let answers = rows.count == context.answers.rows ? context.answers : context.answers.selectingRows(rows)
        var stress: [StressVariant: StressResult?] = [:]
        // Item correlations and dissimilarities once, shared by both SMACOF variants.
        let stressInput = StressInput(answers: answers, keying: keying)
        for v in variants { stress[v] = stressInput?.run(v) }
        let cfa = options.cfa ? CFASubModel.all.map { CFA.fit(subModel: $0, answers: answers, keying: keying) } : []
        let alpha = CronbachAlpha.perValue(answers: answers, keying: keying)
        return (ContextScores(name: context.name, instrument: context.instrument, keying: keying, valueScores: valueScores, stress: stress,
                              cfa: cfa, alpha: alpha, completePersonas: rows.count), notes)
    }
}

/// Per-index results written from concurrent iterations.
final class ConcurrentSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.lock()
        storage[i] = value
        lock.unlock()
    }

    var values: [T?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
