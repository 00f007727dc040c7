using System.Numerics.Tensors;
using Workbench.Models.Numerics;
using Workbench.Protocols.Probe;

namespace Workbench.Protocols.Model;

/// <summary>
/// Reverse-mode ∇θ log p(y | x) for one head of the protocols' <see cref="Transformer"/>: the traced forward pass
/// mirrors <see cref="Run"/> at temperature 1 under the causal mask (RMSNorm, LayerNorm or identity, optional RoPE or
/// learned positions, biases, GQA, no / ReLU / SwiGLU / GELU MLP), and each reverse pass runs only over positions 0..t, because under the causal mask the
/// logits at t depend on no later position.
/// </summary>
public sealed partial class Transformer
{
    private sealed class LayerTrace
    {
        public required double[] XIn, Mean1, Inv1, Xn1, Q, K, V, XMid, Mean2, Inv2, Xn2, Hid, Gate;
        public required double[][] Pattern;
    }

    public HeadGradientPass BeginGradients(IReadOnlyList<int> tokens, int layer, int head, double[]? baseDelta = null)
    {
        var w = _w;
        if (layer < 0 || layer >= w.Layers) throw new ArgumentException($"layer {layer} is out of range: the model has layers 0..{w.Layers - 1}");
        if (head < 0 || head >= w.Heads) throw new ArgumentException($"head {head} is out of range: the model has heads 0..{w.Heads - 1}");
        if (baseDelta is not null && baseDelta.Length != Shape.HeadParameterCount)
            throw new ArgumentException($"θ offset has {baseDelta.Length} entries, expected {Shape.HeadParameterCount}");
        return new Pass(this, tokens.ToArray(), layer, head, baseDelta);
    }

    private sealed class Pass : HeadGradientPass
    {
        private readonly Transformer _m;
        private readonly int[] _tokens;
        private readonly int _layer, _head;
        private readonly LayerTrace[] _trace;
        private readonly double[] _xLast, _meanFinal, _invFinal, _logits;

        public Pass(Transformer m, int[] tokens, int layer, int head, double[]? baseDelta)
        {
            _m = m; _tokens = tokens; _layer = layer; _head = head;
            var w = m._w;
            int T = tokens.Length, D = w.DModel, dh = w.DHead, kvd = w.KvDim, H = w.Heads;
            if (T == 0) throw new ArgumentException("a forward pass needs at least one token");
            if (T > w.ContextLength) throw new ArgumentException($"{T} tokens exceed the context length {w.ContextLength}");
            var x = new double[T * D];
            for (var t = 0; t < T; t++)
            {
                if ((uint)tokens[t] >= (uint)w.Vocab) throw new ArgumentException($"token {tokens[t]} at position {t} is outside the vocabulary (size {w.Vocab})");
                Array.Copy(w.Embedding, tokens[t] * D, x, t * D, D);
            }
            m.AddPositions(x, T);
            var inv = 1.0 / Math.Sqrt(dh);
            _trace = new LayerTrace[w.Layers];
            for (var l = 0; l < w.Layers; l++)
            {
                var L = w.Layer[l];
                var (xn, mean1, inv1) = m.Norm(x, L.RmsAtt, L.AttNormBias, T);
                var wq = L.Wq; var wk = L.Wk;
                if (l == layer && baseDelta is not null)
                {
                    wq = (double[])wq.Clone(); wk = (double[])wk.Clone();
                    var kvh = w.KvHeadOf(head);
                    for (var a = 0; a < dh * D; a++) { wq[head * dh * D + a] += baseDelta[a]; wk[kvh * dh * D + a] += baseDelta[dh * D + a]; }
                }
                var q = Affine(xn, wq, L.Bq, T, D, D);
                var k = Affine(xn, wk, L.Bk, T, D, kvd);
                var v = Affine(xn, L.Wv, L.Bv, T, D, kvd);
                if (w.Rope) { m.Rotate(q, T, D); m.Rotate(k, T, kvd); }
                var heads = new double[T * D];
                var pattern = new double[H][];
                for (var h = 0; h < H; h++)
                {
                    var g = w.KvHeadOf(h);
                    var a = new double[T * T];
                    for (var i = 0; i < T; i++)
                    {
                        var max = double.NegativeInfinity;
                        for (var j = 0; j <= i; j++)
                        {
                            var dot = 0.0;
                            for (var c = 0; c < dh; c++) dot += q[i * D + h * dh + c] * k[j * kvd + g * dh + c];
                            a[i * T + j] = dot * inv;
                            max = Math.Max(max, dot * inv);
                        }
                        var sum = 0.0;
                        for (var j = 0; j <= i; j++) sum += a[i * T + j] = Math.Exp(a[i * T + j] - max);
                        for (var j = 0; j <= i; j++)
                        {
                            var aij = a[i * T + j] /= sum;
                            for (var c = 0; c < dh; c++) heads[i * D + h * dh + c] += aij * v[j * kvd + g * dh + c];
                        }
                    }
                    pattern[h] = a;
                }
                var attnOut = Affine(heads, L.Wo, L.Bo, T, D, D);
                var xMid = new double[T * D];
                for (var e = 0; e < xMid.Length; e++) xMid[e] = x[e] + attnOut[e];
                double[] xn2 = [], mean2 = [], inv2 = [], hid = [], gate = [];
                var xOut = xMid;
                if (w.Mlp != MlpKind.None)
                {
                    (xn2, mean2, inv2) = m.Norm(xMid, L.RmsFfn, L.FfnNormBias, T);
                    hid = Affine(xn2, L.W1, L.B1, T, D, w.DHidden);
                    if (w.Mlp == MlpKind.SwiGlu) gate = MatMulRows(xn2, L.W3, T, D, w.DHidden);
                    var act = new double[hid.Length];
                    for (var e = 0; e < act.Length; e++) act[e] = m.Activation(hid[e], gate.Length == 0 ? 0 : gate[e]);
                    var mlpOut = Affine(act, L.W2, L.B2, T, w.DHidden, D);
                    xOut = new double[T * D];
                    for (var e = 0; e < xOut.Length; e++) xOut[e] = xMid[e] + mlpOut[e];
                }
                _trace[l] = new LayerTrace { XIn = x, Mean1 = mean1, Inv1 = inv1, Xn1 = xn, Q = q, K = k, V = v, Pattern = pattern, XMid = xMid, Mean2 = mean2, Inv2 = inv2, Xn2 = xn2, Hid = hid, Gate = gate };
                x = xOut;
            }
            _xLast = x;
            var (xf, meanF, invF) = m.Norm(x, w.RmsFinal, w.FinalNormBias, T);
            _meanFinal = meanF; _invFinal = invF;
            _logits = MatMulRows(xf, w.Classifier, T, D, w.Vocab);
        }

        public override double[] Logits => _logits;

        public override double[] Gradient(int position, int label)
        {
            var w = _m._w;
            if ((uint)position >= (uint)_tokens.Length) throw new ArgumentException($"position {position} is outside the prompt (0..{_tokens.Length - 1})");
            if ((uint)label >= (uint)w.Vocab) throw new ArgumentException($"label {label} is outside the vocabulary (size {w.Vocab})");
            // Causal: the logits at `position` read rows 0..position only, so the reverse pass needs no later row.
            int n = position + 1, T = _tokens.Length, D = w.DModel, dh = w.DHead, kvd = w.KvDim, H = w.Heads, V = w.Vocab, F = w.DHidden;
            var inv = 1.0 / Math.Sqrt(dh);
            // d log p_y / d logits = e_y − softmax(logits), at row `position` only.
            var row = _logits.AsSpan(position * V, V);
            var max = TensorPrimitives.Max(row);
            var z = 0.0;
            foreach (var v in row) z += Math.Exp(v - max);
            var dx = new double[n * D];
            for (var v = 0; v < V; v++)
            {
                var dl = (v == label ? 1 : 0) - Math.Exp(row[v] - max) / z;
                TensorPrimitives.MultiplyAdd(w.Classifier.AsSpan(v * D, D), dl, dx.AsSpan(position * D, D), dx.AsSpan(position * D, D));
            }
            dx = _m.NormBackward(dx, _xLast, _meanFinal, _invFinal, w.RmsFinal, n);
            for (var l = w.Layers - 1; l >= _layer; l--)
            {
                var L = w.Layer[l];
                var tr = _trace[l];
                var dMid = dx;
                if (w.Mlp != MlpKind.None)
                {
                    var dAct = Dense64.Mul(dx, n, D, L.W2, F);
                    var dHid = new double[n * F];
                    var dGate = w.Mlp == MlpKind.SwiGlu ? new double[n * F] : null;
                    for (var e = 0; e < n * F; e++)
                    {
                        var a = tr.Hid[e];
                        if (w.Mlp == MlpKind.Gelu) { dHid[e] = dAct[e] * Conv1D64.GeluDerivative(a); continue; }
                        if (dGate is null) { dHid[e] = a > 0 ? dAct[e] : 0; continue; }
                        var sig = 1 / (1 + Math.Exp(-a));
                        dHid[e] = dAct[e] * tr.Gate[e] * sig * (1 + a * (1 - sig));
                        dGate[e] = dAct[e] * a * sig;
                    }
                    var dXn2 = Dense64.Mul(dHid, n, F, L.W1, D);
                    if (dGate is not null) Add(dXn2, Dense64.Mul(dGate, n, F, L.W3, D));
                    dMid = _m.NormBackward(dXn2, tr.XMid, tr.Mean2, tr.Inv2, L.RmsFfn, n);
                    Add(dMid, dx);
                }
                var dHeads = Dense64.Mul(dMid, n, D, L.Wo, D);
                var dq = new double[n * D];
                var dk = new double[n * kvd];
                var dv = new double[n * kvd];
                var dp = new double[n];
                for (var h = 0; h < H; h++)
                {
                    var g = w.KvHeadOf(h);
                    var a = tr.Pattern[h];
                    for (var i = 0; i < n; i++)
                    {
                        var sum = 0.0;
                        for (var j = 0; j <= i; j++)
                        {
                            var acc = 0.0;
                            for (var c = 0; c < dh; c++)
                            {
                                acc += dHeads[i * D + h * dh + c] * tr.V[j * kvd + g * dh + c];
                                dv[j * kvd + g * dh + c] += a[i * T + j] * dHeads[i * D + h * dh + c];
                            }
                            dp[j] = acc;
                            sum += a[i * T + j] * acc;
                        }
                        for (var j = 0; j <= i; j++)
                        {
                            var ds = a[i * T + j] * (dp[j] - sum) * inv;
                            if (ds == 0) continue;
                            for (var c = 0; c < dh; c++)
                            {
                                dq[i * D + h * dh + c] += ds * tr.K[j * kvd + g * dh + c];
                                dk[j * kvd + g * dh + c] += ds * tr.Q[i * D + h * dh + c];
                            }
                        }
                    }
                }
                // RoPE is a rotation per position, so its transpose is the inverse rotation.
                if (w.Rope) { _m.Rotate(dq, n, D, inverse: true); _m.Rotate(dk, n, kvd, inverse: true); }
                if (l == _layer)
                {
                    // q = W_Q x̃ (W stored (out, in)): ∂/∂W_Q[head·dh + a, b] = Σ_t dq[t, head·dh + a] x̃[t, b]; likewise W_K of the key head.
                    var grad = new double[2 * dh * D];
                    var kvh = w.KvHeadOf(_head);
                    for (var t = 0; t < n; t++)
                        for (var a = 0; a < dh; a++)
                        {
                            var xr = tr.Xn1.AsSpan(t * D, D);
                            TensorPrimitives.MultiplyAdd(xr, dq[t * D + _head * dh + a], grad.AsSpan(a * D, D), grad.AsSpan(a * D, D));
                            TensorPrimitives.MultiplyAdd(xr, dk[t * kvd + kvh * dh + a], grad.AsSpan(dh * D + a * D, D), grad.AsSpan(dh * D + a * D, D));
                        }
                    return grad;
                }
                var dXn1 = Dense64.Mul(dq, n, D, L.Wq, D);
                Add(dXn1, Dense64.Mul(dk, n, kvd, L.Wk, D));
                Add(dXn1, Dense64.Mul(dv, n, kvd, L.Wv, D));
                dx = _m.NormBackward(dXn1, tr.XIn, tr.Mean1, tr.Inv1, L.RmsAtt, n);
                Add(dx, dMid);
            }
            throw new InvalidOperationException("unreachable: the loop returns at the requested layer");
        }
    }

    /// <summary>The norm of <see cref="ApplyNorm"/> into a new array, with each row's mean and 1/σ (or 1/rms).</summary>
    private (double[] Y, double[] Mean, double[] Inv) Norm(double[] x, double[] gain, double[] bias, int T)
    {
        var y = new double[x.Length];
        var (mean, inv) = ApplyNorm(x, gain, bias, y, T);
        return (y, mean, inv);
    }

    /// <summary>
    /// dx of the norm, with u = g ⊙ dy and x̂ = (x − μ)·r: RMSNorm r·u − r³/D · x · Σ u x; LayerNorm
    /// r·(u − mean u − x̂ · mean(u ⊙ x̂)) (the bias does not depend on x); dy itself without normalization.
    /// </summary>
    private double[] NormBackward(double[] dy, double[] x, double[] mean, double[] inv, double[] gain, int rows)
    {
        if (!_w.Normalize) return (double[])dy.Clone();
        var D = _w.DModel;
        var dx = new double[rows * D];
        for (var t = 0; t < rows; t++)
        {
            var r = inv[t];
            if (_w.Norm == NormKind.Layer)
            {
                double su = 0, sux = 0;
                for (var c = 0; c < D; c++)
                {
                    var u = gain[c] * dy[t * D + c];
                    su += u; sux += u * (x[t * D + c] - mean[t]) * r;
                }
                for (var c = 0; c < D; c++)
                    dx[t * D + c] = r * (gain[c] * dy[t * D + c] - su / D - (x[t * D + c] - mean[t]) * r * sux / D);
                continue;
            }
            var s = 0.0;
            for (var c = 0; c < D; c++) s += gain[c] * dy[t * D + c] * x[t * D + c];
            var k = r * r * r * s / D;
            for (var c = 0; c < D; c++) dx[t * D + c] = r * gain[c] * dy[t * D + c] - k * x[t * D + c];
        }
        return dx;
    }

    private static void Add(double[] into, double[] other) => TensorPrimitives.Add(into, other, into);
}
