namespace Workbench.Protocols.Probe;

/// <summary>
/// A probe that can also take reverse-mode gradients of log p(y | x) with respect to one head's θ = (W_Q, W_K)
/// (laid out as in <see cref="HeadParameterDelta"/>). Optional: a protocol that finds it uses exact gradients, one
/// reverse pass per (position, label); one that does not falls back to central differences of
/// <see cref="IAttentionModelProbe.Run"/>.
/// </summary>
public interface ILogLikelihoodGradientProbe
{
    /// <summary>
    /// One causal forward pass at θ + <paramref name="baseDelta"/> (the model's θ when null), kept for reverse passes
    /// at any position and label. Temperature 1, no perturbation: the model the Fisher is taken at.
    /// </summary>
    HeadGradientPass BeginGradients(IReadOnlyList<int> tokens, int layer, int head, double[]? baseDelta = null);
}

/// <summary>A forward pass kept for reverse passes (see <see cref="ILogLikelihoodGradientProbe"/>).</summary>
public abstract class HeadGradientPass
{
    /// <summary>Logits [T × V] of the kept pass, at θ + baseDelta.</summary>
    public abstract double[] Logits { get; }

    /// <summary>∇θ log p(label | tokens[0..position]), laid out as <see cref="HeadParameterDelta"/>: one reverse pass.</summary>
    public abstract double[] Gradient(int position, int label);
}
