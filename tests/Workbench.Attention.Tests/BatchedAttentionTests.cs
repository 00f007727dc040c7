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

    [Fact]
    public void Batched_jacobians_are_the_single_head_jacobians_and_agree_with_finite_differences()
    {
        var q = TestData.Normal((int)Shape.Elements, 31);
        var k = TestData.Normal((int)Shape.Elements, 32);
        var v = TestData.Normal(Shape.HeadCount * 6 * 2, 33);
        var mask = AttentionMask.Window(2);
        const double tau = 0.8;
        var soft = BatchedAttention.SoftmaxJacobians(q, k, Shape, mask, tau);
        var norms = BatchedAttention.SoftmaxJacobianNorms(q, k, Shape, mask, tau);
        var byQ = BatchedAttention.OutputByQueries(q, k, v, 2, Shape, mask, tau);
        var byK = BatchedAttention.OutputByKeys(q, k, v, 2, Shape, mask, tau);
        var byV = BatchedAttention.OutputByValues(q, k, v, 2, Shape, mask, tau);
        Assert.Equal(Shape.HeadCount * 6 * 6 * 6, soft.Length);
        Assert.Equal(Shape.HeadCount * 12 * 24, byQ.Length);
        Assert.Equal(Shape.HeadCount * 12 * 12, byV.Length);
        for (int head = 0; head < Shape.HeadCount; head++)
        {
            double[] hq = q.AsSpan(head * 24, 24).ToArray(), hk = k.AsSpan(head * 24, 24).ToArray(), hv = v.AsSpan(head * 12, 12).ToArray();
            var scores = Scores.Head(hq, hk, 6, 4, mask);
            for (int i = 0; i < 6; i++)
            {
                var single = Jacobians.Softmax(scores.AsSpan(i * 6, 6), tau);
                for (int r = 0; r < 6; r++)
                    for (int c = 0; c < 6; c++) Assert.Equal(single[r, c], soft[((head * 6 + i) * 6 + r) * 6 + c]);
                Assert.True(norms[head * 6 + i] <= 0.5 / tau + 1e-12);
            }
            // The batched blocks are differentiated independently: central differences of the head's Y.
            var fdQ = FiniteDifference.Jacobian(x => Jacobians.Output(x, hk, hv, 6, 4, 2, mask, tau), hq);
            var fdK = FiniteDifference.Jacobian(x => Jacobians.Output(hq, x, hv, 6, 4, 2, mask, tau), hk);
            var fdV = FiniteDifference.Jacobian(x => Jacobians.Output(hq, hk, x, 6, 4, 2, mask, tau), hv);
            Assert.True(FiniteDifference.RelativeError(Block(byQ, head, 12, 24), fdQ) < 1e-7);
            Assert.True(FiniteDifference.RelativeError(Block(byK, head, 12, 24), fdK) < 1e-7);
            Assert.True(FiniteDifference.RelativeError(Block(byV, head, 12, 12), fdV) < 1e-7);
        }
    }

    [Fact]
    public void Batched_jacobians_too_large_to_hold_are_refused_with_the_shape()
    {
        var shape = new HeadShape(1, 1, 2048, 1);
        var x = new double[2048];
        var e = Assert.Throws<AttentionInputException>(() => BatchedAttention.SoftmaxJacobians(x, x, shape, AttentionMask.Causal, 1));
        Assert.Contains("[1,1,2048,1]", e.Subject);
    }

    private static double[,] Block(double[] batched, int head, int rows, int cols)
    {
        var m = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) m[r, c] = batched[(head * rows + r) * cols + c];
        return m;
    }
}
