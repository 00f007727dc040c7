using Workbench.Attention;

namespace Workbench.Attention.Tests;

public class StrataFastTests
{
    /// <summary>
    /// The float32 path agrees with the float64 reference wherever the reference margin exceeds the float32 error
    /// bound: each score's error is at most γ_d Σ_c |q_c k_c|/√d with γ_d = d·u/(1 − d·u), u = 2⁻²⁴, so two scores can
    /// swap order only within twice that; margins agree to the same figure.
    /// </summary>
    [Theory]
    [InlineData(1, 2, 37, 8, 0)]
    [InlineData(2, 2, 130, 64, 1)]
    [InlineData(1, 3, 70, 16, 6)]
    [InlineData(1, 1, 65, 5, 3)]
    [InlineData(1, 1, 200, 3, 10)]
    [InlineData(1, 1, 1, 4, 0)]
    public void Float32_kernel_matches_the_float64_reference(int b, int h, int n, int d, int maskKind)
    {
        var shape = new HeadShape(b, h, n, d);
        var q = TestData.NormalSingle((int)shape.Elements, 41);
        var k = TestData.NormalSingle((int)shape.Elements, 42);
        var mask = TestData.MaskFor(maskKind, n);
        var fast = StrataFast.Compute(q, k, shape, mask, threads: 2);
        var reference = StrataReference.Compute(Array.ConvertAll(q, x => (double)x), Array.ConvertAll(k, x => (double)x), shape, mask);
        double u = Math.Pow(2, -24), gamma = (d + 2) * u / (1 - (d + 2) * u);
        int compared = 0;
        for (int head = 0; head < shape.HeadCount; head++)
            for (int i = 0; i < n; i++)
            {
                long at = (long)head * n + i;
                double absMax = 0;
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int c = 0; c < d; c++) s += Math.Abs(q[(head * n + i) * d + c] * k[(head * n + j) * d + c]);
                    absMax = Math.Max(absMax, s);
                }
                double tol = 2 * gamma * absMax / Math.Sqrt(d) + 4 * u * Math.Abs(reference.Margin[at]);
                double rm = reference.Margin[at];
                if (double.IsPositiveInfinity(rm)) { Assert.Equal(double.PositiveInfinity, fast.Margin[at]); Assert.Equal(reference.Pattern[at], fast.Pattern[at]); continue; }
                Assert.True(Math.Abs(fast.Margin[at] - rm) <= tol, $"head {head} row {i}: margin {fast.Margin[at]} vs {rm}, tol {tol}");
                if (rm > tol) { Assert.Equal(reference.Pattern[at], fast.Pattern[at]); compared++; }
            }
        Assert.True(compared >= shape.HeadCount * n * 9 / 10);
    }

    [Fact]
    public void Exact_ties_go_to_the_lowest_index_across_lanes()
    {
        // n = 40, d = 1, q = 1: keys 3 and 35 (different lanes and tiles) share the maximum.
        var k = new float[40];
        k[3] = 2; k[35] = 2; k[20] = 1;
        var q = Enumerable.Repeat(1f, 40).ToArray();
        var fast = StrataFast.Compute(q, k, new HeadShape(1, 1, 40, 1), AttentionMask.None);
        Assert.Equal(3, fast.Pattern[0]);
        Assert.Equal(0.0, fast.Margin[0]);
        Assert.Equal(40, fast.ExactTies);
    }

    [Fact]
    public void Float32_kernel_refuses_NaN_and_bad_lengths()
    {
        var q = new float[8]; q[5] = float.NaN;
        Assert.Throws<AttentionInputException>(() => StrataFast.Compute(q, new float[8], new HeadShape(1, 1, 4, 2), AttentionMask.None));
        Assert.Throws<AttentionInputException>(() => StrataFast.Compute(new float[7], new float[8], new HeadShape(1, 1, 4, 2), AttentionMask.None));
    }
}
