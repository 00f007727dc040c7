using System.Numerics.Tensors;
using Workbench.Protocols.Probe;

namespace Workbench.Protocols.Model;

/// <summary>
/// A float64 reference forward pass of a pre-norm decoder (llama2.c-style or GPT-2-style, see
/// <see cref="TransformerWeights"/>), instrumented for the protocols: temperature,
/// masks, residual perturbations and head-parameter deltas are applied inside the pass, and scores, patterns,
/// logits (and optionally Q, K, V, normalized inputs, head outputs) come back. No KV cache: protocols run whole
/// prompts, and recomputing keeps every variant of the pass on one code path.
/// </summary>
public sealed partial class Transformer : IAttentionModelProbe, ILogLikelihoodGradientProbe
{
    private readonly TransformerWeights _w;
    private readonly double[] _cos, _sin;

    public Transformer(TransformerWeights weights, string name = "model")
    {
        weights.Validate();
        _w = weights;
        Name = name;
        Shape = new ModelShape(weights.Layers, weights.Heads, weights.KvHeads, weights.DModel, weights.DHead, weights.Vocab, weights.ContextLength);
        var half = weights.DHead / 2;
        _cos = new double[weights.ContextLength * Math.Max(1, half)];
        _sin = new double[_cos.Length];
        for (var p = 0; p < weights.ContextLength; p++)
            for (var i = 0; i < half; i++)
            {
                var freq = 1.0 / Math.Pow(weights.RopeBase, 2.0 * i / weights.DHead);
                _cos[p * half + i] = Math.Cos(p * freq);
                _sin[p * half + i] = Math.Sin(p * freq);
            }
    }

    public string Name { get; }
    public ModelShape Shape { get; }
    public TransformerWeights Weights => _w;

    public ProbeRun Run(IReadOnlyList<int> tokens, ProbeOptions options)
    {
        var w = _w;
        int T = tokens.Count, D = w.DModel, dh = w.DHead, kvd = w.KvDim, H = w.Heads;
        if (T == 0) throw new ArgumentException("a forward pass needs at least one token");
        if (T > w.ContextLength) throw new ArgumentException($"{T} tokens exceed the context length {w.ContextLength}");
        if (!(options.Temperature > 0) || double.IsInfinity(options.Temperature)) throw new ArgumentException($"temperature must be finite and > 0, got {options.Temperature}");
        var x = new double[T * D];
        for (var t = 0; t < T; t++)
        {
            var tok = tokens[t];
            if ((uint)tok >= (uint)w.Vocab) throw new ArgumentException($"token {tok} at position {t} is outside the vocabulary (size {w.Vocab})");
            Array.Copy(w.Embedding, tok * D, x, t * D, D);
        }
        AddPositions(x, T);
        var scores = new double[w.Layers][][];
        var weights = new double[w.Layers][][];
        var internals = options.CaptureInternals ? new LayerInternals[w.Layers] : null;
        var xn = new double[T * D];
        var inv = 1.0 / Math.Sqrt(dh);

        for (var l = 0; l < w.Layers; l++)
        {
            var L = w.Layer[l];
            if (options.Perturbation is { } p && p.Layer == l)
                for (var c = 0; c < D; c++) x[p.Position * D + c] += p.Delta[c];
            var residPre = options.CaptureInternals ? (double[])x.Clone() : null;
            ApplyNorm(x, L.RmsAtt, L.AttNormBias, xn, T);
            var wq = L.Wq; var wk = L.Wk;
            if (options.ParameterDelta is { } pd && pd.Layer == l)
            {
                wq = (double[])wq.Clone(); wk = (double[])wk.Clone();
                var kvh = w.KvHeadOf(pd.Head);
                for (var a = 0; a < dh * D; a++)
                {
                    wq[pd.Head * dh * D + a] += pd.Delta[a];
                    wk[kvh * dh * D + a] += pd.Delta[dh * D + a];
                }
            }
            var q = Affine(xn, wq, L.Bq, T, D, D);
            var k = Affine(xn, wk, L.Bk, T, D, kvd);
            var v = Affine(xn, L.Wv, L.Bv, T, D, kvd);
            if (w.Rope) { Rotate(q, T, D); Rotate(k, T, kvd); }

            var tau = options.TemperatureLayer is null || options.TemperatureLayer == l ? options.Temperature : 1.0;
            var heads = new double[T * D];
            scores[l] = new double[H][];
            weights[l] = new double[H][];
            for (var h = 0; h < H; h++)
            {
                var g = w.KvHeadOf(h);
                var s = new double[T * T];
                var a = new double[T * T];
                for (var i = 0; i < T; i++)
                {
                    var max = double.NegativeInfinity;
                    for (var j = 0; j < T; j++)
                    {
                        if (!options.Mask.Allows(i, j)) { s[i * T + j] = double.NaN; continue; }
                        var dot = 0.0;
                        for (var c = 0; c < dh; c++) dot += q[i * D + h * dh + c] * k[j * kvd + g * dh + c];
                        s[i * T + j] = dot * inv;
                        max = Math.Max(max, dot * inv / tau);
                    }
                    var sum = 0.0;
                    for (var j = 0; j < T; j++)
                    {
                        if (double.IsNaN(s[i * T + j])) continue;
                        var e = Math.Exp(s[i * T + j] / tau - max);
                        a[i * T + j] = e; sum += e;
                    }
                    for (var j = 0; j < T; j++)
                    {
                        a[i * T + j] /= sum;
                        var aij = a[i * T + j];
                        if (aij == 0) continue;
                        for (var c = 0; c < dh; c++) heads[i * D + h * dh + c] += aij * v[j * kvd + g * dh + c];
                    }
                }
                scores[l][h] = s; weights[l][h] = a;
            }
            var attnOut = Affine(heads, L.Wo, L.Bo, T, D, D);
            for (var e = 0; e < x.Length; e++) x[e] += attnOut[e];
            if (internals is not null)
                internals[l] = new LayerInternals { ResidPre = residPre!, Normed = (double[])xn.Clone(), Q = q, K = k, V = v, HeadOutputs = heads };
            if (options.StopAfterLayer == l)
                return new ProbeRun { Tokens = tokens.ToArray(), Mask = options.Mask, Scores = scores[..(l + 1)], Weights = weights[..(l + 1)], Logits = [], Vocab = w.Vocab, Internals = internals };
            if (w.Mlp != MlpKind.None)
            {
                ApplyNorm(x, L.RmsFfn, L.FfnNormBias, xn, T);
                var hid = Affine(xn, L.W1, L.B1, T, D, w.DHidden);
                if (internals is not null) internals[l].MlpPre = (double[])hid.Clone();
                var gate = w.Mlp == MlpKind.SwiGlu ? MatMulRows(xn, L.W3, T, D, w.DHidden) : null;
                for (var e = 0; e < hid.Length; e++) hid[e] = Activation(hid[e], gate?[e] ?? 0);
                var mlpOut = Affine(hid, L.W2, L.B2, T, w.DHidden, D);
                for (var e = 0; e < x.Length; e++) x[e] += mlpOut[e];
            }
        }
        ApplyNorm(x, w.RmsFinal, w.FinalNormBias, xn, T);
        var logits = MatMulRows(xn, w.Classifier, T, D, w.Vocab);
        return new ProbeRun { Tokens = tokens.ToArray(), Mask = options.Mask, Scores = scores, Weights = weights, Logits = logits, Vocab = w.Vocab, Internals = internals };
    }

    public double[] ScoreParameterGradient(ProbeRun run, int layer, int head, int row, int key)
    {
        var it = run.Internals?[layer] ?? throw new ArgumentException("the run must capture internals (ProbeOptions.CaptureInternals)");
        int D = _w.DModel, dh = _w.DHead, kvd = _w.KvDim, g = _w.KvHeadOf(head);
        var inv = 1.0 / Math.Sqrt(dh);
        // q_i = R_i (W_Q x̃_i + b_Q) and k_j = R_j (W_K x̃_j + b_K) (R = I without RoPE, b = 0 without biases), so ∂S_ij/∂W_Q[a,b] = (R_iᵀ k_j)_a x̃_i[b] / √d and symmetrically for W_K.
        var kj = it.K.AsSpan(key * kvd + g * dh, dh).ToArray();
        var qi = it.Q.AsSpan(row * D + head * dh, dh).ToArray();
        if (_w.Rope) { RotateVector(kj, row, inverse: true); RotateVector(qi, key, inverse: true); }
        var grad = new double[2 * dh * D];
        for (var a = 0; a < dh; a++)
            for (var b = 0; b < D; b++)
            {
                grad[a * D + b] = kj[a] * it.Normed[row * D + b] * inv;
                grad[dh * D + a * D + b] = qi[a] * it.Normed[key * D + b] * inv;
            }
        return grad;
    }

    /// <summary>The head's current θ = (W_Q rows, W_K rows of its key head), laid out as in <see cref="HeadParameterDelta"/>.</summary>
    public double[] HeadParameters(int layer, int head)
    {
        int D = _w.DModel, dh = _w.DHead;
        var theta = new double[2 * dh * D];
        Array.Copy(_w.Layer[layer].Wq, head * dh * D, theta, 0, dh * D);
        Array.Copy(_w.Layer[layer].Wk, _w.KvHeadOf(head) * dh * D, theta, dh * D, dh * D);
        return theta;
    }

    /// <summary>
    /// RMSNorm g ⊙ x·r, r = 1/√(mean x² + ε), or LayerNorm g ⊙ (x − μ)·r + b, r = 1/√(var x + ε); the identity when
    /// the model does not normalize. Returns each row's mean (0 for RMSNorm) and r, which the backward pass needs.
    /// </summary>
    private (double[] Mean, double[] Inv) ApplyNorm(double[] x, double[] gain, double[] bias, double[] output, int T)
    {
        var D = _w.DModel;
        var mean = new double[T];
        var inv = new double[T];
        var layer = _w.Norm == NormKind.Layer;
        for (var t = 0; t < T; t++)
        {
            if (!_w.Normalize) { Array.Copy(x, t * D, output, t * D, D); continue; }
            var mu = 0.0;
            if (layer) { for (var c = 0; c < D; c++) mu += x[t * D + c]; mu /= D; }
            var ss = 0.0;
            for (var c = 0; c < D; c++) ss += (x[t * D + c] - mu) * (x[t * D + c] - mu);
            var r = 1.0 / Math.Sqrt(ss / D + _w.NormEps);
            mean[t] = mu; inv[t] = r;
            for (var c = 0; c < D; c++) output[t * D + c] = (x[t * D + c] - mu) * r * gain[c] + (layer ? bias[c] : 0);
        }
        return (mean, inv);
    }

    /// <summary>Learned absolute positions (GPT-2) enter once, added to the token embedding; RoPE models have none.</summary>
    private void AddPositions(double[] x, int T)
    {
        if (_w.PositionEmbedding.Length == 0) return;
        TensorPrimitives.Add(x.AsSpan(0, T * _w.DModel), _w.PositionEmbedding.AsSpan(0, T * _w.DModel), x.AsSpan(0, T * _w.DModel));
    }

    /// <summary>The MLP nonlinearity at one hidden unit: ReLU(a), SiLU(a)·gate (SwiGLU) or GELU(a), tanh approximation as GPT-2.</summary>
    private double Activation(double a, double gate) => _w.Mlp switch
    {
        MlpKind.SwiGlu => a / (1 + Math.Exp(-a)) * gate,
        MlpKind.Gelu => 0.5 * a * (1 + Math.Tanh(GeluC * (a + 0.044715 * a * a * a))),
        _ => Math.Max(0, a),
    };

    private static readonly double GeluC = Math.Sqrt(2 / Math.PI);

    /// <summary>Rows of x times Wᵀ plus b (no bias when b is empty).</summary>
    private static double[] Affine(double[] x, double[] w, double[] b, int T, int inDim, int outDim)
    {
        var y = MatMulRows(x, w, T, inDim, outDim);
        if (b.Length != 0)
            for (var t = 0; t < T; t++) TensorPrimitives.Add(y.AsSpan(t * outDim, outDim), b, y.AsSpan(t * outDim, outDim));
        return y;
    }

    /// <summary>Rows of x [T × inDim] times Wᵀ with W stored (out, in).</summary>
    private static double[] MatMulRows(double[] x, double[] w, int T, int inDim, int outDim)
    {
        var y = new double[T * outDim];
        for (var t = 0; t < T; t++)
        {
            var xr = x.AsSpan(t * inDim, inDim);
            for (var o = 0; o < outDim; o++) y[t * outDim + o] = TensorPrimitives.Dot(xr, w.AsSpan(o * inDim, inDim));
        }
        return y;
    }

    private void Rotate(double[] m, int T, int width, bool inverse = false)
    {
        var dh = _w.DHead;
        var tmp = new double[dh];
        for (var t = 0; t < T; t++)
            for (var h0 = 0; h0 < width; h0 += dh)
            {
                Array.Copy(m, t * width + h0, tmp, 0, dh);
                RotateVector(tmp, t, inverse);
                Array.Copy(tmp, 0, m, t * width + h0, dh);
            }
    }

    /// <summary>RoPE on adjacent pairs (llama2.c's convention); the inverse is the transpose.</summary>
    private void RotateVector(double[] v, int position, bool inverse)
    {
        var half = _w.DHead / 2;
        for (var i = 0; i < half; i++)
        {
            var c = _cos[position * half + i];
            var s = inverse ? -_sin[position * half + i] : _sin[position * half + i];
            var a = v[2 * i]; var b = v[2 * i + 1];
            v[2 * i] = a * c - b * s;
            v[2 * i + 1] = a * s + b * c;
        }
    }
}
