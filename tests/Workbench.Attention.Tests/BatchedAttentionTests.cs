using Workbench.Attention;

namespace Workbench.Attention.Tests;

public class BatchedAttentionTests
{
    private static readonly HeadShape Shape = new(2, 3, 6, 4);

    [Fact]
    public void Each_head_of_the_batch_is_the_single_head_computation()
    {
        var q = TestData.Normal((int)Shape.Elements, 11);
        var k = TestData.Normal((int)Shape.Elements, 12);
        var v = TestData.Normal(Shape.HeadCount * 6 * 2, 13);
        var mask = AttentionMask.Causal;
        var a = BatchedAttention.Weights(q, k, Shape, mask, 0.7);
        var y = BatchedAttention.Outputs(q, k, v, 2, Shape, mask, 0.7);
        Assert.Equal(Shape.HeadCount * 36, a.Length);
        for (int head = 0; head < Shape.HeadCount; head++)
        {
            var single = Softmax.Attention(q.AsSpan(head * 24, 24), k.AsSpan(head * 24, 24), 6, 4, mask, 0.7);
            Assert.Equal(single, a.AsSpan(head * 36, 36).ToArray());
            Assert.Equal(Softmax.Output(single, v.AsSpan(head * 12, 12), 6, 2), y.AsSpan(head * 12, 12).ToArray());
        }
    }

    [Fact]
    public void Deviation_bounds_hold_for_every_row_of_the_batch()
    {
        var q = TestData.Normal((int)Shape.Elements, 21);
        var k = TestData.Normal((int)Shape.Elements, 22);
        var v = TestData.Normal(Shape.HeadCount * 6 * 3, 23);
        var y = BatchedAttention.Outputs(q, k, v, 3, Shape, AttentionMask.None, 0.3);
        var bounds = BatchedAttention.DeviationBounds(q, k, v, 3, Shape, AttentionMask.None, 0.3);
        var strata = StrataReference.Compute(q, k, Shape, AttentionMask.None);
        for (int row = 0; row < bounds.Length; row++)
        {
            int head = row / 6, sigma = strata.Pattern[row];
            double s = 0;
            for (int c = 0; c < 3; c++) { double t = y[row * 3 + c] - v[(head * 6 + sigma) * 3 + c]; s += t * t; }
            Assert.True(Math.Sqrt(s) <= bounds[row] * (1 + 1e-12) + 1e-15, $"row {row}: {Math.Sqrt(s)} > {bounds[row]}");
            Assert.True(bounds[row] > 0);
        }
    }

    [Fact]
    public void Bad_values_and_heads_are_refused()
    {
        var q = TestData.Normal((int)Shape.Elements, 1);
        var e = Assert.Throws<AttentionInputException>(() => BatchedAttention.Outputs(q, q, new double[5], 2, Shape, AttentionMask.None, 1));
        Assert.Equal("V", e.Subject);
        Assert.Throws<AttentionInputException>(() => BatchedAttention.HeadScores(q, q, Shape, AttentionMask.None, Shape.HeadCount));
        Assert.Throws<AttentionInputException>(() => BatchedAttention.Weights(q, q, Shape, AttentionMask.None, 0));
    }
}
