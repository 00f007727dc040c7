namespace Workbench.Attention;

/// <summary>
/// The τ → 0 limit Y_i = V_σ(i) and a computable bound on how far A^(τ)V is from it. For row i with margin m_i and
/// n_i admissible keys, every off-pattern weight satisfies A_ij ≤ A_iσ e^{−m_i/τ}, so r_i = Σ_{j≠σ} A_ij obeys
/// r_i ≤ (n_i − 1) e^{−m_i/τ}(1 − r_i), i.e. r_i ≤ c/(1 + c) with c = (n_i − 1) e^{−m_i/τ}; and
/// Y_i − V_σ = Σ_{j≠σ} A_ij (V_j − V_σ) gives ‖Y_i − V_σ(i)‖ ≤ r_i · max_{j admissible} ‖V_j − V_σ(i)‖.
/// Both steps are equalities when every other admissible score equals S_iσ − m_i and every other V_j is the same
/// vector, so the bound is tight.
/// </summary>
public static class HardAttention
{
    /// <summary>Y_i = V_σ(i) for V of shape n×d_v.</summary>
    public static double[] Output(ReadOnlySpan<int> sigma, ReadOnlySpan<double> v, int dv)
    {
        int n = sigma.Length;
        if (v.Length != (long)n * dv) throw new AttentionInputException("V", $"holds {v.Length} entries, expected n·d_v = {(long)n * dv}");
        var y = new double[n * dv];
        for (int i = 0; i < n; i++)
        {
            if ((uint)sigma[i] >= (uint)n) throw new AttentionInputException($"pattern row {i}", $"key {sigma[i]} is outside 0..{n - 1}");
            v.Slice(sigma[i] * dv, dv).CopyTo(y.AsSpan(i * dv, dv));
        }
        return y;
    }

    /// <summary>The bound c/(1 + c), c = (n_i − 1)e^{−m/τ}, on the attention mass off σ(i); 0 when m = +∞ or n_i = 1.</summary>
    public static double OffPatternMassBound(double margin, int admissible, double tau)
    {
        Softmax.RequireTemperature(tau);
        if (double.IsNaN(margin) || margin < 0) throw new AttentionInputException($"margin {margin}", "must be ≥ 0");
        if (admissible < 1) throw new AttentionInputException($"n_i {admissible}", "a row needs at least one admissible key");
        if (admissible == 1 || double.IsPositiveInfinity(margin)) return 0;
        // c/(1+c) = 1/(1 + e^{m/τ}/(n_i−1)) = logistic(log(n_i − 1) − m/τ), evaluated without overflow.
        double z = Math.Log(admissible - 1) - margin / tau;
        return z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
    }

    /// <summary>The bound on ‖Y_i − V_σ(i)‖₂ for every row of one head; scores already masked (−∞).</summary>
    public static double[] DeviationBounds(ReadOnlySpan<double> scores, ReadOnlySpan<double> v, int n, int dv, double tau)
    {
        var bounds = new double[n];
        for (int i = 0; i < n; i++)
        {
            var row = scores.Slice(i * n, n);
            var r = RowStratum.Of(row, i);
            double spread = 0;
            for (int j = 0; j < n; j++)
            {
                if (double.IsNegativeInfinity(row[j])) continue;
                double s = 0;
                for (int c = 0; c < dv; c++) { double t = v[j * dv + c] - v[r.Pattern * dv + c]; s += t * t; }
                spread = Math.Max(spread, Math.Sqrt(s));
            }
            bounds[i] = OffPatternMassBound(r.Margin, r.Admissible, tau) * spread;
        }
        return bounds;
    }
}
