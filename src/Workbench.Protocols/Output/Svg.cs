using System.Globalization;
using System.Text;

namespace Workbench.Protocols.Output;

/// <summary>A tiny SVG plotter: line/point charts and histograms with axes, enough for a person to look at a protocol's result.</summary>
public static class Svg
{
    private const int W = 560, Hgt = 320, Left = 60, Right = 20, Top = 30, Bottom = 45;
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public sealed record Series(string Label, double[] X, double[] Y, bool Points = false);

    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, bool logX = false, double? markX = null)
    {
        var xs = series.SelectMany(s => s.X).Select(x => logX ? Math.Log10(x) : x).Where(double.IsFinite).ToList();
        var ys = series.SelectMany(s => s.Y).Where(double.IsFinite).ToList();
        if (xs.Count == 0 || ys.Count == 0) return Empty(title);
        var (x0, x1) = Range(xs); var (y0, y1) = Range(ys);
        var sb = Begin(title, xLabel, yLabel, x0, x1, y0, y1, logX);
        for (var s = 0; s < series.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            var pts = new List<string>();
            for (var i = 0; i < series[s].X.Length; i++)
            {
                var x = logX ? Math.Log10(series[s].X[i]) : series[s].X[i];
                var y = series[s].Y[i];
                if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
                var (px, py) = (Px(x, x0, x1), Py(y, y0, y1));
                if (series[s].Points) sb.Append($"<circle cx=\"{F(px)}\" cy=\"{F(py)}\" r=\"2\" fill=\"{color}\" fill-opacity=\"0.6\"/>");
                else pts.Add($"{F(px)},{F(py)}");
            }
            if (pts.Count > 0) sb.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{string.Join(' ', pts)}\"/>");
            sb.Append($"<text x=\"{W - Right - 4}\" y=\"{Top + 14 + 14 * s}\" font-size=\"11\" text-anchor=\"end\" fill=\"{color}\">{Esc(series[s].Label)}</text>");
        }
        if (markX is { } m)
        {
            var mx = logX ? Math.Log10(m) : m;
            if (double.IsFinite(mx) && mx >= x0 && mx <= x1)
                sb.Append($"<line x1=\"{F(Px(mx, x0, x1))}\" x2=\"{F(Px(mx, x0, x1))}\" y1=\"{Top}\" y2=\"{Hgt - Bottom}\" stroke=\"#444\" stroke-dasharray=\"4 3\"/>");
        }
        return sb.Append("</svg>\n").ToString();
    }

    /// <summary>Histograms of several samples on shared bins, drawn as outlined step curves.</summary>
    public static string Histogram(string title, string xLabel, IReadOnlyList<(string Label, double[] Values)> samples, int bins = 30)
    {
        var all = samples.SelectMany(s => s.Values).Where(double.IsFinite).ToList();
        if (all.Count == 0) return Empty(title);
        var (lo, hi) = Range(all);
        var series = new List<Series>();
        foreach (var (label, values) in samples)
        {
            var counts = new double[bins];
            var finite = values.Where(double.IsFinite).ToArray();
            foreach (var v in finite) counts[Math.Clamp((int)((v - lo) / (hi - lo) * bins), 0, bins - 1)]++;
            var xs = new List<double>(); var ys = new List<double>();
            for (var b = 0; b < bins; b++)
            {
                var density = finite.Length == 0 ? 0 : counts[b] / finite.Length;
                xs.Add(lo + (hi - lo) * b / bins); ys.Add(density);
                xs.Add(lo + (hi - lo) * (b + 1) / bins); ys.Add(density);
            }
            series.Add(new Series(label, xs.ToArray(), ys.ToArray()));
        }
        return Lines(title, xLabel, "fraction", series);
    }

    private static StringBuilder Begin(string title, string xLabel, string yLabel, double x0, double x1, double y0, double y1, bool logX)
    {
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{Hgt}\" viewBox=\"0 0 {W} {Hgt}\" font-family=\"sans-serif\">");
        sb.Append($"<rect width=\"{W}\" height=\"{Hgt}\" fill=\"white\"/>");
        sb.Append($"<text x=\"{W / 2}\" y=\"18\" font-size=\"13\" text-anchor=\"middle\">{Esc(title)}</text>");
        sb.Append($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{W - Left - Right}\" height=\"{Hgt - Top - Bottom}\" fill=\"none\" stroke=\"#999\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var xv = x0 + (x1 - x0) * i / 4; var yv = y0 + (y1 - y0) * i / 4;
            var xt = logX ? Math.Pow(10, xv) : xv;
            sb.Append($"<text x=\"{F(Px(xv, x0, x1))}\" y=\"{Hgt - Bottom + 14}\" font-size=\"10\" text-anchor=\"middle\">{Tick(xt)}</text>");
            sb.Append($"<text x=\"{Left - 4}\" y=\"{F(Py(yv, y0, y1) + 3)}\" font-size=\"10\" text-anchor=\"end\">{Tick(yv)}</text>");
        }
        sb.Append($"<text x=\"{(Left + W - Right) / 2}\" y=\"{Hgt - 8}\" font-size=\"11\" text-anchor=\"middle\">{Esc(xLabel)}{(logX ? " (log scale)" : "")}</text>");
        sb.Append($"<text x=\"14\" y=\"{(Top + Hgt - Bottom) / 2}\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 {(Top + Hgt - Bottom) / 2})\">{Esc(yLabel)}</text>");
        return sb;
    }

    private static string Empty(string title) =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"60\"><text x=\"10\" y=\"30\" font-size=\"12\">{Esc(title)}: no finite data</text></svg>\n";

    private static (double, double) Range(List<double> v)
    {
        double lo = v.Min(), hi = v.Max();
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi))) { lo -= 0.5; hi += 0.5; }
        return (lo, hi);
    }

    private static double Px(double x, double x0, double x1) => Left + (x - x0) / (x1 - x0) * (W - Left - Right);
    private static double Py(double y, double y0, double y1) => Hgt - Bottom - (y - y0) / (y1 - y0) * (Hgt - Top - Bottom);
    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
    private static string Tick(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
    private static string Esc(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
