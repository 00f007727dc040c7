using Workbench.Testing;
using Workbench.Kernels.Backends;
using Workbench.Kernels.Sampling;
using Workbench.Kernels.Tests.Sampling;

namespace Workbench.Kernels.Tests.Backends;

public class OpenClBackendTests
{
    [OpenClFact]
    public void OpenCl_histograms_equal_cpu_histograms_bit_for_bit()
    {
        var outcomes = BackendAgreement.Run("opencl", BackendAgreement.DefaultCount, CancellationToken.None).ToList();
        Assert.Equal(BackendAgreement.Grid.Count, outcomes.Count);
        foreach (var o in outcomes) Assert.True(o.Passed, $"{o.Configuration}: {o.Detail}");
        // The grid reaches both score forms (straight-line and loops) and both histograms (dense and dictionary).
        Assert.Contains(BackendAgreement.Grid, g => KernelEmitter.ScoreTerms(g.Config) > KernelEmitter.DefaultUnrollLimit);
        Assert.Contains(BackendAgreement.Grid, g => !new PatternIndex(g.Config).IsDense);
    }

    [OpenClFact]
    public void Counting_on_the_device_is_used_where_a_dense_index_exists_and_equals_host_counting()
    {
        foreach (var (name, config) in SamplerTestConfigs.Grid())
        {
            using var cl = new OpenClBackend(config);
            Assert.Equal(new PatternIndex(config).IsDense, cl.CountsOnDevice);
            Assert.Equal(cl.CountsOnDevice, cl.Source.Contains(DeviceTally.TallyEntryPoint));
            // Several launches with a ragged last one, so the per-launch zeroing and accumulation are exercised.
            var count = (ulong)OpenClBackend.LaunchSize * 2 + 4_099;
            var device = cl.Run(91, 12_345, count, null, CancellationToken.None);
            var host = new CpuBackend(config).Run(91, 12_345, count, null, CancellationToken.None);
            Assert.True(host.SameCounts(device), $"{name}: device-counted and host-counted tallies differ");
            Assert.Equal((long)count, device.Samples);
        }
    }

    [OpenClFact]
    public void Loop_form_kernels_equal_cpu_histograms_bit_for_bit()
    {
        // unrollLimit 0 forces the loop form that large configurations get; the bits must not change.
        foreach (var (name, config) in SamplerTestConfigs.Grid())
        {
            using var cl = new OpenClBackend(config, unrollLimit: 0);
            Assert.Contains("for (uint j = lo; j <= hi; j++)", cl.Source);
            const ulong first = 0x1_0000_0000UL - 3_000, count = 6_007;
            var device = cl.Run(78, first, count, null, CancellationToken.None);
            var cpu = new CpuBackend(config).Run(78, first, count, null, CancellationToken.None);
            Assert.True(cpu.SameCounts(device), $"{name}: loop-form OpenCL and CPU tallies differ");
        }
    }

    [Fact]
    public void The_largest_configuration_is_emitted_as_loops_of_modest_size()
    {
        var big = SamplerTestConfigs.Gaussian(16, 256);
        Assert.True(KernelEmitter.ScoreTerms(big) > KernelEmitter.DefaultUnrollLimit);
        foreach (var dialect in new[] { KernelDialect.OpenCl, KernelDialect.Cuda })
        {
            var src = KernelEmitter.Emit(big, dialect);
            Assert.True(src.Length < 20_000, $"{dialect.Name}: {src.Length} characters");
            Assert.Contains("for (uint t = 1; t < 256u; t++)", src);
        }
        // Small configurations stay straight-line.
        Assert.DoesNotContain("for (uint j = lo", KernelEmitter.Emit(SamplerTestConfigs.Gaussian(4, 8), KernelDialect.OpenCl));
    }

    [OpenClFact]
    public void A_run_over_several_launches_tallied_on_all_cores_equals_the_cpu_run()
    {
        // More than one launch, and launches large enough that the host tally is split over the cores.
        var config = SamplerTestConfigs.Gaussian(3, 1);
        const ulong count = OpenClBackend.LaunchSize + 4_321;
        using var cl = new OpenClBackend(config);
        var device = cl.Run(5, 1_000, count, null, CancellationToken.None);
        var cpu = new CpuBackend(config).Run(5, 1_000, count, null, CancellationToken.None);
        Assert.Equal((long)count, device.Samples);
        Assert.True(cpu.SameCounts(device), "OpenCL and CPU tallies differ");
    }

    [Fact]
    public void Emitted_source_forbids_contraction_and_uses_no_platform_math()
    {
        var src = KernelEmitter.Emit(SamplerTestConfigs.Gaussian(4, 8), KernelDialect.OpenCl);
        Assert.Contains("#pragma OPENCL FP_CONTRACT OFF", src);
        // Platform math may differ between backends: no call to it (sqrt and fma are IEEE correctly rounded).
        Assert.DoesNotMatch(@"(?<![A-Za-z0-9_])(log|log2|exp|exp2|sin|cos|sincos|mad|native_\w+|half_\w+)\s*\(", src);
        // fma only where NormalTransform writes one: 5 in −2 log u, 3 in sin, 4 in cos.
        Assert.Equal(WrittenFmas, Count(src, "fma("));
        Assert.DoesNotContain("-cl-mad-enable", OpenClBackend.BuildOptions);
        Assert.Contains("-cl-fp32-correctly-rounded-divide-sqrt", OpenClBackend.BuildOptions);
    }

    internal const int WrittenFmas = 12;

    internal static int Count(string text, string what)
    {
        var n = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}

public class CudaBackendTests
{
    [Fact]
    public void Unavailability_is_one_line_and_opening_throws_it()
    {
        var why = CudaBackend.Unavailable();
        if (why is null) return; // a GPU is present: the facts below run instead
        Assert.StartsWith("unavailable: ", why);
        Assert.DoesNotContain('\n', why);
        var ex = Assert.Throws<BackendUnavailableException>(() => Backend.Open("cuda", SamplerTestConfigs.Gaussian(4, 8)));
        Assert.Equal(why, ex.Reason);
    }

    [Fact]
    public void Cuda_source_is_emitted_with_explicit_rounding()
    {
        var src = KernelEmitter.Emit(SamplerTestConfigs.Gaussian(4, 8), KernelDialect.Cuda);
        Assert.Contains("__fdiv_rn(", src);
        Assert.Contains("__fsqrt_rn(", src);
        Assert.Equal(OpenClBackendTests.WrittenFmas, OpenClBackendTests.Count(src, "__fmaf_rn("));
        Assert.Equal(OpenClBackendTests.WrittenFmas, OpenClBackendTests.Count(src, "fma"));
        Assert.Contains("extern \"C\" __global__ void wb_sample(", src);
    }

    // No GPU needed: the sampler's CUDA source (Gaussian and projected, unrolled and looped) type-checks on the host.
    [GxxFact]
    public void Cuda_source_type_checks_with_a_host_compiler()
    {
        foreach (var (_, config) in BackendAgreement.Grid)
        {
            var (exit, errors) = HostCudaCheck.TypeCheck(KernelEmitter.Emit(config, KernelDialect.Cuda));
            Assert.True(exit == 0, $"{config}: g++ rejected the CUDA source:\n{errors}");
        }
    }

    [CudaFact]
    public void Cuda_histograms_equal_cpu_histograms_bit_for_bit()
    {
        var outcomes = BackendAgreement.Run("cuda", BackendAgreement.DefaultCount, CancellationToken.None).ToList();
        Assert.Equal(BackendAgreement.Grid.Count, outcomes.Count);
        foreach (var o in outcomes) Assert.True(o.Passed, $"{o.Configuration}: {o.Detail}");
    }
}

public class BackendAgreementTests
{
    [Fact]
    public void The_cpu_backend_agrees_with_itself_and_the_reference_on_the_grid()
    {
        var outcomes = BackendAgreement.Run("cpu", 1_001, CancellationToken.None).ToList();
        Assert.Equal(BackendAgreement.Grid.Count, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Passed, $"{o.Configuration}: {o.Detail}"));
    }

    [Fact]
    public void A_difference_is_found_and_named()
    {
        // Tallies of two seeds: the check must see the difference and say where, not report "equal".
        var config = SamplerTestConfigs.Gaussian(4, 8);
        var a = new CpuBackend(config).Run(1, 0, 5_000, null, CancellationToken.None);
        var b = new CpuBackend(config).Run(2, 0, 5_000, null, CancellationToken.None);
        Assert.Equal("equal", BackendAgreement.Difference(a, new CpuBackend(config).Run(1, 0, 5_000, null, CancellationToken.None)));
        var difference = BackendAgreement.Difference(a, b);
        Assert.NotEqual("equal", difference);
        Assert.Matches("^(exact ties|near ties|margin bin|pattern) ", difference);
    }
}
