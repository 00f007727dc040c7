using System.Numerics;
using Workbench.Attention;

namespace Workbench.Attention.Tests;

public class ReachabilityTests
{
    [Fact]
    public void Interior_key_cannot_win_any_row()
    {
        // Keys: square corners and its centre (key 4).
        double[] k = [1, 1, -1, 1, -1, -1, 1, -1, 0, 0];
        var w = Reachability.WinnableKeys(k, 5, 2, 0, AttentionMask.None);
        Assert.Equal(new[] { true, true, true, true, false }, w);
        Assert.Equal(BigInteger.Pow(4, 5), Reachability.CountForFixedKeys(k, 5, 2, AttentionMask.None));
    }

    [Fact]
    public void Interior_key_wins_when_the_mask_hides_the_keys_around_it()
    {
        double[] k = [1, 1, -1, 1, -1, -1, 1, -1, 0, 0];
        var admitted = new bool[5, 5];
        for (int i = 0; i < 5; i++) { admitted[i, 4] = true; admitted[i, 0] = true; }
        var w = Reachability.WinnableKeys(k, 5, 2, 0, AttentionMask.Arbitrary(admitted));
        Assert.True(w[4]);
    }

    [Fact]
    public void Point_on_an_edge_is_not_a_vertex()
    {
        double[] k = [0, 0, 2, 0, 1, 0, 1, 3];
        var w = Reachability.WinnableKeys(k, 4, 2, 0, AttentionMask.None);
        Assert.Equal(new[] { true, true, false, true }, w);
    }

    [Fact]
    public void Duplicate_keys_win_only_at_the_lower_index()
    {
        double[] k = [0, 2, 0, 2, -1, 2];
        var w = Reachability.WinnableKeys(k, 3, 2, 0, AttentionMask.None);
        Assert.Equal(new[] { true, false, true }, w);
    }

    [Fact]
    public void One_dimensional_keys_only_the_extremes_win()
    {
        double[] k = [0.3, -2, 5, 1];
        Assert.Equal(new[] { false, true, true, false }, Reachability.WinnableKeys(k, 4, 1, 0, AttentionMask.None));
        // Causal row 1 admits keys {0, 1}: both extreme.
        Assert.Equal(new[] { true, true, false, false }, Reachability.WinnableKeys(k, 4, 1, 1, AttentionMask.Causal));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Free_keys_in_one_dimension_match_the_closed_form(int n)
    {
        var exact = Reachability.FreeKeys(n, 1, AttentionMask.None);
        Assert.Equal(Reachability.FreeKeysUnmaskedOneDimCount(n), exact.Count);
        if (n >= 3) Assert.True(exact.Count < (int)BigInteger.Pow(n, n));
    }

    [Fact]
    public void Sampling_never_finds_an_unreachable_pattern_and_finds_them_all_for_small_n()
    {
        var exact = Reachability.FreeKeys(3, 1, AttentionMask.Causal);
        var sampled = Reachability.Sample(3, 1, AttentionMask.Causal, 4000, 5);
        Assert.Subset(exact, sampled);
        Assert.Equal(exact.Count, sampled.Count);
    }

    [Fact]
    public void Causal_one_dimensional_reachable_set_is_strictly_smaller_from_n_5()
    {
        // Rows 2, 3, 4 cannot take three distinct keys ≤ 2: each must be an extreme of the prefix k_0..k_2.
        Assert.Equal(24, Reachability.FreeKeys(4, 1, AttentionMask.Causal).Count);
        var five = Reachability.FreeKeys(5, 1, AttentionMask.Causal);
        Assert.True(five.Count < 120);
        Assert.DoesNotContain(PatternCode.Encode([0, 1, 2, 1, 0], 5), five);
        Assert.Subset(five, Reachability.Sample(5, 1, AttentionMask.Causal, 3000, 4));
    }

    [Fact]
    public void Two_or_more_dimensions_reach_every_admissible_pattern()
    {
        Assert.Equal(27, Reachability.FreeKeys(3, 2, AttentionMask.None).Count);
        Assert.Equal(27, Reachability.Sample(3, 2, AttentionMask.None, 20000, 9).Count);
    }
}
