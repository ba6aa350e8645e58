// Rank-Order and Ipsative stability (StickPsychometrics/README.md §3): Spearman correlations of centred value scores
// across context pairs, with scipy's conventions (average ranks for ties, exactly constant input → NaN)
// and numpy's plain, NaN-propagating means. Built to be called ~1000 times per model by a persona
// bootstrap, so ranks come from a per-column presort instead of a sort per call.

/// Rank-Order stability of one model (or one bootstrap replicate).
public struct RankOrderResult: Sendable {
    /// Context index pairs in `itertools.combinations` order: (0,1), (0,2), …, (C−2, C−1).
    public var pairs: [(Int, Int)]
    /// `perValuePairs[v][i]`: Spearman r over personas of value v between the contexts of pair i.
    public var perValuePairs: [[Double]]
    /// Mean over pairs per value (NaN propagates).
    public var perValue: [Double]
    /// "Rank-Order": mean of `perValue` (NaN propagates).
    public var overall: Double
    /// contexts × contexts, symmetric, diagonal 1 (even for an all-NaN context); entry = mean over values
    /// of r for that pair (NaN propagates). The leaderboard uses the off-diagonal entries.
    public var pairwise: Matrix
}

/// Ipsative stability: per persona, Spearman between its value profiles in two contexts.
public struct IpsativeResult: Sendable {
    /// Context index pairs in `itertools.combinations` order.
    public var pairs: [(Int, Int)]
    /// `correlations[i][p]`: pair i, persona p. NaN when a profile is constant (a persona answering
    /// every item identically has all centred scores 0).
    public var correlations: [[Double]]
    /// Mean over personas per pair (NaN propagates).
    public var pairMeans: [Double]
    /// Mean over all pairs × personas (NaN propagates).
    public var overall: Double
}

public enum RankOrder {
    /// All unordered context pairs (a < b) in `itertools.combinations` order.
    public static func pairs(contextCount: Int) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        out.reserveCapacity(max(0, contextCount * (contextCount - 1) / 2))
        for a in 0..<max(contextCount, 0) {
            for b in (a + 1)..<max(contextCount, a + 1) { out.append((a, b)) }
        }
        return out
    }

    /// Rank-Order stability over all personas.
    /// - Parameter centred: one personas × values matrix per context (same persona order, same value
    ///   order in every context), e.g. `ValueScoring.scores(...).centred`.
    public static func stability(centred: [Matrix]) -> RankOrderResult {
        var workspace = Workspace(centred: centred)
        return workspace.stability()
    }

    /// Ipsative stability over all personas (Spearman of each persona's value profile between contexts).
    public static func ipsative(centred: [Matrix]) -> IpsativeResult {
        let contexts = centred.count
        let n = centred.first?.rows ?? 0
        let values = centred.first?.cols ?? 0
        precondition(centred.allSatisfy { $0.rows == n && $0.cols == values },
                     "every context needs the same personas × values shape")
        // Rank every (context, persona) profile once; each enters 8 pairs.
        var profiles = [[Double]](repeating: [], count: contexts * n)
        var scales = [Double](repeating: .nan, count: contexts * n)
        for c in 0..<contexts {
            for p in 0..<n {
                let (d, s) = centredRanks(centred[c].row(p))
                profiles[c * n + p] = d
                scales[c * n + p] = s
            }
        }
        let inv = values > 1 ? 1.0 / Double(values - 1) : .nan
        let pairList = pairs(contextCount: contexts)
        var correlations: [[Double]] = []
        correlations.reserveCapacity(pairList.count)
        var pairMeans: [Double] = []
        var all: [Double] = []
        all.reserveCapacity(pairList.count * n)
        for (a, b) in pairList {
            var row = [Double](repeating: .nan, count: n)
            for p in 0..<n {
                row[p] = correlation(profiles[a * n + p], scales[a * n + p],
                                     profiles[b * n + p], scales[b * n + p], inv: inv)
            }
            correlations.append(row)
            pairMeans.append(ValueScoring.numpyMean(row))
            all.append(contentsOf: row)
        }
        return IpsativeResult(pairs: pairList, correlations: correlations, pairMeans: pairMeans,
                              overall: ValueScoring.numpyMean(all))
    }

    /// Average ranks (scipy `rankdata`) centred on their mean, and the numpy standard deviation
    /// sqrt(Σd²/(n−1)); the scale is NaN when the input is constant, contains NaN or has < 2 elements.
    /// Ranks are half-integers, so the centring and Σd² are exact.
    static func centredRanks(_ x: [Double]) -> (ranks: [Double], scale: Double) {
        let n = x.count
        guard n > 1, !x.contains(where: { $0.isNaN }) else { return ([Double](repeating: 0, count: n), .nan) }
        let ranks = Ranks.average(x)
        let mean = Double(n + 1) / 2
        var ss = 0.0
        var d = ranks
        for i in 0..<n {
            d[i] -= mean
            ss += d[i] * d[i]
        }
        return (d, ss == 0 ? .nan : (ss * (1.0 / Double(n - 1))).squareRoot())
    }

    /// numpy.corrcoef's order of operations on centred ranks: cov = Σxy·(1/(n−1)), divided by each
    /// standard deviation in turn, clipped to [−1, 1].
    @inline(__always)
    static func correlation(_ x: [Double], _ sx: Double, _ y: [Double], _ sy: Double, inv: Double) -> Double {
        if sx.isNaN || sy.isNaN { return .nan }
        var sxy = 0.0
        for i in 0..<x.count { sxy += x[i] * y[i] }
        let r = (sxy * inv) / sx / sy
        return min(max(r, -1), 1)
    }
}

extension RankOrder {
    /// Reusable state for repeated Rank-Order computations on persona resamples of the same data
    /// (the bootstrap). Every (context, value) column is sorted once at init; a call then ranks a
    /// resample in O(N) per column by walking the presorted order with the resample's multiplicities,
    /// which gives exactly scipy's average ranks (duplicated personas are ties). Buffers are reused
    /// across calls. A value type: give each concurrent task its own copy.
    ///
    ///     let shared = RankOrder.Workspace(centred: centred)
    ///     DispatchQueue.concurrentPerform(iterations: draws.count) { r in
    ///         var local = shared                     // copies the buffers on first use
    ///         let ro = local.stability(resample: draws[r])
    ///         …
    ///     }
    ///
    /// `stability(resample: pick)` equals `RankOrder.stability(centred: centred.map { $0.selectingRows(pick) })`
    /// bit for bit, at about a quarter of the cost (no sort).
    public struct Workspace: Sendable {
        public let contextCount: Int
        public let valueCount: Int
        /// Personas in the original data (resample indices must be in 0..<personaCount).
        public let personaCount: Int
        public let pairs: [(Int, Int)]

        /// Per column (context c, value v → c·V + v), the non-NaN personas sorted by centred score:
        /// `order[col·N ..< col·N + validCount[col]]`.
        private var order: [Int32]
        /// `startsTie[col·N + j]`: position j of the sorted order holds a different value than j − 1.
        private var startsTie: [Bool]
        private var validCount: [Int]
        /// Personas whose score is NaN, per column (a resample containing one makes the column NaN,
        /// as scipy's spearmanr propagates NaN).
        private var nanPersonas: [[Int32]]

        // Scratch, reused across calls.
        private var multiplicity: [Int32]
        private var rankOfPersona: [Double]
        private var ranks: [Double]      // columns × n, centred ranks of the current resample
        private var scales: [Double]     // columns: sqrt(Σd²/(n−1)), NaN = undefined column
        private var identity: [Int]

        public init(centred: [Matrix]) {
            let n = centred.first?.rows ?? 0
            let values = centred.first?.cols ?? 0
            precondition(centred.allSatisfy { $0.rows == n && $0.cols == values },
                         "every context needs the same personas × values shape")
            contextCount = centred.count
            valueCount = values
            personaCount = n
            pairs = RankOrder.pairs(contextCount: centred.count)
            let columns = centred.count * values
            order = [Int32](repeating: 0, count: columns * n)
            startsTie = [Bool](repeating: true, count: columns * n)
            validCount = [Int](repeating: 0, count: columns)
            nanPersonas = [[Int32]](repeating: [], count: columns)
            var x = [Double](repeating: 0, count: n)
            var sorted = [Int32](repeating: 0, count: n)
            for c in 0..<centred.count {
                let storage = centred[c].storage
                for v in 0..<values {
                    let col = c * values + v
                    var valid = 0
                    for p in 0..<n {
                        x[p] = storage[p * values + v]
                        if x[p].isNaN { nanPersonas[col].append(Int32(p)) } else { sorted[valid] = Int32(p); valid += 1 }
                    }
                    Self.sortIndices(&sorted, count: valid, by: x)
                    validCount[col] = valid
                    for j in 0..<valid {
                        let p = Int(sorted[j])
                        order[col * n + j] = sorted[j]
                        // Ties by exact equality, as rankdata and the constant-input test use.
                        startsTie[col * n + j] = j == 0 || x[p] != x[Int(sorted[j - 1])]
                    }
                }
            }
            multiplicity = [Int32](repeating: 0, count: n)
            rankOfPersona = [Double](repeating: 0, count: n)
            ranks = []
            scales = [Double](repeating: .nan, count: columns)
            identity = Array(0..<n)
        }

        /// Sorts `indices[0..<count]` ascending by `keys` (no NaN among them). Insertion sort for the
        /// usual 50 personas (faster than a general sort at that size), the standard sort above 64.
        private static func sortIndices(_ indices: inout [Int32], count: Int, by keys: [Double]) {
            keys.withUnsafeBufferPointer { key in
                indices.withUnsafeMutableBufferPointer { idx in
                    if count > 64 {
                        idx[0..<count].sort { key[Int($0)] < key[Int($1)] }
                        return
                    }
                    var i = 1
                    while i < count {
                        let item = idx[i], value = key[Int(item)]
                        var j = i
                        while j > 0 && key[Int(idx[j - 1])] > value {
                            idx[j] = idx[j - 1]
                            j -= 1
                        }
                        idx[j] = item
                        i += 1
                    }
                }
            }
        }

        /// Rank-Order over all personas, in their original order.
        public mutating func stability() -> RankOrderResult {
            let all = identity
            return stability(resample: all)
        }

        /// Rank-Order over a persona resample: row i of every context is original persona
        /// `resample[i]` (duplicates allowed; they tie, and a resample can make a column constant → NaN).
        public mutating func stability(resample: [Int]) -> RankOrderResult {
            rankColumns(resample)
            let n = resample.count
            let inv = n > 1 ? 1.0 / Double(n - 1) : .nan
            let pairCount = pairs.count, values = valueCount
            var flat = [Double](repeating: .nan, count: values * pairCount)  // [v][pair]
            var pairwise = Matrix.identity(contextCount)
            var perPair = [Double](repeating: .nan, count: values)
            ranks.withUnsafeBufferPointer { d in
            scales.withUnsafeBufferPointer { scales in
            flat.withUnsafeMutableBufferPointer { flat in
                for (i, (a, b)) in pairs.enumerated() {
                    for v in 0..<values {
                        let ca = a * values + v, cb = b * values + v
                        let sa = scales[ca], sb = scales[cb]
                        var r = Double.nan
                        if !sa.isNaN && !sb.isNaN {
                            // Centred ranks are multiples of 1/2, so every partial sum is exact
                            // (for n ≲ 10⁵) and four accumulators give numpy's dot product bit for bit.
                            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                            let oa = ca * n, ob = cb * n
                            var k = 0
                            while k + 4 <= n {
                                s0 += d[oa + k] * d[ob + k]
                                s1 += d[oa + k + 1] * d[ob + k + 1]
                                s2 += d[oa + k + 2] * d[ob + k + 2]
                                s3 += d[oa + k + 3] * d[ob + k + 3]
                                k += 4
                            }
                            while k < n { s0 += d[oa + k] * d[ob + k]; k += 1 }
                            let sxy = (s0 + s1) + (s2 + s3)
                            r = min(max((sxy * inv) / sa / sb, -1), 1)
                        }
                        flat[v * pairCount + i] = r
                        perPair[v] = r
                    }
                    let m = ValueScoring.numpyMean(perPair)
                    pairwise[a, b] = m
                    pairwise[b, a] = m
                }
            }
            }
            }
            let perValuePairs = (0..<values).map { Array(flat[($0 * pairCount)..<(($0 + 1) * pairCount)]) }
            let perValue = perValuePairs.map { ValueScoring.numpyMean($0) }
            return RankOrderResult(pairs: pairs, perValuePairs: perValuePairs, perValue: perValue,
                                   overall: ValueScoring.numpyMean(perValue), pairwise: pairwise)
        }

        /// Fills `ranks` (centred average ranks per column for this resample) and `scales`.
        private mutating func rankColumns(_ resample: [Int]) {
            let n = resample.count
            let big = personaCount
            let columns = contextCount * valueCount
            if ranks.count != columns * n { ranks = [Double](repeating: 0, count: columns * n) }
            for p in 0..<big { multiplicity[p] = 0 }
            for p in resample {
                precondition(p >= 0 && p < big, "resample index \(p) out of range 0..<\(big)")
                multiplicity[p] += 1
            }
            // Average ranks sum to n(n+1)/2 exactly, so numpy's mean of the ranks is exactly (n+1)/2.
            let mean = Double(n + 1) / 2
            let inv = n > 1 ? 1.0 / Double(n - 1) : .nan
            // Unsafe buffers: this loop is the bootstrap's hot path (bounds checks cost ~2×).
            order.withUnsafeBufferPointer { order in
            startsTie.withUnsafeBufferPointer { startsTie in
            multiplicity.withUnsafeBufferPointer { multiplicity in
            rankOfPersona.withUnsafeMutableBufferPointer { rankOfPersona in
            ranks.withUnsafeMutableBufferPointer { ranks in
            resample.withUnsafeBufferPointer { resample in
                for col in 0..<columns {
                    if n < 2 || nanPersonas[col].contains(where: { multiplicity[Int($0)] > 0 }) {
                        scales[col] = .nan
                        continue
                    }
                    // Walk tie groups of the presorted order; a group holding g sampled rows occupies
                    // positions pos+1 … pos+g, whose mean is pos + (g+1)/2 (exact: a half-integer).
                    let base = col * big, count = validCount[col]
                    var pos = 0, j = 0
                    while j < count {
                        var k = j, g: Int32 = 0
                        repeat {
                            g += multiplicity[Int(order[base + k])]
                            k += 1
                        } while k < count && !startsTie[base + k]
                        let rank = Double(pos) + Double(g + 1) / 2
                        for m in j..<k { rankOfPersona[Int(order[base + m])] = rank }
                        pos += Int(g)
                        j = k
                    }
                    var ss = 0.0
                    let out = col * n
                    for i in 0..<n {
                        let d = rankOfPersona[resample[i]] - mean
                        ranks[out + i] = d
                        ss += d * d
                    }
                    // Σd² = 0 ⇔ every rank equal ⇔ the column is exactly constant (scipy → NaN).
                    scales[col] = ss == 0 ? .nan : (ss * inv).squareRoot()
                }
            }
            }
            }
            }
            }
            }
        }
    }
}
