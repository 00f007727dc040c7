using Workbench.Attention;

namespace Workbench.Attention.Tests;

public class HardAttentionTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.1)]
    [InlineData(0.01)]
    public void Deviation_from_the_hard_limit_is_within_the_bound(double tau)
    {
        const int n = 6, d = 4, dv = 3;
        for (int seed = 0; seed < 20; seed++)
        {
            var q = TestData.Normal(n * d, 100 + seed);
            var k = TestData.Normal(n * d, 200 + seed);
            var v = TestData.Normal(n * dv, 300 + seed);
            var mask = TestData.MaskFor(seed, n);
            var s = Scores.Head(q, k, n, d, mask);
            var y = Softmax.Output(Softmax.Rows(s, n, tau), v, n, dv);
            var sigma = Enumerable.Range(0, n).Select(i => RowStratum.Of(s.AsSpan(i * n, n)).Pattern).ToArray();
            var hard = HardAttention.Output(sigma, v, dv);
            var bound = HardAttention.DeviationBounds(s, v, n, dv, tau);
            for (int i = 0; i < n; i++)
            {
                double dist = Math.Sqrt(Enumerable.Range(0, dv).Sum(c => Math.Pow(y[i * dv + c] - hard[i * dv + c], 2)));
                Assert.True(dist <= bound[i] * (1 + 1e-12) + 1e-15, $"seed {seed} row {i}: {dist} > {bound[i]}");
            }
        }
    }

    [Fact]
    public void Bound_is_attained_when_all_other_keys_tie_and_share_a_value()
    {
        // Every row: key 1 wins at 1.0, the other three sit at 1.0 − m; V_1 = 0 and every other V_j = e₁.
        const double m = 0.8, tau = 0.25;
        double[] row = [1.0 - m, 1.0, 1.0 - m, 1.0 - m];
        var s = Enumerable.Repeat(row, 4).SelectMany(r => r).ToArray();
        double[] v = [1, 0, 0, 0, 1, 0, 1, 0];
        var y = Softmax.Output(Softmax.Rows(s, 4, tau), v, 4, 2);
        double dist = Math.Sqrt(y[0] * y[0] + y[1] * y[1]);
        var bound = HardAttention.DeviationBounds(s, v, 4, 2, tau)[0];
        Assert.Equal(bound, dist, 14);
        Assert.Equal(3 * Math.Exp(-m / tau) / (1 + 3 * Math.Exp(-m / tau)), dist, 14);
    }

    [Fact]
    public void Off_pattern_mass_bound_limits()
    {
        Assert.Equal(0.0, HardAttention.OffPatternMassBound(double.PositiveInfinity, 5, 1));
        Assert.Equal(0.0, HardAttention.OffPatternMassBound(0.3, 1, 1));
        Assert.Equal(0.5, HardAttention.OffPatternMassBound(0, 2, 1), 15);
        Assert.True(HardAttention.OffPatternMassBound(50, 1000, 1e-3) == 0);
        Assert.Throws<AttentionInputException>(() => HardAttention.OffPatternMassBound(-1, 2, 1));
    }
}
