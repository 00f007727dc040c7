using System.Numerics;
using Workbench.Attention;

namespace Workbench.Claims.Stratification;

/// <summary>
/// Which argmax patterns attention can realise at all. With d_h = 1, S_ij = q_i k_j, so row i's winner is the
/// largest key when q_i &gt; 0 and the smallest when q_i &lt; 0: a reachable pattern takes at most two values, and
/// there are exactly n + C(n,2)(2^n − 2) of them. With d_h ≥ 2 keys on a circle are all exposed vertices of their
/// convex hull and each query can point at any of them, so all n^n maps are realised.
/// </summary>
internal static class Reachability
{
    public static BigInteger AllMaps(int n) => BigInteger.Pow(n, n);

    /// <summary>Counts {0..n−1}^{0..n−1} by walking it (an odometer), not by the formula.</summary>
    public static long EnumerateMaps(int n)
    {
        var sigma = new int[n];
        long count = 0;
        while (true)
        {
            count++;
            var i = 0;
            while (i < n && ++sigma[i] == n) sigma[i++] = 0;
            if (i == n) return count;
        }
    }

    /// <summary>Maps with at most two distinct values: the patterns reachable with d_h = 1.</summary>
    public static BigInteger ScalarReachable(int n) => n + (BigInteger)n * (n - 1) / 2 * (BigInteger.Pow(2, n) - 2);

    public static bool IsScalarReachable(IReadOnlyList<int> sigma) => sigma.Distinct().Count() <= 2;

    /// <summary>Workbench.Attention's pattern code Σ_i σ(i)·n^i; the toy sizes here (n ≤ 6) keep it within a long.</summary>
    public static long Code(IReadOnlyList<int> sigma) => (long)PatternCode.Encode(sigma.ToArray(), sigma.Count);

    public static int[] Decode(long code, int n) => PatternCode.Decode(code, n);

    /// <summary>Distinct patterns of Gaussian (Q, K) at the given d_h; every sample also reports its pattern.</summary>
    public static HashSet<long> Sample(int n, int dh, long samples, Gaussian random, Action<int[]>? each = null)
    {
        var seen = new HashSet<long>();
        for (long s = 0; s < samples; s++)
        {
            var sigma = ToyHead.Pattern(random.Matrix(n, dh), random.Matrix(n, dh));
            each?.Invoke(sigma);
            seen.Add(Code(sigma));
        }
        return seen;
    }

    /// <summary>Keys on the unit circle, query i pointing at key σ(i): realises σ with d_h = 2.</summary>
    public static (double[][] Q, double[][] K) Planar(IReadOnlyList<int> sigma)
    {
        var n = sigma.Count;
        var k = Enumerable.Range(0, n).Select(j => new[] { Math.Cos(2 * Math.PI * j / n), Math.Sin(2 * Math.PI * j / n) }).ToArray();
        var q = sigma.Select(s => (double[])k[s].Clone()).ToArray();
        return (q, k);
    }

    /// <summary>How many of the n^n maps the planar construction realises with a strictly positive margin.</summary>
    public static long PlanarRealised(int n)
    {
        long realised = 0;
        for (long code = 0; code < (long)AllMaps(n); code++)
        {
            var sigma = Decode(code, n);
            var (q, k) = Planar(sigma);
            if (ToyHead.Pattern(q, k).SequenceEqual(sigma) && ToyHead.MinMargin(q, k) > 0) realised++;
        }
        return realised;
    }
}
