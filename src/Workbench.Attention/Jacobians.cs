namespace Workbench.Attention;

/// <summary>
/// Analytic Jacobians of one head, float64. With a = softmax(s/τ): ∂a/∂s = (diag a − a aᵀ)/τ. With
/// Y = A V, A = softmax(QKᵀ/(√d τ)) under a mask, V fixed (n×d_v), the Jacobians are matrices over vec(Y) (row i,
/// column c at index i·d_v + c) and vec(Q), vec(K), vec(V) in the same row-major order.
/// </summary>
public static class Jacobians
{
    /// <summary>∂a/∂s for one score row at temperature τ; masked keys (−∞) have zero rows and columns.</summary>
    public static double[,] Softmax(ReadOnlySpan<double> scores, double tau)
    {
        var a = new double[scores.Length];
        Workbench.Attention.Softmax.Row(scores, a, tau);
        return SoftmaxFromWeights(a, tau);
    }

    public static double[,] SoftmaxFromWeights(ReadOnlySpan<double> a, double tau)
    {
        int n = a.Length;
        var j = new double[n, n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
                j[r, c] = ((r == c ? a[r] : 0) - a[r] * a[c]) / tau;
        return j;
    }

    /// <summary>‖∂a/∂s‖₂: the largest eigenvalue of the symmetric PSD softmax Jacobian (at most 1/(2τ)).</summary>
    public static double SoftmaxSpectralNorm(ReadOnlySpan<double> scores, double tau) =>
        SymmetricEigen.Values(Softmax(scores, tau)).Max(Math.Abs);

    /// <summary>∂vec(Y)/∂vec(Q): block diagonal, block i = Vᵀ J_i K/√d (d_v × d).</summary>
    public static double[,] OutputByQueries(double[] q, double[] k, double[] v, int n, int d, int dv, AttentionMask mask, double tau)
    {
        var (a, jac) = RowJacobians(q, k, n, d, mask, tau);
        _ = a;
        double scale = Scores.Scale(d);
        var result = new double[n * dv, n * d];
        for (int i = 0; i < n; i++)
        {
            var vtj = VTransposeTimes(jac[i], v, n, dv); // dv × n
            for (int c = 0; c < dv; c++)
                for (int b = 0; b < d; b++)
                {
                    double s = 0;
                    for (int l = 0; l < n; l++) s += vtj[c, l] * k[l * d + b];
                    result[i * dv + c, i * d + b] = s * scale;
                }
        }
        return result;
    }

    /// <summary>∂vec(Y)/∂vec(K): entry ((i,c),(j,b)) = (Vᵀ J_i)[c, j] · Q_ib/√d.</summary>
    public static double[,] OutputByKeys(double[] q, double[] k, double[] v, int n, int d, int dv, AttentionMask mask, double tau)
    {
        var (_, jac) = RowJacobians(q, k, n, d, mask, tau);
        double scale = Scores.Scale(d);
        var result = new double[n * dv, n * d];
        for (int i = 0; i < n; i++)
        {
            var vtj = VTransposeTimes(jac[i], v, n, dv);
            for (int c = 0; c < dv; c++)
                for (int j = 0; j < n; j++)
                    for (int b = 0; b < d; b++)
                        result[i * dv + c, j * d + b] = vtj[c, j] * q[i * d + b] * scale;
        }
        return result;
    }

    /// <summary>∂vec(Y)/∂vec(V): entry ((i,c),(j,b)) = A_ij δ_cb.</summary>
    public static double[,] OutputByValues(double[] q, double[] k, int n, int d, int dv, AttentionMask mask, double tau)
    {
        var a = Workbench.Attention.Softmax.Attention(q, k, n, d, mask, tau);
        var result = new double[n * dv, n * dv];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int c = 0; c < dv; c++)
                    result[i * dv + c, j * dv + c] = a[i * n + j];
        return result;
    }

    /// <summary>Y = softmax(QKᵀ/(√d τ)) V as a flat n×d_v array: the map the Jacobians above differentiate.</summary>
    public static double[] Output(double[] q, double[] k, double[] v, int n, int d, int dv, AttentionMask mask, double tau) =>
        Workbench.Attention.Softmax.Output(Workbench.Attention.Softmax.Attention(q, k, n, d, mask, tau), v, n, dv);

    private static (double[] A, double[][,] J) RowJacobians(double[] q, double[] k, int n, int d, AttentionMask mask, double tau)
    {
        var a = Workbench.Attention.Softmax.Attention(q, k, n, d, mask, tau);
        var jac = new double[n][,];
        for (int i = 0; i < n; i++) jac[i] = SoftmaxFromWeights(a.AsSpan(i * n, n), tau);
        return (a, jac);
    }

    private static double[,] VTransposeTimes(double[,] j, double[] v, int n, int dv)
    {
        var r = new double[dv, n];
        for (int c = 0; c < dv; c++)
            for (int col = 0; col < n; col++)
            {
                double s = 0;
                for (int l = 0; l < n; l++) s += v[l * dv + c] * j[l, col];
                r[c, col] = s;
            }
        return r;
    }
}
