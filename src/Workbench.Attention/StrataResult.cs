using System.Numerics;

namespace Workbench.Attention;

/// <summary>
/// Patterns and margins of a batch [B, H, n, d]: <see cref="Pattern"/> and <see cref="Margin"/> are [B, H, n] in C
/// order. Margins are double whichever path computed them (the float32 path's margins are widened, not re-derived).
/// </summary>
public sealed class StrataResult(HeadShape shape, int[] pattern, double[] margin)
{
    public HeadShape Shape { get; } = shape;
    public int[] Pattern { get; } = pattern;
    public double[] Margin { get; } = margin;

    public ReadOnlySpan<int> PatternOf(int b, int h) => Pattern.AsSpan((b * Shape.Heads + h) * Shape.N, Shape.N);
    public ReadOnlySpan<double> MarginOf(int b, int h) => Margin.AsSpan((b * Shape.Heads + h) * Shape.N, Shape.N);

    /// <summary>The multi-head pattern tuple of batch item b: (code(σ_0), …, code(σ_{H−1})).</summary>
    public BigInteger[] PatternTuple(int b)
    {
        var codes = new BigInteger[Shape.Heads];
        for (int h = 0; h < Shape.Heads; h++) codes[h] = PatternCode.Encode(PatternOf(b, h), Shape.N);
        return codes;
    }

    public int ExactTies => Margin.Count(m => m == 0);
    public int NearTies(double epsilon) => Margin.Count(m => m <= epsilon);
}

/// <summary>Float64 reference strata of a batch: per head, scores row by row and the one-pass top-2.</summary>
public static class StrataReference
{
    public static StrataResult Compute(double[] q, double[] k, HeadShape shape, AttentionMask mask)
    {
        shape.Require(q.LongLength, "Q");
        shape.Require(k.LongLength, "K");
        mask.RequireNoEmptyRow(shape.N);
        Scores.RequireFinite(q, "Q", shape.D);
        Scores.RequireFinite(k, "K", shape.D);
        int n = shape.N, d = shape.D;
        var pattern = new int[shape.HeadCount * n];
        var margin = new double[shape.HeadCount * n];
        var row = new double[n];
        double scale = Scores.Scale(d);
        for (int head = 0; head < shape.HeadCount; head++)
        {
            var qh = q.AsSpan(head * n * d, n * d);
            var kh = k.AsSpan(head * n * d, n * d);
            for (int i = 0; i < n; i++)
            {
                var qi = qh.Slice(i * d, d);
                for (int j = 0; j < n; j++)
                {
                    if (!mask.Admits(i, j, n)) { row[j] = double.NegativeInfinity; continue; }
                    var kj = kh.Slice(j * d, d);
                    double acc = 0;
                    for (int c = 0; c < d; c++) acc += qi[c] * kj[c];
                    row[j] = acc * scale;
                }
                var r = RowStratum.Of(row, i);
                pattern[head * n + i] = r.Pattern;
                margin[head * n + i] = r.Margin;
            }
        }
        return new StrataResult(shape, pattern, margin);
    }
}
