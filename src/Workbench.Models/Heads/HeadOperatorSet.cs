using Workbench.Models.Gpt2;
using Workbench.Models.Llama;
using Workbench.Models.Safetensors;

namespace Workbench.Models.Heads;

/// <summary>
/// The head operators of a checkpoint: for each layer and query head, W_Q^h and W_K^{kv(h)} (d_model × d_head,
/// float64), with the grouped-query mapping kv(h) = h / (n_heads / n_kv_heads) and, optionally, the preceding norm's
/// gain g folded into both factors (diag(g)·W), so that A_h acts on the normalised-but-unscaled residual.
/// </summary>
public sealed class HeadOperatorSet
{
    public required string Model { get; init; }
    public required ModelFormat Format { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int DModel { get; init; }
    public required int DHead { get; init; }
    public required bool NormFolded { get; init; }
    /// <summary>True for RoPE models, where the real score also rotates q and k by position: A_h ignores that rotation.</summary>
    public required bool UsesRope { get; init; }
    /// <summary>What A_h leaves out, in words, for reports (RoPE, biases, the 1/√d_head scale, the norm's division).</summary>
    public required string Note { get; init; }
    readonly HeadFactors[][] _factors;

    HeadOperatorSet(HeadFactors[][] factors) { _factors = factors; }

    public int KvHeadOf(int head) => head / (Heads / KvHeads);

    public HeadFactors Get(int layer, int head)
    {
        ModelIndex.Require(layer, Layers, "layer", Model);
        ModelIndex.Require(head, Heads, "query head", Model);
        return _factors[layer][head];
    }

    /// <summary>All query heads of one layer, in head order.</summary>
    public IReadOnlyList<HeadFactors> Layer(int layer)
    {
        ModelIndex.Require(layer, Layers, "layer", Model);
        return _factors[layer];
    }

    public static HeadOperatorSet Load(string path, ModelFormat? format = null, bool foldNorm = false, int? gpt2Heads = null) =>
        (format ?? ModelFormats.Detect(path)) == ModelFormat.Llama2c
            ? FromLlama(Llama2cLoader.Load(path), foldNorm)
            : FromGpt2(SafetensorsFile.Open(path), foldNorm, gpt2Heads);

    /// <summary>llama2.c stores Wq as (out, in), so W_Q^h is the transpose of rows h·d_head…; likewise W_K for kv head kv(h).</summary>
    public static HeadOperatorSet FromLlama(LlamaWeights w, bool foldNorm = false)
    {
        var c = w.Config;
        int d = c.Dim, r = c.HeadDim;
        var layers = new HeadFactors[c.Layers][];
        for (var l = 0; l < c.Layers; l++)
        {
            layers[l] = new HeadFactors[c.Heads];
            for (var h = 0; h < c.Heads; h++)
            {
                var kv = c.KvHeadOf(h);
                var q = new double[d, r];
                var k = new double[d, r];
                for (var i = 0; i < d; i++)
                {
                    var g = foldNorm ? (double)w.RmsAtt[l][i] : 1.0;
                    for (var j = 0; j < r; j++)
                    {
                        q[i, j] = g * w.Wq[l][(h * r + j) * d + i];
                        k[i, j] = g * w.Wk[l][(kv * r + j) * d + i];
                    }
                }
                layers[l][h] = new HeadFactors(l, h, kv, q, k);
            }
        }
        return new HeadOperatorSet(layers)
        {
            Model = w.Source, Format = ModelFormat.Llama2c, Layers = c.Layers, Heads = c.Heads, KvHeads = c.KvHeads,
            DModel = d, DHead = r, NormFolded = foldNorm, UsesRope = true,
            Note = "A_h = W_Q^h (W_K^kv(h))^T ignores the RoPE position rotation (the true score is (R_i q)·(R_j k)/√d_head) "
                 + "and the 1/√d_head scale; " + (foldNorm ? "the RMSNorm gain is folded in (diag(g)·W), the division by rms(x) is not."
                                                           : "the RMSNorm gain and division by rms(x) are not folded in."),
        };
    }

    /// <summary>GPT-2 Conv1D: c_attn.weight is [d_model, 3·d_model], Q | K | V by columns, head h owning columns h·d_head….</summary>
    public static HeadOperatorSet FromGpt2(SafetensorsFile file, bool foldNorm = false, int? heads = null)
    {
        // Validates every tensor's shape and finds the head count without reading the weights; the factors are read
        // in float64 so that an F64 checkpoint keeps its full precision.
        var shape = Gpt2Loader.ReadConfig(file, heads);
        var prefix = file.Tensors.ContainsKey("transformer.wte.weight") ? "transformer." : "";
        int d = shape.Dim, r = shape.HeadDim;
        var layers = new HeadFactors[shape.Layers][];
        for (var l = 0; l < shape.Layers; l++)
        {
            var w = file.ReadDouble($"{prefix}h.{l}.attn.c_attn.weight");
            var g = foldNorm ? file.ReadDouble($"{prefix}h.{l}.ln_1.weight") : null;
            layers[l] = new HeadFactors[shape.Heads];
            for (var h = 0; h < shape.Heads; h++)
            {
                var q = new double[d, r];
                var k = new double[d, r];
                for (var i = 0; i < d; i++)
                {
                    var gi = g is null ? 1.0 : g[i];
                    for (var j = 0; j < r; j++)
                    {
                        q[i, j] = gi * w[i * 3 * d + h * r + j];
                        k[i, j] = gi * w[i * 3 * d + d + h * r + j];
                    }
                }
                layers[l][h] = new HeadFactors(l, h, h, q, k);
            }
        }
        return new HeadOperatorSet(layers)
        {
            Model = file.Source, Format = ModelFormat.Gpt2Safetensors, Layers = shape.Layers, Heads = shape.Heads,
            KvHeads = shape.Heads, DModel = d, DHead = r, NormFolded = foldNorm, UsesRope = false,
            Note = "A_h = W_Q^h (W_K^h)^T leaves out the c_attn biases, the LayerNorm bias and centring, and the 1/√d_head scale; "
                 + (foldNorm ? "the LayerNorm gain is folded in (diag(g)·W)." : "the LayerNorm gain is not folded in."),
        };
    }
}
