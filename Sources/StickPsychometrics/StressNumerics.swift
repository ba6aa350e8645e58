// Floating-point kernels that reproduce the exact operation order of the numpy / BLAS calls inside
// scikit-learn's SMACOF. SMACOF stops at a threshold, so a last-bit difference in a sum can move the
// stopping iteration; these helpers exist so every sum is rounded the way the reference rounds it.

/// How a BLAS matrix product (`C @ C.T` via syrk, `B @ X` via gemm) rounds each element's dot product.
/// Both accumulate over k in ascending order from 0 with one accumulator per output element, as
/// OpenBLAS's kernels do at these sizes; they differ only in fused multiply-add.
enum StressDotProduct: Sendable {
    /// acc = acc + a·b with two roundings (a BLAS kernel without FMA, e.g. pre-Haswell x86-64).
    case plain
    /// acc = fma(a, b, acc): OpenBLAS's Haswell/SkylakeX/Zen and ARMv8 kernels, i.e. what numpy does
    /// on any current CPU.
    case fused

    /// Fused: with it, Stress is bit-identical to scikit-learn 1.6.1 and 1.7.2 (numpy 1.26.4,
    /// OpenBLAS 0.3.23, AVX2 machine) on every fixture context. The fixtures themselves sit within
    /// 4e-14 of both modes with identical iteration counts.
    static let reference: StressDotProduct = .fused

    @inline(__always)
    func accumulate(_ acc: Double, _ a: Double, _ b: Double) -> Double {
        switch self {
        case .plain: return acc + a * b
        case .fused: return acc.addingProduct(a, b)
        }
    }
}

enum StressNumerics {
    /// numpy's `pairwise_sum` for float64 (`np.sum`, `.sum()`, `.sum(axis=-1)` on contiguous data):
    /// below 8 elements a plain loop; up to 128 elements eight interleaved accumulators combined as
    /// ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) plus a sequential tail; above that, split at n/2 rounded
    /// down to a multiple of 8 and recurse. The reduction adds this to its 0.0 identity.
    @inline(__always)
    static func pairwiseSum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
        0.0 + pairwiseBlock(a, n)
    }

    static func pairwiseBlock(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
        if n < 8 {
            var res = 0.0
            for i in 0..<n { res += a[i] }
            return res
        } else if n <= 128 {
            var r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3]
            var r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7]
            var i = 8
            let end = n - n % 8
            while i < end {
                r0 += a[i]; r1 += a[i + 1]; r2 += a[i + 2]; r3 += a[i + 3]
                r4 += a[i + 4]; r5 += a[i + 5]; r6 += a[i + 6]; r7 += a[i + 7]
                i += 8
            }
            var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n { res += a[i]; i += 1 }
            return res
        } else {
            var n2 = n / 2
            n2 -= n2 % 8
            return pairwiseBlock(a, n2) + pairwiseBlock(a + n2, n - n2)
        }
    }

    /// `np.einsum("ij,ij->i", X, X)` for one row (sklearn's `row_norms(X, squared=True)`), in the order
    /// of numpy's x86-64 baseline kernel `sum_of_products_contig_contig_outstride0_two`: two SSE lanes
    /// (lane l takes elements l, l+2, …), blocks of 8 added last-first, unfused multiply then add, the
    /// tail by pairs, then lane0 + lane1 added to the 0.0 output.
    @inline(__always)
    static func einsumRowSquaredNorm(_ x: UnsafePointer<Double>, _ count: Int) -> Double {
        var lane0 = 0.0, lane1 = 0.0
        var i = 0
        while count - i >= 8 {
            lane0 = x[i + 6] * x[i + 6] + lane0
            lane1 = x[i + 7] * x[i + 7] + lane1
            lane0 = x[i + 4] * x[i + 4] + lane0
            lane1 = x[i + 5] * x[i + 5] + lane1
            lane0 = x[i + 2] * x[i + 2] + lane0
            lane1 = x[i + 3] * x[i + 3] + lane1
            lane0 = x[i] * x[i] + lane0
            lane1 = x[i + 1] * x[i + 1] + lane1
            i += 8
        }
        while i < count {
            lane0 = x[i] * x[i] + lane0
            let second = i + 1 < count ? x[i + 1] : 0.0
            lane1 = second * second + lane1
            i += 2
        }
        return 0.0 + (lane0 + lane1)
    }

    /// sklearn `euclidean_distances(X)` (X: rows × cols, row-major) into `out` (rows × rows):
    /// d_ij = sqrt(max((−2·(X Xᵀ)_ij + ‖x_i‖²) + ‖x_j‖², 0)) with a zero diagonal. The Gram matrix comes
    /// from syrk, so it is exactly symmetric, but the two norm additions make d_ij and d_ji round
    /// differently; SMACOF uses both triangles, so both are computed as the reference does.
    /// `norms` is scratch of length `rows`.
    static func euclideanDistances(_ x: UnsafePointer<Double>, rows: Int, cols: Int,
                                   into out: UnsafeMutablePointer<Double>, norms: UnsafeMutablePointer<Double>,
                                   dot: StressDotProduct) {
        for i in 0..<rows { norms[i] = einsumRowSquaredNorm(x + i * cols, cols) }
        for i in 0..<rows {
            out[i * rows + i] = 0
            let xi = x + i * cols
            for j in (i + 1)..<max(rows, i + 1) {
                let xj = x + j * cols
                // The kernel's first step, acc = 0 + a·b (or fma(a, b, 0)), is the rounded product itself
                // (up to the sign of a zero, which cannot reach a distance).
                var g = cols > 0 ? xi[0] * xj[0] : 0
                var k = 1
                while k < cols { g = dot.accumulate(g, xi[k], xj[k]); k += 1 }
                let m2g = -2 * g
                out[i * rows + j] = max((m2g + norms[i]) + norms[j], 0).squareRoot()
                out[j * rows + i] = max((m2g + norms[j]) + norms[i], 0).squareRoot()
            }
        }
    }

    /// The 2-column special case of `euclideanDistances` used every SMACOF iteration (no inner loop).
    @inline(__always)
    static func configurationDistances(_ x: UnsafePointer<Double>, n: Int, into out: UnsafeMutablePointer<Double>,
                                       norms: UnsafeMutablePointer<Double>, dot: StressDotProduct) {
        for i in 0..<n {
            let a = x[2 * i], b = x[2 * i + 1]
            // einsum with two columns: lane0 = a², lane1 = b², then 0 + (a² + b²).
            norms[i] = 0.0 + (a * a + b * b)
        }
        for i in 0..<n {
            out[i * n + i] = 0
            let a0 = x[2 * i], a1 = x[2 * i + 1], ni = norms[i]
            var j = i + 1
            while j < n {
                let g = dot.accumulate(a0 * x[2 * j], a1, x[2 * j + 1])  // first step: the plain product
                let m2g = -2 * g
                let nj = norms[j]
                out[i * n + j] = max((m2g + ni) + nj, 0).squareRoot()
                out[j * n + i] = max((m2g + nj) + ni, 0).squareRoot()
                j += 1
            }
        }
    }
}
