using System.Diagnostics;
using Workbench.Kernels.Backends;

namespace Workbench.Kernels.Sampling;

/// <summary>One shard of a run: samples [First, First + Count) of the run's seed.</summary>
public readonly record struct Shard(int Index, ulong First, ulong Count);

/// <summary>
/// A Monte Carlo run: N samples of one seed, counted on a backend, streamed in chunks (memory O(histogram)),
/// and summarized. A run may be split into shards; merged shard tallies equal the unsharded tally exactly,
/// because sample s of seed k is the same numbers wherever it is drawn.
/// </summary>
public static class SampleRun
{
    /// <summary>The largest sample count a run accepts: sample indices are 64-bit counters, at most 2^63.</summary>
    public const ulong MaxSamples = 1UL << 63;

    /// <summary>Shard i of K covers [⌊iN/K⌋, ⌊(i+1)N/K⌋): contiguous, disjoint, and together exactly [0, N).</summary>
    public static IEnumerable<Shard> Shards(ulong samples, int shardCount)
    {
        if (shardCount < 1) throw new SamplerInputException("shards", "must be ≥ 1");
        for (var i = 0; i < shardCount; i++)
        {
            var lo = (ulong)((UInt128)samples * (ulong)i / (ulong)shardCount);
            var hi = (ulong)((UInt128)samples * (ulong)(i + 1) / (ulong)shardCount);
            yield return new Shard(i, lo, hi - lo);
        }
    }

    /// <summary>Runs one shard (or the whole run with shard 0 of 1) and summarizes it.</summary>
    public static SampleReport Run(ISamplerBackend backend, SamplerConfig config, ulong seed, ulong samples,
        Shard? shard = null, double tau = 1.0, Action<long>? progress = null, CancellationToken cancel = default)
    {
        if (samples == 0 || samples > MaxSamples) throw new SamplerInputException("samples", $"must be in 1..2^63, got {samples}");
        var part = shard ?? new Shard(0, 0, samples);
        var clock = Stopwatch.StartNew();
        var tally = backend.Run(seed, part.First, part.Count, progress, cancel);
        var seconds = clock.Elapsed.TotalSeconds;
        var jacobian = JacobianNorm.Sampled(config, seed, part.First, (int)Math.Min(part.Count, JacobianNorm.DefaultSubsample), tau);
        return new SampleReport(config, backend.Name, backend.Device, backend.KernelOrigin, seed, samples, part, seconds, tally, tau, jacobian);
    }
}
