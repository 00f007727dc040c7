namespace Workbench.Attention;

/// <summary>
/// Float64 attention over a batch [B, H, n, d] (C order, see <see cref="HeadShape"/>): scores, weights A^(τ),
/// outputs Y = A^(τ)V and hard-limit deviation bounds, head by head. Values are [B, H, n, d_v]. Only one head's
/// n×n scores are held at a time unless the weights themselves are asked for.
/// </summary>
public static class BatchedAttention
{
    /// <summary>A^(τ) for every head: [B, H, n, n].</summary>
    public static double[] Weights(double[] q, double[] k, HeadShape shape, AttentionMask mask, double tau)
    {
        Require(q, k, shape, mask, tau);
        int n = shape.N;
        var a = new double[(long)shape.HeadCount * n * n];
        for (int head = 0; head < shape.HeadCount; head++)
            Softmax.Rows(HeadScores(q, k, shape, mask, head), n, tau).CopyTo(a.AsSpan(head * n * n));
        return a;
    }

    /// <summary>Y = A^(τ)V for every head: [B, H, n, d_v].</summary>
    public static double[] Outputs(double[] q, double[] k, double[] v, int dv, HeadShape shape, AttentionMask mask, double tau)
    {
        Require(q, k, shape, mask, tau);
        RequireValues(v, dv, shape);
        int n = shape.N;
        var y = new double[(long)shape.HeadCount * n * dv];
        for (int head = 0; head < shape.HeadCount; head++)
        {
            var a = Softmax.Rows(HeadScores(q, k, shape, mask, head), n, tau);
            Softmax.Output(a, v.AsSpan(head * n * dv, n * dv), n, dv).CopyTo(y.AsSpan(head * n * dv));
        }
        return y;
    }

    /// <summary>The bound on ‖Y_i − V_σ(i)‖ of <see cref="HardAttention.DeviationBounds"/> for every row: [B, H, n].</summary>
    public static double[] DeviationBounds(double[] q, double[] k, double[] v, int dv, HeadShape shape, AttentionMask mask, double tau)
    {
        Require(q, k, shape, mask, tau);
        RequireValues(v, dv, shape);
        int n = shape.N;
        var bounds = new double[(long)shape.HeadCount * n];
        for (int head = 0; head < shape.HeadCount; head++)
            HardAttention.DeviationBounds(HeadScores(q, k, shape, mask, head), v.AsSpan(head * n * dv, n * dv), n, dv, tau)
                .CopyTo(bounds.AsSpan(head * n));
        return bounds;
    }

    /// <summary>The n×n masked scores of head (b·H + h).</summary>
    public static double[] HeadScores(double[] q, double[] k, HeadShape shape, AttentionMask mask, int head)
    {
        if ((uint)head >= (uint)shape.HeadCount)
            throw new AttentionInputException($"head {head}", $"is outside 0..{shape.HeadCount - 1}");
        int n = shape.N, d = shape.D;
        return Scores.Head(q.AsSpan(head * n * d, n * d), k.AsSpan(head * n * d, n * d), n, d, mask);
    }

    private static void Require(double[] q, double[] k, HeadShape shape, AttentionMask mask, double tau)
    {
        shape.Require(q.LongLength, "Q");
        shape.Require(k.LongLength, "K");
        if ((long)shape.HeadCount * shape.N * shape.N > HeadShape.MaxElements)
            throw new AttentionInputException($"shape {shape}", "the n×n weights of every head exceed the supported size");
        Softmax.RequireTemperature(tau);
        mask.RequireNoEmptyRow(shape.N);
    }

    private static void RequireValues(double[] v, int dv, HeadShape shape)
    {
        if (dv < 1) throw new AttentionInputException($"d_v {dv}", "must be ≥ 1");
        if (v.LongLength != (long)shape.HeadCount * shape.N * dv)
            throw new AttentionInputException("V", $"holds {v.LongLength} entries but [{shape.Batch},{shape.Heads},{shape.N},{dv}] needs {(long)shape.HeadCount * shape.N * dv}");
        Scores.RequireFinite(v, "V", dv);
    }
}
