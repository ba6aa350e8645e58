// Per-persona value scores and their ipsative centring (StickPsychometrics/README.md §2), the input of Rank-Order,
// Ipsative stability and Cronbach's alpha. Pure functions, no IO.

/// One context's value scores for every persona.
public struct ValueScores: Equatable, Sendable {
    /// personas × values: s(p, v), the plain mean of the value's item answers.
    public var raw: Matrix
    /// m(p): the mean of ALL K answers of the persona (SVS: including the 11 unkeyed items).
    public var personaMeans: [Double]
    /// personas × values: c(p, v) = s(p, v) − m(p). No division by an SD (the reference does none).
    public var centred: Matrix

    public init(raw: Matrix, personaMeans: [Double], centred: Matrix) {
        self.raw = raw
        self.personaMeans = personaMeans
        self.centred = centred
    }
}

public enum ValueScoring {
    /// Value scores of one context.
    /// - Parameters:
    ///   - answers: personas × K raw answers, columns in questionnaire item order.
    ///   - keying: which items score which value; `keying.itemCount` must equal K.
    /// Means use numpy's summation order (`numpyMean`), so the centred scores are the same doubles the
    /// reference computes — this matters because Rank-Order's "constant input → NaN" rule is an exact
    /// float equality test.
    public static func scores(answers: Matrix, keying: ValueKeying) -> ValueScores {
        precondition(answers.cols == keying.itemCount,
                     "answers have \(answers.cols) items, the keying expects \(keying.itemCount)")
        let n = answers.rows, values = keying.values.count
        var raw = Matrix(rows: n, cols: values)
        var centred = Matrix(rows: n, cols: values)
        var means = [Double](repeating: 0, count: n)
        var buffer = [Double]()
        for p in 0..<n {
            let row = answers.row(p)
            let m = numpyMean(row)
            means[p] = m
            for v in 0..<values {
                buffer.removeAll(keepingCapacity: true)
                for i in keying.items[v] { buffer.append(row[i]) }
                let s = numpyMean(buffer)
                raw[p, v] = s
                centred[p, v] = s - m
            }
        }
        return ValueScores(raw: raw, personaMeans: means, centred: centred)
    }

    /// The centred answers a(p, i) − m(p) of every item (personas × K); Cronbach's alpha uses them.
    public static func centredAnswers(_ answers: Matrix) -> Matrix {
        var out = answers
        for p in 0..<answers.rows {
            let m = numpyMean(answers.row(p))
            for i in 0..<answers.cols { out[p, i] -= m }
        }
        return out
    }

    /// `np.mean` of a 1-D float64 array: numpy's pairwise summation (8 accumulators up to 128
    /// elements, halving above) divided by the count. NaN propagates; empty → NaN.
    /// Bit-compatible order keeps our means identical to the reference's, not merely close.
    public static func numpyMean(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { numpyMean($0) }
    }

    /// `numpyMean` over a buffer (no copy).
    public static func numpyMean(_ x: UnsafeBufferPointer<Double>) -> Double {
        guard !x.isEmpty else { return .nan }
        return numpySum(x) / Double(x.count)
    }

    /// numpy's `pairwise_sum` for float64 (numpy/core/src/umath/loops_utils.h.src), started from the
    /// additive identity 0 as `np.add.reduce` does.
    public static func numpySum(_ x: UnsafeBufferPointer<Double>) -> Double {
        0 + pairwiseSum(x, 0, x.count)
    }

    private static func pairwiseSum(_ a: UnsafeBufferPointer<Double>, _ start: Int, _ n: Int) -> Double {
        if n < 8 {
            var res = 0.0
            for i in 0..<n { res += a[start + i] }
            return res
        } else if n <= 128 {
            var r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3]
            var r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7]
            var i = 8
            while i < n - (n % 8) {
                r0 += a[start + i]; r1 += a[start + i + 1]; r2 += a[start + i + 2]; r3 += a[start + i + 3]
                r4 += a[start + i + 4]; r5 += a[start + i + 5]; r6 += a[start + i + 6]; r7 += a[start + i + 7]
                i += 8
            }
            var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n { res += a[start + i]; i += 1 }
            return res
        } else {
            var n2 = n / 2
            n2 -= n2 % 8
            return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2)
        }
    }
}
