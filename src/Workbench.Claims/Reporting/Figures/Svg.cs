using System.Globalization;
using System.Security;
using System.Text;

namespace Workbench.Claims.Reporting.Figures;

/// <summary>
/// A tiny SVG writer: just the shapes the notes' figures need, invariant number formatting (so regenerated files are
/// byte-identical across machines), and plot coordinates mapped onto a fixed canvas.
/// </summary>
public sealed class Svg(double width, double height)
{
    private readonly StringBuilder _body = new();

    public double Width { get; } = width;
    public double Height { get; } = height;

    public static string N(double x) => Math.Round(x, 2).ToString("0.##", CultureInfo.InvariantCulture);

    public Svg Rect(double x, double y, double w, double h, string fill, string? stroke = null, double strokeWidth = 1)
    {
        _body.Append($"  <rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\" fill=\"{fill}\"");
        if (stroke is not null) _body.Append($" stroke=\"{stroke}\" stroke-width=\"{N(strokeWidth)}\"");
        _body.Append(" />\n");
        return this;
    }

    public Svg Line(double x1, double y1, double x2, double y2, string stroke, double strokeWidth = 1, string? dash = null)
    {
        _body.Append($"  <line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(strokeWidth)}\"");
        if (dash is not null) _body.Append($" stroke-dasharray=\"{dash}\"");
        _body.Append(" />\n");
        return this;
    }

    public Svg Polyline(IEnumerable<(double X, double Y)> points, string stroke, double strokeWidth = 1.5, string? dash = null)
    {
        var coordinates = string.Join(" ", points.Select(p => $"{N(p.X)},{N(p.Y)}"));
        _body.Append($"  <polyline points=\"{coordinates}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{N(strokeWidth)}\"");
        if (dash is not null) _body.Append($" stroke-dasharray=\"{dash}\"");
        _body.Append(" />\n");
        return this;
    }

    public Svg Circle(double cx, double cy, double r, string fill, string? stroke = null)
    {
        _body.Append($"  <circle cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\" fill=\"{fill}\"");
        if (stroke is not null) _body.Append($" stroke=\"{stroke}\"");
        _body.Append(" />\n");
        return this;
    }

    public Svg Text(double x, double y, string text, double size = 12, string anchor = "start", string fill = "#222")
    {
        _body.Append($"  <text x=\"{N(x)}\" y=\"{N(y)}\" font-family=\"sans-serif\" font-size=\"{N(size)}\" text-anchor=\"{anchor}\" fill=\"{fill}\">{SecurityElement.Escape(text)}</text>\n");
        return this;
    }

    public string Render(string title)
    {
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(Width)}\" height=\"{N(Height)}\" viewBox=\"0 0 {N(Width)} {N(Height)}\">\n");
        svg.Append($"  <title>{SecurityElement.Escape(title)}</title>\n");
        svg.Append($"  <rect x=\"0\" y=\"0\" width=\"{N(Width)}\" height=\"{N(Height)}\" fill=\"white\" />\n");
        svg.Append(_body);
        svg.Append("</svg>\n");
        return svg.ToString();
    }
}

/// <summary>A plot area on an <see cref="Svg"/>: maps data coordinates (y up) to canvas coordinates (y down).</summary>
public sealed record PlotArea(double Left, double Top, double Width, double Height, double XMin, double XMax, double YMin, double YMax)
{
    public double X(double x) => Left + (x - XMin) / (XMax - XMin) * Width;
    public double Y(double y) => Top + (YMax - y) / (YMax - YMin) * Height;

    public void Axes(Svg svg, string xLabel, string yLabel, IEnumerable<double> xTicks, IEnumerable<double> yTicks)
    {
        svg.Rect(Left, Top, Width, Height, "none", "#444");
        foreach (var t in xTicks)
        {
            svg.Line(X(t), Top + Height, X(t), Top + Height + 4, "#444");
            svg.Text(X(t), Top + Height + 16, Svg.N(t), 11, "middle");
        }
        foreach (var t in yTicks)
        {
            svg.Line(Left - 4, Y(t), Left, Y(t), "#444");
            svg.Text(Left - 7, Y(t) + 4, Svg.N(t), 11, "end");
        }
        svg.Text(Left + Width / 2, Top + Height + 32, xLabel, 12, "middle");
        svg.Text(Left - 36, Top + Height / 2, yLabel, 12, "middle");
    }
}
