namespace Workbench.Models.Numerics;

/// <summary>
/// The reverse pass of causal multi-head attention z = softmax(scale·q kᵀ) v with grouped key/value heads (query head
/// h reads key/value head h / (H/G); G = H is plain multi-head attention). Rows are positions; q, dz hold H heads of
/// width r per row, k, v, dk, dv hold G. The pattern is the forward pass's, [h, t, s].
/// </summary>
internal static class AttentionBackward
{
    /// <summary>Accumulates dq, dk, dv (which the caller zeroes) from dz.</summary>
    public static void Run(double[] pattern, double[] q, double[] k, double[] v, double[] dz, int T, int H, int G, int r,
        double scale, double[] dq, double[] dk, double[] dv)
    {
        var dp = new double[T];
        for (var h = 0; h < H; h++)
        {
            var g = h / (H / G);
            for (var t = 0; t < T; t++)
            {
                // dA[t, s] = dz_t · v_s; the softmax backward is dS = A ∘ (dA − Σ_s A dA).
                var sum = 0.0;
                for (var s = 0; s < T; s++)
                {
                    var p = pattern[(h * T + t) * T + s];
                    var acc = 0.0;
                    for (var j = 0; j < r; j++)
                    {
                        acc += dz[(t * H + h) * r + j] * v[(s * G + g) * r + j];
                        dv[(s * G + g) * r + j] += p * dz[(t * H + h) * r + j];
                    }
                    dp[s] = acc;
                    sum += p * acc;
                }
                for (var s = 0; s < T; s++)
                {
                    var p = pattern[(h * T + t) * T + s];
                    if (p == 0) continue;
                    var ds = p * (dp[s] - sum) * scale;
                    for (var j = 0; j < r; j++)
                    {
                        dq[(t * H + h) * r + j] += ds * k[(s * G + g) * r + j];
                        dk[(s * G + g) * r + j] += ds * q[(t * H + h) * r + j];
                    }
                }
            }
        }
    }
}
