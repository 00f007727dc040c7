using Workbench.Kernels.Sampling;

namespace Workbench.Kernels.Backends;

/// <summary>Opens a backend by name; "auto" takes the fastest available: CUDA, then CPU (PoCL runs on the same cores, slower).</summary>
public static class Backend
{
    public static readonly string[] Names = ["cpu", "opencl", "cuda", "auto"];

    /// <summary>Null when the named backend can run here; otherwise one line saying why not.</summary>
    public static string? Unavailable(string name) => name switch
    {
        "cpu" or "auto" => null,
        "opencl" => OpenClBackend.Unavailable(),
        "cuda" => CudaBackend.Unavailable(),
        _ => $"unknown backend (expected {string.Join(", ", Names)})",
    };

    /// <summary>Opens it, or throws <see cref="BackendUnavailableException"/> with the one-line reason.</summary>
    public static ISamplerBackend Open(string name, SamplerConfig config, int threads = 0)
    {
        switch (name)
        {
            case "cpu": return new CpuBackend(config, threads);
            case "opencl": return new OpenClBackend(config);
            case "cuda": return new CudaBackend(config);
            case "auto":
                if (CudaBackend.Unavailable() is null)
                {
                    try { return new CudaBackend(config); }
                    catch (BackendUnavailableException) { /* fall back to the CPU, which always runs */ }
                }
                return new CpuBackend(config, threads);
            default: throw new BackendUnavailableException(name, Unavailable(name)!);
        }
    }
}
