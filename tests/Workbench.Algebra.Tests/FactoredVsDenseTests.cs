using System.Runtime.Intrinsics.X86;
using Workbench.Algebra.Operators;

namespace Workbench.Algebra.Tests;

public class FactoredVsDenseTests
{
    private static double Rel(double a, double b) => Math.Abs(a - b) / Math.Max(Math.Abs(b), 1e-300);

    [Theory]
    [InlineData(12, 3, 4, 1UL)]
    [InlineData(17, 5, 3, 2UL)]
    [InlineData(32, 8, 5, 3UL)]
    [InlineData(9, 2, 6, 4UL)]
    [InlineData(40, 16, 3, 5UL)]  // r a multiple of 16 and 32: the vector paths of the r × r products
    [InlineData(70, 32, 2, 6UL)]
    public void Pairwise_quantities_match_dense_to_1e10(int d, int r, int h, ulong seed)
    {
        var heads = FactoredHeads.Random(d, r, h, seed);
        var g = HeadGeometry.Compute(heads);
        var dense = Enumerable.Range(0, h).Select(heads.Dense).ToArray();
        for (var i = 0; i < h; i++)
        for (var j = 0; j < h; j++)
        {
            Assert.True(Rel(g.Inner[i * h + j], DenseOps.Inner(dense[i], dense[j])) < 1e-10, $"inner {i},{j}");
            if (i == j) continue;
            var c = DenseOps.Commutator(dense[i], dense[j], d);
            Assert.True(Rel(g.CommutatorNorm[i * h + j], DenseOps.Frobenius(c)) < 1e-10, $"commutator {i},{j}");
            Assert.True(Rel(g.ActionTerm[i * h + j], DenseOps.Trace(DenseOps.Mul(c, c, d), d)) < 1e-10, $"action {i},{j}");
        }
    }

    [Fact]
    public void Gram_gemm_matches_naive_on_ragged_shapes()
    {
        var rng = new Random(5);
        // Remainders of every blocking level: 8 × 24 tiles, 128-row k slabs, 128 × 192 blocks of C (m, n past one
        // block and not multiples of it), on both kernel widths where the CPU has AVX-512.
        var widths = Avx512F.IsSupported ? new[] { true, false } : new[] { false };
        foreach (var (d, m, n) in new[] { (1, 1, 1), (7, 5, 30), (130, 27, 49), (257, 64, 64), (300, 203, 401), (129, 136, 192) })
        foreach (var use512 in widths)
        {
            var a = Enumerable.Range(0, d * m).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var b = Enumerable.Range(0, d * n).Select(_ => rng.NextDouble() - 0.5).ToArray();
            foreach (var (x, y, cols) in new[] { (a, b, n), (a, a, m) })
            {
                var c = GramGemm.TransposeTimes(x, y, d, m, cols, use512);
                for (var i = 0; i < m; i++)
                for (var j = 0; j < cols; j++)
                {
                    double s = 0;
                    for (var k = 0; k < d; k++) s += x[k * m + i] * y[k * cols + j];
                    Assert.True(Math.Abs(c[i * cols + j] - s) <= 1e-12 * Math.Max(1, Math.Abs(s)) + 1e-13, $"({d},{m},{cols}, 512-bit {use512}) at {i},{j}");
                }
            }
        }
    }

    [Fact]
    public void Stacked_gram_blocks_are_the_separate_products_bit_for_bit()
    {
        var rng = new Random(11);
        var widths = Avx512F.IsSupported ? new[] { true, false } : new[] { false };
        // m = 20 and 100 put the A/B boundary inside an 8- and a 24-wide panel; 300 rows cross k slabs.
        foreach (var (d, m) in new[] { (3, 1), (9, 20), (300, 100), (130, 64) })
        foreach (var use512 in widths)
        {
            var a = Enumerable.Range(0, d * m).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var b = Enumerable.Range(0, d * m).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var g = GramGemm.StackedGram(a, b, d, m, use512);
            var aa = GramGemm.TransposeTimes(a, a, d, m, m, use512);
            var bb = GramGemm.TransposeTimes(b, b, d, m, m, use512);
            var ba = GramGemm.TransposeTimes(b, a, d, m, m, use512);
            var w = 2 * m;
            for (var i = 0; i < m; i++)
            for (var j = 0; j < m; j++)
            {
                Assert.Equal(aa[i * m + j], g[i * w + j]);
                Assert.Equal(bb[i * m + j], g[(m + i) * w + m + j]);
                Assert.Equal(ba[i * m + j], g[(m + i) * w + j]);
                Assert.Equal(ba[j * m + i], g[i * w + m + j]);
            }
        }
    }

    [Fact]
    public void Layer_report_matches_dense_definitions()
    {
        int d = 20, r = 4, h = 5;
        var heads = FactoredHeads.Random(d, r, h, 11);
        var report = LayerReport.Compute(heads);
        var dense = Enumerable.Range(0, h).Select(heads.Dense).ToArray();
        double eps = 0, free = 0, action = 0;
        var pairs = 0;
        for (var i = 0; i < h; i++)
        for (var j = i + 1; j < h; j++)
        {
            var c = DenseOps.Commutator(dense[i], dense[j], d);
            eps += DenseOps.Frobenius(c) / Math.Sqrt((double)d * d);
            free += DenseOps.Frobenius(c) / (DenseOps.Frobenius(dense[i]) * DenseOps.Frobenius(dense[j]));
            action += DenseOps.Trace(DenseOps.Mul(c, c, d), d);
            pairs++;
        }
        Assert.True(Rel(report.Eps, eps / pairs) < 1e-10);
        Assert.True(Rel(report.EpsScaleFree, free / pairs) < 1e-10);
        Assert.True(Rel(report.Action, action) < 1e-10);
        Assert.Equal(h, report.Span.Rank);
    }

    [Fact]
    public void Eps_scales_as_c4_and_scale_free_eps_does_not_move()
    {
        var heads = FactoredHeads.Random(24, 4, 4, 7);
        var a = LayerReport.Compute(heads);
        var b = LayerReport.Compute(heads.Scaled(3));
        Assert.True(Rel(b.Eps, Math.Pow(3, LayerReport.EpsScalingExponent) * a.Eps) < 1e-10);
        Assert.True(Rel(b.EpsScaleFree, a.EpsScaleFree) < 1e-10);
    }

    [Fact]
    public void Span_basis_is_orthonormal_reproduces_heads_and_drops_dependent_heads()
    {
        int d = 10, r = 2;
        var baseHeads = FactoredHeads.Random(d, r, 3, 21);
        // Head 3 = head 0 (a repeated head): the span keeps 3 directions and κ stays finite.
        var q = new List<double[]>(); var k = new List<double[]>();
        for (var h = 0; h < 4; h++)
        {
            var src = h == 3 ? 0 : h;
            q.Add(Enumerable.Range(0, d * r).Select(t => baseHeads.Q[(t / r) * 6 + src * r + t % r]).ToArray());
            k.Add(Enumerable.Range(0, d * r).Select(t => baseHeads.K[(t / r) * 6 + src * r + t % r]).ToArray());
        }
        var heads = FactoredHeads.FromHeads(d, r, q, k);
        var report = LayerReport.Compute(heads);
        Assert.Equal(3, report.Span.Rank);
        Assert.True(double.IsFinite(report.Span.Kappa) && report.Span.Kappa >= 1);
        var dense = Enumerable.Range(0, 4).Select(heads.Dense).ToArray();
        var e = Enumerable.Range(0, 3).Select(t => report.Span.Dense(dense, t)).ToArray();
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 3; j++)
            Assert.True(Math.Abs(DenseOps.Inner(e[i], e[j]) - (i == j ? 1 : 0)) < 1e-10);
        foreach (var a in dense)
        {
            var residual = (double[])a.Clone();
            foreach (var ei in e)
            {
                var c = DenseOps.Inner(a, ei);
                for (var t = 0; t < residual.Length; t++) residual[t] -= c * ei[t];
            }
            Assert.True(DenseOps.Frobenius(residual) < 1e-10 * DenseOps.Frobenius(a));
        }
    }

    [Fact]
    public void Bad_shapes_and_non_finite_weights_are_refused_with_the_problem_named()
    {
        Assert.Contains("positive", Assert.Throws<ArgumentException>(() => new FactoredHeads(0, 1, 1, [], [])).Message);
        Assert.Contains("mismatch", Assert.Throws<ArgumentException>(() => new FactoredHeads(2, 1, 1, [1, 2], [1])).Message);
        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() => new FactoredHeads(2, 1, 1, [1, double.NaN], [1, 1])).Message);
    }
}
