// The floating-point operation order of the few PyTorch CPU kernels (x86-64, AVX2 build) that
// benchbench's cardinal sensitivity runs. That optimisation takes 1000 steps of float32 gradient
// descent; a one-ulp difference in a weight can change which model pairs are active later on, so the
// sums are reproduced in the kernels' order rather than just "accurately". Sources: ATen
// native/cpu/SumKernel.cpp (cascade_sum), cpu/vec/functional_base.h (reduce_all, map2_reduce_all,
// the AVX2 horizontal reduction), native/cpu/SoftMaxKernel.cpp, SLEEF's expf (u10, FMA variant).

enum TorchCPU {
    /// AVX2 vector widths: 8 floats or 4 doubles per 256-bit register.
    static let floatLanes = 8
    static let doubleLanes = 4

    // MARK: cascade_sum (torch.sum / mean on CPU)

    /// `utils::CeilLog2`.
    static func ceilLog2(_ x: Int) -> Int {
        x <= 2 ? 1 : (Int.bitWidth - (x - 1).leadingZeroBitCount)
    }

    /// `multi_row_sum`: `nrows` independent accumulators (each a vector of `lanes`) summed over `size`
    /// steps in 16-step chunks folded into up to 4 levels. `load(i, k)` is step i of accumulator k.
    static func multiRowSum<T: BinaryFloatingPoint>(nrows: Int, lanes: Int, size: Int,
                                                   load: (Int, Int) -> [T]) -> [[T]] {
        let levels = 4
        let levelPower = max(4, ceilLog2(size) / levels)
        let levelStep = 1 << levelPower
        let levelMask = levelStep - 1
        let zero = [T](repeating: 0, count: lanes)
        var acc = [[[T]]](repeating: [[T]](repeating: zero, count: nrows), count: levels)

        func add(_ a: inout [T], _ b: [T]) { for l in 0..<lanes { a[l] += b[l] } }

        var i = 0
        while i + levelStep <= size {
            for _ in 0..<levelStep {
                for k in 0..<nrows { add(&acc[0][k], load(i, k)) }
                i += 1
            }
            for j in 1..<levels {
                for k in 0..<nrows {
                    add(&acc[j][k], acc[j - 1][k])
                    acc[j - 1][k] = zero
                }
                if (i & (levelMask << (j * levelPower))) != 0 { break }
            }
        }
        while i < size {
            for k in 0..<nrows { add(&acc[0][k], load(i, k)) }
            i += 1
        }
        for j in 1..<levels {
            for k in 0..<nrows { add(&acc[0][k], acc[j][k]) }
        }
        return acc[0]
    }

    /// `row_sum`: `size` vectors summed with 4-way interleaving (steps i ≡ k mod 4 share accumulator k).
    static func rowSum<T: BinaryFloatingPoint>(lanes: Int, size: Int, load: (Int) -> [T]) -> [T] {
        let ilp = 4
        let sizeIlp = size / ilp
        var partial = multiRowSum(nrows: ilp, lanes: lanes, size: sizeIlp) { i, k in load(i * ilp + k) }
        for i in (sizeIlp * ilp)..<max(size, sizeIlp * ilp) {
            let v = load(i)
            for l in 0..<lanes { partial[0][l] += v[l] }
        }
        for k in 1..<ilp {
            for l in 0..<lanes { partial[0][l] += partial[k][l] }
        }
        return partial[0]
    }

    /// torch.sum of a contiguous 1-D run (`vectorized_inner_sum`, or `row_sum` when shorter than a vector).
    static func innerSum<T: BinaryFloatingPoint>(_ x: [T], lanes: Int) -> T {
        let n = x.count
        guard n >= lanes else { return rowSum(lanes: 1, size: n) { [x[$0]] }[0] }
        let vecSize = n / lanes
        let vecAcc = rowSum(lanes: lanes, size: vecSize) { i in Array(x[(i * lanes)..<((i + 1) * lanes)]) }
        var final: T = 0
        for k in (vecSize * lanes)..<n { final += x[k] }
        for l in 0..<lanes { final += vecAcc[l] }
        return final
    }

    /// torch.sum over a non-contiguous axis whose kept axis is contiguous (`vectorized_outer_sum`): the
    /// outputs are handled in blocks of 4·lanes (`multi_row_sum`, one accumulator per output), then in
    /// vectors (`row_sum`), then singly (`row_sum`). `value(i, o)` is reduced index i of output o.
    static func outerSums<T: BinaryFloatingPoint>(reduced: Int, outputs: Int, lanes: Int,
                                                 value: (Int, Int) -> T) -> [T] {
        var out = [T](repeating: 0, count: outputs)
        guard outputs >= lanes else {
            // Falls through to the scalar kernels: each output is a row_sum over the reduced axis.
            for o in 0..<outputs { out[o] = rowSum(lanes: 1, size: reduced) { [value($0, o)] }[0] }
            return out
        }
        var o = 0
        while o + 4 * lanes <= outputs {
            let sums = multiRowSum(nrows: 4, lanes: lanes, size: reduced) { i, k in
                (0..<lanes).map { value(i, o + k * lanes + $0) }
            }
            for k in 0..<4 { for l in 0..<lanes { out[o + k * lanes + l] = sums[k][l] } }
            o += 4 * lanes
        }
        while o + lanes <= outputs {
            let sums = rowSum(lanes: lanes, size: reduced) { i in (0..<lanes).map { value(i, o + $0) } }
            for l in 0..<lanes { out[o + l] = sums[l] }
            o += lanes
        }
        while o < outputs {
            out[o] = rowSum(lanes: 1, size: reduced) { [value($0, o)] }[0]
            o += 1
        }
        return out
    }

    // MARK: vec::reduce_all (softmax)

    /// The horizontal reduction of one float vector (`VecReduceAllSIMD`): shuffles that add lane i ^ s
    /// for s = lanes/2, …, 1, e.g. with AVX2 ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)).
    static func horizontalSum(_ v: [Float]) -> Float {
        var v = v
        var stride = v.count / 2
        while stride >= 1 {
            let s = stride
            v = v.indices.map { v[$0] + v[$0 ^ s] }
            stride /= 2
        }
        return v[0]
    }

    /// `vec::reduce_all` with `+` over floats (8 lanes).
    static func reduceAllSum(_ x: [Float], lanes: Int = floatLanes) -> Float {
        let n = x.count
        if n < lanes {
            // The generic slow path: lane 0 accumulates the elements in order.
            var acc: Float = n > 0 ? x[0] : 0
            for i in 1..<max(n, 1) { acc += x[i] }
            return acc
        }
        var acc = Array(x[0..<lanes])
        var d = lanes
        while d < n - (n % lanes) {
            for l in 0..<lanes { acc[l] += x[d + l] }
            d += lanes
        }
        // Tail: only the first n − d lanes take the sum (Vec::set).
        for l in 0..<(n - d) { acc[l] += x[d + l] }
        return horizontalSum(acc)
    }

    /// `vec::map2_reduce_all(x * y, +)`; `fused` contracts the multiply-add into an FMA.
    static func map2ReduceAllDot(_ x: [Float], _ y: [Float], lanes: Int = floatLanes, fused: Bool) -> Float {
        let n = x.count
        if n < lanes {
            let p = (0..<n).map { x[$0] * y[$0] }
            var acc: Float = n > 0 ? p[0] : 0
            for i in 1..<max(n, 1) { acc += p[i] }
            return acc
        }
        var acc = (0..<lanes).map { x[$0] * y[$0] }
        var d = lanes
        while d < n - (n % lanes) {
            for l in 0..<lanes {
                acc[l] = fused ? acc[l].addingProduct(x[d + l], y[d + l]) : acc[l] + x[d + l] * y[d + l]
            }
            d += lanes
        }
        for l in 0..<(n - d) {
            acc[l] = fused ? acc[l].addingProduct(x[d + l], y[d + l]) : acc[l] + x[d + l] * y[d + l]
        }
        return horizontalSum(acc)
    }

    // MARK: exp

    /// SLEEF `xexpf` (1.0-ulp variant, FMA helpers as in the AVX2 build): `Vectorized<float>::exp`.
    static func sleefExpf(_ d: Float) -> Float {
        let rLn2: Float = 1.442695040888963407359924681001892137426645954152985934135449406931
        let l2u: Float = 0.693145751953125
        let l2l: Float = 1.428606765330187045e-06
        let q = Int32((d * rLn2).rounded(.toNearestOrEven))
        let qf = Float(q)
        var s = d.addingProduct(qf, -l2u)
        s = s.addingProduct(qf, -l2l)
        var u: Float = 0.000198527617612853646278381
        u = Float(0.00139304355252534151077271).addingProduct(u, s)
        u = Float(0.00833336077630519866943359).addingProduct(u, s)
        u = Float(0.0416664853692054748535156).addingProduct(u, s)
        u = Float(0.166666671633720397949219).addingProduct(u, s)
        u = Float(0.5).addingProduct(u, s)
        u = 1 + s.addingProduct(s * s, u)
        // vldexp2: split the exponent so that neither factor overflows.
        let half = q >> 1
        u = u * Float(sign: .plus, exponent: Int(half), significand: 1)
        u = u * Float(sign: .plus, exponent: Int(q - half), significand: 1)
        if d < -104 { u = 0 }
        if d > 100 { u = .infinity }
        return u
    }

    /// `_vec_softmax_lastdim` for one float row.
    static func softmax(_ x: [Float], lanes: Int = floatLanes, exp: (Float) -> Float = sleefExpf) -> [Float] {
        let maxInput = x.max() ?? 0
        let e = x.map { exp($0 - maxInput) }
        let inv = 1 / reduceAllSum(e, lanes: lanes)
        return e.map { $0 * inv }
    }

    /// `_vec_host_softmax_backward_lastdim` (softmax, not log-softmax): (g − Σ g·y)·y.
    static func softmaxBackward(grad: [Float], output: [Float], lanes: Int = floatLanes, fused: Bool) -> [Float] {
        let sum = map2ReduceAllDot(grad, output, lanes: lanes, fused: fused)
        return zip(grad, output).map { ($0 - sum) * $1 }
    }

    // MARK: Welford (torch.std over a dimension on CPU)

    /// `WelfordOps` over `x` in order, unbiased: the standard deviation torch.std(dim) returns.
    static func welfordStd(_ x: [Double]) -> Double {
        var mean = 0.0, m2 = 0.0
        var n = 0
        for v in x {
            n += 1
            let delta = v - mean
            mean += delta / Double(n)
            m2 += delta * (v - mean)
        }
        let divisor = Double(n) > 1 ? Double(n) - 1 : 0
        return (m2 / divisor).squareRoot()
    }
}
