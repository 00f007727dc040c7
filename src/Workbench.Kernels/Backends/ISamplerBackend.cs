using Workbench.Kernels.Sampling;

namespace Workbench.Kernels.Backends;

/// <summary>
/// A place to run the Monte Carlo kernel. Every backend counts the same samples to the same bits, so the choice
/// changes only speed. <see cref="Unavailable"/> gives one line saying why a backend cannot run here.
/// </summary>
public interface ISamplerBackend : IDisposable
{
    /// <summary>"cpu", "opencl" or "cuda".</summary>
    string Name { get; }

    /// <summary>The device in words, for reports (never in evidence text).</summary>
    string Device { get; }

    /// <summary>How the kernel for this configuration was obtained (e.g. "emitted OpenCL C, built at run time").</summary>
    string KernelOrigin { get; }

    /// <summary>Counts samples [first, first + count) of the seed. <paramref name="progress"/> receives samples done.</summary>
    SampleTally Run(ulong seed, ulong first, ulong count, Action<long>? progress, CancellationToken cancel);
}

/// <summary>A backend that cannot run here; the message is one line: "unavailable: libcuda.so.1 not found".</summary>
public sealed class BackendUnavailableException(string backend, string reason) : Exception($"{backend}: {reason}")
{
    public string Backend { get; } = backend;
    public string Reason { get; } = reason;
}
