// The value circles of one model: per context, the 2-D MDS configuration aligned to Schwartz's circumplex.
import Foundation
import StickArtifacts

extension Page {
    mutating func valueCircles(index i: Int, doc: MetricsDocument, contexts: [String], values: [String]) {
        line("<section class=\"circles-section\" aria-labelledby=\"circles-\(i)-heading\">")
        line("<h4 id=\"circles-\(i)-heading\">Value circle per context</h4>")
        let positions = doc.stress.valuePositions
        guard !positions.isEmpty else {
            line("<p class=\"note\">Value positions: not recorded in this metrics file.</p>")
            line("</section>")
            return
        }
        line("<ul class=\"value-legend\" aria-label=\"Values\">")
        // Around the circle, as theory orders them; values unknown to the circumplex last.
        let legendOrder = Circumplex.order.filter(values.contains) + values.filter { !Circumplex.order.contains($0) }
        for v in legendOrder {
            line("<li><span class=\"swatch\" style=\"background:\(Circumplex.colour(v))\"></span><abbr title=\"\(HTML.esc(v))\">\(HTML.esc(Circumplex.label(v)))</abbr> \(HTML.esc(v))</li>")
        }
        line("<li><span class=\"swatch ring\"></span>theoretical position</li>")
        line("</ul>")
        line("<div class=\"circles\">")
        for (k, context) in contexts.enumerated() {
            var points: [String: (Double, Double)] = [:]
            if let o = positions[context] ?? nil {
                for (v, xy) in o.pairs where xy.count == 2 { points[v] = (xy[0], xy[1]) }
            }
            let panel = Charts.valueCircle(id: "m\(i)c\(k)", context: context, values: values, positions: points)
            line("<figure class=\"circle\">")
            line(panel.svg)
            var caption = "<code>\(HTML.esc(context))</code>"
            if let misfit = panel.misfit {
                caption += "<br/>misfit \(HTML.num(misfit, 3))\(panel.reflected ? " · reflected" : "")"
            } else {
                caption += "<br/>no MDS configuration"
            }
            line("<figcaption>\(caption)</figcaption>")
            line("</figure>")
        }
        line("</div>")
        line("<p class=\"caption\">Each filled dot is the centroid of a value's items in the context's 2-D MDS configuration; the ring of the same colour is "
             + "Schwartz's theoretical position, and the line joins them. An MDS configuration is defined only up to rotation, reflection, "
             + "translation and scale, so each one is aligned to the theoretical points by Procrustes (least squares, Schönemann 1966) before "
             + "drawing. Misfit is the share of the theoretical configuration's spread left unexplained after the alignment "
             + "(0 = same shape, 1 = unrelated).</p>")
        line("</section>")
    }
}
