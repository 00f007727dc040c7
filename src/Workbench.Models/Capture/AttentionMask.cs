namespace Workbench.Models.Capture;

/// <summary>Which keys a query may attend to. The models were trained causal; the others exist for protocol 15.5.</summary>
public enum AttentionMaskKind { Causal, Window, None }

/// <summary>Causal (keys s ≤ t), Window (t − width &lt; s ≤ t), or None (every key, future ones included).</summary>
public readonly record struct AttentionMask(AttentionMaskKind Kind, int Width = 0)
{
    public static AttentionMask Causal => new(AttentionMaskKind.Causal);
    public static AttentionMask NoMask => new(AttentionMaskKind.None);
    public static AttentionMask SlidingWindow(int width) =>
        width >= 1 ? new(AttentionMaskKind.Window, width) : throw new ModelFormatException($"window {width}", "a window mask needs width ≥ 1");

    public bool Allows(int query, int key) => Kind switch
    {
        AttentionMaskKind.Causal => key <= query,
        AttentionMaskKind.Window => key <= query && key > query - Width,
        _ => true,
    };
}
