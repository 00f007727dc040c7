using Workbench.Models.Capture;
using Workbench.Models.Heads;
using Workbench.Models.Numerics;

namespace Workbench.Models.Llama;

public sealed partial class LlamaReference : IHeadGradientModel
{
    /// <summary>
    /// Reverse-mode gradient of Σ_t log p(targets[t] | tokens[0..t]) (targets[t] &lt; 0 skipped; default: the next
    /// token) with respect to one head's query and key factors, in float64, through every layer above it.
    /// </summary>
    public HeadGradient Gradient(int[] tokens, int layer, int head, int[]? targets = null, AttentionMask? mask = null)
    {
        CheckLayerHead(layer, head);
        CheckTokens(tokens);
        targets ??= Shift(tokens);
        NextTokenLikelihood.RequireTargets(targets, tokens.Length, Config.VocabSize);
        var c = Config;
        int T = tokens.Length, d = c.Dim, H = c.Heads, G = c.KvHeads, r = c.HeadDim, kvd = c.KvDim, hid = c.HiddenDim, V = c.VocabSize;
        var scale = 1 / Math.Sqrt(r);
        var tr = Run(tokens, null, mask ?? AttentionMask.Causal, keep: true);

        var dLogits = NextTokenLikelihood.LogitGradient(tr.Logits, targets, V, out var logLik);
        var dx = Dense64.RmsNormBackward(Dense64.Mul(dLogits, T, V, _cls, d), tr.XLast, tr.InvRmsFinal, T, d, _rmsFinal);

        for (var l = c.Layers - 1; l >= layer; l--)
        {
            var L = tr.Layers![l];
            // MLP: x_out = x_mid + W2 (silu(W1 xn2) ⊙ W3 xn2).
            var dAct = Dense64.Mul(dx, T, d, _w2[l], hid);
            var dGate = new double[T * hid];
            var dUp = new double[T * hid];
            for (var i = 0; i < dGate.Length; i++)
            {
                var a = L.Gate[i];
                var sig = 1 / (1 + Math.Exp(-a));
                dGate[i] = dAct[i] * L.Up[i] * sig * (1 + a * (1 - sig));
                dUp[i] = dAct[i] * a * sig;
            }
            var dXn2 = Dense64.Mul(dGate, T, hid, _w1[l], d);
            var dXn2b = Dense64.Mul(dUp, T, hid, _w3[l], d);
            for (var i = 0; i < dXn2.Length; i++) dXn2[i] += dXn2b[i];
            var dMidNorm = Dense64.RmsNormBackward(dXn2, L.XMid, L.InvRms2, T, d, _rmsFfn[l]);
            var dMid = new double[T * d];
            for (var i = 0; i < dMid.Length; i++) dMid[i] = dx[i] + dMidNorm[i];

            // Attention: x_mid = x_in + Wo z, z = pattern · v, pattern = softmax(q·k/√r).
            var dz = Dense64.Mul(dMid, T, d, _wo[l], d);
            var dq = new double[T * d];
            var dk = new double[T * kvd];
            var dv = new double[T * kvd];
            AttentionBackward.Run(L.Pattern, L.QRot, L.KRot, L.V, dz, T, H, G, r, scale, dq, dk, dv);
            RopeBackward(dq, T, H);
            RopeBackward(dk, T, G);
            if (l == layer)
            {
                var kv = c.KvHeadOf(head);
                var dWq = new double[d, r];
                var dWk = new double[d, r];
                for (var t = 0; t < T; t++)
                    for (var i = 0; i < d; i++)
                    {
                        var xi = L.Xn1[t * d + i];
                        for (var j = 0; j < r; j++)
                        {
                            dWq[i, j] += xi * dq[t * d + head * r + j];
                            dWk[i, j] += xi * dk[t * kvd + kv * r + j];
                        }
                    }
                return new HeadGradient(layer, head, kv, logLik, dWq, dWk);
            }
            var dXn1 = Dense64.Mul(dq, T, d, _wq[l], d);
            var dXn1k = Dense64.Mul(dk, T, kvd, _wk[l], d);
            var dXn1v = Dense64.Mul(dv, T, kvd, _wv[l], d);
            for (var i = 0; i < dXn1.Length; i++) dXn1[i] += dXn1k[i] + dXn1v[i];
            var dIn = Dense64.RmsNormBackward(dXn1, L.XIn, L.InvRms1, T, d, _rmsAtt[l]);
            dx = new double[T * d];
            for (var i = 0; i < dx.Length; i++) dx[i] = dMid[i] + dIn[i];
        }
        throw new InvalidOperationException("unreachable: the loop returns at the requested layer");
    }
}
