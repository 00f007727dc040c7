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

    /// <summary>
    /// ∂a_i/∂s_i = (diag a_i − a_i a_iᵀ)/τ for every row of every head: [B, H, n, n, n] (row i of head h is the n×n
    /// block at ((h·n + i)·n)·n). Masked keys have zero rows and columns.
    /// </summary>
    public static double[] SoftmaxJacobians(double[] q, double[] k, HeadShape shape, AttentionMask mask, double tau)
    {
        Require(q, k, shape, mask, tau);
        int n = shape.N;
        RequireSize((long)shape.HeadCount * n * n * n, shape, "the n×n softmax Jacobian of every row");
        var result = new double[(long)shape.HeadCount * n * n * n];
        for (int head = 0; head < shape.HeadCount; head++)
        {
            var a = Softmax.Rows(HeadScores(q, k, shape, mask, head), n, tau);
            for (int i = 0; i < n; i++)
                Flatten(Jacobians.SoftmaxFromWeights(a.AsSpan(i * n, n), tau), result.AsSpan((head * n + i) * n * n, n * n));
        }
        return result;
    }

    /// <summary>‖∂a_i/∂s_i‖₂ for every row of every head: [B, H, n] (each at most 1/(2τ)).</summary>
    public static double[] SoftmaxJacobianNorms(double[] q, double[] k, HeadShape shape, AttentionMask mask, double tau)
    {
        Require(q, k, shape, mask, tau);
        int n = shape.N;
        var norms = new double[(long)shape.HeadCount * n];
        for (int head = 0; head < shape.HeadCount; head++)
        {
            var scores = HeadScores(q, k, shape, mask, head);
            for (int i = 0; i < n; i++) norms[head * n + i] = Jacobians.SoftmaxSpectralNorm(scores.AsSpan(i * n, n), tau);
        }
        return norms;
    }

    /// <summary>∂vec(Y)/∂vec(Q) of every head for fixed V: [B, H, n·d_v, n·d] (see <see cref="Jacobians.OutputByQueries"/>).</summary>
    public static double[] OutputByQueries(double[] q, double[] k, double[] v, int dv, HeadShape shape, AttentionMask mask, double tau) =>
        PerHeadJacobian(q, k, v, dv, shape, mask, tau, shape.D, Jacobians.OutputByQueries);

    /// <summary>∂vec(Y)/∂vec(K) of every head for fixed V: [B, H, n·d_v, n·d].</summary>
    public static double[] OutputByKeys(double[] q, double[] k, double[] v, int dv, HeadShape shape, AttentionMask mask, double tau) =>
        PerHeadJacobian(q, k, v, dv, shape, mask, tau, shape.D, Jacobians.OutputByKeys);

    /// <summary>∂vec(Y)/∂vec(V) of every head: [B, H, n·d_v, n·d_v].</summary>
    public static double[] OutputByValues(double[] q, double[] k, double[] v, int dv, HeadShape shape, AttentionMask mask, double tau) =>
        PerHeadJacobian(q, k, v, dv, shape, mask, tau, dv, (hq, hk, _, n, d, dvv, m, t) => Jacobians.OutputByValues(hq, hk, n, d, dvv, m, t));

    private delegate double[,] HeadJacobian(double[] q, double[] k, double[] v, int n, int d, int dv, AttentionMask mask, double tau);

    private static double[] PerHeadJacobian(double[] q, double[] k, double[] v, int dv, HeadShape shape, AttentionMask mask, double tau,
        int columnsPerRow, HeadJacobian jacobian)
    {
        Require(q, k, shape, mask, tau);
        RequireValues(v, dv, shape);
        int n = shape.N, d = shape.D;
        long block = (long)n * dv * n * columnsPerRow;
        RequireSize(shape.HeadCount * block, shape, "the Jacobian of every head");
        var result = new double[shape.HeadCount * block];
        for (int head = 0; head < shape.HeadCount; head++)
        {
            var j = jacobian(q.AsSpan(head * n * d, n * d).ToArray(), k.AsSpan(head * n * d, n * d).ToArray(),
                v.AsSpan(head * n * dv, n * dv).ToArray(), n, d, dv, mask, tau);
            Flatten(j, result.AsSpan((int)(head * block), (int)block));
        }
        return result;
    }

    private static void Flatten(double[,] m, Span<double> target)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) target[r * cols + c] = m[r, c];
    }

    private static void RequireSize(long elements, HeadShape shape, string what)
    {
        if (elements > HeadShape.MaxElements)
            throw new AttentionInputException($"shape {shape}", $"{what} would hold {elements} entries, more than the {HeadShape.MaxElements} supported; ask for fewer heads or rows");
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
