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
        using var program = new HostCudaProgram(KernelEmitter.Emit(config, KernelDialect.Cuda));
        var codes = new ulong[count];
        var margins = new float[count];
        program.Run(KernelEmitter.EntryPoint, count, seed, first, (uint)count, codes, margins);
        var reference = new ReferenceSampler(config);
        for (var i = 0; i < count; i++)
        {
            var (code, margin) = reference.Sample(seed, first + (ulong)i);
            Assert.True(code == codes[i] && BitConverter.SingleToUInt32Bits(margin) == BitConverter.SingleToUInt32Bits(margins[i]),
                $"{name}: sample {first + (ulong)i}: CUDA source gives {codes[i]} / {margins[i]:R}, reference {code} / {margin:R}");
        }
    }
}
