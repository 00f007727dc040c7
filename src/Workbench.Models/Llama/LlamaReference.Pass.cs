using Workbench.Models.Capture;
using Workbench.Models.Numerics;

namespace Workbench.Models.Llama;

public sealed partial class LlamaReference
{
    /// <summary>What one layer computed, kept for the backward pass.</summary>
    sealed class LayerTrace
    {
        public required double[] XIn, InvRms1, Xn1, QRot, KRot, V, Pattern, Z, XMid, InvRms2, Xn2, Gate, Up;
    }

    sealed class Trace
    {
        public required LayerTrace[]? Layers;
        public required double[] XLast, InvRmsFinal, XFinal, Logits;
        public required AttentionMask Mask;
    }

    void Rope(double[] x, int rows, int heads)
    {
        int r = Config.HeadDim, half = r / 2;
        for (var t = 0; t < rows; t++)
            for (var h = 0; h < heads; h++)
                for (var i = 0; i < half; i++)
                {
                    var o = (t * heads + h) * r + 2 * i;
                    double c = _cos[t * half + i], s = _sin[t * half + i];
                    double a = x[o], b = x[o + 1];
                    x[o] = a * c - b * s;
                    x[o + 1] = a * s + b * c;
                }
    }

    /// <summary>The transpose of <see cref="Rope"/> (rotation by −angle), for gradients.</summary>
    void RopeBackward(double[] g, int rows, int heads)
    {
        int r = Config.HeadDim, half = r / 2;
        for (var t = 0; t < rows; t++)
            for (var h = 0; h < heads; h++)
                for (var i = 0; i < half; i++)
                {
                    var o = (t * heads + h) * r + 2 * i;
                    double c = _cos[t * half + i], s = _sin[t * half + i];
                    double a = g[o], b = g[o + 1];
                    g[o] = a * c + b * s;
                    g[o + 1] = -a * s + b * c;
                }
    }

    Trace Run(int[] tokens, ForwardHooks? hooks, AttentionMask mask, bool keep)
    {
        CheckTokens(tokens);
        var c = Config;
        int T = tokens.Length, d = c.Dim, H = c.Heads, G = c.KvHeads, r = c.HeadDim, kvd = c.KvDim, hid = c.HiddenDim;
        var scale = 1 / Math.Sqrt(r);
        var x = new double[T * d];
        for (var t = 0; t < T; t++) Array.Copy(_emb, tokens[t] * d, x, t * d, d);
        var layers = keep ? new LayerTrace[c.Layers] : null;
        for (var l = 0; l < c.Layers; l++)
        {
            hooks?.Visit(HookNames.ResidPre(l), [T, d], x);
            var xIn = x;
            var (xn1, inv1) = Dense64.RmsNorm(xIn, T, d, _rmsAtt[l], LlamaConfig.RmsEps);
            var q = Dense64.MulT(xn1, T, d, _wq[l], d);
            var k = Dense64.MulT(xn1, T, d, _wk[l], kvd);
            var v = Dense64.MulT(xn1, T, d, _wv[l], kvd);
            Rope(q, T, H);
            Rope(k, T, G);
            hooks?.Visit(HookNames.Q(l), [T, H, r], q);
            hooks?.Visit(HookNames.K(l), [T, G, r], k);
            hooks?.Visit(HookNames.V(l), [T, G, r], v);
            var scores = new double[H * T * T];
            for (var h = 0; h < H; h++)
            {
                var g = h / (H / G);
                for (var t = 0; t < T; t++)
                    for (var s = 0; s < T; s++)
                    {
                        var idx = (h * T + t) * T + s;
                        if (!mask.Allows(t, s)) { scores[idx] = double.NegativeInfinity; continue; }
                        var dot = 0.0;
                        for (var j = 0; j < r; j++) dot += q[(t * H + h) * r + j] * k[(s * G + g) * r + j];
                        scores[idx] = dot * scale;
                    }
            }
            hooks?.Visit(HookNames.AttnScores(l), [H, T, T], scores);
            var pattern = Softmax(scores, H * T, T);
            hooks?.Visit(HookNames.Pattern(l), [H, T, T], pattern);
            var z = new double[T * d];
            for (var h = 0; h < H; h++)
            {
                var g = h / (H / G);
                for (var t = 0; t < T; t++)
                    for (var s = 0; s < T; s++)
                    {
                        var p = pattern[(h * T + t) * T + s];
                        if (p == 0) continue;
                        for (var j = 0; j < r; j++) z[(t * H + h) * r + j] += p * v[(s * G + g) * r + j];
                    }
            }
            hooks?.Visit(HookNames.Z(l), [T, H, r], z);
            var attnOut = Dense64.MulT(z, T, d, _wo[l], d);
            var xMid = new double[T * d];
            for (var i = 0; i < xMid.Length; i++) xMid[i] = xIn[i] + attnOut[i];
            hooks?.Visit(HookNames.ResidMid(l), [T, d], xMid);
            var (xn2, inv2) = Dense64.RmsNorm(xMid, T, d, _rmsFfn[l], LlamaConfig.RmsEps);
            var gate = Dense64.MulT(xn2, T, d, _w1[l], hid);
            var up = Dense64.MulT(xn2, T, d, _w3[l], hid);
            hooks?.Visit(HookNames.MlpPre(l), [T, hid], gate);
            hooks?.Visit(HookNames.MlpPreLinear(l), [T, hid], up);
            var act = new double[T * hid];
            for (var i = 0; i < act.Length; i++) act[i] = Silu(gate[i]) * up[i];
            hooks?.Visit(HookNames.MlpPost(l), [T, hid], act);
            var mlpOut = Dense64.MulT(act, T, hid, _w2[l], d);
            x = new double[T * d];
            for (var i = 0; i < x.Length; i++) x[i] = xMid[i] + mlpOut[i];
            hooks?.Visit(HookNames.ResidPost(l), [T, d], x);
            if (layers is not null)
                layers[l] = new LayerTrace
                {
                    XIn = xIn, InvRms1 = inv1, Xn1 = xn1, QRot = q, KRot = k, V = v, Pattern = pattern, Z = z, XMid = xMid,
                    InvRms2 = inv2, Xn2 = xn2, Gate = gate, Up = up,
                };
        }
        var (xf, invF) = Dense64.RmsNorm(x, T, d, _rmsFinal, LlamaConfig.RmsEps);
        var logits = Dense64.MulT(xf, T, d, _cls, c.VocabSize);
        hooks?.Visit(HookNames.Logits, [T, c.VocabSize], logits);
        return new Trace { Layers = layers, XLast = x, InvRmsFinal = invF, XFinal = xf, Logits = logits, Mask = mask };
    }

    internal static double Silu(double a) => a / (1 + Math.Exp(-a));

    /// <summary>Row-wise softmax; −∞ entries get probability 0; a row with no finite entry is refused, not NaN.</summary>
    static double[] Softmax(double[] x, int rows, int n)
    {
        var y = new double[x.Length];
        for (var row = 0; row < rows; row++)
        {
            var m = double.NegativeInfinity;
            for (var i = 0; i < n; i++) m = Math.Max(m, x[row * n + i]);
            if (double.IsNegativeInfinity(m)) throw new ModelFormatException("attention mask", $"row {row % n} masks every key: its pattern is undefined");
            var s = 0.0;
            for (var i = 0; i < n; i++) s += y[row * n + i] = Math.Exp(x[row * n + i] - m);
            for (var i = 0; i < n; i++) y[row * n + i] /= s;
        }
        return y;
    }
}
