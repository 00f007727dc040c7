using System.Runtime.InteropServices;

namespace Workbench.Kernels.Sampling;

/// <summary>
/// What a run counts: the pattern histogram (joint code over heads → count), the margin histogram, exact ties and
/// near-tie counts. Everything is an integer count, so tallies of disjoint sample ranges merge exactly and in any
/// order: shards and threads give the same result as one pass. Memory is O(histogram), never O(samples).
/// </summary>
public sealed class SampleTally
{
    /// <summary>
    /// Margin bins are float32 bit patterns shifted right by 20: exponent plus 3 mantissa bits, so each bin spans a
    /// factor 2^(1/8) at most, integer-exact on every backend. +inf (rows with a single admissible key) lands in bin 2040.
    /// </summary>
    public const int MarginShift = 20;
    public const int MarginBinCount = 2048;

    public SampleTally(int epsilonCount)
    {
        NearTies = new long[epsilonCount];
    }

    public long Samples { get; private set; }
    public long ExactTies { get; private set; }
    public long[] NearTies { get; }
    public long[] MarginBins { get; } = new long[MarginBinCount];
    public Dictionary<ulong, long> Patterns { get; } = new();

    /// <summary>The sign bit is dropped: a tie of −0 and +0 scores gives a margin of −0, which is a tie like +0.</summary>
    public static int MarginBin(float margin) => (int)((BitConverter.SingleToUInt32Bits(margin) & 0x7FFFFFFFu) >> MarginShift);

    /// <summary>The lower edge of a margin bin.</summary>
    public static double MarginBinLow(int bin) => BitConverter.UInt32BitsToSingle((uint)bin << MarginShift);

    public void Add(ulong code, float margin, ReadOnlySpan<float> epsilons)
    {
        Samples++;
        CollectionsMarshal.GetValueRefOrAddDefault(Patterns, code, out _)++;
        AddMargin(margin, epsilons);
    }

    /// <summary>Counts a margin only; the caller counts the pattern through <see cref="AddPatternCount"/>.</summary>
    public void AddMargin(float margin, ReadOnlySpan<float> epsilons)
    {
        MarginBins[MarginBin(margin)]++;
        if (margin == 0f) ExactTies++;
        for (var e = 0; e < epsilons.Length; e++) if (margin <= epsilons[e]) NearTies[e]++;
    }

    /// <summary>Adds <paramref name="count"/> samples of one pattern (bulk merge from a dense per-thread histogram).</summary>
    public void AddPatternCount(ulong code, long count)
    {
        if (count == 0) return;
        Samples += count;
        CollectionsMarshal.GetValueRefOrAddDefault(Patterns, code, out _) += count;
    }

    /// <summary>Exact ties counted in bulk by a vector kernel (their margins are counted through <see cref="MarginBins"/>).</summary>
    public void AddExactTies(long count) => ExactTies += count;

    public void Merge(SampleTally other)
    {
        if (other.NearTies.Length != NearTies.Length) throw new ArgumentException("tallies with different ε lists cannot merge");
        Samples += other.Samples;
        ExactTies += other.ExactTies;
        for (var i = 0; i < NearTies.Length; i++) NearTies[i] += other.NearTies[i];
        for (var i = 0; i < MarginBinCount; i++) MarginBins[i] += other.MarginBins[i];
        foreach (var (code, count) in other.Patterns) CollectionsMarshal.GetValueRefOrAddDefault(Patterns, code, out _) += count;
    }

    /// <summary>Equal counts everywhere: the test of bit-identical runs.</summary>
    public bool SameCounts(SampleTally other) =>
        Samples == other.Samples && ExactTies == other.ExactTies
        && NearTies.AsSpan().SequenceEqual(other.NearTies) && MarginBins.AsSpan().SequenceEqual(other.MarginBins)
        && Patterns.Count == other.Patterns.Count
        && Patterns.All(p => other.Patterns.TryGetValue(p.Key, out var c) && c == p.Value);

    /// <summary>The margin bin holding the q-quantile, as [low, high) edges.</summary>
    public (double Low, double High) MarginQuantile(double q)
    {
        if (Samples == 0) return (double.NaN, double.NaN);
        var target = (long)Math.Ceiling(q * Samples);
        if (target < 1) target = 1;
        long seen = 0;
        for (var b = 0; b < MarginBinCount; b++)
        {
            seen += MarginBins[b];
            if (seen >= target) return (MarginBinLow(b), b + 1 < MarginBinCount ? MarginBinLow(b + 1) : double.PositiveInfinity);
        }
        return (double.PositiveInfinity, double.PositiveInfinity);
    }
}
