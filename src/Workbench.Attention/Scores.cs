namespace Workbench.Attention;

/// <summary>
/// Scores S = Q Kᵀ/√d_h of one head (float64 reference). Masked entries are −∞, so a masked key can never win a row
/// and receives exactly zero weight. Temperature is not applied here: S is the stratifying map, τ only enters
/// the softmax A^(τ) = softmax(S/τ), so patterns and margins do not depend on τ.
/// </summary>
public static class Scores
{
    public static double Scale(int d) => 1.0 / Math.Sqrt(d);

    /// <summary>n×n scores (row-major) of one head with query/key rows of length d.</summary>
    public static double[] Head(ReadOnlySpan<double> q, ReadOnlySpan<double> k, int n, int d, AttentionMask mask)
    {
        if (q.Length != (long)n * d) throw new AttentionInputException("Q", $"holds {q.Length} entries, expected n·d = {(long)n * d}");
        if (k.Length != (long)n * d) throw new AttentionInputException("K", $"holds {k.Length} entries, expected n·d = {(long)n * d}");
        mask.Validate(n);
        RequireFinite(q, "Q", d);
        RequireFinite(k, "K", d);
        var s = new double[n * n];
        double scale = Scale(d);
        for (int i = 0; i < n; i++)
        {
            var qi = q.Slice(i * d, d);
            for (int j = 0; j < n; j++)
            {
                if (!mask.Admits(i, j, n)) { s[i * n + j] = double.NegativeInfinity; continue; }
                var kj = k.Slice(j * d, d);
                double acc = 0;
                for (int c = 0; c < d; c++) acc += qi[c] * kj[c];
                s[i * n + j] = acc * scale;
            }
        }
        return s;
    }

    /// <summary>Refuses NaN or ±∞ naming the tensor and the row (of width <paramref name="rowWidth"/>) that holds it.</summary>
    public static void RequireFinite(ReadOnlySpan<double> x, string what, int rowWidth)
    {
        for (int t = 0; t < x.Length; t++)
            if (!double.IsFinite(x[t]))
                throw new AttentionInputException(what, $"entry {t} (row {t / rowWidth}) is {x[t]}; inputs must be finite");
    }

    public static void RequireFinite(ReadOnlySpan<float> x, string what, int rowWidth)
    {
        for (int t = 0; t < x.Length; t++)
            if (!float.IsFinite(x[t]))
                throw new AttentionInputException(what, $"entry {t} (row {t / rowWidth}) is {x[t]}; inputs must be finite");
    }
}
