using Workbench.Emit;
using Workbench.Kernels.Backends.OpenCl;

namespace Workbench.Generators.Tests;

/// <summary>
/// The generated <c>OpenClSource</c> of each configuration, built at run time on the OpenCL device (PoCL on CI) and
/// run over a batch: patterns, margins and scores must equal the generated C# batch and scalar kernels bit for bit
/// (same operations in the same order, FP_CONTRACT OFF, no -cl-mad-enable). Skipped, with the reason, where OpenCL
/// is unavailable.
/// </summary>
public class OpenClSourceTests : IClassFixture<OpenClSourceTests.Grid>
{
    public sealed class Grid
    {
        public CompiledKernels Kernels { get; } = new(
        [
            new KernelConfig("Ocl3x2Causal", "Grid", 3, 2, 1, KernelMask.Causal, Derivatives: false),
            new KernelConfig("Ocl4x8None", "Grid", 4, 8, 1, KernelMask.None, Derivatives: false),
            new KernelConfig("Ocl5x1Window", "Grid", 5, 1, 1, KernelMask.Window, 1, Derivatives: false),
            new KernelConfig("Ocl6x2Padding", "Grid", 6, 2, 1, KernelMask.Padding, Derivatives: false),
            new KernelConfig("Ocl4x8CausalF", "Grid", 4, 8, 1, KernelMask.Causal, Element: KernelElement.Float, Derivatives: false),
            new KernelConfig("Ocl8x16PaddingF", "Grid", 8, 16, 1, KernelMask.Padding, Element: KernelElement.Float, Derivatives: false),
        ]);
    }

    private readonly CompiledKernels _k;
    public OpenClSourceTests(Grid grid) { _k = grid.Kernels; }

    public static TheoryData<int> Indices() => new() { 0, 1, 2, 3, 4, 5 };

    [SkippableTheoryIfNoOpenCl]
    [MemberData(nameof(Indices))]
    public void Generated_OpenCL_equals_generated_CSharp_bit_for_bit(int index)
    {
        var c = _k.Configs[index];
        if (c.Element == KernelElement.Float) Compare<float>(c, x => (float)x, x => BitConverter.SingleToInt32Bits(x));
        else Compare<double>(c, x => x, x => BitConverter.DoubleToInt64Bits(x));
    }

    private void Compare<T>(KernelConfig c, Func<double, T> cast, Func<T, long> bits) where T : struct
    {
        const int batch = 777; // not a multiple of any vector width or work-group size
        int n = c.Tokens, d = c.HeadDim;
        var random = new Random(1000 + n * 31 + d);
        var q = new T[n * d * batch];
        var k = new T[n * d * batch];
        for (int e = 0; e < q.Length; e++) { q[e] = cast(random.NextDouble() * 2 - 1); k[e] = cast(random.NextDouble() * 2 - 1); }
        // Every fourth sample of a row repeats another key's values, so exact ties (margin 0, lowest index) are exercised.
        for (int b = 0; b < batch; b += 4)
            for (int a = 0; a < d && n > 1; a++) k[(1 * d + a) * batch + b] = k[(0 * d + a) * batch + b];
        var keyMask = new bool[n];
        for (int j = 0; j < n; j++) keyMask[j] = c.Mask != KernelMask.Padding || j % 3 != 1;

        var pattern = new int[n * batch];
        var margins = new T[n * batch];
        _k.Call(c, "Batch", q, k, keyMask, pattern, margins);

        var prefix = (string)_k.Assembly.GetType($"Grid.{c.TypeName}", throwOnError: true)!.GetField("GpuKernelPrefix")!.GetValue(null)!;
        var source = (string)_k.Assembly.GetType($"Grid.{c.TypeName}")!.GetField("OpenClSource")!.GetValue(null)!;
        using var program = new OpenClProgram(source);
        var gpuPattern = new int[n * batch];
        var gpuMargins = new T[n * batch];
        var gpuScores = new T[n * n * batch];
        var maskBytes = keyMask.Select(x => x ? (byte)1 : (byte)0).ToArray();
        object[] Args(params object[] outputs) =>
            c.Mask == KernelMask.Padding ? [q, k, maskBytes, .. outputs, batch] : [q, k, .. outputs, batch];
        program.Run(prefix + "_patterns_margins", batch, Args(gpuPattern, gpuMargins));
        program.Run(prefix + "_scores", batch, Args(gpuScores));

        Assert.Equal(pattern, gpuPattern);
        for (int e = 0; e < margins.Length; e++)
            Assert.True(bits(margins[e]) == bits(gpuMargins[e]), $"{c.TypeName}: margin {e} differs: C# {margins[e]}, OpenCL {gpuMargins[e]}");

        // The scores kernel against the scalar C# kernel, sample by sample (SoA [(i*n + j)*batch + b]).
        var qs = new T[n * d]; var ks = new T[n * d]; var s = new T[n * n];
        for (int b = 0; b < batch; b += 37)
        {
            for (int e = 0; e < n * d; e++) { qs[e] = q[e * batch + b]; ks[e] = k[e * batch + b]; }
            _k.Call(c, "Scores", qs, ks, keyMask, s);
            for (int e = 0; e < n * n; e++)
                Assert.True(bits(s[e]) == bits(gpuScores[e * batch + b]), $"{c.TypeName}: sample {b} score {e}: C# {s[e]}, OpenCL {gpuScores[e * batch + b]}");
        }
    }

    [SkippableFactIfNoOpenCl]
    public void A_source_that_does_not_build_is_refused_with_the_build_log()
    {
        var e = Assert.Throws<Workbench.Kernels.Backends.BackendUnavailableException>(() => new OpenClProgram("__kernel void broken(__global float* x) { x[0] = undefined_name; }"));
        Assert.Contains("undefined_name", e.Message);
    }
}

/// <summary>A theory that reports itself skipped, with the one-line reason, where OpenCL cannot run.</summary>
public sealed class SkippableTheoryIfNoOpenClAttribute : TheoryAttribute
{
    public SkippableTheoryIfNoOpenClAttribute() { if (OpenClProgram.Unavailable() is { } why) Skip = "OpenCL " + why; }
}

/// <summary>A fact that reports itself skipped, with the one-line reason, where OpenCL cannot run.</summary>
public sealed class SkippableFactIfNoOpenClAttribute : FactAttribute
{
    public SkippableFactIfNoOpenClAttribute() { if (OpenClProgram.Unavailable() is { } why) Skip = "OpenCL " + why; }
}
