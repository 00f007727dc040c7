using Workbench.Models.Gpt2;

namespace Workbench.Protocols.Model;

public sealed partial class TransformerWeights
{
    /// <summary>
    /// The float64 probe weights of a GPT-2 model read by Workbench.Models (which owns the safetensors layout and its
    /// validation): LayerNorm with bias, learned absolute positions (no RoPE), biases on Q, K, V, O and both MLP
    /// projections, GELU (tanh approximation), classifier tied to the token embedding. Hugging Face's Conv1D stores
    /// W as [in × out]; the probe stores (out, in), so each block is transposed — exact, like widening float32.
    /// </summary>
    public static TransformerWeights FromGpt2(Gpt2Weights gpt2)
    {
        ArgumentNullException.ThrowIfNull(gpt2);
        var c = gpt2.Config;
        int d = c.Dim, inner = c.Inner;
        static double[] Widen(float[] a) => Array.ConvertAll(a, x => (double)x);
        // Columns [offset, offset + outDim) of a Conv1D weight [inDim × width], as an (out, in) matrix.
        static double[] Block(float[] w, int inDim, int width, int offset, int outDim)
        {
            var m = new double[outDim * inDim];
            for (var i = 0; i < inDim; i++)
                for (var o = 0; o < outDim; o++) m[o * inDim + i] = w[i * width + offset + o];
            return m;
        }
        static double[] Slice(float[] b, int offset, int n) => Array.ConvertAll(b[offset..(offset + n)], x => (double)x);
        var embedding = Widen(gpt2.Wte);
        var weights = new TransformerWeights
        {
            DModel = d, DHidden = inner, Layers = c.Layers, Heads = c.Heads, KvHeads = c.Heads, Vocab = c.VocabSize,
            ContextLength = c.Positions, Mlp = MlpKind.Gelu, Normalize = true, Rope = false, Norm = NormKind.Layer,
            NormEps = c.LayerNormEps,
            Embedding = embedding, Classifier = embedding, PositionEmbedding = Widen(gpt2.Wpe),
            RmsFinal = Widen(gpt2.LnFG), FinalNormBias = Widen(gpt2.LnFB),
            Layer = Enumerable.Range(0, c.Layers).Select(l => new LayerWeights
            {
                RmsAtt = Widen(gpt2.Ln1G[l]), AttNormBias = Widen(gpt2.Ln1B[l]),
                // c_attn's columns are Q | K | V.
                Wq = Block(gpt2.AttnW[l], d, 3 * d, 0, d), Wk = Block(gpt2.AttnW[l], d, 3 * d, d, d), Wv = Block(gpt2.AttnW[l], d, 3 * d, 2 * d, d),
                Bq = Slice(gpt2.AttnB[l], 0, d), Bk = Slice(gpt2.AttnB[l], d, d), Bv = Slice(gpt2.AttnB[l], 2 * d, d),
                Wo = Block(gpt2.ProjW[l], d, d, 0, d), Bo = Widen(gpt2.ProjB[l]),
                RmsFfn = Widen(gpt2.Ln2G[l]), FfnNormBias = Widen(gpt2.Ln2B[l]),
                W1 = Block(gpt2.FcW[l], d, inner, 0, inner), B1 = Widen(gpt2.FcB[l]),
                W2 = Block(gpt2.FcProjW[l], inner, d, 0, d), B2 = Widen(gpt2.FcProjB[l]),
            }).ToArray(),
        };
        weights.Validate();
        return weights;
    }
}
