using Workbench.Kernels.Backends;
using Workbench.Kernels.Sampling;

namespace Workbench.Kernels.Tests.Sampling;

/// <summary>
/// The CPU backend runs the build-time generated pattern-and-margin kernels where one ships for the configuration
/// (the counts against the reference are checked for those configurations in <see cref="CpuSamplerTests"/>).
/// </summary>
public class ShippedKernelTests
{
    [Fact]
    public void Every_declared_configuration_is_found_and_nothing_else()
    {
        // n ∈ {2, 3, 4, 5, 6, 8} × d_h ∈ {1, 2, 4, 8, 16} × {none, causal}.
        Assert.Equal(6 * 5 * 2, ShippedKernelIndex.Count);
        Assert.Equal("Shipped_n4_d8_none", ShippedKernelIndex.Find(SamplerTestConfigs.Gaussian(4, 8))?.Name);
        Assert.Equal("Shipped_n8_d16_causal", ShippedKernelIndex.Find(SamplerTestConfigs.Gaussian(8, 16, SamplerMask.Causal))?.Name);
        Assert.Equal("Shipped_n3_d2_none", ShippedKernelIndex.Find(SamplerTestConfigs.Gaussian(3, 2, heads: 2))?.Name);
        Assert.Null(ShippedKernelIndex.Find(SamplerTestConfigs.Gaussian(7, 8)));
        Assert.Null(ShippedKernelIndex.Find(SamplerTestConfigs.Gaussian(4, 3)));
        Assert.Null(ShippedKernelIndex.Find(SamplerTestConfigs.Gaussian(5, 4, new SamplerMask(MaskKind.Window, 1))));
    }

    [Fact]
    public void The_backend_says_which_kernel_it_runs()
    {
        if (!VectorKernels.IsSupported) return; // the scalar reference says so itself
        Assert.Contains("generated kernel Shipped_n4_d8_causal", new CpuBackend(SamplerTestConfigs.Gaussian(4, 8, SamplerMask.Causal)).KernelOrigin);
        Assert.Contains("no generated kernel ships", new CpuBackend(SamplerTestConfigs.Gaussian(7, 8)).KernelOrigin);
    }

    [Fact]
    public void Shipped_and_generic_paths_count_the_same_samples_identically()
    {
        // Configurations outside CpuSamplerTests' grid, on odd ranges (vector groups plus a scalar tail).
        foreach (var config in new[] { SamplerTestConfigs.Gaussian(6, 4, SamplerMask.Causal), SamplerTestConfigs.Gaussian(2, 16), SamplerTestConfigs.Gaussian(5, 1) })
        {
            Assert.NotNull(ShippedKernelIndex.Find(config));
            var cpu = new CpuSampler(config).Run(3, 12345, 2049, threads: 2, chunkSize: 256, progress: null, CancellationToken.None);
            Assert.True(cpu.SameCounts(SamplerTestConfigs.Reference(config, 3, 12345, 2049)), config.ToString());
        }
    }
}
