using BenchmarkDotNet.Attributes;
using Workbench.Kernels.Backends;
using Workbench.Kernels.Sampling;

namespace Workbench.Benchmarks;

/// <summary>
/// Monte Carlo strata throughput on the configurations docs/performance/kernels.md compares with mc_torch.py:
/// n = 4, d_h = 8 unmasked and n = 8, d_h = 16 causal, 2^20 samples per operation, on the CPU backend (2 threads)
/// and on OpenCL when a platform is present. Samples/s = 2^20 / mean time.
/// `dotnet run -c Release --project tests/Workbench.Benchmarks -- --filter '*SamplingBenchmarks*'`
/// </summary>
[MemoryDiagnoser]
public class SamplingBenchmarks
{
    private const ulong Samples = 1 << 20;
    private ISamplerBackend? _cpu, _openCl;

    [Params("n4-d8-none", "n8-d16-causal")]
    public string Config { get; set; } = "n4-d8-none";

    private SamplerConfig Make() => Config == "n4-d8-none"
        ? new SamplerConfig { Tokens = 4, HeadDim = 8 }
        : new SamplerConfig { Tokens = 8, HeadDim = 16, Mask = SamplerMask.Causal };

    [GlobalSetup]
    public void Setup()
    {
        _cpu = Backend.Open("cpu", Make(), threads: 2);
        if (OpenClBackend.Unavailable() is null) _openCl = Backend.Open("opencl", Make());
    }

    [GlobalCleanup]
    public void Cleanup() { _cpu?.Dispose(); _openCl?.Dispose(); }

    [Benchmark(Baseline = true)]
    public long Cpu() => _cpu!.Run(1, 0, Samples, null, CancellationToken.None).Samples;

    /// <summary>Returns 0 without work when no OpenCL platform is present (the reason is in Backend.Unavailable).</summary>
    [Benchmark]
    public long OpenCl() => _openCl?.Run(1, 0, Samples, null, CancellationToken.None).Samples ?? 0;
}
