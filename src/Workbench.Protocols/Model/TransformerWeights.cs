namespace Workbench.Protocols.Model;

public enum MlpKind { None, Relu, SwiGlu }

/// <summary>
/// Shape and weights of a llama2.c-style decoder (RMSNorm, optional RoPE, grouped-query attention, ReLU or SwiGLU
/// MLP, no biases, tied or untied classifier), float64. Matrices are row-major (out, in) as llama2.c stores them.
/// Used for planted-structure models the tests construct and for the trained checkpoint the protocols study.
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

    public required double[] Embedding { get; init; }          // [Vocab × D]
    public required double[] Classifier { get; init; }         // [Vocab × D] (the embedding when tied)
    public required double[] RmsFinal { get; init; }           // [D]
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
        Need(Embedding.Length == Vocab * DModel, "token embedding size");
        Need(Classifier.Length == Vocab * DModel, "classifier size");
        Need(RmsFinal.Length == DModel, "final norm size");
        Need(Layer.Length == Layers, "layer count");
        foreach (var l in Layer)
        {
            Need(l.Wq.Length == DModel * DModel && l.Wo.Length == DModel * DModel, "W_Q / W_O size");
            Need(l.Wk.Length == KvDim * DModel && l.Wv.Length == KvDim * DModel, "W_K / W_V size");
            Need(l.RmsAtt.Length == DModel && l.RmsFfn.Length == DModel, "norm size");
            if (Mlp != MlpKind.None)
            {
                Need(l.W1.Length == DHidden * DModel && l.W2.Length == DModel * DHidden, "MLP size");
                Need(Mlp != MlpKind.SwiGlu || l.W3.Length == DHidden * DModel, "SwiGLU gate size");
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

    public LayerWeights Clone() => new()
    {
        RmsAtt = (double[])RmsAtt.Clone(), Wq = (double[])Wq.Clone(), Wk = (double[])Wk.Clone(), Wv = (double[])Wv.Clone(),
        Wo = (double[])Wo.Clone(), RmsFfn = (double[])RmsFfn.Clone(), W1 = (double[])W1.Clone(), W2 = (double[])W2.Clone(), W3 = (double[])W3.Clone(),
    };
}
