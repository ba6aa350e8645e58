// The report's inline SVG charts: the pairwise Rank-Order heatmap, the value circle (MDS value
// positions aligned to Schwartz's circumplex by Procrustes), per-value stability bars and the tiny
// rank-distribution bars. Every label is escaped; hover text is an SVG <title>.
import Foundation
import StickPsychometrics

/// Schwartz's ten basic values as the report draws them: the theoretical circumplex (from the
/// psychometrics, where the MDS starts from it), short labels and colours.
public enum Circumplex {
    public static let order = SchwartzCircumplex.order
    public static let points = SchwartzCircumplex.coordinates
    static let short: [String: String] = [
        "Self-Direction": "SD", "Stimulation": "ST", "Hedonism": "HE", "Achievement": "AC", "Power": "PO",
        "Security": "SE", "Conformity": "CO", "Tradition": "TR", "Benevolence": "BE", "Universalism": "UN",
    ]
    static let colours: [String: String] = [
        "Self-Direction": "#4e79a7", "Stimulation": "#f28e2b", "Hedonism": "#e15759", "Achievement": "#b07aa1",
        "Power": "#59a14f", "Security": "#9c755f", "Conformity": "#c9a227", "Tradition": "#ff7f9e",
        "Benevolence": "#3fa39b", "Universalism": "#1f3f79",
    ]
    static func label(_ value: String) -> String { short[value] ?? String(value.prefix(2)).uppercased() }
    static func colour(_ value: String) -> String { colours[value] ?? "#777777" }
}

/// Orthogonal Procrustes with scaling and translation in the plane (Schönemann 1966), via complex
/// numbers: the observed points z are mapped to c·z + t (rotation and scale) or c·z̄ + t (with a
/// reflection), whichever fits the target w better.
struct Procrustes {
    var aligned: [(Double, Double)]
    /// Residual sum of squares over the target's centred sum of squares: 0 = same shape, 1 = no fit.
    var misfit: Double
    var reflected: Bool

    static func fit(_ points: [(Double, Double)], to target: [(Double, Double)]) -> Procrustes? {
        let n = points.count
        guard n >= 3, n == target.count else { return nil }
        let mz = (points.map(\.0).reduce(0, +) / Double(n), points.map(\.1).reduce(0, +) / Double(n))
        let mw = (target.map(\.0).reduce(0, +) / Double(n), target.map(\.1).reduce(0, +) / Double(n))
        let z = points.map { ($0.0 - mz.0, $0.1 - mz.1) }
        let w = target.map { ($0.0 - mw.0, $0.1 - mw.1) }
        let zz = z.reduce(0) { $0 + $1.0 * $1.0 + $1.1 * $1.1 }
        let ww = w.reduce(0) { $0 + $1.0 * $1.0 + $1.1 * $1.1 }
        guard zz > 0, ww > 0 else { return nil }
        // A = Σ conj(z)·w (rotation), B = Σ z·w (reflection: conj(conj(z))·w).
        var a = (0.0, 0.0), b = (0.0, 0.0)
        for (p, q) in zip(z, w) {
            a.0 += p.0 * q.0 + p.1 * q.1; a.1 += p.0 * q.1 - p.1 * q.0
            b.0 += p.0 * q.0 - p.1 * q.1; b.1 += p.0 * q.1 + p.1 * q.0
        }
        let fitA = (a.0 * a.0 + a.1 * a.1) / zz, fitB = (b.0 * b.0 + b.1 * b.1) / zz
        let reflected = fitB > fitA + 1e-12
        let c = reflected ? (b.0 / zz, b.1 / zz) : (a.0 / zz, a.1 / zz)
        let aligned = z.map { p -> (Double, Double) in
            let q = reflected ? (p.0, -p.1) : p
            return (c.0 * q.0 - c.1 * q.1 + mw.0, c.0 * q.1 + c.1 * q.0 + mw.1)
        }
        return Procrustes(aligned: aligned, misfit: max(0, (ww - max(fitA, fitB)) / ww), reflected: reflected)
    }
}

enum Charts {
    // MARK: colour scale

    /// A sequential scale for Rank-Order correlations on [0, 1] (viridis: perceptually uniform and
    /// readable in grey and by colour-blind readers). The domain is fixed so that models compare;
    /// negative correlations (rare) take the colour of 0 and keep their value in the label.
    static let stops: [(Double, (Int, Int, Int))] = [
        (0.0, (0x44, 0x01, 0x54)), (0.1, (0x48, 0x24, 0x75)), (0.2, (0x41, 0x44, 0x87)), (0.3, (0x35, 0x5F, 0x8D)),
        (0.4, (0x2A, 0x78, 0x8E)), (0.5, (0x21, 0x91, 0x8C)), (0.6, (0x22, 0xA8, 0x84)), (0.7, (0x44, 0xBF, 0x70)),
        (0.8, (0x7A, 0xD1, 0x51)), (0.9, (0xBD, 0xDF, 0x26)), (1.0, (0xFD, 0xE7, 0x25)),
    ]

    static func colour(_ r: Double) -> String {
        let x = min(1, max(0, r))
        var k = 0
        while k < stops.count - 2 && x > stops[k + 1].0 { k += 1 }
        let (x0, c0) = stops[k], (x1, c1) = stops[k + 1]
        let t = (x - x0) / (x1 - x0)
        func mix(_ a: Int, _ b: Int) -> Int { Int((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return String(format: "#%02x%02x%02x", mix(c0.0, c1.0), mix(c0.1, c1.1), mix(c0.2, c1.2))
    }

    /// Dark cells get white text.
    static func textColour(_ r: Double) -> String { r < 0.62 ? "#ffffff" : "#1a1a1a" }

    static func hatchPattern(_ id: String) -> String {
        "<pattern id=\"\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"6\" height=\"6\" fill=\"#e4e4e4\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#9a9a9a\" stroke-width=\"2\"/></pattern>"
    }

    // MARK: heatmap

    /// The contexts × contexts pairwise Rank-Order matrix. `pair(a, b)` is nil when not recorded, NaN
    /// when undefined; `interval(a, b)` the bootstrap interval if any.
    static func heatmap(id: String, modelName: String, contexts: [String], pair: (Int, Int) -> Double?,
                        interval: (Int, Int) -> (Double, Double)?) -> String {
        let n = contexts.count
        let cell = 36.0
        let longest = contexts.map(\.count).max() ?? 4
        let left = min(170, 12 + Double(longest) * 6.6)
        let top = min(130, 16 + Double(longest) * 4.9)
        let grid = cell * Double(n)
        let legendX = left + grid + 18
        let width = legendX + 62
        let height = top + grid + 14
        let hatch = "hatch-\(id)", gradient = "scale-\(id)"
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" id=\"heatmap-\(id)\" viewBox=\"0 0 \(HTML.c(width)) \(HTML.c(height))\" "
            + "width=\"\(HTML.c(width))\" height=\"\(HTML.c(height))\" role=\"img\" aria-labelledby=\"heatmap-\(id)-title\">"
        s += "<title id=\"heatmap-\(id)-title\">Pairwise Rank-Order stability of \(HTML.esc(modelName)) between \(n) contexts</title>"
        s += "<defs>\(hatchPattern(hatch))<linearGradient id=\"\(gradient)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for (x, _) in stops {
            s += "<stop offset=\"\(HTML.c(x))\" stop-color=\"\(colour(x))\"/>"
        }
        s += "</linearGradient></defs>"
        // Column labels (rotated) and row labels.
        for (j, name) in contexts.enumerated() {
            let x = left + cell * (Double(j) + 0.5)
            s += "<text class=\"col-label\" x=\"\(HTML.c(x))\" y=\"\(HTML.c(top - 6))\" transform=\"rotate(-45 \(HTML.c(x)) \(HTML.c(top - 6)))\">\(HTML.esc(name))</text>"
        }
        for (i, name) in contexts.enumerated() {
            s += "<text class=\"row-label\" x=\"\(HTML.c(left - 6))\" y=\"\(HTML.c(top + cell * (Double(i) + 0.5)))\" text-anchor=\"end\" dominant-baseline=\"central\">\(HTML.esc(name))</text>"
        }
        s += "<g class=\"cells\">"
        for i in 0..<n {
            for j in 0..<n {
                let x = left + cell * Double(j), y = top + cell * Double(i)
                let value = pair(i, j)
                let defined = value.map { $0.isFinite } ?? false
                let r = value ?? .nan
                var tip = "\(contexts[i]) × \(contexts[j]): "
                if let value { tip += value.isFinite ? HTML.num(value, 4) : "NaN (undefined: a value's centred scores are constant in a context)" }
                else { tip += "not recorded" }
                if defined, let (lo, hi) = interval(i, j) { tip += " [bootstrap \(HTML.num(lo, 3)), \(HTML.num(hi, 3))]" }
                // The diagonal (a context with itself, 1 by definition) carries no information: neutral.
                let diagonal = i == j
                let fill = !defined ? "url(#\(hatch))" : diagonal ? "#eef0f3" : colour(r)
                let cls = defined ? (diagonal ? "cell diagonal" : "cell") : "cell nan"
                s += "<g><rect class=\"\(cls)\" data-row=\"\(i)\" data-col=\"\(j)\" data-value=\"\(HTML.data(value))\" x=\"\(HTML.c(x))\" y=\"\(HTML.c(y))\" "
                    + "width=\"\(HTML.c(cell - 1))\" height=\"\(HTML.c(cell - 1))\" fill=\"\(fill)\"><title>\(HTML.esc(tip))</title></rect>"
                let label = !defined ? "NaN" : diagonal ? "1" : HTML.num(r, 2)
                let ink = !defined ? "#444444" : diagonal ? "#8a92a0" : textColour(r)
                s += "<text class=\"cell-value\" x=\"\(HTML.c(x + (cell - 1) / 2))\" y=\"\(HTML.c(y + (cell - 1) / 2))\" fill=\"\(ink)\" "
                    + "text-anchor=\"middle\" dominant-baseline=\"central\" aria-hidden=\"true\">\(HTML.esc(label))</text></g>"
            }
        }
        s += "</g>"
        // Legend: the colour bar from 0 to 1, and the NaN swatch.
        let barTop = top, barHeight = min(grid, 220.0) - 40
        s += "<g class=\"legend\"><rect x=\"\(HTML.c(legendX))\" y=\"\(HTML.c(barTop))\" width=\"14\" height=\"\(HTML.c(barHeight))\" fill=\"url(#\(gradient))\" stroke=\"#999999\" stroke-width=\"0.5\"/>"
        for tick in [0.0, 0.25, 0.5, 0.75, 1] {
            let y = barTop + barHeight * (1 - tick)
            s += "<line x1=\"\(HTML.c(legendX + 14))\" x2=\"\(HTML.c(legendX + 18))\" y1=\"\(HTML.c(y))\" y2=\"\(HTML.c(y))\" stroke=\"#666666\"/>"
            s += "<text x=\"\(HTML.c(legendX + 21))\" y=\"\(HTML.c(y))\" dominant-baseline=\"central\">\(tick == 0 ? "≤\u{2009}0" : HTML.num(tick, tick == tick.rounded() ? 0 : 2))</text>"
        }
        let swatchY = barTop + barHeight + 14
        s += "<rect x=\"\(HTML.c(legendX))\" y=\"\(HTML.c(swatchY))\" width=\"14\" height=\"14\" fill=\"url(#\(hatch))\" stroke=\"#999999\" stroke-width=\"0.5\"/>"
        s += "<text x=\"\(HTML.c(legendX + 21))\" y=\"\(HTML.c(swatchY + 7))\" dominant-baseline=\"central\">NaN</text></g>"
        s += "</svg>"
        return s
    }

    // MARK: value circle

    struct CirclePanel {
        var svg: String
        var misfit: Double?
        var reflected: Bool
        var plotted: Int
    }

    /// One context's value positions (centroids of each value's items in the MDS configuration),
    /// Procrustes-aligned to the theoretical circumplex and drawn against it.
    static func valueCircle(id: String, context: String, values: [String], positions: [String: (Double, Double)]) -> CirclePanel {
        // Values with both a finite position and a theoretical point enter the alignment.
        let usable = values.filter { v in
            if let p = positions[v], p.0.isFinite, p.1.isFinite, Circumplex.points[v] != nil { return true }
            return false
        }
        let fit = Procrustes.fit(usable.map { positions[$0]! }, to: usable.map { (Circumplex.points[$0]!.x, Circumplex.points[$0]!.y) })
        var aligned: [String: (Double, Double)] = [:]
        if let fit { for (v, p) in zip(usable, fit.aligned) { aligned[v] = p } }
        // The unit circle takes 78 px of radius; a badly fitting configuration whose points fall
        // farther out shrinks the whole drawing so that nothing is clipped.
        let extent = aligned.values.map { ($0.0 * $0.0 + $0.1 * $0.1).squareRoot() }.max() ?? 0
        let size = 210.0, mid = size / 2
        let scale = 78.0 * min(1, 1.25 / max(extent, 1e-9))
        func px(_ x: Double) -> Double { mid + x * scale }
        func py(_ y: Double) -> Double { mid - y * scale }

        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"value-circle\" data-context=\"\(HTML.esc(context))\" viewBox=\"0 0 \(HTML.c(size)) \(HTML.c(size))\" "
            + "width=\"\(HTML.c(size))\" height=\"\(HTML.c(size))\" role=\"img\" aria-labelledby=\"circle-\(id)-title\">"
        let summary = fit.map { "aligned by Procrustes, misfit \(HTML.num($0.misfit, 3))" } ?? "no configuration to align"
        s += "<title id=\"circle-\(id)-title\">Value positions in \(HTML.esc(context)) (\(summary)) against the theoretical circumplex</title>"
        s += "<circle class=\"unit\" cx=\"\(HTML.c(mid))\" cy=\"\(HTML.c(mid))\" r=\"\(HTML.c(scale))\" fill=\"none\" stroke=\"#cfcfcf\" stroke-dasharray=\"3 3\"/>"
        s += "<line x1=\"\(HTML.c(mid - scale - 8))\" x2=\"\(HTML.c(mid + scale + 8))\" y1=\"\(HTML.c(mid))\" y2=\"\(HTML.c(mid))\" stroke=\"#eeeeee\"/>"
        s += "<line y1=\"\(HTML.c(mid - scale - 8))\" y2=\"\(HTML.c(mid + scale + 8))\" x1=\"\(HTML.c(mid))\" x2=\"\(HTML.c(mid))\" stroke=\"#eeeeee\"/>"
        // Theoretical points with their labels just outside the circle.
        for v in values {
            guard let t = Circumplex.points[v] else { continue }
            let colour = Circumplex.colour(v)
            s += "<circle class=\"theory\" data-value=\"\(HTML.esc(v))\" cx=\"\(HTML.c(px(t.x)))\" cy=\"\(HTML.c(py(t.y)))\" r=\"4.5\" fill=\"#ffffff\" stroke=\"\(colour)\" stroke-width=\"1.6\">"
                + "<title>\(HTML.esc(v)): theoretical (\(HTML.num(t.x, 2)), \(HTML.num(t.y, 2)))</title></circle>"
            // Labels sit beside their point: outward, or inward for inner points (Conformity shares
            // Tradition's direction).
            let norm = max(1e-9, (t.x * t.x + t.y * t.y).squareRoot())
            let radius = norm < 0.75 ? norm - 0.2 : norm + 0.2
            let lx = px(t.x / norm * radius), ly = py(t.y / norm * radius)
            s += "<text class=\"value-label\" x=\"\(HTML.c(lx))\" y=\"\(HTML.c(ly))\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"\(colour)\">\(HTML.esc(Circumplex.label(v)))</text>"
        }
        // Displacement lines, then the observed (aligned) points on top.
        for v in values {
            guard let a = aligned[v], let t = Circumplex.points[v] else { continue }
            s += "<line class=\"shift\" x1=\"\(HTML.c(px(t.x)))\" y1=\"\(HTML.c(py(t.y)))\" x2=\"\(HTML.c(px(a.0)))\" y2=\"\(HTML.c(py(a.1)))\" stroke=\"\(Circumplex.colour(v))\" stroke-width=\"1\" opacity=\"0.6\"/>"
        }
        for v in values {
            guard let a = aligned[v] else { continue }
            let raw = positions[v]!
            s += "<circle class=\"obs\" data-value=\"\(HTML.esc(v))\" cx=\"\(HTML.c(px(a.0)))\" cy=\"\(HTML.c(py(a.1)))\" r=\"5\" fill=\"\(Circumplex.colour(v))\" stroke=\"#ffffff\" stroke-width=\"1\">"
                + "<title>\(HTML.esc(v)): aligned (\(HTML.num(a.0, 2)), \(HTML.num(a.1, 2))); MDS (\(HTML.num(raw.0, 3)), \(HTML.num(raw.1, 3)))</title></circle>"
        }
        if fit == nil {
            s += "<text x=\"\(HTML.c(mid))\" y=\"\(HTML.c(mid - 26))\" text-anchor=\"middle\" dominant-baseline=\"central\" class=\"empty\">no configuration</text>"
        }
        s += "</svg>"
        return CirclePanel(svg: s, misfit: fit?.misfit, reflected: fit?.reflected ?? false, plotted: aligned.count)
    }

    // MARK: per-value bars

    /// Horizontal bars of each value's Rank-Order stability with optional bootstrap whiskers.
    static func valueBars(id: String, modelName: String, values: [String], stability: [String: Double],
                          intervals: [String: (Double, Double)]) -> String {
        let row = 24.0, left = 118.0, plot = 330.0, top = 8.0, axisHeight = 26.0
        var lo = 0.0
        for v in values {
            if let x = stability[v], x.isFinite { lo = min(lo, x) }
            if let ci = intervals[v], ci.0.isFinite { lo = min(lo, ci.0) }
        }
        lo = max(-1, (lo * 5).rounded(.down) / 5)
        let hi = 1.0
        func px(_ x: Double) -> Double { left + (min(hi, max(lo, x)) - lo) / (hi - lo) * plot }
        let height = top + row * Double(values.count) + axisHeight
        let width = left + plot + 64
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"value-bars\" id=\"bars-\(id)\" viewBox=\"0 0 \(HTML.c(width)) \(HTML.c(height))\" "
            + "width=\"\(HTML.c(width))\" height=\"\(HTML.c(height))\" role=\"img\" aria-labelledby=\"bars-\(id)-title\">"
        s += "<title id=\"bars-\(id)-title\">Rank-Order stability of each value for \(HTML.esc(modelName))</title>"
        s += "<defs>\(hatchPattern("hatch-bars-\(id)"))</defs>"
        let axisY = top + row * Double(values.count)
        var tick = lo
        while tick <= hi + 1e-9 {
            let x = px(tick)
            s += "<line x1=\"\(HTML.c(x))\" x2=\"\(HTML.c(x))\" y1=\"\(HTML.c(top))\" y2=\"\(HTML.c(axisY + 4))\" stroke=\"\(abs(tick) < 1e-9 ? "#888888" : "#e6e6e6")\"/>"
            s += "<text x=\"\(HTML.c(x))\" y=\"\(HTML.c(axisY + 16))\" text-anchor=\"middle\" class=\"tick\">\(HTML.num(tick, 1))</text>"
            tick += 0.2
        }
        for (k, v) in values.enumerated() {
            let y = top + row * Double(k)
            let x = stability[v]
            s += "<g class=\"bar\" data-value=\"\(HTML.esc(v))\">"
            s += "<text x=\"\(HTML.c(left - 8))\" y=\"\(HTML.c(y + row / 2))\" text-anchor=\"end\" dominant-baseline=\"central\">\(HTML.esc(v))</text>"
            var tip = "\(v): " + (x.map { $0.isFinite ? HTML.num($0, 4) : "NaN" } ?? "not recorded")
            if let ci = intervals[v] { tip += " [bootstrap \(HTML.num(ci.0, 3)), \(HTML.num(ci.1, 3))]" }
            if let x, x.isFinite {
                let x0 = px(0), x1 = px(x)
                s += "<rect x=\"\(HTML.c(min(x0, x1)))\" y=\"\(HTML.c(y + 5))\" width=\"\(HTML.c(max(1, abs(x1 - x0))))\" height=\"\(HTML.c(row - 10))\" fill=\"\(Circumplex.colour(v))\"><title>\(HTML.esc(tip))</title></rect>"
            } else {
                s += "<rect x=\"\(HTML.c(px(0)))\" y=\"\(HTML.c(y + 5))\" width=\"26\" height=\"\(HTML.c(row - 10))\" fill=\"url(#hatch-bars-\(id))\"><title>\(HTML.esc(tip))</title></rect>"
            }
            if let ci = intervals[v], ci.0.isFinite, ci.1.isFinite {
                let a = px(ci.0), b = px(ci.1), ym = y + row / 2
                s += "<g class=\"ci\" stroke=\"#222222\" stroke-width=\"1.2\"><line x1=\"\(HTML.c(a))\" x2=\"\(HTML.c(b))\" y1=\"\(HTML.c(ym))\" y2=\"\(HTML.c(ym))\"/>"
                    + "<line x1=\"\(HTML.c(a))\" x2=\"\(HTML.c(a))\" y1=\"\(HTML.c(ym - 4))\" y2=\"\(HTML.c(ym + 4))\"/>"
                    + "<line x1=\"\(HTML.c(b))\" x2=\"\(HTML.c(b))\" y1=\"\(HTML.c(ym - 4))\" y2=\"\(HTML.c(ym + 4))\"/></g>"
            }
            let labelX = left + plot + 8
            s += "<text x=\"\(HTML.c(labelX))\" y=\"\(HTML.c(y + row / 2))\" dominant-baseline=\"central\" class=\"bar-value\">\(x.map { HTML.num($0, 3) } ?? "—")</text>"
            s += "</g>"
        }
        s += "</svg>"
        return s
    }

    // MARK: rank distribution

    /// A tiny bar per possible rank: the share of bootstrap replicates in which the model took it;
    /// ranks inside the interval are dark.
    static func rankBars(distribution: [Double], lower: Int, upper: Int, label: String) -> String {
        let m = distribution.count
        guard m > 0 else { return "" }
        let w = max(2.0, min(7.0, 96.0 / Double(m))), h = 16.0
        let peak = max(distribution.filter(\.isFinite).max() ?? 0, 1e-9)
        var tip = "\(label) rank distribution: "
        tip += distribution.enumerated().filter { $0.element > 0 }.map { "\($0.offset + 1): \(HTML.percent($0.element, 0))" }.joined(separator: ", ")
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"rank-dist\" width=\"\(HTML.c(w * Double(m)))\" height=\"\(HTML.c(h))\" viewBox=\"0 0 \(HTML.c(w * Double(m))) \(HTML.c(h))\" role=\"img\" aria-label=\"\(HTML.esc(tip))\">"
        s += "<title>\(HTML.esc(tip))</title>"
        s += "<line x1=\"0\" x2=\"\(HTML.c(w * Double(m)))\" y1=\"\(HTML.c(h - 0.5))\" y2=\"\(HTML.c(h - 0.5))\" stroke=\"#cccccc\"/>"
        for (k, p) in distribution.enumerated() where p.isFinite && p > 0 {
            let bh = max(1, p / peak * (h - 1))
            let inside = (lower...max(lower, upper)).contains(k + 1)
            s += "<rect x=\"\(HTML.c(Double(k) * w + 0.5))\" y=\"\(HTML.c(h - 0.5 - bh))\" width=\"\(HTML.c(w - 1))\" height=\"\(HTML.c(bh))\" fill=\"\(inside ? "#2b5d8a" : "#a9bfd3")\"/>"
        }
        s += "</svg>"
        return s
    }
}
