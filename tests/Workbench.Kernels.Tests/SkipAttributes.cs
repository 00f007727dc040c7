using Workbench.Kernels.Backends;

namespace Workbench.Kernels.Tests;

// xunit 2 has no dynamic skip: these facts decide at discovery and report the reason as the skip message.

public sealed class Avx512FactAttribute : FactAttribute
{
    public Avx512FactAttribute()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) Skip = "skipped: this CPU has no AVX-512";
    }
}

public sealed class OpenClFactAttribute : FactAttribute
{
    public OpenClFactAttribute()
    {
        var why = OpenClBackend.Unavailable();
        if (why is not null) Skip = "skipped: OpenCL " + why;
    }
}

public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        var why = CudaBackend.Unavailable();
        if (why is not null) Skip = "skipped: CUDA " + why;
    }
}
