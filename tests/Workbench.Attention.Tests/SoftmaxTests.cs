using Workbench.Attention;

namespace Workbench.Attention.Tests;

public class SoftmaxTests
{
    [Fact]
    public void Masked_entries_are_exactly_zero_and_the_rest_sum_to_one()
    {
        var a = new double[4];
        Softmax.Row([1.0, double.NegativeInfinity, 3.0, double.NegativeInfinity], a, 0.5);
        Assert.Equal(0.0, a[1]);
        Assert.Equal(0.0, a[3]);
        Assert.Equal(1.0, a[0] + a[2], 15);
        Assert.Equal(1 / (1 + Math.Exp(4)), a[0], 15);
    }

    [Fact]
    public void Huge_scores_do_not_overflow()
    {
        var a = new double[2];
        Softmax.Row([1e308, 1e308 - 1e292], a, 1e-3);
        Assert.Equal(1.0, a[0]);
        Assert.True(double.IsFinite(a[1]));
    }

    [Fact]
    public void Fully_masked_row_is_an_error_naming_the_row_not_NaN()
    {
        var e = Assert.Throws<AttentionInputException>(() =>
            Softmax.Rows([0.0, 1.0, double.NegativeInfinity, double.NegativeInfinity], 2, 1.0));
        Assert.Equal("row 1", e.Subject);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Bad_temperature_is_refused(double tau) =>
        Assert.Throws<AttentionInputException>(() => Softmax.Row([0.0], new double[1], tau));

    [Fact]
    public void NaN_in_Q_is_refused_naming_Q_and_row()
    {
        var q = new double[6]; q[4] = double.NaN;
        var e = Assert.Throws<AttentionInputException>(() => Scores.Head(q, new double[6], 3, 2, AttentionMask.None));
        Assert.Equal("Q", e.Subject);
        Assert.Contains("row 2", e.Problem);
    }

    [Fact]
    public void Scores_are_scaled_by_inverse_sqrt_d()
    {
        var s = Scores.Head([1, 2, 3, 4, 0, 0, 0, 1], [1, 0, 0, 1, 1, 1, 2, 2], 2, 4, AttentionMask.None);
        Assert.Equal((1 + 4) / 2.0, s[0], 15);
        Assert.Equal((1 + 2 + 6 + 8) / 2.0, s[1], 15);
        Assert.Equal(1 / 2.0, s[2], 15);
    }
}
