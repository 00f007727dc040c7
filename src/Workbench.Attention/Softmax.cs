namespace Workbench.Attention;

/// <summary>
/// Numerically stable masked softmax at temperature τ: A_ij = exp((S_ij − max_j S_ij)/τ) / Σ. Masked entries
/// (score −∞) get exactly 0; a row with no admissible key is an error naming the row, never NaN.
/// </summary>
public static class Softmax
{
    public static void RequireTemperature(double tau)
    {
        if (!(tau > 0) || !double.IsFinite(tau))
            throw new AttentionInputException($"tau {tau}", "the temperature τ must be finite and > 0 (use HardAttention for τ → 0)");
    }

    public static void Row(ReadOnlySpan<double> scores, Span<double> output, double tau, int row = 0)
    {
        RequireTemperature(tau);
        double max = double.NegativeInfinity;
        foreach (var s in scores)
        {
            if (double.IsNaN(s) || double.IsPositiveInfinity(s))
                throw new AttentionInputException($"row {row}", $"score {s} is not a finite number or −∞ (masked)");
            if (s > max) max = s;
        }
        if (double.IsNegativeInfinity(max))
            throw new AttentionInputException($"row {row}", "every key is masked, so the softmax of this row is undefined");
        double sum = 0;
        for (int j = 0; j < scores.Length; j++)
        {
            double e = double.IsNegativeInfinity(scores[j]) ? 0.0 : Math.Exp((scores[j] - max) / tau);
            output[j] = e;
            sum += e;
        }
        // sum ≥ 1 because the maximum contributes exp(0).
        for (int j = 0; j < scores.Length; j++) output[j] /= sum;
    }

    /// <summary>Row-wise softmax of an n×n score matrix.</summary>
    public static double[] Rows(ReadOnlySpan<double> scores, int n, double tau)
    {
        var a = new double[scores.Length];
        for (int i = 0; i < scores.Length / n; i++)
            Row(scores.Slice(i * n, n), a.AsSpan(i * n, n), tau, i);
        return a;
    }

    /// <summary>A^(τ) of one head: softmax(QKᵀ/(√d τ)) under the mask.</summary>
    public static double[] Attention(ReadOnlySpan<double> q, ReadOnlySpan<double> k, int n, int d, AttentionMask mask, double tau) =>
        Rows(Scores.Head(q, k, n, d, mask), n, tau);

    /// <summary>Y = A V with V of shape n×dv.</summary>
    public static double[] Output(ReadOnlySpan<double> a, ReadOnlySpan<double> v, int n, int dv)
    {
        if (v.Length != (long)n * dv) throw new AttentionInputException("V", $"holds {v.Length} entries, expected n·d_v = {(long)n * dv}");
        var y = new double[n * dv];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double w = a[i * n + j];
                if (w == 0) continue;
                for (int c = 0; c < dv; c++) y[i * dv + c] += w * v[j * dv + c];
            }
        return y;
    }
}
