using Workbench.Models.Llama;

namespace Workbench.Protocols.Model;

public sealed partial class TransformerWeights
{
    /// <summary>
    /// The float64 probe weights of a llama2.c model read by Workbench.Models (which owns the file format and its
    /// validation): SwiGLU, RMSNorm with llama2.c's ε = 1e-5f, RoPE base 10000 on adjacent pairs. Widening float32
    /// to float64 is exact, so this Transformer and <see cref="LlamaReference"/> start from identical weights.
    /// </summary>
    public static TransformerWeights FromLlama(LlamaWeights llama)
    {
        ArgumentNullException.ThrowIfNull(llama);
        var c = llama.Config;
        static double[] Widen(float[] a) => Array.ConvertAll(a, x => (double)x);
        var embedding = Widen(llama.TokenEmbedding);
        var weights = new TransformerWeights
        {
            DModel = c.Dim, DHidden = c.HiddenDim, Layers = c.Layers, Heads = c.Heads, KvHeads = c.KvHeads, Vocab = c.VocabSize,
            ContextLength = c.SeqLen, Mlp = MlpKind.SwiGlu, Normalize = true, Rope = true, RopeBase = LlamaConfig.RopeBase,
            NormEps = LlamaConfig.RmsEps,
            Embedding = embedding,
            // A shared classifier stays one array, so Clone() keeps it shared.
            Classifier = ReferenceEquals(llama.Classifier, llama.TokenEmbedding) ? embedding : Widen(llama.Classifier),
            RmsFinal = Widen(llama.RmsFinal),
            Layer = Enumerable.Range(0, c.Layers).Select(l => new LayerWeights
            {
                RmsAtt = Widen(llama.RmsAtt[l]), Wq = Widen(llama.Wq[l]), Wk = Widen(llama.Wk[l]), Wv = Widen(llama.Wv[l]),
                Wo = Widen(llama.Wo[l]), RmsFfn = Widen(llama.RmsFfn[l]), W1 = Widen(llama.W1[l]), W2 = Widen(llama.W2[l]),
                W3 = Widen(llama.W3[l]),
            }).ToArray(),
        };
        weights.Validate();
        return weights;
    }
}
