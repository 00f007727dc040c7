using Workbench.Kernels.Sampling;

namespace Workbench.Kernels.Backends;

/// <summary>The CPU backend: <see cref="CpuSampler"/> with one worker per core (or as many as asked).</summary>
public sealed class CpuBackend(SamplerConfig config, int threads = 0) : ISamplerBackend
{
    public const long ChunkSize = 1 << 16;
    private readonly CpuSampler _sampler = new(config);
    private readonly int _threads = threads > 0 ? threads : Environment.ProcessorCount;

    public string Name => "cpu";
    public string Device => $"{Environment.ProcessorCount} CPU threads, {(!VectorKernels.IsSupported ? "scalar" : System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "AVX-512" : "AVX2")}";
    public string KernelOrigin => !VectorKernels.IsSupported
        ? "C# scalar reference kernel (neither AVX-512 nor AVX2 on this CPU)"
        : ShippedKernelIndex.Find(config) is { } shipped
            ? $"C# Vector512 normals, then the generated kernel {shipped.Name} (unrolled at build time) for patterns and margins"
            : "C# Vector512 kernel (one sample per lane, shape given at run time; no generated kernel ships for this configuration)";

    public SampleTally Run(ulong seed, ulong first, ulong count, Action<long>? progress, CancellationToken cancel) =>
        _sampler.Run(seed, first, count, _threads, ChunkSize, progress, cancel);

    public void Dispose() { }
}
