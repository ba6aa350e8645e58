// The ML optimiser behind `CFA.fit`. lavaan minimises F_ML with nlminb (a quasi-Newton method) from its
// own starting values; this estimator starts from the same values (FABIN3 loadings, residual variances
// at half the observed variance, factor correlations 0), runs BFGS while far from the optimum, so that
// it follows the same basin as lavaan, and switches to exact Newton steps near a minimum, iterating to
// machine precision (SRMR moves at first order with the estimates). Exact Newton or Fisher scoring from
// the start can end elsewhere on weak data: in nan_constant_centred_value chunk_3 they let a loading run
// off to infinity where lavaan stops at an improper solution with r = −1.21. Every line search rejects
// non-positive-definite Σ. Matrix factorisations go through LAPACK.
//
// Model: Σ(θ) = Λ Φ Λᵀ + Θ with simple-structure Λ, Φ a correlation matrix (unconstrained: |r| > 1 is
// allowed, as in lavaan) and Θ diagonal. Parameters θ = [λ₀…λ_{p−1}, θ₀…θ_{p−1}, φ₀₁, φ₀₂, …, φ_{k−2,k−1}].
//
// Derivatives. Every ∂Σ/∂θ_κ has the form s_κ (x yᵀ + y xᵀ):
//   λᵢ: x = eᵢ, y = U_{f(i)} with U = ΛΦ;   θᵢ: x = y = eᵢ, s = ½;   φ_ab: x = L_a, y = L_b (L = Λ's columns).
// With A = Σ⁻¹, B = A S A and W = A − B, the gradient of F = log|Σ| + tr(SΣ⁻¹) − log|S| − p is
// g_κ = tr(W Σ_κ) = 2 s_κ xᵀ W y, and the Hessian is
//   H_κν = tr(W Σ_κν) − tr(Σ_κ A Σ_ν A) + tr(Σ_κ A Σ_ν B) + tr(Σ_κ B Σ_ν A),
// whose trace terms reduce to products of bilinear forms vᵀ M w, M ∈ {A, B}, over the small basis
// {e₁…e_p, U₁…U_k, L₁…L_k} (m = p + 2k vectors).
//
// Speed: `score` runs tens of thousands of fits, so all work arrays live in one allocation reached through
// raw pointers (no copy-on-write or exclusivity checks in the inner loops).
import CLapack
import Foundation

struct CFAEstimate {
    var parameters: [Double]
    /// Σ(θ̂), row-major p × p.
    var sigma: [Double]
    /// F_ML(θ̂).
    var discrepancy: Double
    var converged: Bool
    var iterations: Int
}

final class CFAEstimator {
    /// Iteration cap; a fit whose parameters run off to infinity (lavaan: "did not converge") ends here.
    static let maxIterations = 500
    /// Largest gradient component below which exact Newton steps are tried (when the Hessian is positive-
    /// definite). Far enough from the start for BFGS to have settled on lavaan's basin in every fixture
    /// (switching anywhere from 1e-4 to 0.3 gives identical results there), close enough to save
    /// BFGS's slow final approach.
    static let newtonSwitch = 1e-2

    // Shape.
    private let p: Int, k: Int, q: Int, m: Int
    private let factorOf: [Int]
    /// Item indices grouped by factor: factor a owns itemsByFactor[factorStart[a]..<factorStart[a + 1]].
    private let itemsByFactor: [Int], factorStart: [Int]
    /// phiIndex[a * k + b] = parameter index of φ_ab (a ≠ b), −1 on the diagonal.
    private let phiIndex: [Int]
    /// ∂Σ/∂θ_κ = scale_κ (x yᵀ + y xᵀ) with x, y basis indices.
    private let xIndex: [Int], yIndex: [Int], scale: [Double]
    private let sample: [Double]
    private let logDetS: Double

    /// A point of the search with its Σ, Cholesky factor and inverse.
    private struct Point {
        var params: UnsafeMutablePointer<Double>
        var sigma: UnsafeMutablePointer<Double>
        var factor: UnsafeMutablePointer<Double>
        var inverse: UnsafeMutablePointer<Double>
    }

    private let storage: UnsafeMutablePointer<Double>
    private var current: Point, candidate: Point
    private var gradient: UnsafeMutablePointer<Double>, previousGradient: UnsafeMutablePointer<Double>
    private let s: UnsafeMutablePointer<Double>, sa: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>
    private let tableA: UnsafeMutablePointer<Double>, tableB: UnsafeMutablePointer<Double>
    private let mv: UnsafeMutablePointer<Double>, lmv: UnsafeMutablePointer<Double>, ml: UnsafeMutablePointer<Double>
    private let hessian: UnsafeMutablePointer<Double>, system: UnsafeMutablePointer<Double>
    private let direction: UnsafeMutablePointer<Double>, inverseHessian: UnsafeMutablePointer<Double>
    private let step: UnsafeMutablePointer<Double>, change: UnsafeMutablePointer<Double>, hy: UnsafeMutablePointer<Double>
    private let phiMatrix: UnsafeMutablePointer<Double>
    private var f = Double.nan
    /// Whether H̃ is still the initial identity (rescaled at the first update).
    private var firstUpdate = true

    init(s sample: [Double], logDetS: Double, factorOf: [Int], factorCount: Int) {
        let p = factorOf.count, k = factorCount
        let q = 2 * p + k * (k - 1) / 2, m = p + 2 * k
        self.p = p; self.k = k; self.q = q; self.m = m
        self.factorOf = factorOf
        itemsByFactor = (0..<k).flatMap { a in (0..<p).filter { factorOf[$0] == a } }
        factorStart = (0...k).map { a in factorOf.filter { $0 < a }.count }
        self.sample = sample
        self.logDetS = logDetS

        var phiIndex = [Int](repeating: -1, count: k * k)
        var xIndex = [Int](), yIndex = [Int](), scale = [Double]()
        for i in 0..<p { xIndex.append(i); yIndex.append(p + factorOf[i]); scale.append(1) }
        for i in 0..<p { xIndex.append(i); yIndex.append(i); scale.append(0.5) }
        var next = 2 * p
        for a in 0..<k {
            for c in (a + 1)..<max(a + 1, k) {
                phiIndex[a * k + c] = next
                phiIndex[c * k + a] = next
                xIndex.append(p + k + a); yIndex.append(p + k + c); scale.append(1)
                next += 1
            }
        }
        self.phiIndex = phiIndex
        self.xIndex = xIndex
        self.yIndex = yIndex
        self.scale = scale

        // One allocation, carved into the work arrays (sizes in the order of the `take` calls below).
        let pp = p * p, qq = q * q
        let sizes = [q, pp, pp, pp, q, pp, pp, pp, q, q, pp, pp, pp, m * m, m * m, p * m, k * m, p * k, qq, qq, q, qq,
                     q, q, q, k * k]
        let base = UnsafeMutablePointer<Double>.allocate(capacity: sizes.reduce(0, +))
        base.initialize(repeating: 0, count: sizes.reduce(0, +))
        storage = base
        var offset = 0
        func take(_ n: Int) -> UnsafeMutablePointer<Double> { defer { offset += n }; return base + offset }
        current = Point(params: take(q), sigma: take(pp), factor: take(pp), inverse: take(pp))
        candidate = Point(params: take(q), sigma: take(pp), factor: take(pp), inverse: take(pp))
        gradient = take(q); previousGradient = take(q)
        s = take(pp); sa = take(pp); b = take(pp)
        tableA = take(m * m); tableB = take(m * m)
        mv = take(p * m); lmv = take(k * m); ml = take(p * k)
        hessian = take(qq); system = take(qq); direction = take(q); inverseHessian = take(qq)
        step = take(q); change = take(q); hy = take(q)
        phiMatrix = take(k * k)
        precondition(offset == sizes.reduce(0, +), "work-space layout out of sync")
        for i in 0..<pp { s[i] = sample[i] }
    }

    deinit { storage.deallocate() }

    // MARK: - Driver

    func run() -> CFAEstimate {
        let start = startValues()
        for i in 0..<q { current.params[i] = start[i] }
        guard let f0 = evaluate(current) else { return estimate(converged: false, iterations: 0) }
        f = f0
        resetInverseHessian()
        derivatives(hessian: false)
        var converged = false
        var iteration = 0
        while iteration < Self.maxIterations {
            iteration += 1
            let gMax = maxAbs(gradient, q)
            if gMax <= 1e-13 { converged = true; break }
            var newton = false
            if gMax < Self.newtonSwitch {
                derivatives(hessian: true)
                newton = newtonDirection()
            }
            if !newton { quasiNewtonDirection() }
            var slope = dot(gradient, direction, q)
            if !newton && !(slope < 0) {
                // Not a descent direction (numerically): restart from steepest descent.
                resetInverseHessian()
                quasiNewtonDirection()
                slope = dot(gradient, direction, q)
            }
            let dMax = maxAbs(direction, q)
            // Close to a minimum with a positive-definite Hessian, F differences sink below rounding, so
            // full Newton steps are taken without the decrease test (they converge quadratically there).
            let local = newton && gMax < 1e-7
            var t = 1.0
            var accepted = false
            for _ in 0..<60 {
                for i in 0..<q { candidate.params[i] = current.params[i] + t * direction[i] }
                if let ft = evaluate(candidate), local || ft <= f + 1e-4 * t * slope {
                    f = ft
                    accepted = true
                    break
                }
                t *= 0.5
            }
            guard accepted else {
                // No decrease possible: a minimum within rounding, or a genuine stall.
                converged = gMax < 1e-8
                break
            }
            swap(&current, &candidate)
            swap(&gradient, &previousGradient)
            derivatives(hessian: false)
            updateInverseHessian(stepLength: t)
            if newton && t == 1 && dMax <= 1e-10 * max(1, maxAbs(current.params, q)) { converged = true; break }
        }
        return estimate(converged: converged, iterations: iteration)
    }

    private func estimate(converged: Bool, iterations: Int) -> CFAEstimate {
        CFAEstimate(parameters: Array(UnsafeBufferPointer(start: current.params, count: q)),
                    sigma: Array(UnsafeBufferPointer(start: current.sigma, count: p * p)),
                    discrepancy: f, converged: converged, iterations: iterations)
    }

    // MARK: - Objective

    /// Builds Σ(θ) at `point`, factorises and inverts it; returns F_ML, or nil if Σ is not positive-definite.
    private func evaluate(_ point: Point) -> Double? {
        let p = self.p, th = point.params, sg = point.sigma, fac = point.factor, inv = point.inverse
        fillPhi(th)
        for i in 0..<p {
            let fi = factorOf[i]
            for j in i..<p {
                var v = th[i] * th[j] * phiMatrix[fi * k + factorOf[j]]
                if i == j { v += th[p + i] }
                sg[i * p + j] = v
                sg[j * p + i] = v
            }
        }
        // Σ is symmetric, so its row-major storage is also its column-major storage.
        fac.update(from: sg, count: p * p)
        let n = Int32(p), lower = CChar(UInt8(ascii: "L"))
        guard LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, lower, n, fac, n) == 0 else { return nil }
        var logDet = 0.0
        for i in 0..<p { logDet += 2 * log(fac[i * p + i]) }
        inv.update(from: fac, count: p * p)
        guard LAPACKE_dpotri_work(LAPACK_COL_MAJOR, lower, n, inv, n) == 0 else { return nil }
        // dpotri filled the column-major lower triangle: element (i, j), i ≥ j, at j·p + i. Mirror it and
        // accumulate tr(S Σ⁻¹).
        var trace = 0.0
        for j in 0..<p {
            trace += s[j * p + j] * inv[j * p + j]
            for i in (j + 1)..<max(j + 1, p) {
                let v = inv[j * p + i]
                inv[i * p + j] = v
                trace += 2 * s[j * p + i] * v
            }
        }
        let value = logDet + trace - logDetS - Double(p)
        return value.isFinite ? value : nil
    }

    /// Φ (k × k, unit diagonal) from the parameters.
    private func fillPhi(_ th: UnsafeMutablePointer<Double>) {
        for a in 0..<k {
            for c in 0..<k { phiMatrix[a * k + c] = a == c ? 1 : th[phiIndex[a * k + c]] }
        }
    }

    // MARK: - Derivatives

    /// Fills `table` (m × m) with vᵀ M w over the basis {e₁…e_p, U₁…U_k, L₁…L_k} for symmetric M (p × p).
    /// Needs `phiMatrix` for the current point.
    private func bilinearTable(_ matrix: UnsafeMutablePointer<Double>, _ table: UnsafeMutablePointer<Double>) {
        let p = self.p, k = self.k, m = self.m, th = current.params, phi = phiMatrix
        // M L: (ML)[r, a] = Σ_{i ∈ a} M[r, i] λᵢ.
        for r in 0..<p {
            let row = matrix + r * p
            for a in 0..<k {
                var v = 0.0
                for position in factorStart[a]..<factorStart[a + 1] {
                    let i = itemsByFactor[position]
                    v += row[i] * th[i]
                }
                ml[r * k + a] = v
            }
        }
        // M V = [M | (ML)Φ | ML], since U = ΛΦ = LΦ.
        for r in 0..<p {
            for c in 0..<p { mv[r * m + c] = matrix[r * p + c] }
            for a in 0..<k {
                var v = 0.0
                for c in 0..<k { v += ml[r * k + c] * phi[c * k + a] }
                mv[r * m + p + a] = v
                mv[r * m + p + k + a] = ml[r * k + a]
            }
        }
        // Lᵀ M V.
        lmv.update(repeating: 0, count: k * m)
        for i in 0..<p {
            let row = lmv + factorOf[i] * m, l = th[i]
            for c in 0..<m { row[c] += l * mv[i * m + c] }
        }
        // Vᵀ M V: rows of Iᵀ, Uᵀ = Φ Lᵀ, Lᵀ.
        table.update(from: mv, count: p * m)
        for a in 0..<k {
            for c in 0..<m {
                var v = 0.0
                for e in 0..<k { v += phi[a * k + e] * lmv[e * m + c] }
                table[(p + a) * m + c] = v
                table[(p + k + a) * m + c] = lmv[a * m + c]
            }
        }
    }

    /// Gradient (always) and Hessian (on request) at the current point.
    private func derivatives(hessian wantHessian: Bool) {
        let p = self.p, k = self.k, m = self.m, q = self.q
        let a = current.inverse, th = current.params
        // B = A S A (symmetric), as row updates (contiguous inner loops without a reduction chain).
        multiply(s, a, into: sa)
        multiply(a, sa, into: b)
        fillPhi(th)
        let ta = tableA, tb = tableB, g = gradient, h = hessian, phi = phiMatrix
        guard wantHessian else {
            // The gradient needs only W = A − B: one table (kept in tableA).
            for i in 0..<(p * p) { b[i] = a[i] - b[i] }
            bilinearTable(b, ta)
            for kappa in 0..<q { g[kappa] = 2 * scale[kappa] * ta[xIndex[kappa] * m + yIndex[kappa]] }
            return
        }
        bilinearTable(a, ta)
        bilinearTable(b, tb)
        @inline(__always) func w(_ r: Int, _ c: Int) -> Double { ta[r * m + c] - tb[r * m + c] }
        for kappa in 0..<q { g[kappa] = 2 * scale[kappa] * w(xIndex[kappa], yIndex[kappa]) }
        for kappa in 0..<q {
            let x = xIndex[kappa], y = yIndex[kappa], sk = scale[kappa]
            for nu in kappa..<q {
                let u = xIndex[nu], v = yIndex[nu]
                let aa = ta[y * m + u], ac = ta[y * m + v], ae = ta[x * m + u], ag = ta[x * m + v]
                let ba = tb[y * m + u], bc = tb[y * m + v], be = tb[x * m + u], bg = tb[x * m + v]
                // For rank-2 symmetric derivatives, tr(Σκ A Σν A) = 2(aa·ag + ac·ae); the A/B cross terms
                // likewise.
                let aaTerm = 2 * (aa * ag + ac * ae)
                let abTerm = 2 * (aa * bg + ag * ba + ac * be + ae * bc)
                var hv = sk * scale[nu] * (abTerm - aaTerm)
                // tr(W Σκν): second derivatives of Σ exist for λλ and λφ pairs only.
                if kappa < p {
                    if nu < p {
                        hv += 2 * w(kappa, nu) * phi[factorOf[kappa] * k + factorOf[nu]]
                    } else if nu >= 2 * p {
                        let fa = u - p - k, fc = v - p - k, fi = factorOf[kappa]
                        if fi == fa { hv += 2 * w(kappa, p + k + fc) } else if fi == fc { hv += 2 * w(kappa, p + k + fa) }
                    }
                }
                h[kappa * q + nu] = hv
                h[nu * q + kappa] = hv
            }
        }
    }

    /// out = x y for p × p row-major matrices.
    private func multiply(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                          into out: UnsafeMutablePointer<Double>) {
        let p = self.p
        out.update(repeating: 0, count: p * p)
        for i in 0..<p {
            let row = out + i * p
            for l in 0..<p {
                let xil = x[i * p + l], yRow = y + l * p
                for j in 0..<p { row[j] += xil * yRow[j] }
            }
        }
    }

    // MARK: - Directions

    /// Newton direction −H⁻¹g via Cholesky (dposv); false if H is not positive-definite.
    private func newtonDirection() -> Bool {
        system.update(from: hessian, count: q * q)
        for i in 0..<q { direction[i] = -gradient[i] }
        let n = Int32(q)
        let info = LAPACKE_dposv_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), n, 1, system, n, direction, n)
        guard info == 0 else { return false }
        for i in 0..<q where !direction[i].isFinite { return false }
        return true
    }

    private func resetInverseHessian() {
        firstUpdate = true
        inverseHessian.update(repeating: 0, count: q * q)
        for i in 0..<q { inverseHessian[i * q + i] = 1 }
    }

    /// direction = −H̃ g with the BFGS inverse-Hessian approximation H̃.
    private func quasiNewtonDirection() {
        // H̃ is symmetric: accumulate −H̃ g as row updates.
        direction.update(repeating: 0, count: q)
        for j in 0..<q {
            let row = inverseHessian + j * q, gj = gradient[j]
            for i in 0..<q { direction[i] -= row[i] * gj }
        }
    }

    /// H̃⁺ = (I − ρ s yᵀ) H̃ (I − ρ y sᵀ) + ρ s sᵀ with s = x⁺ − x, y = g⁺ − g, ρ = 1/(yᵀs), skipped unless
    /// the curvature yᵀs is positive. Before the first update H̃ is rescaled to (yᵀs / yᵀy) I (Nocedal &
    /// Wright, eq. 6.20).
    private func updateInverseHessian(stepLength t: Double) {
        let q = self.q, hInv = inverseHessian
        var ys = 0.0, yy = 0.0, ss = 0.0
        for i in 0..<q {
            step[i] = t * direction[i]
            change[i] = gradient[i] - previousGradient[i]
            ys += change[i] * step[i]
            yy += change[i] * change[i]
            ss += step[i] * step[i]
        }
        guard ys.isFinite, ys > 1e-12 * (ss * yy).squareRoot() else { return }
        if firstUpdate {
            firstUpdate = false
            hInv.update(repeating: 0, count: q * q)
            for i in 0..<q { hInv[i * q + i] = ys / yy }
        }
        let rho = 1 / ys
        // With hy = H̃ y: H̃⁺ = H̃ − ρ(s hyᵀ + hy sᵀ) + (ρ² yᵀH̃y + ρ) s sᵀ.
        // H̃ is symmetric, so H̃ y accumulates as row updates.
        hy.update(repeating: 0, count: q)
        for j in 0..<q {
            let row = hInv + j * q, yj = change[j]
            for i in 0..<q { hy[i] += row[i] * yj }
        }
        let yhy = dot(hy, change, q)
        let c = rho * rho * yhy + rho
        for i in 0..<q {
            let row = hInv + i * q, si = step[i], hyi = hy[i]
            let a = c * si - rho * hyi, b = -rho * si
            for j in 0..<q { row[j] += a * step[j] + b * hy[j] }
        }
    }

    private func maxAbs(_ v: UnsafeMutablePointer<Double>, _ n: Int) -> Double {
        var r = 0.0
        for i in 0..<n { r = max(r, abs(v[i])) }
        return r
    }

    private func dot(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) -> Double {
        var r = 0.0
        for i in 0..<n { r += x[i] * y[i] }
        return r
    }

    // MARK: - Starting values (lavaan's lav_start for std.lv = TRUE)

    private func startValues() -> [Double] {
        var theta = [Double](repeating: 0, count: q)
        for i in 0..<p { theta[p + i] = 0.5 * sample[i * p + i] }
        for a in 0..<k {
            let items = (0..<p).filter { factorOf[$0] == a }
            let cov = items.flatMap { i in items.map { j in sample[i * p + j] } }
            var lambda = items.count >= 4 ? Self.fabin3(cov, items.count) : Self.threeIndicator(cov, items.count)
            lambda = lambda.map { $0.isFinite ? $0 : 1 }
            for (position, item) in items.enumerated() { theta[item] = lambda[position] }
        }
        // Factor correlations start at 0 (lavaan's default for free covariances).
        return theta
    }

    /// R's min(max(x, lo), hi), which propagates NaN.
    private static func clamp(_ x: Double, _ lo: Double, _ hi: Double) -> Double {
        if x.isNaN { return x }
        return Swift.min(Swift.max(x, lo), hi)
    }

    private static func signedRoot(_ psi: Double) -> Double {
        if psi.isNaN { return psi }
        return psi > 0 ? psi.squareRoot() : (psi < 0 ? -(-psi).squareRoot() : 0)
    }

    /// One-factor closed form for ≤ 3 indicators (marker l₁ = 1, bounded, rescaled to unit factor variance).
    /// Two indicators are padded to three as lavaan does; a negative covariance triad gives 0.7 each.
    static func threeIndicator(_ cov: [Double], _ n: Int) -> [Double] {
        var c: [Double]
        switch n {
        case 1: c = [Double](repeating: 1, count: 9)
        case 2:
            let mean = (cov[0] + cov[3]) / 2, maxVar = Swift.max(cov[0], cov[3]), s21 = cov[2]
            c = [cov[0], cov[1], mean, cov[2], cov[3], s21, mean, s21, maxVar]
        default: c = cov
        }
        let s11 = c[0], s22 = c[4], s33 = c[8], s21 = c[3], s31 = c[6], s32 = c[7]
        if s21 * s31 * s32 < 0 { return [Double](repeating: 0.7, count: n) }
        var psi = (s21 * s31) / s32
        var l2 = s32 / s31, l3 = s32 / s21
        let lowerPsi = s11 - (1 - 0.1) * s11
        psi = clamp(psi, lowerPsi, s11)
        let b2 = (s22 / lowerPsi).squareRoot(), b3 = (s33 / lowerPsi).squareRoot()
        l2 = clamp(l2, -b2, b2)
        l3 = clamp(l3, -b3, b3)
        let root = signedRoot(psi)
        return Array([1, l2, l3].map { $0 * root }.prefix(n))
    }

    /// FABIN3 (Hägglund 1982) one-factor loadings for ≥ 4 indicators, first indicator as marker, bounded,
    /// then rescaled by √ψ from the least-squares ψ.
    static func fabin3(_ cov: [Double], _ n: Int) -> [Double] {
        var lambda = [Double](repeating: 0, count: n)
        lambda[0] = 1
        for i in 1..<n {
            let rest = (1..<n).filter { $0 != i }
            let s23 = rest.map { cov[i * n + $0] }
            let s31 = rest.map { cov[$0 * n] }
            let s33 = rest.flatMap { r in rest.map { cov[r * n + $0] } }
            var tmp = s31
            if solveGeneral(s33, &tmp, rest.count) {
                lambda[i] = zip(s23, tmp).reduce(0) { $0 + $1.0 * $1.1 } / zip(s31, tmp).reduce(0) { $0 + $1.0 * $1.1 }
            } else {
                lambda[i] = zip(s23, s31).reduce(0) { $0 + $1.0 * $1.1 } / s31.reduce(0) { $0 + $1 * $1 }
            }
        }
        let lowerPsi = cov[0] - (1 - 0.1) * cov[0]
        for i in 1..<n {
            let bound = (cov[i * n + i] / lowerPsi).squareRoot()
            lambda[i] = clamp(lambda[i], -bound, bound)
        }
        // Residual variances by least squares (W = I): (I − D∘D) θ = diag(S − D S D), D = λλᵀ/λᵀλ.
        let l2 = lambda.reduce(0) { $0 + $1 * $1 }
        var d = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { d[i * n + j] = lambda[i] * lambda[j] / l2 } }
        var system = [Double](repeating: 0, count: n * n)
        var rhs = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<n { system[i * n + j] = (i == j ? 1 : 0) - d[i * n + j] * d[i * n + j] }
            // diag(D S D)ᵢ = Σ_jl D_ij S_jl D_li
            var dsd = 0.0
            for j in 0..<n { for l in 0..<n { dsd += d[i * n + j] * cov[j * n + l] * d[l * n + i] } }
            rhs[i] = cov[i * n + i] - dsd
        }
        var residual = rhs
        if !solveGeneral(system, &residual, n) { residual = [Double](repeating: .nan, count: n) }
        var numerator = 0.0
        for i in 0..<n {
            for j in 0..<n {
                let sij = cov[i * n + j] - (i == j ? residual[i] : 0)
                numerator += lambda[i] * sij * lambda[j]
            }
        }
        let psi = numerator / (l2 * l2)
        let root = signedRoot(psi)
        return lambda.map { $0 * root }
    }

    /// Solves a general square system like R's solve(): LU with partial pivoting (dgesv), and failure when
    /// the reciprocal condition number (dgecon, 1-norm) is below machine epsilon ("computationally
    /// singular"). `matrix` is row-major; it is transposed for LAPACK's column-major layout.
    private static func solveGeneral(_ matrix: [Double], _ rhs: inout [Double], _ n: Int) -> Bool {
        var columnMajor = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { columnMajor[j * n + i] = matrix[i * n + j] } }
        var norm = 0.0
        for j in 0..<n { norm = max(norm, (0..<n).reduce(0) { $0 + abs(columnMajor[j * n + $1]) }) }
        var pivots = [Int32](repeating: 0, count: n)
        var work = [Double](repeating: 0, count: 4 * n)
        var integerWork = [Int32](repeating: 0, count: n)
        var rcond = 0.0
        let n32 = Int32(n)
        let info = LAPACKE_dgesv_work(LAPACK_COL_MAJOR, n32, 1, &columnMajor, n32, &pivots, &rhs, n32)
        guard info == 0 else { return false }
        let conditionInfo = LAPACKE_dgecon_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "1")), n32, columnMajor, n32, norm,
                                                &rcond, &work, &integerWork)
        return conditionInfo == 0 && rcond >= Double.ulpOfOne && rhs.allSatisfy(\.isFinite)
    }
}
