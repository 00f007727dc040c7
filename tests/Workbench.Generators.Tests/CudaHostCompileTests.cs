using Workbench.Emit;
using Workbench.Testing;

namespace Workbench.Generators.Tests;

/// <summary>
/// The generator's CUDA sources through a host C++ compiler (<see cref="HostCudaCheck"/>): a GPU-less type check.
/// </summary>
public class CudaHostCompileTests
{
    [GxxTheory]
    [MemberData(nameof(GpuSourceTests.Indices), MemberType = typeof(GpuSourceTests))]
    public void Cuda_source_type_checks_with_a_host_compiler(int index)
    {
        var c = GpuSourceTests.Configs[index];
        var (exit, errors) = HostCudaCheck.TypeCheck(KernelEmitter.EmitCuda(c));
        Assert.True(exit == 0, $"{c.TypeName}: g++ rejected the CUDA source:\n{errors}");
    }

    // A source that is not valid C++ must fail, so a passing check is not vacuous.
    [GxxFact]
    public void A_broken_source_is_rejected()
    {
        var (exit, _) = HostCudaCheck.TypeCheck(KernelEmitter.EmitCuda(GpuSourceTests.Configs[0]).Replace("const int b =", "const int b ="[..^1]));
        Assert.NotEqual(0, exit);
    }
}
