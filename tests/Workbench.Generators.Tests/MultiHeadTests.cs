using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Workbench.Generators.Tests;

/// <summary>A configuration with Heads = 3 gets an all-heads entry point and the multi-head pattern tuple.</summary>
public class MultiHeadTests
{
    private static readonly Lazy<Type> Compiled = new(Compile);

    private static Type Compile()
    {
        const string declarations = """
            using Workbench.Kernels.Generated;
            namespace Multi;
            [AttentionKernel(Tokens = 4, HeadDim = 3, Heads = 3, Mask = KernelMask.Causal, Derivatives = false)]
            public static partial class Three;
            [AttentionKernel(Tokens = 5, HeadDim = 4, Heads = 2, Mask = KernelMask.Padding, Element = KernelElement.Float, Derivatives = false)]
            public static partial class TwoPadded;
            """;
        const string harness = """
            namespace Multi;
            public static class Harness
            {
                public static void PerHead(double[] q, double[] k, int[] p, double[] m) => Three.PatternsAndMarginsPerHead(q, k, p, m);
                public static void One(double[] q, double[] k, int[] p, double[] m) => Three.PatternAndMargins(q, k, p, m);
                public static void Codes(int[] p, ulong[] c) => Three.PatternCodes(p, c);
                public static ulong Code(int[] p) => Three.PatternCode(p);
                public static void Batch(double[] q, double[] k, int[] p, double[] m, ulong[] c, int bits) => Three.PatternsAndMarginsPerHeadBatch(q, k, p, m, c, bits);
                public static void BatchAuto(double[] q, double[] k, int[] p, double[] m, ulong[] c) => Three.PatternsAndMarginsPerHeadBatch(q, k, p, m, c);
                public static void FloatPerHead(float[] q, float[] k, bool[] mask, int[] p, float[] m) => TwoPadded.PatternsAndMarginsPerHead(q, k, mask, p, m);
                public static void FloatCodes(int[] p, ulong[] c) => TwoPadded.PatternCodes(p, c);
                public static void FloatBatch(float[] q, float[] k, bool[] mask, int[] p, float[] m, ulong[] c, int bits) => TwoPadded.PatternsAndMarginsPerHeadBatch(q, k, mask, p, m, c, bits);
            }
            """;
        var (output, diagnostics, _) = GeneratorHarness.Run(declarations, harness);
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Concat(GeneratorHarness.CompileErrors(output)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(5)));
        using var stream = new MemoryStream();
        Assert.True(output.Emit(stream).Success);
        return Assembly.Load(stream.ToArray()).GetType("Multi.Harness", throwOnError: true)!;
    }

    private static object? Call(Type t, string name, params object[] args)
    {
        try { return t.GetMethod(name)!.Invoke(null, args); }
        catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
    }

    [Fact]
    public void Every_head_is_the_single_head_kernel_on_its_block_and_codes_form_the_tuple()
    {
        var t = Compiled.Value;
        var random = new Random(3);
        var q = Enumerable.Range(0, 36).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var k = Enumerable.Range(0, 36).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var p = new int[12]; var m = new double[12];
        Call(t, "PerHead", q, k, p, m);
        var codes = new ulong[3];
        Call(t, "Codes", p, codes);
        for (int h = 0; h < 3; h++)
        {
            var ph = new int[4]; var mh = new double[4];
            Call(t, "One", q[(h * 12)..(h * 12 + 12)], k[(h * 12)..(h * 12 + 12)], ph, mh);
            Assert.Equal(ph, p[(h * 4)..(h * 4 + 4)]);
            Assert.Equal(mh, m[(h * 4)..(h * 4 + 4)]);
            Assert.Equal((ulong)Call(t, "Code", ph)!, codes[h]);
        }
        // Different heads see different inputs, so the tuple is not one code repeated.
        Assert.True(codes.Distinct().Count() > 1);
        Assert.Throws<ArgumentException>(() => Call(t, "PerHead", q[..24], k, p, m));
        Assert.Throws<ArgumentException>(() => Call(t, "Codes", p[..8], codes));
    }

    /// <summary>
    /// The multi-head batch entry point (SoA, entry (h, i, a) of sample b at ((h·n + i)·d_h + a)·batch + b) at every
    /// vector width (512, 256, scalar) against the scalar multi-head entry points sample by sample: patterns, margins
    /// (bit-identical) and the multi-head pattern codes. batch = 37 leaves a scalar tail at every width.
    /// </summary>
    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(0)]
    public void Multi_head_batch_equals_the_scalar_multi_head_entry_points(int bits)
    {
        var t = Compiled.Value;
        const int batch = 37;
        var random = new Random(11 + bits);
        {
            const int h = 3, n = 4, d = 3, nd = h * n * d;
            var q = Enumerable.Range(0, nd * batch).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var k = Enumerable.Range(0, nd * batch).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            for (int b = 0; b < batch; b += 4) // exact ties: key 1 of head 1 repeats key 0
                for (int a = 0; a < d; a++) k[((1 * n + 1) * d + a) * batch + b] = k[((1 * n + 0) * d + a) * batch + b];
            var p = new int[h * n * batch]; var m = new double[h * n * batch]; var c = new ulong[h * batch];
            Call(t, "Batch", q, k, p, m, c, bits);
            for (int b = 0; b < batch; b++)
            {
                var qs = Enumerable.Range(0, nd).Select(e => q[e * batch + b]).ToArray();
                var ks = Enumerable.Range(0, nd).Select(e => k[e * batch + b]).ToArray();
                var ps = new int[h * n]; var ms = new double[h * n]; var cs = new ulong[h];
                Call(t, "PerHead", qs, ks, ps, ms);
                Call(t, "Codes", ps, cs);
                for (int e = 0; e < h * n; e++)
                {
                    Assert.Equal(ps[e], p[e * batch + b]);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(ms[e]), BitConverter.DoubleToInt64Bits(m[e * batch + b]));
                }
                for (int hh = 0; hh < h; hh++) Assert.Equal(cs[hh], c[hh * batch + b]);
            }
            if (bits == 512)
            {
                var p2 = new int[p.Length]; var m2 = new double[m.Length]; var c2 = new ulong[c.Length];
                Call(t, "BatchAuto", q, k, p2, m2, c2);
                Assert.Equal(p, p2); Assert.Equal(m, m2); Assert.Equal(c, c2);
                Assert.Throws<ArgumentException>(() => Call(t, "Batch", q, k, p, m, new ulong[h * batch - 1], bits));
                Assert.Throws<ArgumentException>(() => Call(t, "Batch", q[..^1], k, p, m, c, bits));
            }
        }
        {
            const int h = 2, n = 5, d = 4, nd = h * n * d;
            var mask = new[] { true, false, true, true, false };
            var q = Enumerable.Range(0, nd * batch).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var k = Enumerable.Range(0, nd * batch).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var p = new int[h * n * batch]; var m = new float[h * n * batch]; var c = new ulong[h * batch];
            Call(t, "FloatBatch", q, k, mask, p, m, c, bits);
            for (int b = 0; b < batch; b++)
            {
                var qs = Enumerable.Range(0, nd).Select(e => q[e * batch + b]).ToArray();
                var ks = Enumerable.Range(0, nd).Select(e => k[e * batch + b]).ToArray();
                var ps = new int[h * n]; var ms = new float[h * n]; var cs = new ulong[h];
                Call(t, "FloatPerHead", qs, ks, mask, ps, ms);
                Call(t, "FloatCodes", ps, cs);
                for (int e = 0; e < h * n; e++)
                {
                    Assert.Equal(ps[e], p[e * batch + b]);
                    Assert.Equal(BitConverter.SingleToInt32Bits(ms[e]), BitConverter.SingleToInt32Bits(m[e * batch + b]));
                }
                for (int hh = 0; hh < h; hh++) Assert.Equal(cs[hh], c[hh * batch + b]);
            }
        }
    }
}
