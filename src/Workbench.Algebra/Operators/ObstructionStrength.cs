namespace Workbench.Algebra.Operators;

/// <summary>
/// The note's obstruction strength ‖½[φ_1, φ_1]_G‖_F (L §2), computed exactly as follows. φ_1(a, b) = [a, b] is the
/// commutator 2-cochain restricted to the orthonormal span basis E_1..E_n (values in M_d); for a 2-cochain
/// ½[φ, φ]_G = φ∘φ, (φ∘φ)(a, b, c) = φ(φ(a,b), c) − φ(a, φ(b,c)) = [[a,b],c] − [a,[b,c]]; its Frobenius norm is
/// the root of Σ over all n³ ordered basis triples of ‖(φ∘φ)(E_i, E_j, E_k)‖²_F. Dense: every triple. Monte Carlo
/// (the note's estimator, L §4): N triples uniform with replacement, ‖·‖² ≈ (n³/N) Σ ‖·(sample)‖², a normal
/// interval on the mean at the stated level, mapped through √ (monotone, so its coverage is unchanged).
/// </summary>
public static class ObstructionStrength
{
    public static double[][] DenseBasis(FactoredHeads heads, SpanBasis span)
    {
        var dense = Enumerable.Range(0, heads.Heads).Select(heads.Dense).ToArray();
        return Enumerable.Range(0, span.Rank).Select(k => span.Dense(dense, k)).ToArray();
    }

    public static double TripleSquared(double[][] e, int d, int i, int j, int k)
    {
        var v = DenseOps.HalfGerstenhaberSquare(e[i], e[j], e[k], d);
        return DenseOps.Inner(v, v);
    }

    /// <summary>
    /// Every triple: with C_ij = [E_i, E_j], (φ∘φ)(i,j,k) = C_ij E_k − E_k C_ij − E_i C_jk + C_jk E_i, so the n²·n
    /// products C_ij E_k and E_k C_ij are formed once (2n³ d×d products instead of 8n³).
    /// </summary>
    public static double Dense(double[][] e, int d)
    {
        var n = e.Length;
        var c = new double[n * n][];
        for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) c[i * n + j] = DenseOps.Commutator(e[i], e[j], d);
        var right = new double[n * n * n][]; // C_ij E_k
        var left = new double[n * n * n][];  // E_k C_ij
        Parallel.For(0, n * n * n, t =>
        {
            var pair = t / n; var k = t % n;
            right[t] = DenseOps.Mul(c[pair], e[k], d);
            left[t] = DenseOps.Mul(e[k], c[pair], d);
        });
        double s = 0;
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
        for (var k = 0; k < n; k++)
        {
            var a = right[(i * n + j) * n + k]; var b = left[(i * n + j) * n + k];
            var p = left[(j * n + k) * n + i]; var q = right[(j * n + k) * n + i];
            for (var x = 0; x < a.Length; x++) { var v = a[x] - b[x] - p[x] + q[x]; s += v * v; }
        }
        return Math.Sqrt(s);
    }

    private const double Z95 = 1.959963984540054;

    public sealed record Estimate(double Value, double Low, double High, long Samples, double Level);

    public static Estimate MonteCarlo(double[][] e, int d, long samples, ulong seed) =>
        MonteCarlo(e.Length, (i, j, k) => TripleSquared(e, d, i, j, k), samples, seed);

    /// <summary>The estimator over any per-triple value ‖(φ∘φ)(E_i, E_j, E_k)‖²_F on a basis of size n.</summary>
    public static Estimate MonteCarlo(int n, Func<int, int, int, double> tripleSquared, long samples, ulong seed)
    {
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), "the Monte Carlo estimator needs at least 2 samples for an interval");
        var total = (double)n * n * n;
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        double mean = 0, m2 = 0;
        for (long s = 1; s <= samples; s++)
        {
            var v = tripleSquared(rng.Next(n), rng.Next(n), rng.Next(n));
            var delta = v - mean;
            mean += delta / s;
            m2 += delta * (v - mean);
        }
        var sd = Math.Sqrt(m2 / (samples - 1));
        var half = Z95 * sd / Math.Sqrt(samples);
        return new Estimate(Math.Sqrt(total * mean), Math.Sqrt(Math.Max(0, total * (mean - half))), Math.Sqrt(total * (mean + half)), samples, 0.95);
    }
}
