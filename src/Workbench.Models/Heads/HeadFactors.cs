namespace Workbench.Models.Heads;

/// <summary>
/// One query head's operator A_h = W_Q^h (W_K^{kv(h)})^T kept factored: both factors are d_model × d_head in float64,
/// oriented so that the pre-softmax score of query residual x against key residual y is xᵀ A_h y / √d_head
/// (before any RoPE rotation, bias or norm scaling that the set's <see cref="HeadOperatorSet.Note"/> lists).
/// </summary>
public sealed record HeadFactors(int Layer, int Head, int KvHead, double[,] WQ, double[,] WK)
{
    public int DModel => WQ.GetLength(0);
    public int DHead => WQ.GetLength(1);

    /// <summary>A_h as a dense d_model × d_model matrix (only when asked; algebra works on the factors).</summary>
    public double[,] Dense()
    {
        int d = DModel, r = DHead;
        var a = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                var s = 0.0;
                for (var k = 0; k < r; k++) s += WQ[i, k] * WK[j, k];
                a[i, j] = s;
            }
        return a;
    }
}
