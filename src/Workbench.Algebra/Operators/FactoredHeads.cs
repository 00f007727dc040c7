namespace Workbench.Algebra.Operators;

/// <summary>
/// The head operators A_h = Q_h K_h^T of one layer, kept factored. Q and K are stored side by side as d × (H·r)
/// row-major matrices (head h owns columns h·r … h·r + r − 1), so every Gram block the algebra needs is a block
/// of Qᵀ Q, Kᵀ K or Kᵀ Q. A d×d operator is formed only by <see cref="Dense"/>, on request.
/// </summary>
public sealed class FactoredHeads
{
    public int D { get; }
    public int Rank { get; }
    public int Heads { get; }
    /// <summary>d × (H·r), row-major: Q[a, h·r + k] = (W^q_h)[a, k].</summary>
    public double[] Q { get; }
    /// <summary>d × (H·r), row-major: K[a, h·r + k] = (W^k_h)[a, k].</summary>
    public double[] K { get; }

    public FactoredHeads(int d, int rank, int heads, double[] q, double[] k)
    {
        if (d <= 0 || rank <= 0 || heads <= 0)
            throw new ArgumentException($"head shape must be positive: d = {d}, r = {rank}, H = {heads}");
        long n = (long)d * rank * heads;
        if (n > int.MaxValue) throw new ArgumentException($"head shape too large: d·r·H = {n}");
        if (q.Length != n || k.Length != n)
            throw new ArgumentException($"factor length mismatch: expected d·H·r = {n}, got Q {q.Length}, K {k.Length}");
        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(q[i]) || !double.IsFinite(k[i]))
                throw new ArgumentException($"non-finite weight at flat index {i} (row {i / (rank * heads)}, column {i % (rank * heads)})");
        }
        (D, Rank, Heads, Q, K) = (d, rank, heads, q, k);
    }

    public int Width => Rank * Heads;

    /// <summary>Seeded Gaussian heads with entries N(0, scale²/d), the usual initialisation of W^q, W^k.</summary>
    public static FactoredHeads Random(int d, int rank, int heads, ulong seed, double scale = 1.0)
    {
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var s = scale / Math.Sqrt(d);
        var q = new double[d * rank * heads];
        var k = new double[q.Length];
        for (var i = 0; i < q.Length; i++) q[i] = s * Gaussian(rng);
        for (var i = 0; i < k.Length; i++) k[i] = s * Gaussian(rng);
        return new FactoredHeads(d, rank, heads, q, k);
    }

    /// <summary>Builds from per-head factors wq[h], wk[h], each d × r row-major.</summary>
    public static FactoredHeads FromHeads(int d, int rank, IReadOnlyList<double[]> wq, IReadOnlyList<double[]> wk)
    {
        if (wq.Count != wk.Count || wq.Count == 0) throw new ArgumentException($"need as many key heads as query heads (got {wq.Count} and {wk.Count})");
        var h = wq.Count;
        var q = new double[d * rank * h];
        var k = new double[q.Length];
        for (var head = 0; head < h; head++)
        {
            if (wq[head].Length != d * rank || wk[head].Length != d * rank)
                throw new ArgumentException($"head {head}: factor must be d × r = {d} × {rank}");
            for (var a = 0; a < d; a++)
            for (var c = 0; c < rank; c++)
            {
                q[a * rank * h + head * rank + c] = wq[head][a * rank + c];
                k[a * rank * h + head * rank + c] = wk[head][a * rank + c];
            }
        }
        return new FactoredHeads(d, rank, h, q, k);
    }

    /// <summary>The same heads with W^q and W^k both multiplied by c (so A_h by c²).</summary>
    public FactoredHeads Scaled(double c) =>
        new(D, Rank, Heads, Q.Select(x => x * c).ToArray(), K.Select(x => x * c).ToArray());

    /// <summary>A_h as a dense d×d row-major matrix. Costs d²r; only for small checks and the dense reference.</summary>
    public double[] Dense(int head)
    {
        var a = new double[D * D];
        var w = Width;
        for (var i = 0; i < D; i++)
        for (var j = 0; j < D; j++)
        {
            double s = 0;
            for (var c = 0; c < Rank; c++) s += Q[i * w + head * Rank + c] * K[j * w + head * Rank + c];
            a[i * D + j] = s;
        }
        return a;
    }

    /// <summary>y = A_h x without forming A_h: y = Q_h (K_hᵀ x).</summary>
    public void Apply(int head, ReadOnlySpan<double> x, Span<double> y)
    {
        var w = Width;
        Span<double> t = stackalloc double[Rank];
        t.Clear();
        for (var a = 0; a < D; a++)
        for (var c = 0; c < Rank; c++) t[c] += K[a * w + head * Rank + c] * x[a];
        for (var a = 0; a < D; a++)
        {
            double s = 0;
            for (var c = 0; c < Rank; c++) s += Q[a * w + head * Rank + c] * t[c];
            y[a] = s;
        }
    }

    internal static double Gaussian(Random rng)
    {
        // Box–Muller: deterministic given the seed, independent of the runtime's own normal sampler.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
