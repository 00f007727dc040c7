using Workbench.Claims.Stratification;

namespace Workbench.Claims.Tests;

/// <summary>The toy-size helpers the stratification checks stand on.</summary>
public class DenseTests
{
    [Fact]
    public void Masked_entries_are_exactly_zero_and_rows_sum_to_one()
    {
        var a = Dense.Softmax([5, 1, 2], 0.5, [false, true, true]);
        Assert.Equal(0.0, a[0]);
        Assert.Equal(1.0, a.Sum(), 12);
    }

    [Fact]
    public void Fully_masked_row_is_refused() =>
        Assert.Throws<ArgumentException>(() => Dense.Softmax([1, 2], 1, [false, false]));

    [Fact]
    public void Ties_go_to_the_lowest_index_with_zero_margin()
    {
        Assert.Equal(1, Dense.Argmax([0, 3, 3]));
        Assert.Equal(0.0, Dense.Margin([0, 3, 3]));
        Assert.Equal(double.PositiveInfinity, Dense.Margin([1, 9], [true, false]));
    }

    [Fact]
    public void Scores_carry_the_inverse_square_root() =>
        Assert.Equal(2 / Math.Sqrt(4), Dense.Scores([[1, 1, 1, 1]], [[0.5, 0.5, 0.5, 0.5]])[0][0], 15);

    [Fact]
    public void Pattern_codes_round_trip_row_zero_least_significant()
    {
        Assert.Equal(1 + 2 * 3, Reachability.Code([1, 2, 0]));
        Assert.Equal([1, 2, 0], Reachability.Decode(7, 3));
    }

    [Fact]
    public void Two_valued_count_matches_brute_force()
    {
        for (var n = 1; n <= 5; n++)
        {
            var brute = Enumerable.Range(0, (int)Reachability.AllMaps(n)).Count(code => Reachability.IsScalarReachable(Reachability.Decode(code, n)));
            Assert.Equal(Reachability.ScalarReachable(n), brute);
        }
    }

    [Fact]
    public void Analytic_jacobian_matches_central_differences()
    {
        var random = new Gaussian(7);
        var (q, k, v) = (random.Matrix(3, 2), random.Matrix(3, 2), random.Matrix(3, 2));
        var fd = Jacobians.Central((qq, kk) => Jacobians.SoftOutput(qq, kk, v, 0.7), q, k, 1e-6);
        Assert.True(Jacobians.MaxDifference(Jacobians.Analytic(q, k, v, 0.7), fd) < 1e-7);
    }
}
