using Workbench.Kernels.Backends;
using Workbench.Kernels.Sampling;

namespace Workbench.Kernels.Tests.Sampling;

public class CpuSamplerTests
{
    public static TheoryData<string> Names => new(SamplerTestConfigs.Grid().Select(g => g.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Vector_kernel_counts_equal_reference_counts_exactly(string name)
    {
        var config = SamplerTestConfigs.Grid().Single(g => g.Name == name).Config;
        // An odd count and a start near a 32-bit boundary exercise the tail path and the counter carry.
        const ulong first = 0xFFFFFF00UL, count = 3001;
        var cpu = new CpuSampler(config).Run(5, first, count, threads: 2, chunkSize: 512, progress: null, CancellationToken.None);
        var reference = SamplerTestConfigs.Reference(config, 5, first, count);
        Assert.Equal((long)count, cpu.Samples);
        Assert.True(cpu.SameCounts(reference), $"{name}: CPU kernel and reference differ");
    }

    [Fact]
    public void Shards_merge_to_the_unsharded_run_exactly()
    {
        var config = SamplerTestConfigs.Gaussian(4, 8, SamplerMask.Causal);
        var whole = new CpuBackend(config).Run(11, 0, 40_000, null, CancellationToken.None);
        var merged = new SampleTally(config.Epsilons.Length);
        var shards = SampleRun.Shards(40_000, 7).ToList();
        Assert.Equal(40_000UL, (ulong)shards.Sum(s => (long)s.Count));
        foreach (var shard in Enumerable.Reverse(shards)) merged.Merge(new CpuBackend(config, 1).Run(11, shard.First, shard.Count, null, CancellationToken.None));
        Assert.True(whole.SameCounts(merged));
        // A different seed is a different run: the equality above is not vacuous.
        Assert.False(whole.SameCounts(new CpuBackend(config).Run(12, 0, 40_000, null, CancellationToken.None)));
    }

    [Fact]
    public void Thread_count_does_not_change_the_counts()
    {
        var config = SamplerTestConfigs.Gaussian(5, 4);
        var one = new CpuSampler(config).Run(3, 0, 20_000, 1, 1024, null, CancellationToken.None);
        var two = new CpuSampler(config).Run(3, 0, 20_000, 2, 4096, null, CancellationToken.None);
        Assert.True(one.SameCounts(two));
    }

    [Fact]
    public void Unreachable_patterns_at_head_dim_one_are_never_counted()
    {
        // d_h = 1: S_ij = q_i k_j / 1, so every row's argmax is argmax_j k_j (q_i > 0) or argmin_j k_j (q_i < 0):
        // each row picks one of only two keys, shared by all rows. Patterns using a third key are unreachable.
        var config = SamplerTestConfigs.Gaussian(4, 1);
        var tally = new CpuBackend(config).Run(1, 0, 50_000, null, CancellationToken.None);
        foreach (var code in tally.Patterns.Keys)
        {
            var sigma = ReferenceSampler.Decode(code, 0, config);
            Assert.True(sigma.Distinct().Count() <= 2, $"pattern [{string.Join(",", sigma)}] counted at d_h = 1");
        }
        // All 4·3 + 4 = 16 two-key choices times the 2^4 row assignments are not all reachable, but many are.
        Assert.True(tally.Patterns.Count > 20);
        Assert.True(tally.Patterns.Count < 256);
    }

    [Fact]
    public void Exact_float32_ties_occur_at_about_two_to_the_minus_24_and_only_as_rounding()
    {
        // n = 2, d_h = 1, none: a float32 tie needs fl(q k_0 c) == fl(q k_1 c); it happens at a rate of order 2^-24
        // per sample, far below one in 2^20 samples here. Positive-measure ties would show as a large count.
        var config = SamplerTestConfigs.Gaussian(2, 1);
        var tally = new CpuBackend(config).Run(9, 0, 1 << 20, null, CancellationToken.None);
        Assert.True(tally.ExactTies <= 4, $"{tally.ExactTies} exact ties in 2^20 samples");
        // Negative control: W_Q = 0 puts every sample on the tie set, and every one is counted as an exact tie.
        var zero = new SamplerConfig
        {
            Tokens = 2, HeadDim = 1,
            Distribution = SamplerDistribution.Projected(2, [new float[2]], [[1f, 0.5f]]),
        };
        var tied = new CpuBackend(zero).Run(9, 0, 4096, null, CancellationToken.None);
        Assert.Equal(4096, tied.ExactTies);
    }

    [Fact]
    public void Wilson_intervals_cover_the_exact_probability_at_their_rate_and_shrink_as_one_over_root_N()
    {
        // Two tokens, unmasked: P(σ(0) = 0) = 1/2 by the symmetry k_0 ↔ k_1.
        var config = SamplerTestConfigs.Gaussian(2, 3);
        const int seeds = 60;
        var covered = 0;
        double width1 = 0, width4 = 0;
        for (var s = 0; s < seeds; s++)
        {
            var t = new CpuBackend(config, 1).Run((ulong)(1000 + s), 0, 2000, null, CancellationToken.None);
            var hits = t.Patterns.Where(p => ReferenceSampler.Decode(p.Key, 0, config)[0] == 0).Sum(p => p.Value);
            var (lo, hi) = Wilson.Interval(hits, t.Samples);
            if (lo <= 0.5 && 0.5 <= hi) covered++;
            width1 += hi - lo;
            var t4 = new CpuBackend(config, 1).Run((ulong)(1000 + s), 0, 8000, null, CancellationToken.None);
            var hits4 = t4.Patterns.Where(p => ReferenceSampler.Decode(p.Key, 0, config)[0] == 0).Sum(p => p.Value);
            var (lo4, hi4) = Wilson.Interval(hits4, t4.Samples);
            width4 += hi4 - lo4;
        }
        // 95% nominal: over 60 seeds at least 52 must cover (binomial(60, 0.95) has P(X < 52) < 0.5%).
        Assert.True(covered >= 52, $"{covered}/{seeds} intervals covered 1/2");
        // Four times the samples: half the width (to within the Wilson correction).
        Assert.InRange(width1 / width4, 1.9, 2.1);
    }
}
