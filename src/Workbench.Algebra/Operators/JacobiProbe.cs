namespace Workbench.Algebra.Operators;

/// <summary>
/// The note's Jacobi expression J(E_i, E_j, E_k) = [[E_i,E_j],E_k] + [[E_j,E_k],E_i] + [[E_k,E_i],E_j] on the span
/// basis, relative to ‖E_i‖‖E_j‖‖E_k‖. It is identically zero for any associative product, so the figure is the
/// round-off of evaluating twelve triple products, nothing about the layer. Small bases: dense, every triple
/// i &lt; j &lt; k (J is alternating). Large: random probe triples, each ‖J‖_F estimated without forming d×d matrices
/// by Hutchinson's estimator E‖J x‖² = ‖J‖²_F with Gaussian x, applying the factored heads to vectors.
/// </summary>
public static class JacobiProbe
{
    public const int DenseLimitD = 128;

    public static double MaxRelative(FactoredHeads heads, SpanBasis span, ulong seed, int probeTriples = 4, int vectors = 2)
    {
        var n = span.Rank;
        if (n == 0) return 0;
        if (heads.D <= DenseLimitD) return DenseMax(heads, span);
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        double worst = 0;
        for (var t = 0; t < probeTriples; t++)
        {
            int i = rng.Next(n), j = rng.Next(n), k = rng.Next(n);
            double sq = 0;
            var x = new double[heads.D];
            for (var v = 0; v < vectors; v++)
            {
                for (var a = 0; a < x.Length; a++) x[a] = FactoredHeads.Gaussian(rng);
                var jx = ApplyJacobiator(heads, span, i, j, k, x);
                sq += jx.Sum(u => u * u);
            }
            worst = Math.Max(worst, Math.Sqrt(sq / vectors)); // E_k are Frobenius-orthonormal: the denominator is 1.
        }
        return worst;
    }

    public static double DenseMax(FactoredHeads heads, SpanBasis span)
    {
        var d = heads.D;
        var dense = Enumerable.Range(0, heads.Heads).Select(heads.Dense).ToArray();
        var e = Enumerable.Range(0, span.Rank).Select(k => span.Dense(dense, k)).ToArray();
        var norms = e.Select(DenseOps.Frobenius).ToArray();
        double worst = 0;
        for (var i = 0; i < e.Length; i++)
        for (var j = i + 1; j < e.Length; j++)
        for (var k = j + 1; k < e.Length; k++)
            worst = Math.Max(worst, DenseOps.Frobenius(DenseOps.Jacobiator(e[i], e[j], e[k], d)) / (norms[i] * norms[j] * norms[k]));
        return worst;
    }

    private static double[] ApplyJacobiator(FactoredHeads heads, SpanBasis span, int i, int j, int k, double[] x)
    {
        // Expanded as written (twelve words, signs as in the three double commutators), not simplified to 0. Each of
        // the six distinct words is evaluated once and added twice: ApplyE is deterministic, so this is bit-for-bit the
        // sum of twelve separately evaluated words, at 15 operator applications instead of 36.
        (int a, int b, int c, int s)[] words =
        [
            (i, j, k, 1), (j, i, k, -1), (k, i, j, -1), (k, j, i, 1),
            (j, k, i, 1), (k, j, i, -1), (i, j, k, -1), (i, k, j, 1),
            (k, i, j, 1), (i, k, j, -1), (j, k, i, -1), (j, i, k, 1),
        ];
        var first = new Dictionary<int, double[]>();
        var second = new Dictionary<(int, int), double[]>();
        var full = new Dictionary<(int, int, int), double[]>();
        var y = new double[x.Length];
        foreach (var (a, b, c, s) in words)
        {
            if (!full.TryGetValue((a, b, c), out var w))
            {
                if (!second.TryGetValue((b, c), out var bc))
                {
                    if (!first.TryGetValue(c, out var cx)) first[c] = cx = ApplyE(heads, span, c, x);
                    second[(b, c)] = bc = ApplyE(heads, span, b, cx);
                }
                full[(a, b, c)] = w = ApplyE(heads, span, a, bc);
            }
            for (var t = 0; t < y.Length; t++) y[t] += s * w[t];
        }
        return y;
    }

    /// <summary>
    /// y = E_k x = Q (c_k ∘ (Kᵀ x)) with c_k the head coefficients of E_k repeated over each head's r columns: two
    /// passes over contiguous rows of the d × (H·r) factors, never a d×d matrix.
    /// </summary>
    private static double[] ApplyE(FactoredHeads heads, SpanBasis span, int k, double[] x)
    {
        int d = heads.D, w = heads.Width, r = heads.Rank;
        var t = new double[w];
        for (var a = 0; a < d; a++) Axpy(x[a], heads.K.AsSpan(a * w, w), t);
        for (var h = 0; h < heads.Heads; h++)
        {
            var c = span.Coefficient(h, k);
            for (var q = 0; q < r; q++) t[h * r + q] *= c;
        }
        var y = new double[d];
        for (var a = 0; a < d; a++) y[a] = System.Numerics.Tensors.TensorPrimitives.Dot(heads.Q.AsSpan(a * w, w), t);
        return y;
    }

    private static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        if (alpha == 0) return;
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x, alpha, y, y);
    }
}
