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
    //
    // SumKernel.cpp sums with `multi_row_sum` (accumulators fed in 16-step chunks that are folded into
    // up to 4 levels) and `row_sum` (4 interleaved multi_row_sum accumulators). Vector lanes and the
    // accumulators of one multi_row_sum never mix until the end, so every output is described by two
    // scalar orders, `cascade` and `interleaved`, applied to a strided run of the input.

    /// `utils::CeilLog2`.
    static func ceilLog2(_ x: Int) -> Int {
        x <= 2 ? 1 : (Int.bitWidth - (x - 1).leadingZeroBitCount)
    }

    /// One accumulator of `multi_row_sum` over x[offset + i·stride], i < count.
    @inline(__always)
    static func cascade<T: BinaryFloatingPoint>(_ x: UnsafeBufferPointer<T>, offset: Int, stride: Int,
                                               count: Int) -> T {
        let levelPower = max(4, ceilLog2(count) / 4)
        let levelStep = 1 << levelPower
        let levelMask = levelStep - 1
        var acc0: T = 0, acc1: T = 0, acc2: T = 0, acc3: T = 0
        var i = 0
        var p = offset
        while i + levelStep <= count {
            for _ in 0..<levelStep {
                acc0 += x[p]
                p += stride
                i += 1
            }
            // Fold level j − 1 into level j; stop unless level j's chunk is complete.
            acc1 += acc0; acc0 = 0
            if (i & (levelMask << levelPower)) != 0 { continue }
            acc2 += acc1; acc1 = 0
            if (i & (levelMask << (2 * levelPower))) != 0 { continue }
            acc3 += acc2; acc2 = 0
        }
        while i < count {
            acc0 += x[p]
            p += stride
            i += 1
        }
        acc0 += acc1
        acc0 += acc2
        acc0 += acc3
        return acc0
    }

    /// `row_sum` over x[offset + i·stride], i < count: accumulators k = 0…3 take i ≡ k (mod 4) in
    /// `cascade` order, the tail goes into accumulator 0, then 0 + 1 + 2 + 3.
    @inline(__always)
    static func interleaved<T: BinaryFloatingPoint>(_ x: UnsafeBufferPointer<T>, offset: Int, stride: Int,
                                                   count: Int) -> T {
        let sizeIlp = count / 4
        var p0 = cascade(x, offset: offset, stride: 4 * stride, count: sizeIlp)
        let p1 = cascade(x, offset: offset + stride, stride: 4 * stride, count: sizeIlp)
        let p2 = cascade(x, offset: offset + 2 * stride, stride: 4 * stride, count: sizeIlp)
        let p3 = cascade(x, offset: offset + 3 * stride, stride: 4 * stride, count: sizeIlp)
        var i = sizeIlp * 4
        while i < count {
            p0 += x[offset + i * stride]
            i += 1
        }
        p0 += p1
        p0 += p2
        p0 += p3
        return p0
    }

    /// torch.sum over a contiguous run x[offset ..< offset + count] (`vectorized_inner_sum`: lane l sums
    /// the elements ≡ l mod lanes in `interleaved` order; then the scalar tail, then lanes 0, 1, …;
    /// shorter than one vector: `row_sum`).
    static func innerSum<T: BinaryFloatingPoint>(_ x: UnsafeBufferPointer<T>, offset: Int = 0, count: Int,
                                                lanes: Int) -> T {
        guard count >= lanes else { return interleaved(x, offset: offset, stride: 1, count: count) }
        let vecSize = count / lanes
        var final: T = 0
        for k in (vecSize * lanes)..<count { final += x[offset + k] }
        for l in 0..<lanes { final += interleaved(x, offset: offset + l, stride: lanes, count: vecSize) }
        return final
    }

    static func innerSum<T: BinaryFloatingPoint>(_ x: [T], lanes: Int) -> T {
        x.withUnsafeBufferPointer { innerSum($0, count: x.count, lanes: lanes) }
    }

    /// torch.sum over a strided axis whose kept axis is contiguous (`vectorized_outer_sum`). Output o's
    /// values are x[o·outputStride + i·reducedStride], i < reduced. Outputs in whole blocks of 4·lanes use
    /// `cascade`, the rest `interleaved` (vector `row_sum` and scalar `row_sum` agree per lane); with fewer
    /// outputs than lanes every output uses `interleaved`.
    static func outerSums<T: BinaryFloatingPoint>(_ x: UnsafeBufferPointer<T>, reduced: Int, reducedStride: Int,
                                                 outputs: Int, outputStride: Int, lanes: Int) -> [T] {
        let blocked = outputs >= lanes ? (outputs / (4 * lanes)) * 4 * lanes : 0
        return (0..<outputs).map { o in
            o < blocked ? cascade(x, offset: o * outputStride, stride: reducedStride, count: reduced)
                : interleaved(x, offset: o * outputStride, stride: reducedStride, count: reduced)
        }
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

    /// `vec::map2_reduce_all(x * y, +)`. In torch's AVX2 build the multiply-add of the partial last vector
    /// is contracted into an FMA while the main loop's is not (found by comparing with torch 2.13).
    static func map2ReduceAllDot(_ x: [Float], _ y: [Float], lanes: Int = floatLanes) -> Float {
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
                acc[l] += x[d + l] * y[d + l]
            }
            d += lanes
        }
        for l in 0..<(n - d) { acc[l] = acc[l].addingProduct(x[d + l], y[d + l]) }
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
    static func softmaxBackward(grad: [Float], output: [Float], lanes: Int = floatLanes) -> [Float] {
        let sum = map2ReduceAllDot(grad, output, lanes: lanes)
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
