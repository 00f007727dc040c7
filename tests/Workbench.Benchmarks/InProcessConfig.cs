using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Workbench.Benchmarks;

/// <summary>
/// The one job every side-by-side benchmark uses: in-process (the out-of-process toolchain failed to build its
/// boilerplate here), one launch, 3 warm-ups and 9 measured iterations: enough for a median on a noisy shared
/// machine while a peer run before and after stays minutes apart.
/// </summary>
public sealed class InProcessConfig : ManualConfig
{
    public InProcessConfig() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(9));
}
