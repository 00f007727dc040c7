using Workbench.Models.Capture;
using Workbench.Models.Heads;
using Workbench.Models.Numerics;

namespace Workbench.Models.Llama;

/// <summary>
/// The float64 reference forward pass of the llama2.c architecture over whole sequences (no KV cache): RMSNorm
/// (eps 1e-5), RoPE (base 10000, adjacent pairs, angles computed in float64), grouped-query attention, SwiGLU.
/// It is the path the float32 fast pass is tested against, the one activations are captured from (margins and
/// ties need float64), and the one gradients are taken through. Its weights are float64 copies, so callers may
/// move one head along a path (<see cref="SetQueryFactor"/>, <see cref="SetKeyFactor"/>) without touching the checkpoint.
/// </summary>
public sealed partial class LlamaReference
{
    public LlamaConfig Config { get; }
    public string Source { get; }
    public int Layers => Config.Layers;
    public int Heads => Config.Heads;
    public int VocabSize => Config.VocabSize;
    readonly double[] _emb, _cls, _rmsFinal;
    readonly double[][] _rmsAtt, _wq, _wk, _wv, _wo, _rmsFfn, _w1, _w2, _w3;
    readonly double[] _cos, _sin;

    public LlamaReference(LlamaWeights w)
    {
        Config = w.Config;
        Source = w.Source;
        static double[][] D(float[][] a) => a.Select(Dense64.ToDouble).ToArray();
        _emb = Dense64.ToDouble(w.TokenEmbedding);
        _cls = ReferenceEquals(w.Classifier, w.TokenEmbedding) ? _emb : Dense64.ToDouble(w.Classifier);
        _rmsFinal = Dense64.ToDouble(w.RmsFinal);
        _rmsAtt = D(w.RmsAtt); _wq = D(w.Wq); _wk = D(w.Wk); _wv = D(w.Wv); _wo = D(w.Wo);
        _rmsFfn = D(w.RmsFfn); _w1 = D(w.W1); _w2 = D(w.W2); _w3 = D(w.W3);
        int half = Config.HeadDim / 2;
        _cos = new double[Config.SeqLen * half];
        _sin = new double[Config.SeqLen * half];
        for (var p = 0; p < Config.SeqLen; p++)
            for (var i = 0; i < half; i++)
            {
                var angle = p * Math.Pow(LlamaConfig.RopeBase, -2.0 * i / Config.HeadDim);
                _cos[p * half + i] = Math.Cos(angle);
                _sin[p * half + i] = Math.Sin(angle);
            }
    }

    /// <summary>W_Q^h and W_K^{kv(h)} as d_model × d_head factors (unfolded), as <see cref="HeadOperatorSet"/> orients them.</summary>
    public HeadFactors GetHead(int layer, int head)
    {
        CheckLayerHead(layer, head);
        int d = Config.Dim, r = Config.HeadDim, kv = Config.KvHeadOf(head);
        var q = new double[d, r];
        var k = new double[d, r];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < r; j++)
            {
                q[i, j] = _wq[layer][(head * r + j) * d + i];
                k[i, j] = _wk[layer][(kv * r + j) * d + i];
            }
        return new HeadFactors(layer, head, kv, q, k);
    }

    /// <summary>Replaces W_Q^h (d_model × d_head).</summary>
    public void SetQueryFactor(int layer, int head, double[,] wq)
    {
        CheckLayerHead(layer, head);
        CheckFactor(wq, "W_Q");
        int d = Config.Dim, r = Config.HeadDim;
        for (var i = 0; i < d; i++)
            for (var j = 0; j < r; j++) _wq[layer][(head * r + j) * d + i] = wq[i, j];
    }

    /// <summary>Replaces W_K of the key/value head that query head <paramref name="head"/> reads (shared under GQA).</summary>
    public void SetKeyFactor(int layer, int head, double[,] wk)
    {
        CheckLayerHead(layer, head);
        CheckFactor(wk, "W_K");
        int d = Config.Dim, r = Config.HeadDim, kv = Config.KvHeadOf(head);
        for (var i = 0; i < d; i++)
            for (var j = 0; j < r; j++) _wk[layer][(kv * r + j) * d + i] = wk[i, j];
    }

    void CheckFactor(double[,] m, string what)
    {
        if (m.GetLength(0) != Config.Dim || m.GetLength(1) != Config.HeadDim)
            throw new ModelFormatException(what, $"shape {m.GetLength(0)}×{m.GetLength(1)}, expected {Config.Dim}×{Config.HeadDim}");
        foreach (var v in m)
            if (!double.IsFinite(v)) throw new ModelFormatException(what, "holds a non-finite value");
    }

    void CheckLayerHead(int layer, int head)
    {
        ModelIndex.Require(layer, Config.Layers, "layer", Source);
        ModelIndex.Require(head, Config.Heads, "query head", Source);
    }

    public void CheckTokens(int[] tokens)
    {
        if (tokens.Length == 0) throw new ModelFormatException("prompt", "is empty: at least one token is needed");
        if (tokens.Length > Config.SeqLen)
            throw new ModelFormatException("prompt", $"{tokens.Length} tokens is longer than the context of {Config.SeqLen}");
        for (var i = 0; i < tokens.Length; i++)
            if ((uint)tokens[i] >= (uint)Config.VocabSize)
                throw new ModelFormatException($"token {tokens[i]}", $"at position {i} is outside the vocabulary 0..{Config.VocabSize - 1}");
    }

    /// <summary>Logits [pos × vocab] for every position of <paramref name="tokens"/>.</summary>
    public double[] Logits(int[] tokens, ForwardHooks? hooks = null, AttentionMask? mask = null) =>
        Run(tokens, hooks, mask ?? AttentionMask.Causal, keep: false).Logits;

    /// <summary>Σ_t log p(tokens[t+1] | tokens[0..t]) in nats.</summary>
    public double LogLikelihood(int[] tokens, ForwardHooks? hooks = null, AttentionMask? mask = null) =>
        LogLikelihood(Logits(tokens, hooks, mask), Shift(tokens));

    /// <summary>Targets for next-token prediction: targets[t] = tokens[t+1]; the last position has none (−1).</summary>
    public static int[] Shift(int[] tokens) => NextTokenLikelihood.Shift(tokens);

    /// <summary>Σ over positions with a target ≥ 0 of log softmax(logits[t])[target[t]].</summary>
    public double LogLikelihood(double[] logits, int[] targets) => NextTokenLikelihood.Of(logits, targets, Config.VocabSize);
}
