using Workbench.Models.Capture;
using Workbench.Models.Heads;
using Workbench.Models.Llama;
using Workbench.Models.Numerics;

namespace Workbench.Models.Gpt2;

/// <summary>
/// The float64 reference forward pass of GPT-2 over whole sequences: learned positions, pre-LayerNorm blocks,
/// Conv1D projections with biases, GELU (tanh approximation), tied classifier. Hooks as for llama
/// (<see cref="HookNames"/>; hook_k and hook_v have n_heads heads, mlp.hook_pre is c_fc's output). Its weights are
/// float64 copies, so callers may move one head along a path (<see cref="SetQueryFactor"/>, <see cref="SetKeyFactor"/>)
/// without touching the checkpoint; gradients are in Gpt2Reference.Gradient.cs.
/// </summary>
public sealed partial class Gpt2Reference : IHeadGradientModel
{
    public Gpt2Config Config { get; }
    public string Source { get; }
    public int Layers => Config.Layers;
    public int Heads => Config.Heads;
    public int VocabSize => Config.VocabSize;
    readonly double[] _wte, _wpe, _lnFG, _lnFB;
    readonly double[][] _ln1G, _ln1B, _attnW, _attnB, _projW, _projB, _ln2G, _ln2B, _fcW, _fcB, _fcProjW, _fcProjB;

    public Gpt2Reference(Gpt2Weights w)
    {
        Config = w.Config;
        Source = w.Source;
        static double[][] D(float[][] a) => a.Select(Dense64.ToDouble).ToArray();
        _wte = Dense64.ToDouble(w.Wte); _wpe = Dense64.ToDouble(w.Wpe);
        _lnFG = Dense64.ToDouble(w.LnFG); _lnFB = Dense64.ToDouble(w.LnFB);
        _ln1G = D(w.Ln1G); _ln1B = D(w.Ln1B); _attnW = D(w.AttnW); _attnB = D(w.AttnB); _projW = D(w.ProjW); _projB = D(w.ProjB);
        _ln2G = D(w.Ln2G); _ln2B = D(w.Ln2B); _fcW = D(w.FcW); _fcB = D(w.FcB); _fcProjW = D(w.FcProjW); _fcProjB = D(w.FcProjB);
    }

    public void CheckTokens(int[] tokens)
    {
        if (tokens.Length == 0) throw new ModelFormatException("prompt", "is empty: at least one token is needed");
        if (tokens.Length > Config.Positions)
            throw new ModelFormatException("prompt", $"{tokens.Length} tokens is longer than the context of {Config.Positions}");
        for (var i = 0; i < tokens.Length; i++)
            if ((uint)tokens[i] >= (uint)Config.VocabSize)
                throw new ModelFormatException($"token {tokens[i]}", $"at position {i} is outside the vocabulary 0..{Config.VocabSize - 1}");
    }

    void CheckLayerHead(int layer, int head)
    {
        ModelIndex.Require(layer, Config.Layers, "layer", Source);
        ModelIndex.Require(head, Config.Heads, "head", Source);
    }

    /// <summary>
    /// W_Q^h and W_K^h as d_model × d_head factors, as <see cref="HeadOperatorSet.FromGpt2"/> orients them: c_attn's
    /// columns h·d_head… of the Q block and of the K block (the biases are not part of the factors). GPT-2 has no
    /// grouped keys, so KvHead = Head.
    /// </summary>
    public HeadFactors GetHead(int layer, int head)
    {
        CheckLayerHead(layer, head);
        int d = Config.Dim, r = Config.HeadDim;
        var q = new double[d, r];
        var k = new double[d, r];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < r; j++)
            {
                q[i, j] = _attnW[layer][i * 3 * d + head * r + j];
                k[i, j] = _attnW[layer][i * 3 * d + d + head * r + j];
            }
        return new HeadFactors(layer, head, head, q, k);
    }

    /// <summary>Replaces W_Q^h (d_model × d_head) in c_attn's Q block.</summary>
    public void SetQueryFactor(int layer, int head, double[,] wq) => SetFactor(layer, head, wq, "W_Q", 0);

    /// <summary>Replaces W_K^h (d_model × d_head) in c_attn's K block.</summary>
    public void SetKeyFactor(int layer, int head, double[,] wk) => SetFactor(layer, head, wk, "W_K", Config.Dim);

    void SetFactor(int layer, int head, double[,] m, string what, int blockOffset)
    {
        CheckLayerHead(layer, head);
        int d = Config.Dim, r = Config.HeadDim;
        if (m.GetLength(0) != d || m.GetLength(1) != r)
            throw new ModelFormatException(what, $"shape {m.GetLength(0)}×{m.GetLength(1)}, expected {d}×{r}");
        foreach (var v in m)
            if (!double.IsFinite(v)) throw new ModelFormatException(what, "holds a non-finite value");
        for (var i = 0; i < d; i++)
            for (var j = 0; j < r; j++) _attnW[layer][i * 3 * d + blockOffset + head * r + j] = m[i, j];
    }

    /// <summary>Logits [pos × vocab].</summary>
    public double[] Logits(int[] tokens, ForwardHooks? hooks = null, AttentionMask? mask = null) =>
        Run(tokens, hooks, mask ?? AttentionMask.Causal, keep: false).Logits;

    /// <summary>Σ_t log p(tokens[t+1] | tokens[0..t]) in nats.</summary>
    public double LogLikelihood(int[] tokens, ForwardHooks? hooks = null, AttentionMask? mask = null) =>
        LogLikelihood(Logits(tokens, hooks, mask), NextTokenLikelihood.Shift(tokens));

    /// <summary>Σ over positions with a target ≥ 0 of log softmax(logits[t])[target[t]].</summary>
    public double LogLikelihood(double[] logits, int[] targets) => NextTokenLikelihood.Of(logits, targets, Config.VocabSize);
}
