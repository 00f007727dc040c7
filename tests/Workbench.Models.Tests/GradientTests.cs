using Workbench.Models.Llama;

namespace Workbench.Models.Tests;

public class GradientTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 3)]
    [InlineData(2, 5)]
    public void Head_gradient_matches_central_finite_differences(int layer, int head)
    {
        var w = LlamaRandom.Create(LlamaForwardTests.Small, 31);
        var model = new LlamaReference(w);
        var tokens = LlamaForwardTests.RandomTokens(4, 12, LlamaForwardTests.Small.VocabSize);
        var g = model.Gradient(tokens, layer, head);
        Assert.Equal(model.LogLikelihood(tokens), g.LogLikelihood, 1e-10);
        var f = model.GetHead(layer, head);
        var rng = new Random(layer * 10 + head);
        const double step = 1e-5;
        for (var trial = 0; trial < 6; trial++)
        {
            int i = rng.Next(f.DModel), j = rng.Next(f.DHead);
            foreach (var which in new[] { "Q", "K" })
            {
                double Eval(double delta)
                {
                    var q = (double[,])f.WQ.Clone();
                    var k = (double[,])f.WK.Clone();
                    if (which == "Q") q[i, j] += delta; else k[i, j] += delta;
                    model.SetQueryFactor(layer, head, q);
                    model.SetKeyFactor(layer, head, k);
                    var value = model.LogLikelihood(tokens);
                    model.SetQueryFactor(layer, head, f.WQ);
                    model.SetKeyFactor(layer, head, f.WK);
                    return value;
                }
                var fd = (Eval(step) - Eval(-step)) / (2 * step);
                var analytic = which == "Q" ? g.DWQ[i, j] : g.DWK[i, j];
                Assert.True(Math.Abs(fd - analytic) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"∂/∂W_{which}[{i},{j}]: analytic {analytic}, finite difference {fd}");
            }
        }
    }

    [Fact]
    public void Gradient_with_explicit_targets_skips_negative_ones()
    {
        var model = new LlamaReference(LlamaRandom.Create(LlamaForwardTests.Small, 5));
        var tokens = LlamaForwardTests.RandomTokens(9, 6, LlamaForwardTests.Small.VocabSize);
        var none = model.Gradient(tokens, 1, 2, targets: Enumerable.Repeat(-1, 6).ToArray());
        Assert.Equal(0.0, none.LogLikelihood);
        Assert.All(none.DWQ.Cast<double>(), v => Assert.Equal(0.0, v));
        var one = model.Gradient(tokens, 1, 2, targets: [-1, -1, 4, -1, -1, -1]);
        Assert.Contains(one.DWQ.Cast<double>(), v => v != 0);
        Assert.Throws<ModelFormatException>(() => model.Gradient(tokens, 3, 0));
        Assert.Throws<ModelFormatException>(() => model.Gradient(tokens, 0, 6));
    }
}
