namespace Workbench.Models.Llama;

/// <summary>
/// A llama2.c model's float32 weights, every matrix row-major and stored (out, in) as in the file, one array per
/// layer. <see cref="Classifier"/> is the token embedding itself when the classifier is shared.
/// </summary>
public sealed class LlamaWeights
{
    public required LlamaConfig Config { get; init; }
    /// <summary>[vocab × dim].</summary>
    public required float[] TokenEmbedding { get; init; }
    /// <summary>Per layer [dim]: the RMSNorm gain before attention.</summary>
    public required float[][] RmsAtt { get; init; }
    /// <summary>Per layer [dim × dim]: q = Wq·x, query head h owns rows h·d_head … (h+1)·d_head − 1.</summary>
    public required float[][] Wq { get; init; }
    /// <summary>Per layer [kv_dim × dim].</summary>
    public required float[][] Wk { get; init; }
    /// <summary>Per layer [kv_dim × dim].</summary>
    public required float[][] Wv { get; init; }
    /// <summary>Per layer [dim × dim].</summary>
    public required float[][] Wo { get; init; }
    /// <summary>Per layer [dim]: the RMSNorm gain before the MLP.</summary>
    public required float[][] RmsFfn { get; init; }
    /// <summary>Per layer [hidden × dim]: the gate (SiLU) projection.</summary>
    public required float[][] W1 { get; init; }
    /// <summary>Per layer [dim × hidden]: the down projection.</summary>
    public required float[][] W2 { get; init; }
    /// <summary>Per layer [hidden × dim]: the up projection.</summary>
    public required float[][] W3 { get; init; }
    /// <summary>[dim].</summary>
    public required float[] RmsFinal { get; init; }
    /// <summary>[seq_len × d_head/2]: cos of the RoPE angle as the file stores it.</summary>
    public required float[] FreqCisReal { get; init; }
    /// <summary>[seq_len × d_head/2]: sin of the RoPE angle as the file stores it.</summary>
    public required float[] FreqCisImag { get; init; }
    /// <summary>[vocab × dim].</summary>
    public required float[] Classifier { get; init; }

    /// <summary>Where the weights came from (a path, or a label for in-memory models), used in messages.</summary>
    public string Source { get; init; } = "<memory>";

    /// <summary>Checks a layer index against the model, naming both in the message.</summary>
    public void CheckLayer(int layer) => ModelIndex.Require(layer, Config.Layers, "layer", Source);

    public void CheckHead(int head) => ModelIndex.Require(head, Config.Heads, "query head", Source);
}
