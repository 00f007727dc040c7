using Workbench.Models.Capture;
using Workbench.Models.Heads;
using Workbench.Models.Llama;
using Workbench.Models.Numerics;

namespace Workbench.Models.Gpt2;

public sealed partial class Gpt2Reference
{
    /// <summary>
    /// Reverse-mode gradient of Σ_t log p(targets[t] | tokens[0..t]) (targets[t] &lt; 0 skipped; default: the next
    /// token) with respect to head h's W_Q^h and W_K^h (c_attn's Q and K columns h·d_head…, in the d_model × d_head
    /// orientation of <see cref="GetHead"/>), in float64, through every block above it: the tied classifier, the
    /// final LayerNorm, the MLPs (GELU) and the attention of later blocks, and the residual stream.
    /// </summary>
    public HeadGradient Gradient(int[] tokens, int layer, int head, int[]? targets = null, AttentionMask? mask = null)
    {
        CheckLayerHead(layer, head);
        CheckTokens(tokens);
        targets ??= NextTokenLikelihood.Shift(tokens);
        NextTokenLikelihood.RequireTargets(targets, tokens.Length, Config.VocabSize);
        var c = Config;
        int T = tokens.Length, d = c.Dim, H = c.Heads, r = c.HeadDim, inner = c.Inner, V = c.VocabSize;
        var scale = 1 / Math.Sqrt(r);
        var tr = Run(tokens, null, mask ?? AttentionMask.Causal, keep: true);

        var dLogits = NextTokenLikelihood.LogitGradient(tr.Logits, targets, V, out var logLik);
        // logits = LN_f(x)·Wteᵀ (tied), so d LN_f(x) = dLogits·Wte.
        var dx = Conv1D64.LayerNormBackward(Dense64.Mul(dLogits, T, V, _wte, d), tr.XLast, tr.MeanFinal, tr.InvFinal, T, d, _lnFG);

        for (var l = c.Layers - 1; l >= layer; l--)
        {
            var L = tr.Layers![l];
            // MLP: x_out = x_mid + c_proj(gelu(c_fc(LN_2(x_mid)))).
            var dPost = Conv1D64.InputGradient(dx, T, d, _fcProjW[l], inner);
            for (var i = 0; i < dPost.Length; i++) dPost[i] *= Conv1D64.GeluDerivative(L.Pre[i]);
            var dXn2 = Conv1D64.InputGradient(dPost, T, inner, _fcW[l], d);
            var dMidNorm = Conv1D64.LayerNormBackward(dXn2, L.XMid, L.Mean2, L.Inv2, T, d, _ln2G[l]);
            var dMid = new double[T * d];
            for (var i = 0; i < dMid.Length; i++) dMid[i] = dx[i] + dMidNorm[i];

            // Attention: x_mid = x_in + c_proj(z), z = pattern · v, pattern = softmax(q·k/√r) per head.
            var dz = Conv1D64.InputGradient(dMid, T, d, _projW[l], d);
            var dq = new double[T * d];
            var dk = new double[T * d];
            var dv = new double[T * d];
            AttentionBackward.Run(L.Pattern, L.Q, L.K, L.V, dz, T, H, H, r, scale, dq, dk, dv);
            if (l == layer)
            {
                // q = LN_1(x)·W_Q + b_Q, so ∂/∂W_Q^h[i, j] = Σ_t LN_1(x)[t, i]·dq[t, h·r + j]; likewise W_K^h.
                var dWq = new double[d, r];
                var dWk = new double[d, r];
                for (var t = 0; t < T; t++)
                    for (var i = 0; i < d; i++)
                    {
                        var xi = L.Xn1[t * d + i];
                        if (xi == 0) continue;
                        for (var j = 0; j < r; j++)
                        {
                            dWq[i, j] += xi * dq[t * d + head * r + j];
                            dWk[i, j] += xi * dk[t * d + head * r + j];
                        }
                    }
                return new HeadGradient(layer, head, head, logLik, dWq, dWk);
            }
            // c_attn is fused: its output gradient is [dq | dk | dv] per row.
            var dQkv = new double[T * 3 * d];
            for (var t = 0; t < T; t++)
            {
                Array.Copy(dq, t * d, dQkv, t * 3 * d, d);
                Array.Copy(dk, t * d, dQkv, t * 3 * d + d, d);
                Array.Copy(dv, t * d, dQkv, t * 3 * d + 2 * d, d);
            }
            var dXn1 = Conv1D64.InputGradient(dQkv, T, 3 * d, _attnW[l], d);
            var dIn = Conv1D64.LayerNormBackward(dXn1, L.XIn, L.Mean1, L.Inv1, T, d, _ln1G[l]);
            dx = new double[T * d];
            for (var i = 0; i < dx.Length; i++) dx[i] = dMid[i] + dIn[i];
        }
        throw new InvalidOperationException("unreachable: the loop returns at the requested layer");
    }
}
