namespace Workbench.Attention;

/// <summary>
/// The shape [B, H, n, d] of a batch of per-head queries or keys, stored row-major (C order): head (b, h) occupies
/// n·d consecutive entries starting at ((b·H + h)·n)·d.
/// </summary>
public readonly record struct HeadShape(int Batch, int Heads, int N, int D)
{
    /// <summary>The most entries one tensor may hold; beyond this a request is refused rather than allocated.</summary>
    public const long MaxElements = 1L << 31;

    public int HeadCount => Batch * Heads;
    public long Elements => (long)Batch * Heads * N * D;
    public long HeadStride => (long)N * D;

    /// <summary>Reads [n,d], [H,n,d] or [B,H,n,d]; anything else, or an absurd size, is refused naming <paramref name="what"/>.</summary>
    public static HeadShape FromDims(IReadOnlyList<long> dims, string what)
    {
        if (dims.Count is < 2 or > 4)
            throw new AttentionInputException(what, $"expected shape [n,d], [H,n,d] or [B,H,n,d], got {Format(dims)}");
        foreach (var x in dims)
            if (x < 1) throw new AttentionInputException(what, $"every dimension must be ≥ 1, got {Format(dims)}");
        long b = dims.Count == 4 ? dims[0] : 1, h = dims.Count >= 3 ? dims[^3] : 1, n = dims[^2], d = dims[^1];
        if (b > int.MaxValue || h > int.MaxValue || n > int.MaxValue || d > int.MaxValue
            || (double)b * h * n * d > MaxElements)
            throw new AttentionInputException(what, $"shape {Format(dims)} is larger than the {MaxElements} entries supported");
        return new HeadShape((int)b, (int)h, (int)n, (int)d);
    }

    public void Require(long length, string what)
    {
        if (Batch < 1 || Heads < 1 || N < 1 || D < 1)
            throw new AttentionInputException(what, $"shape {this} has a dimension below 1");
        if (length != Elements)
            throw new AttentionInputException(what, $"holds {length} entries but shape {this} needs {Elements}");
    }

    public override string ToString() => $"[{Batch},{Heads},{N},{D}]";

    public static string Format(IReadOnlyList<long> dims) => "[" + string.Join(",", dims) + "]";
}
