using System.Numerics;

namespace Workbench.Attention;

/// <summary>
/// The pattern sets Σ_n = {0..n−1}^n and Σ_n^M = {σ : M admits (i, σ(i)) for all i}. Since rows choose
/// independently, |Σ_n^M| = Π_i n_i with n_i the admissible keys of row i (n^n unmasked, n! causal).
/// </summary>
public static class PatternSets
{
    /// <summary>Enumeration refuses sets larger than this rather than running for hours.</summary>
    public const long EnumerationLimit = 5_000_000;

    public static BigInteger Count(int n, AttentionMask mask)
    {
        mask.Validate(n);
        BigInteger count = BigInteger.One;
        for (int i = 0; i < n; i++) count *= mask.AdmissibleCount(i, n);
        return count;
    }

    /// <summary>Every σ ∈ Σ_n^M in increasing code order (row 0 varies fastest).</summary>
    public static IEnumerable<int[]> Enumerate(int n, AttentionMask mask)
    {
        var total = Count(n, mask);
        if (total > EnumerationLimit)
            throw new AttentionInputException($"n = {n}, mask {mask.Spec}", $"Σ_n^M has {total} patterns, more than the enumeration limit {EnumerationLimit}");
        return EnumerateChecked(n, mask);
    }

    private static IEnumerable<int[]> EnumerateChecked(int n, AttentionMask mask)
    {
        var keys = new int[n][];
        for (int i = 0; i < n; i++)
        {
            keys[i] = Enumerable.Range(0, n).Where(j => mask.Admits(i, j, n)).ToArray();
            if (keys[i].Length == 0) yield break;
        }
        var digit = new int[n];
        while (true)
        {
            var sigma = new int[n];
            for (int i = 0; i < n; i++) sigma[i] = keys[i][digit[i]];
            yield return sigma;
            int r = 0;
            while (r < n && ++digit[r] == keys[r].Length) { digit[r] = 0; r++; }
            if (r == n) yield break;
        }
    }

    /// <summary>The empirical distribution π(σ): pattern code → count, in increasing code order.</summary>
    public static SortedDictionary<BigInteger, long> Histogram(IEnumerable<int[]> patterns, int n)
    {
        var histogram = new SortedDictionary<BigInteger, long>();
        foreach (var sigma in patterns)
        {
            var code = PatternCode.Encode(sigma, n);
            histogram[code] = histogram.TryGetValue(code, out var c) ? c + 1 : 1;
        }
        return histogram;
    }

    /// <summary>Histogram of the per-head patterns of a strata result (one count per head).</summary>
    public static SortedDictionary<BigInteger, long> Histogram(StrataResult result)
    {
        var s = result.Shape;
        return Histogram(Enumerable.Range(0, s.HeadCount).Select(h => result.Pattern.AsSpan(h * s.N, s.N).ToArray()), s.N);
    }
}
