using Workbench.Attention;

namespace Workbench.Claims.Stratification;

/// <summary>
/// One attention head on the toy matrices the stratification checks build (n ≤ 6, d_h ≤ 4), written as jagged rows
/// (row i = query i, 0-based) because that is how the note writes them. Every attention quantity — scores, masked
/// softmax, the argmax pattern with its lowest-index tie rule, margins, outputs, the hard limit — is computed by
/// Workbench.Attention, which is what the claims are checking; this class only reshapes rows into its flat
/// row-major arrays and back, and holds no attention arithmetic of its own.
/// </summary>
internal static class ToyHead
{
    /// <summary>S = QKᵀ/√d_h under the mask; masked entries are −∞.</summary>
    public static double[][] Scores(double[][] q, double[][] k, AttentionMask? mask = null)
    {
        var (n, d) = Shape(q, k);
        return Rows(Workbench.Attention.Scores.Head(Flat(q), Flat(k), n, d, mask ?? AttentionMask.None), n);
    }

    /// <summary>Per row: the argmax key σ(i), the margin m_i and the admissible count n_i.</summary>
    public static RowStratum[] Strata(double[][] q, double[][] k, AttentionMask? mask = null) =>
        Scores(q, k, mask).Select((row, i) => RowStratum.Of(row, i)).ToArray();

    public static int[] Pattern(double[][] q, double[][] k, AttentionMask? mask = null) =>
        Strata(q, k, mask).Select(r => r.Pattern).ToArray();

    /// <summary>min_i m_i: 0 exactly on the top-tie set, +∞ when every row admits one key.</summary>
    public static double MinMargin(double[][] q, double[][] k, AttentionMask? mask = null) =>
        Strata(q, k, mask).Min(r => r.Margin);

    /// <summary>A^(τ) = softmax(S/τ) row by row; masked entries exactly 0.</summary>
    public static double[][] Weights(double[][] q, double[][] k, double tau, AttentionMask? mask = null)
    {
        var (n, d) = Shape(q, k);
        return Rows(Softmax.Attention(Flat(q), Flat(k), n, d, mask ?? AttentionMask.None, tau), n);
    }

    /// <summary>Softmax of one score row at temperature τ.</summary>
    public static double[] Weights(double[] scores, double tau)
    {
        var a = new double[scores.Length];
        Softmax.Row(scores, a, tau);
        return a;
    }

    /// <summary>Y = A^(τ) V, flattened row-major (entry i·d_v + c).</summary>
    public static double[] Output(double[][] q, double[][] k, double[][] v, double tau)
    {
        var (n, d) = Shape(q, k);
        return Workbench.Attention.Jacobians.Output(Flat(q), Flat(k), Flat(v), n, d, v[0].Length, AttentionMask.None, tau);
    }

    /// <summary>The hard limit Y_i = V_σ(i), flattened row-major.</summary>
    public static double[] HardOutput(double[][] q, double[][] k, double[][] v) =>
        HardAttention.Output(Pattern(q, k), Flat(v), v[0].Length);

    public static double[] Flat(double[][] m) => m.SelectMany(row => row).ToArray();

    public static double[][] Rows(double[] flat, int width) => flat.Chunk(width).ToArray();

    private static (int N, int D) Shape(double[][] q, double[][] k)
    {
        if (q.Length != k.Length || q[0].Length != k[0].Length)
            throw new ArgumentException($"Q is {q.Length}×{q[0].Length} but K is {k.Length}×{k[0].Length}: one head needs n×d_h for both");
        return (q.Length, q[0].Length);
    }
}
