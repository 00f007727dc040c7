namespace Workbench.Protocols.Probe;

/// <summary>The sizes a protocol needs to know about a model.</summary>
public sealed record ModelShape(int Layers, int Heads, int KvHeads, int DModel, int DHead, int Vocab, int ContextLength)
{
    /// <summary>Length of one head's (W_Q, W_K) parameter vector θ.</summary>
    public int HeadParameterCount => 2 * DHead * DModel;
}

/// <summary>
/// The one thing the §15 protocols need from a transformer: run it on tokens under a changed temperature, mask,
/// residual perturbation or head parameters, and expose its scores, patterns and logits. The protocols are written
/// against this interface so that they run on planted models the tests construct and on trained checkpoints alike.
/// </summary>
public interface IAttentionModelProbe
{
    string Name { get; }
    ModelShape Shape { get; }

    ProbeRun Run(IReadOnlyList<int> tokens, ProbeOptions options);

    /// <summary>
    /// ∂S_ij/∂θ for one head, θ laid out as in <see cref="HeadParameterDelta"/>, at the point of
    /// <paramref name="run"/> (which must carry internals). S_ij is bilinear in (W_Q, W_K) for fixed layer
    /// inputs, and changing this head's θ never changes its own layer's inputs, so this is exact.
    /// </summary>
    double[] ScoreParameterGradient(ProbeRun run, int layer, int head, int row, int key);
}
