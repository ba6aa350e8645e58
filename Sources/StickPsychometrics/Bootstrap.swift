// Persona bootstrap helpers (the generator, xoshiro256**, is StickRandom's): deterministic resample indices from a small local PRNG (no global state,
// no dependence on Swift's unspecified `random(in:)` algorithm) and numpy-style percentile intervals.
import StickRandom

public enum Bootstrap {
    /// `count` resamples of `size` indices, each drawn with replacement from 0..<size (persona rows).
    /// One generator seeded with `seed` produces replicate 0's indices in order, then replicate 1's, …,
    /// so the result depends only on (count, size, seed) and replicate b is the same for any
    /// count > b. Generate up front and hand replicates to parallel workers to stay deterministic.
    public static func resamples(count: Int, size: Int, seed: UInt64) -> [[Int]] {
        precondition(count >= 0 && size >= 0, "counts must be non-negative")
        guard size > 0 else { return [[Int]](repeating: [], count: count) }
        var generator = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { _ in (0..<size).map { _ in generator.nextIndex(below: size) } }
    }

    /// Equal-tailed percentile interval of bootstrap replicates: the (1 − level)/2 and (1 + level)/2
    /// quantiles with `nanQuantile`. NaN replicates are ignored (np.nanpercentile); all NaN (or none)
    /// → (NaN, NaN).
    public static func percentileInterval(_ samples: [Double], level: Double) -> (lower: Double, upper: Double) {
        precondition(level > 0 && level < 1, "level must be in (0, 1)")
        let sorted = samples.filter { !$0.isNaN }.sorted()
        return (quantile(sorted: sorted, (1 - level) / 2), quantile(sorted: sorted, (1 + level) / 2))
    }

    /// np.nanquantile(samples, q) with the default "linear" method, q in [0, 1]; NaN when no sample
    /// is a number.
    public static func nanQuantile(_ samples: [Double], _ q: Double) -> Double {
        quantile(sorted: samples.filter { !$0.isNaN }.sorted(), q)
    }

    /// numpy's linear quantile of ascending data: virtual index h = (n − 1)·q, clamped to the ends,
    /// and numpy's `_lerp` (a + (b − a)·t, or b − (b − a)·(1 − t) when t ≥ 0.5).
    private static func quantile(sorted a: [Double], _ q: Double) -> Double {
        precondition(q >= 0 && q <= 1, "quantile must be in [0, 1]")
        guard !a.isEmpty else { return .nan }
        let n = a.count
        let h = Double(n - 1) * q
        if h >= Double(n - 1) { return a[n - 1] }
        if h < 0 { return a[0] }
        let lowIndex = h.rounded(.down)
        let t = h - lowIndex
        let lo = a[Int(lowIndex)], hi = a[Int(lowIndex) + 1]
        let diff = hi - lo
        return t >= 0.5 ? hi - diff * (1 - t) : lo + diff * t
    }
}
