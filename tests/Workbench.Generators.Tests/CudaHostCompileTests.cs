using System.Diagnostics;
using Workbench.Emit;

namespace Workbench.Generators.Tests;

/// <summary>
/// Without a GPU the CUDA sources cannot go through NVRTC, but they can go through a host C++ compiler: with the few
/// CUDA names they use (__global__, the thread index, __int_as_float, __longlong_as_double) defined by a shim, g++
/// type-checks every kernel (declarations, array bounds of private arrays, operand types) with -Wall -Werror.
/// NVRTC-specific behaviour (and running the kernels) needs a GPU: tests/Workbench.Benchmarks/peers/generated_cuda_check.py.
/// </summary>
public class CudaHostCompileTests
{
    private const string Shim = """
        #include <cstring>
        #include <math.h>
        #define __global__
        struct wb_dim3 { unsigned x, y, z; };
        static wb_dim3 blockIdx, blockDim, threadIdx;
        static inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
        static inline double __longlong_as_double(long long i) { double f; std::memcpy(&f, &i, 8); return f; }
        """;

    [GxxTheory]
    [MemberData(nameof(GpuSourceTests.Indices), MemberType = typeof(GpuSourceTests))]
    public void Cuda_source_type_checks_with_a_host_compiler(int index)
    {
        var c = GpuSourceTests.Configs[index];
        var dir = Directory.CreateTempSubdirectory("wb-cuda-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "shim.h"), Shim);
            File.WriteAllText(Path.Combine(dir, "kernels.cu"), KernelEmitter.EmitCuda(c));
            var psi = new ProcessStartInfo("g++") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = dir };
            foreach (var a in new[] { "-std=c++17", "-fsyntax-only", "-Wall", "-Werror", "-Wno-unused-variable", "-include", "shim.h", "-x", "c++", "kernels.cu" })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), "g++ timed out");
            Assert.True(p.ExitCode == 0, $"{c.TypeName}: g++ rejected the CUDA source:\n{err.Result}");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    // A source that is not valid C++ must fail, so a passing check is not vacuous.
    [GxxFact]
    public void A_broken_source_is_rejected()
    {
        var dir = Directory.CreateTempSubdirectory("wb-cuda-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "k.cu"), KernelEmitter.EmitCuda(GpuSourceTests.Configs[0]).Replace("const int b =", "const int b ="[..^1]));
            var psi = new ProcessStartInfo("g++", "-fsyntax-only -x c++ k.cu") { RedirectStandardError = true, WorkingDirectory = dir };
            using var p = Process.Start(psi)!;
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.NotEqual(0, p.ExitCode);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    internal static string? GxxMissing()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("g++", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0 ? null : "g++ --version failed";
        }
        catch (Exception e) { return "no g++ on this machine (" + e.Message + ")"; }
    }
}

public sealed class GxxTheoryAttribute : TheoryAttribute
{
    public GxxTheoryAttribute() { if (CudaHostCompileTests.GxxMissing() is { } why) Skip = why; }
}

public sealed class GxxFactAttribute : FactAttribute
{
    public GxxFactAttribute() { if (CudaHostCompileTests.GxxMissing() is { } why) Skip = why; }
}
