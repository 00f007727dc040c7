namespace Workbench.Kernels.Sampling;

/// <summary>Summary of ‖∂A^{(τ)}/∂S‖₂ over a subsample (float64 from the samples' float32 scores).</summary>
public sealed record JacobianSummary(int Samples, double Tau, double Mean, double Median, double Max, double Bound);

/// <summary>
/// The spectral norm of the softmax Jacobian at temperature τ. For row scores s, p = softmax(s/τ) and
/// ∂p/∂s = (diag p − p pᵀ)/τ, symmetric positive semidefinite; the attention map's Jacobian in S is block-diagonal
/// over rows (and heads), so its norm is the largest row norm. Each is at most 1/(2τ).
/// </summary>
public static class JacobianNorm
{
    public const int DefaultSubsample = 4096;

    public static JacobianSummary Sampled(SamplerConfig config, ulong seed, ulong first, int count, double tau)
    {
        if (!(tau > 0) || double.IsInfinity(tau)) throw new SamplerInputException("tau", "must be a positive finite number");
        var reference = new ReferenceSampler(config);
        var norms = new double[count];
        int n = config.Tokens;
        for (var s = 0; s < count; s++)
        {
            reference.Sample(seed, first + (ulong)s);
            var scores = reference.Scores;
            var worst = 0.0;
            for (var r = 0; r < config.Heads * n; r++)
            {
                var (lo, hi) = config.Mask.Keys(r % n, n);
                var row = new double[hi - lo + 1];
                for (var j = lo; j <= hi; j++) row[j - lo] = scores[r * n + j];
                worst = Math.Max(worst, RowNorm(row, tau));
            }
            norms[s] = worst;
        }
        Array.Sort(norms);
        return count == 0
            ? new JacobianSummary(0, tau, double.NaN, double.NaN, double.NaN, 1 / (2 * tau))
            : new JacobianSummary(count, tau, norms.Average(), norms[count / 2], norms[^1], 1 / (2 * tau));
    }

    /// <summary>‖(diag p − p pᵀ)/τ‖₂ for p = softmax(s/τ), by Jacobi rotations (exact to round-off for m ≤ 16).</summary>
    public static double RowNorm(ReadOnlySpan<double> s, double tau)
    {
        var m = s.Length;
        if (m < 2) return 0;
        var max = double.NegativeInfinity;
        foreach (var x in s) max = Math.Max(max, x);
        var p = new double[m];
        var sum = 0.0;
        for (var i = 0; i < m; i++) { p[i] = Math.Exp((s[i] - max) / tau); sum += p[i]; }
        for (var i = 0; i < m; i++) p[i] /= sum;
        var a = new double[m, m];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < m; j++) a[i, j] = ((i == j ? p[i] : 0) - p[i] * p[j]) / tau;
        return LargestEigenvalue(a);
    }

    /// <summary>Largest eigenvalue of a symmetric matrix by cyclic Jacobi sweeps.</summary>
    public static double LargestEigenvalue(double[,] a)
    {
        var m = a.GetLength(0);
        for (var sweep = 0; sweep < 60; sweep++)
        {
            var off = 0.0;
            for (var i = 0; i < m; i++) for (var j = i + 1; j < m; j++) off += a[i, j] * a[i, j];
            if (off < 1e-30) break;
            for (var pi = 0; pi < m; pi++)
                for (var q = pi + 1; q < m; q++)
                {
                    if (Math.Abs(a[pi, q]) < 1e-300) continue;
                    var theta = (a[q, q] - a[pi, pi]) / (2 * a[pi, q]);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    var c = 1 / Math.Sqrt(t * t + 1); var sn = t * c;
                    for (var k = 0; k < m; k++)
                    {
                        double akp = a[k, pi], akq = a[k, q];
                        a[k, pi] = c * akp - sn * akq; a[k, q] = sn * akp + c * akq;
                    }
                    for (var k = 0; k < m; k++)
                    {
                        double apk = a[pi, k], aqk = a[q, k];
                        a[pi, k] = c * apk - sn * aqk; a[q, k] = sn * apk + c * aqk;
                    }
                }
        }
        var best = double.NegativeInfinity;
        for (var i = 0; i < m; i++) best = Math.Max(best, a[i, i]);
        return best;
    }
}
