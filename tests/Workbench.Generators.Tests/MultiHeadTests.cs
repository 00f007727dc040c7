using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Workbench.Generators.Tests;

/// <summary>A configuration with Heads = 3 gets an all-heads entry point and the multi-head pattern tuple.</summary>
public class MultiHeadTests
{
    private static Type Compile()
    {
        const string declarations = """
            using Workbench.Kernels.Generated;
            namespace Multi;
            [AttentionKernel(Tokens = 4, HeadDim = 3, Heads = 3, Mask = KernelMask.Causal, Derivatives = false)]
            public static partial class Three;
            """;
        const string harness = """
            namespace Multi;
            public static class Harness
            {
                public static void PerHead(double[] q, double[] k, int[] p, double[] m) => Three.PatternsAndMarginsPerHead(q, k, p, m);
                public static void One(double[] q, double[] k, int[] p, double[] m) => Three.PatternAndMargins(q, k, p, m);
                public static void Codes(int[] p, ulong[] c) => Three.PatternCodes(p, c);
                public static ulong Code(int[] p) => Three.PatternCode(p);
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
        var t = Compile();
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
}
