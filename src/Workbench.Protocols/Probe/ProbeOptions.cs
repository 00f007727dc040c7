namespace Workbench.Protocols.Probe;

/// <summary>Which keys a query may attend to. Window w keeps keys i-w+1..i; None lets every row see every key.</summary>
public readonly record struct AttentionMask(MaskKind Kind, int Window = 0)
{
    public static AttentionMask Causal => new(MaskKind.Causal);
    public static AttentionMask Unmasked => new(MaskKind.None);
    public static AttentionMask Sliding(int window) => window >= 1
        ? new(MaskKind.Window, window)
        : throw new ArgumentOutOfRangeException(nameof(window), "a window mask needs w >= 1");

    public bool Allows(int row, int key) => Kind switch
    {
        MaskKind.Causal => key <= row,
        MaskKind.Window => key <= row && key > row - Window,
        _ => true,
    };

    public override string ToString() => Kind switch { MaskKind.Window => $"window-{Window}", MaskKind.None => "none", _ => "causal" };
}

public enum MaskKind { Causal, Window, None }

/// <summary>An additive change of the residual stream entering one layer at one position (the §15.2 perturbation).</summary>
public sealed record ResidualPerturbation(int Layer, int Position, double[] Delta);

/// <summary>
/// An additive change θ → θ + Δ of one head's query/key parameters: Δ is laid out as the head's W_Q rows
/// (d_head × d_model) followed by its key head's W_K rows (d_head × d_model). Under grouped-query attention the
/// W_K rows are shared with the other query heads of the same key/value head, so they change those too.
/// </summary>
public sealed record HeadParameterDelta(int Layer, int Head, double[] Delta);

/// <summary>
/// How one forward pass deviates from the trained model. Temperature τ divides every score before the softmax
/// (τ = 1 is the model as trained); <see cref="TemperatureLayer"/> restricts it to one layer when set.
/// </summary>
public sealed record ProbeOptions
{
    public double Temperature { get; init; } = 1.0;
    public int? TemperatureLayer { get; init; }
    public AttentionMask Mask { get; init; } = AttentionMask.Causal;
    public ResidualPerturbation? Perturbation { get; init; }
    public HeadParameterDelta? ParameterDelta { get; init; }
    /// <summary>Keep per-layer Q, K, V, normalized inputs and head outputs (costs memory; the score-gradient and §13.1 need them).</summary>
    public bool CaptureInternals { get; init; }
    /// <summary>Stop after this layer's attention (no later layers, no logits): enough for score gradients, and cheaper.</summary>
    public int? StopAfterLayer { get; init; }

    public static ProbeOptions Default { get; } = new();
}
