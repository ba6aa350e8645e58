// The report's fixed parts: the stylesheet, the sorting script and the Method section (with the
// citations). They contain no input data. They are written as well-formed XML too (the script and
// style sit in CDATA sections that HTML reads as comments).

extension Page {
    static let css = """
        :root { color-scheme: light; --ink: #1c2230; --muted: #5a6375; --line: #dfe3ea; --accent: #2b5d8a; --bg: #f7f8fa; --card: #ffffff; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--ink); line-height: 1.5;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
        .page-header, main, .page-footer { max-width: 1240px; margin: 0 auto; padding: 0 28px; }
        .page-header { padding-top: 8px; }
        h1 { font-size: 1.9rem; line-height: 1.2; margin: 1.4rem 0 .3rem; letter-spacing: -0.01em; }
        h2 { font-size: 1.45rem; margin: 2.2rem 0 .8rem; padding-bottom: .3rem; border-bottom: 2px solid var(--line); }
        h3 { font-size: 1.25rem; margin: .8rem 0 .2rem; }
        h4 { font-size: 1rem; margin: 1.6rem 0 .5rem; color: #2f3a4f; }
        a { color: var(--accent); }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .86em;
          background: #eef1f5; padding: 0 .3em; border-radius: 3px; }
        .meta { color: var(--muted); margin: .2rem 0 .6rem; }
        .toc { list-style: none; padding: 0; margin: .4rem 0 0; display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; }
        .toc ul { display: none; }
        .skip { position: absolute; left: -9999px; }
        .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 10px; z-index: 1; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: .85rem; padding-top: .5rem; max-width: 90ch; }
        th, td { padding: .38rem .6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
        thead th { font-size: .82rem; color: #38435a; border-bottom: 2px solid #c9d0db; vertical-align: bottom; }
        tbody tr:hover { background: #f0f4f9; }
        td.num, th.num { text-align: right; }
        td.best { font-weight: 700; color: #14365a; }
        td.missing { color: #9aa1ad; }
        td.flag { color: #a8430c; font-weight: 600; }
        #leaderboard { background: var(--card); border: 1px solid var(--line); }
        #leaderboard tbody th { font-weight: 600; min-width: 9em; max-width: 22em; overflow-wrap: anywhere; }
        #leaderboard td.rank { white-space: nowrap; }
        .rank-ci { display: inline-block; min-width: 3.2em; }
        .rank-dist { vertical-align: middle; max-width: none; }
        .badge { font-size: .72rem; background: #eef1f5; color: #4a5568; border-radius: 999px; padding: 1px 8px; font-weight: 500; }
        button.sort { font: inherit; font-weight: inherit; color: inherit; background: none; border: 0; padding: 0; margin: 0; cursor: pointer;
          text-align: inherit; }
        button.sort:hover { text-decoration: underline; }
        button.sort:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
        button.sort .arrow::after { content: "\\2195"; color: #a7afbd; margin-left: .3em; font-size: .9em; }
        th[aria-sort="ascending"] button.sort .arrow::after { content: "\\25B2"; color: var(--accent); }
        th[aria-sort="descending"] button.sort .arrow::after { content: "\\25BC"; color: var(--accent); }
        .benchbench { margin: .9rem 0 .4rem; }
        .aside { color: var(--muted); font-size: .88em; }
        .note { color: var(--muted); }
        .warnings { border-left: 4px solid #d9a400; background: #fff8e1; padding: .3rem 1rem; margin: 1rem 0; border-radius: 0 6px 6px 0; }
        .warnings h3, .warnings h4 { margin: .4rem 0 .2rem; font-size: .95rem; }
        .warnings ul { margin: .2rem 0 .5rem; padding-left: 1.2rem; }
        article.model { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 28px 22px; margin: 22px 0;
          box-shadow: 0 1px 2px rgba(20, 30, 50, .04); }
        .model-name { overflow-wrap: anywhere; }
        dl.headline, dl.usage { display: flex; flex-wrap: wrap; gap: .4rem 2rem; margin: .6rem 0 .4rem; }
        dl.headline dt, dl.usage dt { font-size: .72rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
        dl.headline dd, dl.usage dd { margin: 0; font-size: 1.12rem; font-weight: 600; font-variant-numeric: tabular-nums; }
        .panels { display: flex; flex-wrap: wrap; gap: 20px 40px; align-items: flex-start; margin-top: 1rem; }
        figure.panel { max-width: 540px; }
        figure { margin: 0; }
        figcaption, .caption { color: var(--muted); font-size: .85rem; max-width: 64ch; }
        .panel figcaption { max-width: 520px; margin-top: .3rem; }
        svg { max-width: 100%; height: auto; }
        svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 11px; }
        svg text:not([fill]) { fill: #333b4a; }
        svg .cell-value { font-size: 10px; pointer-events: none; }
        svg .col-label, svg .row-label { font-size: 11px; }
        svg rect.cell:hover { stroke: #111; stroke-width: 1.5; }
        svg rect.diagonal { stroke: #dde1e7; }
        svg .tick { fill: #6a7282; font-size: 10px; }
        svg .bar-value { font-variant-numeric: tabular-nums; }
        svg .value-label { font-size: 10px; font-weight: 700; }
        svg .empty { fill: #8a92a0; font-size: 12px; }
        .value-legend { list-style: none; padding: 0; margin: .2rem 0 .8rem; display: flex; flex-wrap: wrap; gap: .2rem 1.1rem; font-size: .85rem; }
        .value-legend abbr { text-decoration: none; font-weight: 700; }
        .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 5px; vertical-align: -1px; }
        .swatch.ring { background: #fff; border: 2px solid #7a8291; }
        .circles { display: grid; grid-template-columns: repeat(auto-fill, minmax(214px, 1fr)); gap: 10px 12px; }
        figure.circle { text-align: center; }
        figure.circle figcaption { margin: 0 auto; font-size: .8rem; }
        table.contexts td .ci { display: block; color: var(--muted); font-size: .78em; white-space: nowrap; }
        table.contexts tfoot th, table.contexts tfoot td, table.parse tfoot th, table.parse tfoot td { border-top: 2px solid #c9d0db; font-weight: 600; }
        .fail { color: #a8430c; white-space: nowrap; }
        .usage-label { margin: 1rem 0 0; color: var(--muted); font-size: .85rem; }
        #method p, #method li, #method dd, #references li { max-width: 80ch; }
        #method dt { font-weight: 700; margin-top: .8rem; }
        #method dd { margin-left: 1.2rem; }
        #references ol { padding-left: 1.4rem; }
        #references li { margin-bottom: .35rem; }
        .page-footer { color: var(--muted); font-size: .85rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid var(--line); margin-top: 2.5rem; }
        @media print { body { background: #fff; } article.model { break-inside: avoid; box-shadow: none; } }
        """

    static let script = """
        (function () {
          "use strict";
          var table = document.getElementById("leaderboard");
          if (!table || !table.tHead || !table.tBodies.length) return;
          var body = table.tBodies[0];
          var headers = table.tHead.rows[0].cells;
          var state = { col: -1, dir: 0 };
          function key(row, col, numeric) {
            var cell = row.cells[col];
            var v = cell ? cell.getAttribute("data-value") : null;
            if (v === null) v = cell ? cell.textContent : "";
            if (!numeric) return v.toLowerCase();
            return v === "" ? NaN : parseFloat(v);
          }
          function sortBy(col) {
            var th = headers[col];
            var numeric = th.getAttribute("data-sort") === "num";
            // First click: best first (descending where higher is better); a second click reverses.
            var dir = state.col === col ? -state.dir : (numeric && th.getAttribute("data-better") === "high" ? -1 : 1);
            state = { col: col, dir: dir };
            var rows = Array.prototype.slice.call(body.rows);
            var position = new Map();
            rows.forEach(function (r, i) { position.set(r, i); });
            rows.sort(function (a, b) {
              var x = key(a, col, numeric), y = key(b, col, numeric);
              if (numeric) {
                var xn = isNaN(x), yn = isNaN(y);
                if (xn || yn) { if (xn !== yn) return xn ? 1 : -1; }   // NaN last, either direction
                else if (x !== y) return (x - y) * dir;
              } else if (x !== y) {
                return x < y ? -dir : dir;
              }
              return position.get(a) - position.get(b);
            });
            rows.forEach(function (r) { body.appendChild(r); });
            for (var k = 0; k < headers.length; k++) {
              if (k === col) headers[k].setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
              else headers[k].removeAttribute("aria-sort");
            }
          }
          Array.prototype.forEach.call(headers, function (th, col) {
            if (!th.hasAttribute("data-sort")) return;
            var button = document.createElement("button");
            button.type = "button";
            button.className = "sort";
            while (th.firstChild) button.appendChild(th.firstChild);
            var arrow = document.createElement("span");
            arrow.className = "arrow";
            arrow.setAttribute("aria-hidden", "true");
            button.appendChild(arrow);
            th.appendChild(button);
            button.addEventListener("click", function () { sortBy(col); });
          });
        })();
        """

    static let method = #"""
        <section id="method" aria-labelledby="method-heading">
        <h2 id="method-heading">Method</h2>
        <p>The benchmark follows Kovač, Portelas, Sawayama, Dominey and Oudeyer (2024). A model role-plays the same 50 personas
        (25 women, 25 men) in 9 conversation contexts: five simulated conversations on Reddit topics (<code>chunk_0</code> to
        <code>chunk_4</code>), a chess and a grammar conversation with persona interlocutors (<code>chunk_chess_0</code>,
        <code>chunk_grammar_1</code>), and no conversation at all (<code>chunk_no_conv</code>). After the conversation each persona answers
        Schwartz's Portrait Values Questionnaire PVQ-40 (Schwartz et al. 2001; six options from "not like me at all" to "very much like
        me"). In the ninth context (<code>chunk_svs_no_conv</code>) it answers the Schwartz Value Survey (57 items, −1 to 7) instead.
        The items measure Schwartz's ten basic values, which theory arranges on a circle: neighbouring values are compatible, opposite
        ones conflict (Schwartz 1992, 2012).</p>
        <dl>
        <dt>Rank-Order stability</dt>
        <dd>Do the personas keep their order on each value when the context changes? A persona's score on a value is the mean of
        that value's items, minus the persona's mean answer over all items (so a persona that agrees with everything does not
        rank high on every value). For each pair of contexts and each value, the Spearman rank correlation over the 50 personas
        compares the two contexts. Averaging over the ten values gives a pairwise entry (the heatmap). Averaging over the 36 pairs
        gives the model's Rank-Order stability. 1 means the personas are ordered identically everywhere, and 0 means no relation.</dd>
        <dt>Stress (structural validity)</dt>
        <dd>Do the answers show Schwartz's circular structure? In each context, the items are correlated with each other over the
        personas (Spearman). The Euclidean distances between the rows of that correlation matrix are placed in two dimensions by
        non-metric multidimensional scaling (SMACOF), started from the theoretical circle. Stress measures how badly the 2-D
        distances preserve the order of the original distances (Kruskal 1964): 0 is a perfect fit, and lower is better. The value
        circles show where each value's items ended up (their centroid), aligned to the theoretical points.</dd>
        <dt>CFA fit (CFI, SRMR, RMSEA)</dt>
        <dd>Do the items measure the values they are meant to? In each context, four confirmatory factor analyses, one per
        higher-order value (conservation, openness to change, self-transcendence, self-enhancement), fit a model in which
        each item loads on its own value and the values correlate. Estimation is maximum likelihood as in lavaan's
        <code>cfa(..., std.lv = TRUE)</code> (Rosseel 2012). CFI compares the model with a model of uncorrelated items (higher
        is better; about 0.95 or more is a common bar). SRMR is the average standardized residual correlation, and RMSEA the misfit per
        degree of freedom (lower is better; about 0.08 and 0.06 or less are common bars) (Hu &amp; Bentler 1999). A sub-model
        that cannot be fitted counts as CFI 0, SRMR 1 and RMSEA 1. Each context's value is the mean over its four sub-models.</dd>
        <dt>Leaderboard: Cardinal and Ordinal scores</dt>
        <dd>Each model gets 72 numbers: the 36 pairwise Rank-Order values, and for each of the 9 contexts 1 − Stress, CFI, 1 − SRMR
        and 1 − RMSEA, so that higher is always better. The <em>Cardinal score</em> is their mean (undefined numbers are skipped).
        Rank-Order therefore weighs one half, and each of the four structure metrics one eighth. The <em>Ordinal score</em> (win rate)
        is, for each of the 72 columns, the share of the other models that this model strictly beats, averaged over the columns.
        The summary columns RO Stability, Stress, CFI, SRMR and RMSEA are the corresponding means.</dd>
        <dt>Diversity and sensitivity</dt>
        <dd>Following Zhang and Hardt (2024, benchbench), <em>diversity</em> is 1 − Kendall's W over the 72 columns' rankings of the
        models: 0 means every column ranks the models the same way. <em>Sensitivity</em> is the largest rank change (MRC) that an
        adversarial but irrelevant change can cause. For the Cardinal score this change is a reweighting of the columns, and for the
        Ordinal score it is the removal of other models. Diverse benchmarks tend to be sensitive.</dd>
        <dt>Uncertainty</dt>
        <dd>When <code>score</code> ran a bootstrap, personas are resampled with replacement (the same draw in every context, since
        personas are matched across contexts), and every statistic is recomputed. Brackets and whiskers are percentile intervals.
        The leaderboard's rank intervals come from ranking the models again in each replicate. This uncertainty analysis goes beyond
        the reference.</dd>
        </dl>
        <h3>Compatibility with the reference implementation</h3>
        <ul>
        <li><strong>Stress variant.</strong> The reference calls scikit-learn's MDS, whose SMACOF changed in version 1.7. The
        <code>legacy</code> variant reproduces scikit-learn 1.2–1.6 (the leaderboard's, and the default). The <code>v17</code> variant
        reproduces 1.7 and later. On the same data, <code>v17</code> gives about a quarter to a half of the <code>legacy</code> value,
        so compare Stress only within one variant. The per-context table shows both variants when both were computed.</li>
        <li><strong>CFA rounding.</strong> The reference reads lavaan's fit indices through R's jsonlite, which rounds them to 4
        decimals. With <code>--cfa-rounding reference</code> (the default) the stored indices are rounded the same way before they
        are averaged, and with <code>none</code> they keep full precision. Stress and Rank-Order are never rounded.</li>
        <li><strong>NaN.</strong> A Spearman correlation with a constant input is undefined (NaN), as in SciPy. The model's overall
        Rank-Order and the per-value means propagate NaN, as the reference's <code>np.mean</code> does. The leaderboard's means
        (Cardinal, RO Stability) skip NaN, as pandas does. In the win rate a NaN wins nothing and cannot be beaten. JSON has no NaN,
        so the files store it as <code>null</code>, and this page shows it as "NaN" or as a hatched cell. Where every persona
        answers alike in a context, the reference crashes; this toolkit reports that context's Stress as NaN with a warning.</li>
        <li><strong>Ordinal sensitivity.</strong> The reference samples with torch's random generator. The toolkit uses its own
        seeded generator, so this one number can differ from the reference's.</li>
        <li><strong>Value circle.</strong> MDS configurations are defined only up to rotation, reflection, translation and scale.
        This page therefore aligns each one to the theoretical points by Procrustes. The alignment is for display only and changes
        no statistic.</li>
        </ul>
        </section>
        <section id="references" aria-labelledby="references-heading">
        <h2 id="references-heading">References</h2>
        <ol>
        <li>Kovač, G., Portelas, R., Sawayama, M., Dominey, P. F., &amp; Oudeyer, P.-Y. (2024). Stick to your role! Stability of personal
        values expressed in large language models. <cite>PLOS ONE</cite>, 19(8), e0309114.
        <a href="https://doi.org/10.1371/journal.pone.0309114">doi:10.1371/journal.pone.0309114</a></li>
        <li>Schwartz, S. H. (1992). Universals in the content and structure of values: Theoretical advances and empirical tests in 20
        countries. <cite>Advances in Experimental Social Psychology</cite>, 25, 1–65.
        <a href="https://doi.org/10.1016/S0065-2601(08)60281-6">doi:10.1016/S0065-2601(08)60281-6</a></li>
        <li>Schwartz, S. H. (2012). An overview of the Schwartz theory of basic values. <cite>Online Readings in Psychology and
        Culture</cite>, 2(1). <a href="https://doi.org/10.9707/2307-0919.1116">doi:10.9707/2307-0919.1116</a></li>
        <li>Schwartz, S. H., Melech, G., Lehmann, A., Burgess, S., Harris, M., &amp; Owens, V. (2001). Extending the cross-cultural
        validity of the theory of basic human values with a different method of measurement. <cite>Journal of Cross-Cultural
        Psychology</cite>, 32(5), 519–542. <a href="https://doi.org/10.1177/0022022101032005001">doi:10.1177/0022022101032005001</a></li>
        <li>Kruskal, J. B. (1964). Multidimensional scaling by optimizing goodness of fit to a nonmetric hypothesis.
        <cite>Psychometrika</cite>, 29(1), 1–27. <a href="https://doi.org/10.1007/BF02289565">doi:10.1007/BF02289565</a></li>
        <li>Hu, L., &amp; Bentler, P. M. (1999). Cutoff criteria for fit indexes in covariance structure analysis: Conventional criteria
        versus new alternatives. <cite>Structural Equation Modeling</cite>, 6(1), 1–55.
        <a href="https://doi.org/10.1080/10705519909540118">doi:10.1080/10705519909540118</a></li>
        <li>Rosseel, Y. (2012). lavaan: An R package for structural equation modeling. <cite>Journal of Statistical Software</cite>,
        48(2), 1–36. <a href="https://doi.org/10.18637/jss.v048.i02">doi:10.18637/jss.v048.i02</a></li>
        <li>Zhang, G., &amp; Hardt, M. (2024). Inherent trade-offs between diversity and stability in multi-task benchmarks.
        <cite>Proceedings of the 41st International Conference on Machine Learning (ICML)</cite>.
        <a href="https://arxiv.org/abs/2405.01719">arXiv:2405.01719</a></li>
        <li>Schönemann, P. H. (1966). A generalized solution of the orthogonal Procrustes problem. <cite>Psychometrika</cite>, 31(1),
        1–10. <a href="https://doi.org/10.1007/BF02289451">doi:10.1007/BF02289451</a></li>
        </ol>
        <p class="note">The method follows the public reference implementation (flowersteam/value_stability, MIT licence); the
        toolkit's metrics specification documents every detail.</p>
        </section>

        """#
}
