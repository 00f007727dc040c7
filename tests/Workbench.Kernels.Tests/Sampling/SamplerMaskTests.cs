using Workbench.Attention;
using Workbench.Kernels.Sampling;

namespace Workbench.Kernels.Tests.Sampling;

/// <summary>The sampler's --mask spellings mean what `strata`'s do (one convention, docs/attention.md).</summary>
public class SamplerMaskTests
{
    [Fact]
    public void Every_mask_spelling_admits_the_same_keys_as_Workbench_Attention()
    {
        foreach (var spec in new[] { "none", "causal", "window:0", "window:1", "window:2", "window:3", "window:7", "window:9" })
        {
            var sampler = SamplerMask.Parse(spec, out var problem) ?? throw new Xunit.Sdk.XunitException($"{spec}: {problem}");
            var reference = AttentionMask.Parse(spec);
            for (int n = 1; n <= 8; n++)
                for (int i = 0; i < n; i++)
                {
                    var (lo, hi) = sampler.Keys(i, n);
                    for (int j = 0; j < n; j++)
                        Assert.True(reference.Admits(i, j, n) == (j >= lo && j <= hi), $"{spec}, n = {n}: row {i}, key {j}");
                }
        }
    }

    [Theory]
    [InlineData("window:-1")]
    [InlineData("window:x")]
    [InlineData("diagonal")]
    public void Bad_spellings_are_refused_with_a_reason(string spec)
    {
        Assert.Null(SamplerMask.Parse(spec, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }
}
