using Workbench.Attention;
using Workbench.Attention.Io;

namespace Workbench.Cli.Commands;

/// <summary>
/// The float64 results that need the full n×n softmax per head: A^(τ) (--attn) and, with --v, Y = A^(τ)V together
/// with the hard-limit check ‖Y_i − V_σ(i)‖ ≤ bound(m_i, n_i, τ) of <see cref="HardAttention"/>.
/// </summary>
public sealed record StrataDense(double[]? Attention, double[]? Output, int ValueWidth, HardLimitCheck? HardLimit)
{
    public static StrataDense Compute(StrataRequest request, NpyArray qa, NpyArray ka, HeadShape shape, AttentionMask mask)
    {
        int n = shape.N, d = shape.D;
        long entries = (long)shape.HeadCount * n * n;
        if (request.Attention && entries > StrataCommand.MaxAttentionEntries)
            throw new AttentionInputException("--attn", $"A^(τ) would hold {entries} entries ({shape.HeadCount} heads × {n}×{n}), more than the {StrataCommand.MaxAttentionEntries} written; drop --attn or split the batch");

        double[]? v = null;
        int dv = 0;
        if (request.V is not null)
        {
            var va = Npy.Read(request.V);
            if (va.Shape.Length != qa.Shape.Length || !va.Shape[..^1].SequenceEqual(qa.Shape[..^1]) || va.Shape[^1] < 1)
                throw new AttentionInputException("V", $"has shape {NpyArray.Format(va.Shape)} but must be [{string.Join(",", qa.Shape[..^1])},d_v] to match Q {NpyArray.Format(qa.Shape)}");
            dv = (int)va.Shape[^1];
            v = va.ToDouble();
            Scores.RequireFinite(v, "V", dv);
        }

        var q = qa.ToDouble();
        var k = ka.ToDouble();
        var attention = request.Attention ? new double[entries] : null;
        var output = v is not null ? new double[(long)shape.HeadCount * n * dv] : null;
        double worstDeviation = 0, worstBound = 0, worstRatio = 0;
        long violations = 0;
        for (int head = 0; head < shape.HeadCount; head++)
        {
            var scores = Scores.Head(q.AsSpan(head * n * d, n * d), k.AsSpan(head * n * d, n * d), n, d, mask);
            var a = Softmax.Rows(scores, n, request.Tau);
            a.CopyTo(attention.AsSpan(head * n * n));
            if (v is null) continue;
            var vh = v.AsSpan(head * n * dv, n * dv);
            var y = Softmax.Output(a, vh, n, dv);
            y.CopyTo(output.AsSpan(head * n * dv));
            var bounds = HardAttention.DeviationBounds(scores, vh, n, dv, request.Tau);
            // The bound is exact arithmetic; allow the rounding of Y itself (a few ulps of the largest |V|).
            double slack = 1e-12 * (1 + MaxAbs(vh));
            for (int i = 0; i < n; i++)
            {
                int sigma = RowStratum.Of(scores.AsSpan(i * n, n), i).Pattern;
                double s = 0;
                for (int c = 0; c < dv; c++) { double t = y[i * dv + c] - vh[sigma * dv + c]; s += t * t; }
                double deviation = Math.Sqrt(s);
                worstDeviation = Math.Max(worstDeviation, deviation);
                worstBound = Math.Max(worstBound, bounds[i]);
                if (bounds[i] > 0) worstRatio = Math.Max(worstRatio, deviation / bounds[i]);
                if (deviation > bounds[i] * (1 + 1e-12) + slack) violations++;
            }
        }
        var check = v is null ? null : new HardLimitCheck(request.Tau, worstDeviation, worstBound, worstRatio, violations);
        return new StrataDense(attention, output, dv, check);
    }

    private static double MaxAbs(ReadOnlySpan<double> x)
    {
        double m = 0;
        foreach (var t in x) m = Math.Max(m, Math.Abs(t));
        return m;
    }
}

/// <summary>
/// The hard-attention limit over all rows: the largest ‖Y_i − V_σ(i)‖, the largest bound, the largest ratio
/// deviation/bound (≤ 1 when the bound holds; near 1 shows it is tight), and rows where the bound failed.
/// </summary>
public sealed record HardLimitCheck(double Tau, double MaxDeviation, double MaxBound, double MaxRatio, long Violations);
