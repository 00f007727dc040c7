using Workbench.Algebra.Operators;

namespace Workbench.Algebra.Tests;

public class ObstructionEstimatorTests
{
    [Fact]
    public void Monte_carlo_intervals_cover_the_dense_value_at_their_rate_and_shrink_as_one_over_root_n()
    {
        var heads = FactoredHeads.Random(8, 2, 5, 17);
        var span = LayerReport.Compute(heads).Span;
        var e = ObstructionStrength.DenseBasis(heads, span);
        var exact = ObstructionStrength.Dense(e, 8);
        Assert.True(exact > 0);
        // Per-triple values computed once, so 200 seeds × 1700 samples test the estimator, not the matrix products.
        var n = e.Length;
        var table = new double[n * n * n];
        for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) for (var k = 0; k < n; k++)
            table[(i * n + j) * n + k] = ObstructionStrength.TripleSquared(e, 8, i, j, k);
        double Value(int i, int j, int k) => table[(i * n + j) * n + k];
        var direct = ObstructionStrength.MonteCarlo(e, 8, 50, 99);
        var viaTable = ObstructionStrength.MonteCarlo(n, Value, 50, 99);
        Assert.Equal(direct.Value, viaTable.Value, 12);
        const int seeds = 200;
        var covered = 0;
        double width100 = 0, width1600 = 0;
        for (var s = 0; s < seeds; s++)
        {
            var est = ObstructionStrength.MonteCarlo(n, Value, 100, (ulong)s + 1);
            if (est.Low <= exact && exact <= est.High) covered++;
            width100 += est.High * est.High - est.Low * est.Low;
            var big = ObstructionStrength.MonteCarlo(n, Value, 1600, (ulong)s + 1000);
            width1600 += big.High * big.High - big.Low * big.Low;
        }
        // 95% nominal; binomial sd over 200 seeds ≈ 1.5%, and the normal interval runs a little short at N = 100.
        Assert.InRange(covered / (double)seeds, 0.88, 0.995);
        // Widths of the interval on ‖·‖² scale as 1/√N: 16× the samples, 4× narrower.
        Assert.InRange(width100 / width1600, 3.4, 4.7);
    }
}
