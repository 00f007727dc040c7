namespace Workbench.Protocols.Model;

/// <summary>The MLP's nonlinearity: none, ReLU (the note's block), SwiGLU (llama) or GELU, tanh approximation (GPT-2).</summary>
public enum MlpKind { None, Relu, SwiGlu, Gelu }

/// <summary>RMSNorm (llama: gain only) or LayerNorm (GPT-2: centred, gain and bias).</summary>
public enum NormKind { Rms, Layer }

/// <summary>
/// Shape and weights of a pre-norm decoder, float64: the llama2.c family (RMSNorm, optional RoPE, grouped-query
/// attention, ReLU or SwiGLU MLP, no biases, tied or untied classifier) and the GPT-2 family (LayerNorm with bias,
/// learned absolute positions instead of RoPE, biases on every projection, GELU MLP, tied classifier). Matrices are
/// row-major (out, in) as llama2.c stores them; a bias array left empty means the projection has none. Used for
/// planted-structure models the tests construct and for the trained checkpoints the protocols study.
/// </summary>
public sealed partial class TransformerWeights
{
    public required int DModel { get; init; }
    public required int DHidden { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int Vocab { get; init; }
    public required int ContextLength { get; init; }
    public MlpKind Mlp { get; init; } = MlpKind.SwiGlu;
    /// <summary>False turns every RMSNorm into the identity, which planted models use to make score gaps exactly linear.</summary>
    public bool Normalize { get; init; } = true;
    public bool Rope { get; init; } = true;
    public double RopeBase { get; init; } = 10000;
    public double NormEps { get; init; } = 1e-5;
    public NormKind Norm { get; init; } = NormKind.Rms;
    /// <summary>[ContextLength × D] learned absolute positions added to the token embedding (GPT-2); empty when none.</summary>
    public double[] PositionEmbedding { get; init; } = [];
    /// <summary>[D] the final LayerNorm's bias; empty for RMSNorm.</summary>
    public double[] FinalNormBias { get; init; } = [];

    public required double[] Embedding { get; init; }          // [Vocab × D]
    public required double[] Classifier { get; init; }         // [Vocab × D] (the embedding when tied)
    public required double[] RmsFinal { get; init; }           // [D] the final norm's gain (RMSNorm or LayerNorm)
    public required LayerWeights[] Layer { get; init; }

    public int DHead => DModel / Heads;
    public int KvDim => KvHeads * DHead;
    public int KvHeadOf(int head) => head / (Heads / KvHeads);

    /// <summary>Throws when the sizes do not add up, naming the tensor.</summary>
    public void Validate()
    {
        void Need(bool ok, string what) { if (!ok) throw new InvalidDataException(what); }
        Need(DModel > 0 && Layers > 0 && Heads > 0 && KvHeads > 0 && Vocab > 0 && ContextLength > 0, "every dimension must be positive");
        Need(DModel % Heads == 0, $"d_model {DModel} is not a multiple of n_heads {Heads}");
        Need(Heads % KvHeads == 0, $"n_heads {Heads} is not a multiple of n_kv_heads {KvHeads}");
        Need(!Rope || DHead % 2 == 0, $"RoPE needs an even head dimension, got {DHead}");
        Need(PositionEmbedding.Length is 0 || PositionEmbedding.Length == ContextLength * DModel, "position embedding size");
        Need(Norm == NormKind.Layer ? FinalNormBias.Length == DModel : FinalNormBias.Length == 0, "final norm bias size (LayerNorm only)");
        Need(Embedding.Length == Vocab * DModel, "token embedding size");
        Need(Classifier.Length == Vocab * DModel, "classifier size");
        Need(RmsFinal.Length == DModel, "final norm size");
        Need(Layer.Length == Layers, "layer count");
        foreach (var l in Layer)
        {
            Need(l.Wq.Length == DModel * DModel && l.Wo.Length == DModel * DModel, "W_Q / W_O size");
            Need(l.Wk.Length == KvDim * DModel && l.Wv.Length == KvDim * DModel, "W_K / W_V size");
            Need(l.RmsAtt.Length == DModel && l.RmsFfn.Length == DModel, "norm size");
            var normBias = Norm == NormKind.Layer ? DModel : 0;
            Need(l.AttNormBias.Length == normBias && l.FfnNormBias.Length == normBias, "norm bias size (LayerNorm only)");
            Need(l.Bq.Length is 0 || l.Bq.Length == DModel, "b_Q size");
            Need(l.Bk.Length is 0 || l.Bk.Length == KvDim, "b_K size");
            Need(l.Bv.Length is 0 || l.Bv.Length == KvDim, "b_V size");
            Need(l.Bo.Length is 0 || l.Bo.Length == DModel, "b_O size");
            if (Mlp != MlpKind.None)
            {
                Need(l.W1.Length == DHidden * DModel && l.W2.Length == DModel * DHidden, "MLP size");
                Need(Mlp != MlpKind.SwiGlu || l.W3.Length == DHidden * DModel, "SwiGLU gate size");
                Need((l.B1.Length is 0 || l.B1.Length == DHidden) && (l.B2.Length is 0 || l.B2.Length == DModel), "MLP bias size");
            }
        }
    }

    /// <summary>A deep copy, so parameter sweeps never alter the model they started from.</summary>
    public TransformerWeights Clone()
    {
        var embedding = (double[])Embedding.Clone();
        return new()
        {
            DModel = DModel, DHidden = DHidden, Layers = Layers, Heads = Heads, KvHeads = KvHeads, Vocab = Vocab,
            ContextLength = ContextLength, Mlp = Mlp, Normalize = Normalize, Rope = Rope, RopeBase = RopeBase, NormEps = NormEps,
            Norm = Norm, PositionEmbedding = (double[])PositionEmbedding.Clone(), FinalNormBias = (double[])FinalNormBias.Clone(),
            Embedding = embedding, Classifier = ReferenceEquals(Classifier, Embedding) ? embedding : (double[])Classifier.Clone(),
            RmsFinal = (double[])RmsFinal.Clone(), Layer = Layer.Select(l => l.Clone()).ToArray(),
        };
    }
}

public sealed class LayerWeights
{
    public required double[] RmsAtt { get; init; }
    public required double[] Wq { get; init; }
    public required double[] Wk { get; init; }
    public required double[] Wv { get; init; }
    public required double[] Wo { get; init; }
    public required double[] RmsFfn { get; init; }
    public double[] W1 { get; init; } = [];
    public double[] W2 { get; init; } = [];
    public double[] W3 { get; init; } = [];
    // Biases and LayerNorm shifts (GPT-2); empty where the model has none.
    public double[] AttNormBias { get; init; } = [];
    public double[] FfnNormBias { get; init; } = [];
    public double[] Bq { get; init; } = [];
    public double[] Bk { get; init; } = [];
    public double[] Bv { get; init; } = [];
    public double[] Bo { get; init; } = [];
    public double[] B1 { get; init; } = [];
    public double[] B2 { get; init; } = [];

    public LayerWeights Clone() => new()
    {
        RmsAtt = (double[])RmsAtt.Clone(), Wq = (double[])Wq.Clone(), Wk = (double[])Wk.Clone(), Wv = (double[])Wv.Clone(),
        Wo = (double[])Wo.Clone(), RmsFfn = (double[])RmsFfn.Clone(), W1 = (double[])W1.Clone(), W2 = (double[])W2.Clone(), W3 = (double[])W3.Clone(),
        AttNormBias = (double[])AttNormBias.Clone(), FfnNormBias = (double[])FfnNormBias.Clone(), Bq = (double[])Bq.Clone(),
        Bk = (double[])Bk.Clone(), Bv = (double[])Bv.Clone(), Bo = (double[])Bo.Clone(), B1 = (double[])B1.Clone(), B2 = (double[])B2.Clone(),
    };
}
