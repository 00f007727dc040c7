using System.Numerics;

namespace Workbench.Attention;

/// <summary>
/// Which patterns occur on a set of positive measure (a non-empty open set) of queries, or of queries and keys.
/// Rows are independent: row i's winner depends only on q_i, so for fixed keys σ is reachable iff every σ(i) is a
/// winnable admissible key of row i, and the reachable set is a product. Key j wins row i on an open set of q_i iff
/// some q has q·K_j > q·K_l for every admissible K_l ≠ K_j, i.e. iff K_j is not in the convex hull of those K_l (a
/// vertex of the hull of the admissible keys), and no admissible l &lt; j duplicates K_j (the lowest-index rule).
/// </summary>
public static class Reachability
{
    /// <summary>Winnable keys of row i for fixed keys K (n×d).</summary>
    public static bool[] WinnableKeys(double[] k, int n, int d, int row, AttentionMask mask)
    {
        mask.Validate(n);
        if (k.Length != (long)n * d) throw new AttentionInputException("K", $"holds {k.Length} entries, expected n·d = {(long)n * d}");
        Scores.RequireFinite(k, "K", d);
        var admissible = Enumerable.Range(0, n).Where(j => mask.Admits(row, j, n)).ToArray();
        if (admissible.Length == 0) throw new AttentionInputException($"row {row}", "every key is masked");
        var winnable = new bool[n];
        foreach (var j in admissible)
        {
            var kj = k.AsSpan(j * d, d);
            bool duplicateBelow = false;
            var others = new List<double[]>();
            foreach (var l in admissible)
            {
                if (l == j) continue;
                var kl = k.AsSpan(l * d, d);
                if (kl.SequenceEqual(kj)) { if (l < j) duplicateBelow = true; continue; }
                others.Add(kl.ToArray());
            }
            winnable[j] = !duplicateBelow && (d == 1 ? IsStrictExtreme(kj[0], others) : !ConvexHull.Contains(kj, others));
        }
        return winnable;
    }

    /// <summary>Number of reachable patterns for fixed keys: Π_i |winnable keys of row i|.</summary>
    public static BigInteger CountForFixedKeys(double[] k, int n, int d, AttentionMask mask)
    {
        BigInteger count = BigInteger.One;
        for (int i = 0; i < n; i++) count *= WinnableKeys(k, n, d, i, mask).Count(w => w);
        return count;
    }

    /// <summary>
    /// Exact reachable patterns when queries and keys are both free. For d ≥ 2 every σ ∈ Σ_n^M is reachable (put the
    /// keys in convex position on a circle: every key is then a vertex of the hull of any subset). For d = 1 the
    /// pattern depends only on the order of the keys and the sign of each q_i (row i takes its largest admissible
    /// key if q_i &gt; 0, its smallest if q_i &lt; 0), so enumerating the n! orders × 2^n signs is exact; n ≤ 8.
    /// </summary>
    public static HashSet<BigInteger> FreeKeys(int n, int d, AttentionMask mask)
    {
        if (d < 1) throw new AttentionInputException($"d_h {d}", "must be ≥ 1");
        mask.RequireNoEmptyRow(n);
        if (d >= 2) return PatternSets.Enumerate(n, mask).Select(s => PatternCode.Encode(s, n)).ToHashSet();
        if (n > 8) throw new AttentionInputException($"n = {n}", "exact d_h = 1 enumeration is limited to n ≤ 8; use Sample");
        var admissible = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Where(j => mask.Admits(i, j, n)).ToArray()).ToArray();
        var codes = new HashSet<BigInteger>();
        var rank = Enumerable.Range(0, n).ToArray();
        var sigma = new int[n];
        do
        {
            // For this key order, row i's largest and smallest admissible key.
            var hi = new int[n];
            var lo = new int[n];
            for (int i = 0; i < n; i++)
            {
                hi[i] = lo[i] = admissible[i][0];
                foreach (var j in admissible[i])
                {
                    if (rank[j] > rank[hi[i]]) hi[i] = j;
                    if (rank[j] < rank[lo[i]]) lo[i] = j;
                }
            }
            for (int signs = 0; signs < 1 << n; signs++)
            {
                for (int i = 0; i < n; i++) sigma[i] = (signs >> i & 1) == 1 ? hi[i] : lo[i];
                codes.Add(PatternCode.Encode(sigma, n));
            }
        } while (NextPermutation(rank));
        return codes;
    }

    /// <summary>Closed form for d_h = 1, no mask: n one-key patterns plus C(n,2)(2^n − 2) two-key ones.</summary>
    public static BigInteger FreeKeysUnmaskedOneDimCount(int n) =>
        n + BigInteger.Pow(2, n) * n * (n - 1) / 2 - (BigInteger)n * (n - 1);

    /// <summary>
    /// Sampling estimate: patterns seen for Gaussian Q, K (d columns). A lower bound on the reachable set; how close
    /// it comes depends on how small the smallest reachable region is.
    /// </summary>
    public static HashSet<BigInteger> Sample(int n, int d, AttentionMask mask, int samples, int seed)
    {
        mask.RequireNoEmptyRow(n);
        var random = new Gaussian(seed);
        var codes = new HashSet<BigInteger>();
        var q = new double[n * d];
        var k = new double[n * d];
        for (int s = 0; s < samples; s++)
        {
            random.Fill(q);
            random.Fill(k);
            var scores = Scores.Head(q, k, n, d, mask);
            var sigma = new int[n];
            for (int i = 0; i < n; i++) sigma[i] = RowStratum.Of(scores.AsSpan(i * n, n), i).Pattern;
            codes.Add(PatternCode.Encode(sigma, n));
        }
        return codes;
    }

    private static bool IsStrictExtreme(double x, List<double[]> others) =>
        others.All(o => o[0] < x) || others.All(o => o[0] > x);

    private static bool NextPermutation(int[] a)
    {
        int i = a.Length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) i--;
        if (i < 0) return false;
        int j = a.Length - 1;
        while (a[j] <= a[i]) j--;
        (a[i], a[j]) = (a[j], a[i]);
        Array.Reverse(a, i + 1, a.Length - i - 1);
        return true;
    }
}
