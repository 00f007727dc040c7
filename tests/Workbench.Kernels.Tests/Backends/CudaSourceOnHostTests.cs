using System.Diagnostics;
using System.Globalization;
using Workbench.Kernels.Sampling;
using Workbench.Kernels.Tests.Sampling;
using Workbench.Testing;

namespace Workbench.Kernels.Tests.Backends;

/// <summary>
/// Without a GPU the emitted CUDA C can still be executed: the shim maps each CUDA intrinsic it uses to the IEEE
/// operation CUDA documents for it (__fdiv_rn → a / b, __fsqrt_rn → sqrtf, __fmaf_rn → fmaf, the bit casts), and
/// g++ with -ffp-contract=off on x86-64 (SSE: no excess precision) runs the kernel one thread at a time. Equality
/// with the scalar reference then checks the CUDA text itself, operation by operation; what only hardware can check
/// is that NVRTC honours --fmad=false and the _rn spellings (done on an H100 for transform version 1,
/// docs/performance/kernels.md).
/// </summary>
public class CudaSourceOnHostTests
{
    private const string Harness = """

        #include <cstdio>
        #include <cstdlib>
        #include <vector>
        int main(int argc, char** argv) {
          if (argc != 4) return 2;
          ulong seed = strtoull(argv[1], 0, 10), first = strtoull(argv[2], 0, 10);
          uint count = (uint)strtoul(argv[3], 0, 10);
          std::vector<ulong> codes(count);
          std::vector<float> margins(count);
          blockDim.x = 1; threadIdx.x = 0;
          for (uint i = 0; i < count; i++) { blockIdx.x = i; wb_sample(seed, first, count, codes.data(), margins.data()); }
          for (uint i = 0; i < count; i++) printf("%llu %08x\n", (unsigned long long)codes[i], __float_as_uint(margins[i]));
          return 0;
        }
        """;

    public static TheoryData<string> Configs => new(Cases().Select(c => c.Name));

    private static IEnumerable<(string Name, SamplerConfig Config)> Cases() =>
    [
        ("n=4 d=8 none", SamplerTestConfigs.Gaussian(4, 8)),
        ("n=5 d=3 window:2", SamplerTestConfigs.Gaussian(5, 3, new SamplerMask(MaskKind.Window, 2))),
        ("n=4 d=2 projected d_model=3 heads=2", SamplerTestConfigs.Projected(4, 2, 3, 7, heads: 2)),
        ("n=16 d=32 causal (score loops)", SamplerTestConfigs.Gaussian(16, 32, SamplerMask.Causal)),
    ];

    [GxxTheory]
    [MemberData(nameof(Configs))]
    public void Cuda_sampling_kernel_run_on_the_host_equals_the_reference_bit_for_bit(string name)
    {
        var config = Cases().Single(c => c.Name == name).Config;
        const ulong seed = 77, first = 0xFFFFFC00UL; // crosses 2^32: the counter's high word changes mid-run
        const int count = 2048;
        var dir = Directory.CreateTempSubdirectory("wb-cuda-run-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "shim.h"), HostCudaCheck.Shim);
            File.WriteAllText(Path.Combine(dir, "run.cu"), KernelEmitter.Emit(config, KernelDialect.Cuda) + Harness);
            var (exit, output) = Run(dir, "g++", "-std=c++17", "-O1", "-ffp-contract=off", "-include", "shim.h", "-x", "c++", "run.cu", "-o", "run", "-lm");
            Assert.True(exit == 0, $"{name}: g++ failed:\n{output}");
            (exit, output) = Run(dir, Path.Combine(dir, "run"), seed.ToString(CultureInfo.InvariantCulture), first.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture));
            Assert.True(exit == 0, $"{name}: the host run failed:\n{output}");
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(count, lines.Length);
            var reference = new ReferenceSampler(config);
            for (var i = 0; i < count; i++)
            {
                var (code, margin) = reference.Sample(seed, first + (ulong)i);
                var expected = $"{code} {BitConverter.SingleToUInt32Bits(margin):x8}";
                Assert.True(expected == lines[i], $"{name}: sample {first + (ulong)i}: CUDA source gives '{lines[i]}', reference '{expected}'");
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static (int Exit, string Output) Run(string dir, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = dir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) { p.Kill(); return (-1, "timed out"); }
        return (p.ExitCode, output + err.Result);
    }
}
