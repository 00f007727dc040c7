using Workbench.Claims.Stratification;
using AttentionMask = Workbench.Attention.AttentionMask;
using RowStratum = Workbench.Attention.RowStratum;

namespace Workbench.Claims.Reporting.Figures;

/// <summary>
/// S Figures 2–4 regenerated from data the workbench computes: the softmax and argmax behind the claims, not the
/// closed forms the note draws. Each figure is a (file name, SVG text) pair; names match <see cref="FigureLinks"/>.
/// </summary>
public static class StratificationFigures
{
    private static readonly string[] Palette = ["#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd"];
    private const string TieColour = "#d6278a";

    public static IReadOnlyList<(string File, string Svg)> All() =>
        [(FigureLinks.TwoToken, TwoToken()), (FigureLinks.ThreeToken, ThreeToken()), (FigureLinks.CausalMask, CausalMask())];

    /// <summary>Figure 2: A_11 against Δ for τ ∈ {1, 0.5, 0.25, 0.1}, and the hard limit with its jump at the tie Δ = 0.</summary>
    public static string TwoToken()
    {
        var svg = new Svg(640, 400);
        var plot = new PlotArea(70, 40, 420, 300, -4, 4, 0, 1);
        plot.Axes(svg, "Δ = q_1 (k_1 − k_2)", "A_11", [-4, -2, 0, 2, 4], [0, 0.5, 1]);
        svg.Text(320, 24, "Two tokens, d_h = 1: A_11 = softmax row 0 (computed), hard limit τ → 0", 13, "middle");
        double[] taus = [1, 0.5, 0.25, 0.1];
        for (var t = 0; t < taus.Length; t++)
        {
            var tau = taus[t];
            var points = Enumerable.Range(0, 401).Select(g => -4 + g * 0.02).Select(d => (plot.X(d), plot.Y(TwoTokenMap.A11(d, tau))));
            svg.Polyline(points, Palette[t]);
            svg.Line(510, 60 + 20 * t, 540, 60 + 20 * t, Palette[t], 2).Text(548, 64 + 20 * t, $"τ = {Svg.N(tau)}", 12);
        }
        // The hard limit: the argmax pattern's weight, 0 for Δ < 0 and 1 for Δ > 0; at the tie every τ > 0 gives 1/2.
        svg.Line(plot.X(-4), plot.Y(HardA11(-4)), plot.X(0), plot.Y(HardA11(-1e-9)), "#000", 2.5, "6 3");
        svg.Line(plot.X(0), plot.Y(HardA11(1e-9)), plot.X(4), plot.Y(HardA11(4)), "#000", 2.5, "6 3");
        svg.Line(plot.X(0), plot.Y(0), plot.X(0), plot.Y(1), TieColour, 1.5, "3 3");
        svg.Circle(plot.X(0), plot.Y(TwoTokenMap.A11(0, 0.1)), 4, TieColour);
        svg.Line(510, 60 + 20 * taus.Length, 540, 60 + 20 * taus.Length, "#000", 2.5, "6 3").Text(548, 64 + 20 * taus.Length, "hard limit", 12);
        svg.Line(510, 80 + 20 * taus.Length, 540, 80 + 20 * taus.Length, TieColour, 1.5, "3 3").Text(548, 84 + 20 * taus.Length, "tie set Δ = 0", 12);
        return svg.Render("S Figure 2: two-token sigmoid and its hard limit");
    }

    private static double HardA11(double delta) => RowStratum.Of([delta, 0]) is { Pattern: 0, IsExactTie: false } ? 1 : 0;

    /// <summary>Figure 3: the (u, v) plane classified cell by cell with the workbench's argmax of (u, v, 0).</summary>
    public static string ThreeToken()
    {
        const int cells = 120;
        const double extent = 3;
        var svg = new Svg(560, 520);
        var plot = new PlotArea(70, 40, 420, 420, -extent, extent, -extent, extent);
        svg.Text(280, 24, "Three tokens: argmax of (s_1, s_2, s_3) in u = s_1 − s_3, v = s_2 − s_3", 13, "middle");
        string[] fills = ["#c6dbef", "#c7e9c0", "#fdd0a2"];
        var step = 2 * extent / cells;
        for (var r = 0; r < cells; r++)
        {
            var v = extent - (r + 0.5) * step;
            // Runs of equal winners along a row become one rectangle: a few hundred shapes instead of 14,400.
            var start = 0;
            for (var c = 1; c <= cells; c++)
            {
                var u = -extent + (c + 0.5) * step;
                var previous = ThreeTokenWedges.Classify(-extent + (start + 0.5) * step, v, 0);
                if (c < cells && ThreeTokenWedges.Classify(u, v, 0) == previous) continue;
                if (previous >= 0) svg.Rect(plot.X(-extent + start * step), plot.Y(v + step / 2), (c - start) * step / (2 * extent) * plot.Width + 0.3, step / (2 * extent) * plot.Height + 0.3, fills[previous]);
                start = c;
            }
        }
        // Tie rays: where the two largest scores are equal.
        svg.Line(plot.X(0), plot.Y(0), plot.X(extent), plot.Y(extent), TieColour, 2);
        svg.Line(plot.X(0), plot.Y(0), plot.X(0), plot.Y(-extent), TieColour, 2);
        svg.Line(plot.X(0), plot.Y(0), plot.X(-extent), plot.Y(0), TieColour, 2);
        plot.Axes(svg, "u = s_1 − s_3", "v", [-3, -2, -1, 0, 1, 2, 3], [-3, -2, -1, 0, 1, 2, 3]);
        svg.Text(plot.X(1.9), plot.Y(-1.2), "s_1 largest", 13, "middle");
        svg.Text(plot.X(-1.2), plot.Y(1.9), "s_2 largest", 13, "middle");
        svg.Text(plot.X(-1.5), plot.Y(-1.5), "s_3 largest", 13, "middle");
        svg.Text(plot.X(2.2), plot.Y(2.6), "u = v", 11, "middle", TieColour);
        return svg.Render("S Figure 3: three-token wedge partition");
    }

    /// <summary>Figure 4: the causal admissible set for n = 6 and |Σ_n| against |Σ_n^M| counted by enumeration.</summary>
    public static string CausalMask()
    {
        const int n = 6;
        var svg = new Svg(720, 400);
        svg.Text(360, 24, "Causal mask: admissible (i, j) and the pattern counts it leaves", 13, "middle");
        var mask = AttentionMask.Causal;
        const double cell = 40, left = 60, top = 60;
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
            svg.Rect(left + j * cell, top + i * cell, cell, cell, mask.Admits(i, j, n) ? "#e0f7fa" : "#37474f", mask.Admits(i, j, n) ? "#00acc1" : "#263238", 1.5);
        for (var k = 0; k < n; k++)
        {
            svg.Text(left + k * cell + cell / 2, top - 8, $"{k}", 11, "middle");
            svg.Text(left - 10, top + k * cell + cell / 2 + 4, $"{k}", 11, "end");
        }
        svg.Text(left + n * cell / 2, top + n * cell + 24, "key j (admissible iff j ≤ i)", 12, "middle");
        svg.Text(left - 36, top + n * cell / 2, "query i", 12, "middle");

        // Counts on a log scale, from enumeration of all maps (not from the formulas).
        var plot = new PlotArea(390, 60, 290, 240, 0.5, 6.5, 0, 5);
        plot.Axes(svg, "n", "log10 count", [1, 2, 3, 4, 5, 6], [0, 1, 2, 3, 4, 5]);
        for (var size = 1; size <= n; size++)
        {
            var all = (double)Reachability.EnumerateMaps(size);
            var causal = (double)MaskCases.EnumerateAdmissible(AttentionMask.Causal, size);
            svg.Rect(plot.X(size - 0.35), plot.Y(Math.Log10(all)), plot.Width / 6 * 0.33, plot.Y(0) - plot.Y(Math.Log10(all)), "#90a4ae");
            svg.Rect(plot.X(size + 0.02), plot.Y(Math.Log10(causal)), plot.Width / 6 * 0.33, plot.Y(0) - plot.Y(Math.Log10(causal)), "#00acc1");
            svg.Text(plot.X(size), plot.Y(Math.Log10(all)) - 4, $"{all}/{causal}", 9, "middle");
        }
        svg.Rect(420, 330, 12, 12, "#90a4ae").Text(438, 341, "|Σ_n| = n^n (all maps)", 11);
        svg.Rect(420, 350, 12, 12, "#00acc1").Text(438, 361, "|Σ_n^M| causal = n!", 11);
        return svg.Render("S Figure 4: causal mask admissible set and pattern counts");
    }
}
