using System.Globalization;
using System.Text;
using Workbench.Algebra.Operators;

namespace Workbench.Cli.Commands;

/// <summary>A self-contained SVG line plot of ε_ℓ by layer (log scale when it spans over a decade), with the phase thresholds.</summary>
public static class AlgebraSvg
{
    public static string Plot(ModelAlgebra model, PhaseThresholds thresholds)
    {
        const int width = 640, height = 360, left = 70, right = 20, top = 30, bottom = 50;
        var eps = model.Layers.Select(l => l.Report.Eps).ToArray();
        var positive = eps.Where(e => e > 0 && double.IsFinite(e)).DefaultIfEmpty(1).ToArray();
        var lo = Math.Min(positive.Min(), thresholds.Low) / 1.5;
        var hi = Math.Max(positive.Max(), thresholds.High) * 1.5;
        double X(int layer) => left + (eps.Length == 1 ? 0.5 : layer / (double)(eps.Length - 1)) * (width - left - right);
        double Y(double e) => top + (1 - (Math.Log10(Math.Max(e, lo)) - Math.Log10(lo)) / (Math.Log10(hi) - Math.Log10(lo))) * (height - top - bottom);
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.AppendLine($"<title>{Escape(model.Model)}: eps by layer</title>");
        sb.AppendLine($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        sb.AppendLine($"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"black\"/>");
        sb.AppendLine($"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"black\"/>");
        foreach (var (t, name) in new[] { (thresholds.Low, "I | II"), (thresholds.High, "II | III") })
        {
            sb.AppendLine($"<line x1=\"{left}\" y1=\"{F(Y(t))}\" x2=\"{width - right}\" y2=\"{F(Y(t))}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>");
            sb.AppendLine($"<text x=\"{width - right - 60}\" y=\"{F(Y(t) - 4)}\" fill=\"#666\">{name} ({t.ToString("G3", CultureInfo.InvariantCulture)})</text>");
        }
        var points = string.Join(" ", eps.Select((e, i) => $"{F(X(i))},{F(Y(e))}"));
        sb.AppendLine($"<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"{points}\"/>");
        for (var i = 0; i < eps.Length; i++)
        {
            sb.AppendLine($"<circle cx=\"{F(X(i))}\" cy=\"{F(Y(eps[i]))}\" r=\"3\" fill=\"#1f77b4\"><title>layer {i}: eps = {eps[i].ToString("G4", CultureInfo.InvariantCulture)}</title></circle>");
            sb.AppendLine($"<text x=\"{F(X(i))}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{i}</text>");
        }
        sb.AppendLine($"<text x=\"{(left + width - right) / 2}\" y=\"{height - 10}\" text-anchor=\"middle\">layer</text>");
        sb.AppendLine($"<text x=\"15\" y=\"{(top + height - bottom) / 2}\" transform=\"rotate(-90 15 {(top + height - bottom) / 2})\" text-anchor=\"middle\">eps (log scale)</text>");
        foreach (var tick in new[] { lo * 1.5, hi / 1.5 })
            sb.AppendLine($"<text x=\"{left - 6}\" y=\"{F(Y(tick) + 4)}\" text-anchor=\"end\">{tick.ToString("G2", CultureInfo.InvariantCulture)}</text>");
        sb.AppendLine("</svg>");
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
