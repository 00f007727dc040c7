using System.Diagnostics;
using Xunit;

namespace Workbench.Testing;

/// <summary>
/// Without a GPU, CUDA sources cannot go through NVRTC, but they can go through a host C++ compiler: with the few
/// CUDA names the emitters use defined by <see cref="Shim"/>, g++ type-checks every kernel (declarations, array
/// bounds of private arrays, operand types) with -Wall -Werror. NVRTC-specific behaviour and running the kernels
/// need a GPU (tests/Workbench.Benchmarks/peers/*cuda_check.py).
/// </summary>
public static class HostCudaCheck
{
    // The shim's rounding intrinsics only need the right types here: nothing runs.
    public const string Shim = """
        #include <cstring>
        #include <math.h>
        #define __global__
        #define __device__
        #define __forceinline__ inline
        struct wb_dim3 { unsigned x, y, z; };
        static wb_dim3 blockIdx, blockDim, threadIdx;
        static inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
        static inline float __uint_as_float(unsigned i) { float f; std::memcpy(&f, &i, 4); return f; }
        static inline unsigned __float_as_uint(float f) { unsigned i; std::memcpy(&i, &f, 4); return i; }
        static inline double __longlong_as_double(long long i) { double f; std::memcpy(&f, &i, 8); return f; }
        static inline float __fdiv_rn(float a, float b) { return a / b; }
        static inline float __fsqrt_rn(float a) { return sqrtf(a); }
        static inline float __fmaf_rn(float a, float b, float c) { return fmaf(a, b, c); }
        // The CUDA preludes define these themselves; glibc's math.h and sys/types.h already have host versions.
        #undef INFINITY
        #define ulong wb_cuda_ulong
        """;

    /// <summary>g++'s exit code and diagnostics for <paramref name="source"/> (with the shim included).</summary>
    public static (int ExitCode, string Errors) TypeCheck(string source)
    {
        var dir = Directory.CreateTempSubdirectory("wb-cuda-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "shim.h"), Shim);
            File.WriteAllText(Path.Combine(dir, "kernels.cu"), source);
            return Exec(dir, "g++", "-std=c++17", "-fsyntax-only", "-Wall", "-Werror", "-Wno-unused-variable", "-include", "shim.h", "-x", "c++", "kernels.cu");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>Runs <paramref name="file"/> in <paramref name="dir"/>: its exit code and its stdout and stderr together.</summary>
    internal static (int Exit, string Output) Exec(string dir, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = dir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(); return (-1, "timed out"); }
        return (p.ExitCode, output + err.Result);
    }

    /// <summary>Why g++ cannot run here, or null.</summary>
    public static string? GxxMissing()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("g++", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? null : "g++ --version failed";
        }
        catch (Exception e) { return "no g++ on this machine (" + e.Message + ")"; }
    }
}

public sealed class GxxTheoryAttribute : TheoryAttribute
{
    public GxxTheoryAttribute() { if (HostCudaCheck.GxxMissing() is { } why) Skip = why; }
}

public sealed class GxxFactAttribute : FactAttribute
{
    public GxxFactAttribute() { if (HostCudaCheck.GxxMissing() is { } why) Skip = why; }
}
