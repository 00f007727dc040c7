using Workbench.Models.Capture;
using Workbench.Models.Numerics;

namespace Workbench.Models.Gpt2;

public sealed partial class Gpt2Reference
{
    /// <summary>What one block computed, kept for the backward pass.</summary>
    sealed class LayerTrace
    {
        public required double[] XIn, Mean1, Inv1, Xn1, Q, K, V, Pattern, XMid, Mean2, Inv2, Pre;
    }

    sealed class Trace
    {
        public required LayerTrace[]? Layers;
        public required double[] XLast, MeanFinal, InvFinal, Logits;
    }

    Trace Run(int[] tokens, ForwardHooks? hooks, AttentionMask m, bool keep)
    {
        CheckTokens(tokens);
        var c = Config;
        int T = tokens.Length, d = c.Dim, H = c.Heads, r = c.HeadDim, inner = c.Inner;
        var scale = 1 / Math.Sqrt(r);
        var x = new double[T * d];
        for (var t = 0; t < T; t++)
            for (var i = 0; i < d; i++) x[t * d + i] = _wte[tokens[t] * d + i] + _wpe[t * d + i];
        var layers = keep ? new LayerTrace[c.Layers] : null;
        for (var l = 0; l < c.Layers; l++)
        {
            hooks?.Visit(HookNames.ResidPre(l), [T, d], x);
            var (xn, mean1, inv1) = Conv1D64.LayerNormTraced(x, T, d, _ln1G[l], _ln1B[l], c.LayerNormEps);
            var qkv = Conv1D64.Apply(xn, T, d, _attnW[l], _attnB[l], 3 * d);
            var q = new double[T * d];
            var k = new double[T * d];
            var v = new double[T * d];
            for (var t = 0; t < T; t++)
            {
                Array.Copy(qkv, t * 3 * d, q, t * d, d);
                Array.Copy(qkv, t * 3 * d + d, k, t * d, d);
                Array.Copy(qkv, t * 3 * d + 2 * d, v, t * d, d);
            }
            hooks?.Visit(HookNames.Q(l), [T, H, r], q);
            hooks?.Visit(HookNames.K(l), [T, H, r], k);
            hooks?.Visit(HookNames.V(l), [T, H, r], v);
            var scores = new double[H * T * T];
            for (var h = 0; h < H; h++)
                for (var t = 0; t < T; t++)
                    for (var s = 0; s < T; s++)
                    {
                        var idx = (h * T + t) * T + s;
                        if (!m.Allows(t, s)) { scores[idx] = double.NegativeInfinity; continue; }
                        var dot = 0.0;
                        for (var j = 0; j < r; j++) dot += q[t * d + h * r + j] * k[s * d + h * r + j];
                        scores[idx] = dot * scale;
                    }
            hooks?.Visit(HookNames.AttnScores(l), [H, T, T], scores);
            var pattern = new double[scores.Length];
            for (var row = 0; row < H * T; row++)
            {
                var mx = double.NegativeInfinity;
                for (var s = 0; s < T; s++) mx = Math.Max(mx, scores[row * T + s]);
                if (double.IsNegativeInfinity(mx)) throw new ModelFormatException("attention mask", $"row {row % T} masks every key: its pattern is undefined");
                var sum = 0.0;
                for (var s = 0; s < T; s++) sum += pattern[row * T + s] = Math.Exp(scores[row * T + s] - mx);
                for (var s = 0; s < T; s++) pattern[row * T + s] /= sum;
            }
            hooks?.Visit(HookNames.Pattern(l), [H, T, T], pattern);
            var z = new double[T * d];
            for (var h = 0; h < H; h++)
                for (var t = 0; t < T; t++)
                    for (var s = 0; s < T; s++)
                    {
                        var p = pattern[(h * T + t) * T + s];
                        if (p == 0) continue;
                        for (var j = 0; j < r; j++) z[t * d + h * r + j] += p * v[s * d + h * r + j];
                    }
            hooks?.Visit(HookNames.Z(l), [T, H, r], z);
            var attnOut = Conv1D64.Apply(z, T, d, _projW[l], _projB[l], d);
            var xMid = new double[T * d];
            for (var i = 0; i < xMid.Length; i++) xMid[i] = x[i] + attnOut[i];
            hooks?.Visit(HookNames.ResidMid(l), [T, d], xMid);
            var (xn2, mean2, inv2) = Conv1D64.LayerNormTraced(xMid, T, d, _ln2G[l], _ln2B[l], c.LayerNormEps);
            var pre = Conv1D64.Apply(xn2, T, d, _fcW[l], _fcB[l], inner);
            hooks?.Visit(HookNames.MlpPre(l), [T, inner], pre);
            var post = pre.Select(Conv1D64.Gelu).ToArray();
            hooks?.Visit(HookNames.MlpPost(l), [T, inner], post);
            var mlpOut = Conv1D64.Apply(post, T, inner, _fcProjW[l], _fcProjB[l], d);
            var xIn = x;
            x = new double[T * d];
            for (var i = 0; i < x.Length; i++) x[i] = xMid[i] + mlpOut[i];
            hooks?.Visit(HookNames.ResidPost(l), [T, d], x);
            if (layers is not null)
                layers[l] = new LayerTrace
                {
                    XIn = xIn, Mean1 = mean1, Inv1 = inv1, Xn1 = xn, Q = q, K = k, V = v, Pattern = pattern, XMid = xMid,
                    Mean2 = mean2, Inv2 = inv2, Pre = pre,
                };
        }
        var (xf, meanF, invF) = Conv1D64.LayerNormTraced(x, T, d, _lnFG, _lnFB, c.LayerNormEps);
        var logits = Dense64.MulT(xf, T, d, _wte, c.VocabSize);
        hooks?.Visit(HookNames.Logits, [T, c.VocabSize], logits);
        return new Trace { Layers = layers, XLast = x, MeanFinal = meanF, InvFinal = invF, Logits = logits };
    }
}
