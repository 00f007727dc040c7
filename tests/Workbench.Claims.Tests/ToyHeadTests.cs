using Workbench.Attention;
using Workbench.Claims.Stratification;

namespace Workbench.Claims.Tests;

/// <summary>
/// The toy-row view the stratification checks take of Workbench.Attention: it must keep the attention conventions
/// (masks, lowest-index ties, 1/√d_h, 0-based pattern codes) and only reshape, never compute differently.
/// </summary>
public class ToyHeadTests
{
    [Fact]
    public void Masked_entries_are_exactly_zero_and_rows_sum_to_one()
    {
        double[][] q = [[1, 0], [0, 1], [1, 1]], k = [[5, 0], [1, 0], [2, 1]];
        var a = ToyHead.Weights(q, k, 0.5, AttentionMask.Padding([false, true, true]));
        Assert.All(a, row => Assert.Equal(0.0, row[0]));
        Assert.All(a, row => Assert.Equal(1.0, row.Sum(), 12));
    }

    [Fact]
    public void Fully_masked_row_is_refused_naming_the_row()
    {
        var e = Assert.Throws<AttentionInputException>(() => ToyHead.Pattern([[1.0], [2.0]], [[1.0], [1.0]], AttentionMask.Padding([false, false])));
        Assert.Contains("row 0", e.Message);
    }

    [Fact]
    public void Ties_go_to_the_lowest_index_with_zero_margin()
    {
        // Scores of row 0: (0, 3, 3)/1 — keys 1 and 2 tie on top.
        var strata = ToyHead.Strata([[1.0], [1.0], [1.0]], [[0.0], [3.0], [3.0]]);
        Assert.Equal(1, strata[0].Pattern);
        Assert.Equal(0.0, strata[0].Margin);
        Assert.Equal(double.PositiveInfinity, ToyHead.Strata([[1.0], [1.0]], [[1.0], [9.0]], AttentionMask.Causal)[0].Margin);
    }

    [Fact]
    public void Scores_carry_the_inverse_square_root_and_match_the_flat_api()
    {
        double[][] q = [[1, 1, 1, 1], [1, 2, 3, 4]], k = [[0.5, 0.5, 0.5, 0.5], [1, 0, 0, 1]];
        var rows = ToyHead.Scores(q, k);
        Assert.Equal(2 / Math.Sqrt(4), rows[0][0], 15);
        Assert.Equal(Scores.Head(ToyHead.Flat(q), ToyHead.Flat(k), 2, 4, AttentionMask.None), ToyHead.Flat(rows));
    }

    [Fact]
    public void Output_is_weights_times_values_and_hard_output_picks_the_pattern_rows()
    {
        var random = new Stratification.Gaussian(11);
        var (q, k, v) = (random.Matrix(3, 2), random.Matrix(3, 2), random.Matrix(3, 2));
        var a = ToyHead.Weights(q, k, 0.3);
        var y = ToyHead.Rows(ToyHead.Output(q, k, v, 0.3), 2);
        for (var i = 0; i < 3; i++)
            for (var c = 0; c < 2; c++)
                Assert.Equal(Enumerable.Range(0, 3).Sum(j => a[i][j] * v[j][c]), y[i][c], 12);
        var sigma = ToyHead.Pattern(q, k);
        Assert.Equal(sigma.SelectMany(s => v[s]), ToyHead.HardOutput(q, k, v));
    }

    [Fact]
    public void Mismatched_query_and_key_shapes_are_refused() =>
        Assert.Throws<ArgumentException>(() => ToyHead.Scores([[1.0, 0]], [[1.0, 0], [0, 1]]));

    [Fact]
    public void Pattern_codes_round_trip_row_zero_least_significant()
    {
        Assert.Equal(1 + 2 * 3, Stratification.Reachability.Code([1, 2, 0]));
        Assert.Equal([1, 2, 0], Stratification.Reachability.Decode(7, 3));
    }

    [Fact]
    public void Two_valued_count_matches_brute_force()
    {
        for (var n = 1; n <= 5; n++)
        {
            var brute = Enumerable.Range(0, (int)Stratification.Reachability.AllMaps(n)).Count(code => Stratification.Reachability.IsScalarReachable(Stratification.Reachability.Decode(code, n)));
            Assert.Equal(Stratification.Reachability.ScalarReachable(n), brute);
        }
    }

    [Fact]
    public void Analytic_jacobian_matches_central_differences_and_drops_tau_when_asked()
    {
        var random = new Stratification.Gaussian(7);
        var (q, k, v) = (random.Matrix(3, 2), random.Matrix(3, 2), random.Matrix(3, 2));
        var fd = OutputJacobians.Central((qq, kk) => ToyHead.Output(qq, kk, v, 0.7), q, k, 1e-6);
        var analytic = OutputJacobians.Analytic(q, k, v, 0.7);
        Assert.True(OutputJacobians.MaxDifference(analytic, fd) < 1e-7);
        var withoutTau = OutputJacobians.Analytic(q, k, v, 0.7, temperatureFactor: false);
        Assert.Equal(0.7 * analytic[2, 5], withoutTau[2, 5], 14);
        Assert.True(OutputJacobians.MaxDifference(withoutTau, fd) > 1e-3);
    }
}
