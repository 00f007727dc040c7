using Workbench.Emit;
using Workbench.Testing;
using Workbench.Kernels.Backends.OpenCl;
using Xunit.Abstractions;

namespace Workbench.Generators.Tests;

/// <summary>
/// The generated <c>OpenClSource</c> of each configuration, built at run time on the OpenCL device (PoCL on CI) and
/// run over a batch: patterns, margins and scores must equal the generated C# batch and scalar kernels bit for bit
/// (same operations in the same order, FP_CONTRACT OFF, no -cl-mad-enable). Skipped, with the reason, where OpenCL
/// is unavailable. The same comparisons run the generated <c>CudaSource</c> on the host (<see cref="HostCudaProgram"/>),
/// where the exp is the C runtime's like .NET's, so every entry, derivatives included, is bit-identical.
/// </summary>
public class OpenClSourceTests : IClassFixture<OpenClSourceTests.Grid>
{
    public sealed class Grid
    {
        public CompiledKernels Kernels { get; } = new(
        [
            new KernelConfig("Ocl3x2Causal", "Grid", 3, 2, 1, KernelMask.Causal),
            new KernelConfig("Ocl4x8None", "Grid", 4, 8, 1, KernelMask.None, Derivatives: false),
            new KernelConfig("Ocl5x1Window", "Grid", 5, 1, 1, KernelMask.Window, 1),
            new KernelConfig("Ocl6x2Padding", "Grid", 6, 2, 1, KernelMask.Padding),
            new KernelConfig("Ocl4x8CausalF", "Grid", 4, 8, 1, KernelMask.Causal, Element: KernelElement.Float),
            new KernelConfig("Ocl8x16PaddingF", "Grid", 8, 16, 1, KernelMask.Padding, Element: KernelElement.Float, Derivatives: false),
        ]);
    }

    private readonly CompiledKernels _k;
    private readonly ITestOutputHelper _output;
    public OpenClSourceTests(Grid grid, ITestOutputHelper output) { _k = grid.Kernels; _output = output; }

    public static TheoryData<int> Indices() => new() { 0, 1, 2, 3, 4, 5 };

    [SkippableTheoryIfNoOpenCl]
    [MemberData(nameof(Indices))]
    public void Generated_OpenCL_equals_generated_CSharp_bit_for_bit(int index) => Compare(index, GpuText.OpenCl);

    /// <summary>The generated CUDA C, run on the host through an IEEE shim (<see cref="HostCudaProgram"/>): no GPU needed.</summary>
    [GxxTheory]
    [MemberData(nameof(Indices))]
    public void Generated_CUDA_run_on_the_host_equals_generated_CSharp_bit_for_bit(int index) => Compare(index, GpuText.CudaOnHost);

    private void Compare(int index, GpuText text)
    {
        var c = _k.Configs[index];
        if (c.Element == KernelElement.Float) Compare<float>(c, x => (float)x, x => BitConverter.SingleToInt32Bits(x), text);
        else Compare<double>(c, x => x, x => BitConverter.DoubleToInt64Bits(x), text);
    }

    public enum GpuText { OpenCl, CudaOnHost }

    /// <summary>One way to run a generated GPU source: OpenCL on the device, or the CUDA text on the host.</summary>
    private sealed class GpuRun : IDisposable
    {
        private readonly OpenClProgram? _openCl;
        private readonly HostCudaProgram? _cuda;
        public string Name { get; }

        public GpuRun(Type kernelClass, GpuText text)
        {
            if (text == GpuText.OpenCl) { _openCl = new OpenClProgram((string)kernelClass.GetField("OpenClSource")!.GetValue(null)!); Name = "OpenCL"; }
            else { _cuda = new HostCudaProgram((string)kernelClass.GetField("CudaSource")!.GetValue(null)!); Name = "CUDA (host)"; }
        }

        public void Run(string kernel, int threads, params object[] args)
        {
            if (_openCl is not null) _openCl.Run(kernel, threads, args);
            else _cuda!.Run(kernel, threads, args);
        }

        public void Dispose() { _openCl?.Dispose(); _cuda?.Dispose(); }
    }

    private void Compare<T>(KernelConfig c, Func<double, T> cast, Func<T, long> bits, GpuText text) where T : struct
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

        var kernelClass = _k.Assembly.GetType($"Grid.{c.TypeName}", throwOnError: true)!;
        var prefix = (string)kernelClass.GetField("GpuKernelPrefix")!.GetValue(null)!;
        using var program = new GpuRun(kernelClass, text);
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
            Assert.True(bits(margins[e]) == bits(gpuMargins[e]), $"{c.TypeName}: margin {e} differs: C# {margins[e]}, {program.Name} {gpuMargins[e]}");

        // The scores kernel against the scalar C# kernel, sample by sample (SoA [(i*n + j)*batch + b]).
        var qs = new T[n * d]; var ks = new T[n * d]; var s = new T[n * n];
        for (int b = 0; b < batch; b += 37)
        {
            for (int e = 0; e < n * d; e++) { qs[e] = q[e * batch + b]; ks[e] = k[e * batch + b]; }
            _k.Call(c, "Scores", qs, ks, keyMask, s);
            for (int e = 0; e < n * n; e++)
                Assert.True(bits(s[e]) == bits(gpuScores[e * batch + b]), $"{c.TypeName}: sample {b} score {e}: C# {s[e]}, {program.Name} {gpuScores[e * batch + b]}");
        }
    }

    /// <summary>
    /// The generated OpenCL softmax, softmax Jacobian, ∂Y/∂Q and ∂Y/∂K kernels against the generated C# scalar kernels,
    /// sample by sample, on the same scores (those of the OpenCL scores kernel, equal to C#'s bit for bit above).
    /// The statements after exp are the C# kernels' own text in the same order (FP_CONTRACT OFF, correctly rounded
    /// division), so the only source of difference is exp: OpenCL 1.2 allows 3 ulp for exp (float and double) and
    /// .NET's Math.Exp/MathF.Exp (the C runtime's) is within 1 ulp, so each e_j may differ by 4 ulp. Stated tolerance:
    /// weights within 16 ulp of the C# weight (4 ulp from e_j, 4 from the sum, plus the propagated roundings);
    /// Jacobian and ∂Y entries within 64·n·u·B, u = 2^−52 (double) or 2^−23 (float), B the magnitude of the summed
    /// terms (1/τ for the Jacobian, n·max|V|·max(|Q|,|K|)·scale/τ for ∂Y), the bound the C# tests use, because
    /// 1 − A and V − Y can cancel. The test also counts bit-identical entries and prints the largest differences.
    /// </summary>
    [SkippableTheoryIfNoOpenCl]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Generated_OpenCL_softmax_and_derivatives_match_generated_CSharp(int index) => CompareDerivatives(index, GpuText.OpenCl);

    [GxxTheory]
    [MemberData(nameof(Indices))]
    public void Generated_CUDA_softmax_and_derivatives_run_on_the_host_match_generated_CSharp(int index) => CompareDerivatives(index, GpuText.CudaOnHost);

    private void CompareDerivatives(int index, GpuText text)
    {
        var c = _k.Configs[index];
        if (c.Element == KernelElement.Float) CompareDerivatives<float>(c, x => (float)x, x => x, Math.Pow(2, -23), text);
        else CompareDerivatives<double>(c, x => x, x => x, Math.Pow(2, -52), text);
    }

    private static long Ulps(double a, double b, bool single)
    {
        if (a == b) return 0;
        if (single) { long x = BitConverter.SingleToInt32Bits((float)a), y = BitConverter.SingleToInt32Bits((float)b); if (x < 0) x = int.MinValue - x; if (y < 0) y = int.MinValue - y; return Math.Abs(x - y); }
        long p = BitConverter.DoubleToInt64Bits(a), r = BitConverter.DoubleToInt64Bits(b);
        if (p < 0) p = long.MinValue - p; if (r < 0) r = long.MinValue - r;
        return Math.Abs(p - r);
    }

    private void CompareDerivatives<T>(KernelConfig c, Func<double, T> cast, Func<T, double> widen, double u, GpuText text) where T : struct
    {
        const int batch = 301; // not a multiple of any vector width or work-group size
        const double tau = 0.7;
        bool single = c.Element == KernelElement.Float;
        int n = c.Tokens, d = c.HeadDim, nn = n * n, nd = n * d;
        var random = new Random(2000 + n * 31 + d);
        var q = new T[nd * batch]; var k = new T[nd * batch]; var v = new T[nd * batch];
        for (int e = 0; e < q.Length; e++) { q[e] = cast(random.NextDouble() * 2 - 1); k[e] = cast(random.NextDouble() * 2 - 1); v[e] = cast(random.NextDouble() * 2 - 1); }
        var keyMask = new bool[n];
        for (int j = 0; j < n; j++) keyMask[j] = c.Mask != KernelMask.Padding || j % 3 != 1;
        var maskBytes = keyMask.Select(x => x ? (byte)1 : (byte)0).ToArray();
        object[] Args(object[] inputs, params object[] rest) => c.Mask == KernelMask.Padding ? [.. inputs, maskBytes, .. rest, batch] : [.. inputs, .. rest, batch];
        T tauT = cast(tau);

        var type = _k.Assembly.GetType($"Grid.{c.TypeName}", throwOnError: true)!;
        var prefix = (string)type.GetField("GpuKernelPrefix")!.GetValue(null)!;
        using var program = new GpuRun(type, text);
        var scores = new T[nn * batch];
        program.Run(prefix + "_scores", batch, Args([q, k], scores));
        var weights = new T[nn * batch];
        program.Run(prefix + "_softmax", batch, scores, tauT, weights, batch);
        T[]? jac = null, byQ = null, byK = null;
        if (c.Derivatives)
        {
            jac = new T[nn * n * batch]; byQ = new T[nd * nd * batch]; byK = new T[nd * nd * batch];
            program.Run(prefix + "_softmax_jacobian", batch, scores, tauT, jac, batch);
            program.Run(prefix + "_output_by_queries", batch, Args([q, k, v], tauT, byQ));
            program.Run(prefix + "_output_by_keys", batch, Args([q, k, v], tauT, byK));
        }

        long total = 0, identical = 0, worstUlps = 0; double worstJac = 0, worstOut = 0;
        double maxIn = Math.Max(q.Concat(k).Max(x => Math.Abs(widen(x))), 1e-300), maxV = v.Max(x => Math.Abs(widen(x)));
        double jacBound = 64.0 * n * u / tau, outBound = 64.0 * n * u * (n * maxV * maxIn * c.Scale / tau);
        T[] Sample(T[] soa, int count, int b) { var x = new T[count]; for (int e = 0; e < count; e++) x[e] = soa[e * batch + b]; return x; }
        void Check(string what, T[] expected, T[] soa, int b, double absBound)
        {
            for (int e = 0; e < expected.Length; e++)
            {
                double x = widen(expected[e]), y = widen(soa[e * batch + b]);
                total++;
                long ulps = Ulps(x, y, single);
                if (ulps == 0) { identical++; continue; }
                if (absBound == 0)
                {
                    worstUlps = Math.Max(worstUlps, ulps);
                    Assert.True(ulps <= 16, $"{c.TypeName} {what} sample {b} entry {e}: C# {x:R}, {program.Name} {y:R} ({ulps} ulp)");
                }
                else
                {
                    double rel = Math.Abs(x - y) / absBound;
                    if (what == "jacobian") worstJac = Math.Max(worstJac, rel); else worstOut = Math.Max(worstOut, rel);
                    Assert.True(Math.Abs(x - y) <= absBound, $"{c.TypeName} {what} sample {b} entry {e}: C# {x:R}, {program.Name} {y:R}, tolerance {absBound:E2}");
                }
            }
        }
        for (int b = 0; b < batch; b++)
        {
            var s = Sample(scores, nn, b);
            var a = new T[nn];
            _k.Call(c, "Softmax", s, tauT, a);
            Check("softmax", a, weights, b, 0);
            if (!c.Derivatives) continue;
            var j = new T[nn * n];
            _k.Call(c, "Jacobian", s, tauT, j);
            Check("jacobian", j, jac!, b, jacBound);
            var qs = Sample(q, nd, b); var ks = Sample(k, nd, b); var vs = Sample(v, nd, b);
            var r = new T[nd * nd];
            _k.Call(c, "ByQueries", qs, ks, vs, keyMask, tauT, r);
            Check("by queries", r, byQ!, b, outBound);
            _k.Call(c, "ByKeys", qs, ks, vs, keyMask, tauT, r);
            Check("by keys", r, byK!, b, outBound);
        }
        _output.WriteLine($"{c.TypeName} ({program.Name}): {identical} of {total} entries bit-identical; largest weight difference {worstUlps} ulp; largest Jacobian difference {worstJac:F4} and ∂Y difference {worstOut:F4} of the tolerance");
    }

    // The C# entry points refuse a padding row with every key masked; a GPU kernel cannot throw, so it says so in band.
    [SkippableFactIfNoOpenCl]
    public void A_padding_row_with_every_key_masked_gives_pattern_minus_one_and_a_NaN_margin() => FullyMaskedRows(GpuText.OpenCl);

    [GxxFact]
    public void A_padding_row_with_every_key_masked_gives_pattern_minus_one_and_a_NaN_margin_in_CUDA() => FullyMaskedRows(GpuText.CudaOnHost);

    private void FullyMaskedRows(GpuText text)
    {
        foreach (var c in _k.Configs.Where(c => c.Mask == KernelMask.Padding))
        {
            const int batch = 5;
            int n = c.Tokens, d = c.HeadDim;
            var random = new Random(7);
            var kernelClass = _k.Assembly.GetType($"Grid.{c.TypeName}")!;
            var prefix = (string)kernelClass.GetField("GpuKernelPrefix")!.GetValue(null)!;
            using var program = new GpuRun(kernelClass, text);
            foreach (var keep in new[] { -1, n - 1 })
            {
                // keep = −1: every key masked; keep = n − 1: only the last key admitted, the control.
                var mask = Enumerable.Range(0, n).Select(j => j == keep ? (byte)1 : (byte)0).ToArray();
                var pattern = new int[n * batch];
                if (c.Element == KernelElement.Float)
                {
                    var q = Enumerable.Range(0, n * d * batch).Select(_ => (float)random.NextDouble()).ToArray();
                    var margins = new float[n * batch];
                    program.Run(prefix + "_patterns_margins", batch, [q, q, mask, pattern, margins, batch]);
                    Assert.All(margins, m => Assert.Equal(keep < 0, float.IsNaN(m)));
                }
                else
                {
                    var q = Enumerable.Range(0, n * d * batch).Select(_ => random.NextDouble()).ToArray();
                    var margins = new double[n * batch];
                    program.Run(prefix + "_patterns_margins", batch, [q, q, mask, pattern, margins, batch]);
                    Assert.All(margins, m => Assert.Equal(keep < 0, double.IsNaN(m)));
                }
                Assert.All(pattern, p => Assert.Equal(keep, p));
            }
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
