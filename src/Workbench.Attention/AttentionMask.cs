using System.Globalization;

namespace Workbench.Attention;

/// <summary>
/// Which keys j a query i may attend to. Indices are 0-based. Window(W) admits j iff |i − j| ≤ W, so W ≥ n − 1 is no
/// mask; Causal admits j ≤ i (row i has i + 1 admissible keys); Padding admits the keys flagged true in every row.
/// </summary>
public abstract class AttentionMask
{
    public static AttentionMask None { get; } = new NoMask();
    public static AttentionMask Causal { get; } = new CausalMask();

    public static AttentionMask Window(int w) =>
        w < 0 ? throw new AttentionInputException($"window:{w}", "the window half-width W must be ≥ 0") : new WindowMask(w);

    public static AttentionMask Padding(bool[] keyAdmitted) =>
        new PaddingMask((bool[])(keyAdmitted ?? throw new ArgumentNullException(nameof(keyAdmitted))).Clone());

    public static AttentionMask Arbitrary(bool[,] admitted)
    {
        ArgumentNullException.ThrowIfNull(admitted);
        if (admitted.GetLength(0) != admitted.GetLength(1))
            throw new AttentionInputException("mask", $"an arbitrary mask must be square, got {admitted.GetLength(0)}×{admitted.GetLength(1)}");
        return new ArbitraryMask((bool[,])admitted.Clone());
    }

    /// <summary>Parses the CLI spelling: none, causal, window:W.</summary>
    public static AttentionMask Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "none") return None;
        if (t == "causal") return Causal;
        if (t.StartsWith("window:", StringComparison.Ordinal))
        {
            if (!int.TryParse(t.AsSpan(7), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var w))
                throw new AttentionInputException(text, "window:W needs an integer W");
            return Window(w);
        }
        throw new AttentionInputException(text, "unknown mask (use none, causal or window:W)");
    }

    /// <summary>Whether query i may attend to key j (both 0-based, in a sequence of length n).</summary>
    public abstract bool Admits(int i, int j, int n);

    /// <summary>The name used in summaries and on the command line.</summary>
    public abstract string Spec { get; }

    /// <summary>
    /// For masks whose admissible keys in row i form one contiguous range, that range [Lo, Hi] (inclusive);
    /// null otherwise. Fast kernels use it to skip masked keys without a lookup.
    /// </summary>
    public virtual (int Lo, int Hi)? ContiguousRange(int i, int n) => null;

    /// <summary>Refuses a mask that does not fit length n (padding or arbitrary masks of another size).</summary>
    public virtual void Validate(int n)
    {
        if (n <= 0) throw new AttentionInputException("n", $"sequence length must be ≥ 1, got {n}");
    }

    public int AdmissibleCount(int i, int n)
    {
        if (ContiguousRange(i, n) is { } r) return r.Hi - r.Lo + 1;
        int count = 0;
        for (int j = 0; j < n; j++) if (Admits(i, j, n)) count++;
        return count;
    }

    /// <summary>Throws naming the first row with no admissible key: its softmax is undefined.</summary>
    public void RequireNoEmptyRow(int n)
    {
        Validate(n);
        for (int i = 0; i < n; i++)
            if (AdmissibleCount(i, n) == 0)
                throw new AttentionInputException($"row {i}", "every key is masked, so the softmax of this row is undefined");
    }

    public override string ToString() => Spec;

    private sealed class NoMask : AttentionMask
    {
        public override bool Admits(int i, int j, int n) => true;
        public override string Spec => "none";
        public override (int Lo, int Hi)? ContiguousRange(int i, int n) => (0, n - 1);
    }

    private sealed class CausalMask : AttentionMask
    {
        public override bool Admits(int i, int j, int n) => j <= i;
        public override string Spec => "causal";
        public override (int Lo, int Hi)? ContiguousRange(int i, int n) => (0, i);
    }

    private sealed class WindowMask(int w) : AttentionMask
    {
        public int W { get; } = w;
        public override bool Admits(int i, int j, int n) => Math.Abs(i - j) <= W;
        public override string Spec => $"window:{W}";
        public override (int Lo, int Hi)? ContiguousRange(int i, int n) =>
            ((int)Math.Max(0L, (long)i - W), (int)Math.Min(n - 1L, (long)i + W));
    }

    private sealed class PaddingMask(bool[] keys) : AttentionMask
    {
        public override bool Admits(int i, int j, int n) => keys[j];
        public override string Spec => "padding";
        public override void Validate(int n)
        {
            base.Validate(n);
            if (keys.Length != n)
                throw new AttentionInputException("mask", $"padding mask has {keys.Length} keys but the sequence has {n}");
        }
    }

    private sealed class ArbitraryMask(bool[,] admitted) : AttentionMask
    {
        public override bool Admits(int i, int j, int n) => admitted[i, j];
        public override string Spec => "arbitrary";
        public override void Validate(int n)
        {
            base.Validate(n);
            if (admitted.GetLength(0) != n)
                throw new AttentionInputException("mask", $"arbitrary mask is {admitted.GetLength(0)}×{admitted.GetLength(0)} but the sequence has {n}");
        }
    }
}
