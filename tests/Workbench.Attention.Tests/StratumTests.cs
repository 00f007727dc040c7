using System.Numerics;
using Workbench.Attention;

namespace Workbench.Attention.Tests;

public class StratumTests
{
    [Fact]
    public void Ties_go_to_the_lowest_index_and_have_zero_margin()
    {
        var r = RowStratum.Of([1.0, 3.0, 0.5, 3.0]);
        Assert.Equal(1, r.Pattern);
        Assert.True(r.IsExactTie);
        Assert.Equal(0.0, r.Margin);
    }

    [Fact]
    public void Margin_is_top1_minus_top2_over_admissible_keys()
    {
        var r = RowStratum.Of([2.0, double.NegativeInfinity, -1.0, 1.25]);
        Assert.Equal(0, r.Pattern);
        Assert.Equal(0.75, r.Margin);
        Assert.Equal(3, r.Admissible);
        Assert.True(r.IsNearTie(0.75));
        Assert.False(r.IsNearTie(0.7));
    }

    [Fact]
    public void Single_admissible_key_has_infinite_margin()
    {
        var r = RowStratum.Of([double.NegativeInfinity, -5.0]);
        Assert.Equal(1, r.Pattern);
        Assert.Equal(double.PositiveInfinity, r.Margin);
    }

    [Fact]
    public void Pattern_code_has_row_zero_least_significant()
    {
        Assert.Equal(new BigInteger(2 + 0 * 3 + 1 * 9), PatternCode.Encode([2, 0, 1], 3));
        Assert.Equal(new[] { 2, 0, 1 }, PatternCode.Decode(11, 3));
        Assert.Throws<AttentionInputException>(() => PatternCode.Decode(27, 3));
        Assert.Throws<AttentionInputException>(() => PatternCode.Encode([3, 0, 0], 3));
    }

    [Fact]
    public void Pattern_code_round_trips_beyond_64_bits()
    {
        int n = 40;
        var sigma = Enumerable.Range(0, n).Select(i => (i * 17 + 3) % n).ToArray();
        var code = PatternCode.Encode(sigma, n);
        Assert.True(code > ulong.MaxValue);
        Assert.Equal(sigma, PatternCode.Decode(code, n));
    }

    [Fact]
    public void Pattern_set_sizes()
    {
        Assert.Equal(BigInteger.Pow(5, 5), PatternSets.Count(5, AttentionMask.None));
        Assert.Equal(new BigInteger(120), PatternSets.Count(5, AttentionMask.Causal));
        // window:1 on n = 5: rows admit 2,3,3,3,2 keys.
        Assert.Equal(new BigInteger(2 * 3 * 3 * 3 * 2), PatternSets.Count(5, AttentionMask.Window(1)));
        Assert.Equal(BigInteger.Pow(30, 30), PatternSets.Count(30, AttentionMask.None));
    }

    [Fact]
    public void Enumeration_lists_each_admissible_pattern_once_in_code_order()
    {
        var all = PatternSets.Enumerate(4, AttentionMask.Causal).Select(s => PatternCode.Encode(s, 4)).ToList();
        Assert.Equal(24, all.Count);
        Assert.Equal(all.OrderBy(c => c), all);
        Assert.Equal(24, all.Distinct().Count());
        Assert.Throws<AttentionInputException>(() => PatternSets.Enumerate(12, AttentionMask.None));
    }

    [Fact]
    public void Histogram_counts_patterns()
    {
        var h = PatternSets.Histogram([[0, 1], [0, 1], [1, 1]], 2);
        Assert.Equal(2, h[PatternCode.Encode([0, 1], 2)]);
        Assert.Equal(1, h[PatternCode.Encode([1, 1], 2)]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    public void Batched_reference_matches_per_head_scores(int maskKind)
    {
        var shape = new HeadShape(2, 3, 7, 5);
        var q = TestData.Normal((int)shape.Elements, 1);
        var k = TestData.Normal((int)shape.Elements, 2);
        var mask = TestData.MaskFor(maskKind, shape.N);
        var result = StrataReference.Compute(q, k, shape, mask);
        for (int head = 0; head < shape.HeadCount; head++)
        {
            var s = Scores.Head(q.AsSpan(head * 35, 35), k.AsSpan(head * 35, 35), 7, 5, mask);
            for (int i = 0; i < 7; i++)
            {
                var r = RowStratum.Of(s.AsSpan(i * 7, 7), i);
                Assert.Equal(r.Pattern, result.Pattern[head * 7 + i]);
                Assert.Equal(r.Margin, result.Margin[head * 7 + i]);
            }
        }
        Assert.Equal(3, result.PatternTuple(1).Length);
        Assert.Equal(PatternCode.Encode(result.PatternOf(1, 2), 7), result.PatternTuple(1)[2]);
    }

    [Fact]
    public void Shape_refuses_wrong_rank_and_absurd_sizes()
    {
        Assert.Throws<AttentionInputException>(() => HeadShape.FromDims([5], "Q"));
        Assert.Throws<AttentionInputException>(() => HeadShape.FromDims([1, 2, 3, 4, 5], "Q"));
        Assert.Throws<AttentionInputException>(() => HeadShape.FromDims([0, 4], "Q"));
        Assert.Throws<AttentionInputException>(() => HeadShape.FromDims([1L << 20, 1L << 20, 64], "Q"));
        Assert.Equal(new HeadShape(1, 3, 4, 5), HeadShape.FromDims([3, 4, 5], "Q"));
    }
}
