using Workbench.Testing;

namespace Workbench.Generators.Tests;

public class SnapshotTests
{
    private static void VerifyGenerated(string declaration, string hintName, [System.Runtime.CompilerServices.CallerMemberName] string method = "")
    {
        var (output, diagnostics, result) = GeneratorHarness.Run(declaration);
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrors(output));
        var source = result.Results.Single().GeneratedSources.Single(s => s.HintName == hintName);
        Snapshot.Verify(source.SourceText.ToString(), name: hintName, extension: "cs", method: method);
    }

    [Fact]
    public void Causal_three_tokens_two_dims_double() => VerifyGenerated("""
        using Workbench.Kernels.Generated;
        namespace Demo;
        [AttentionKernel(Tokens = 3, HeadDim = 2, Mask = KernelMask.Causal)]
        public static partial class Causal3x2;
        """, "Demo.Causal3x2.g.cs");

    [Fact]
    public void Padding_two_tokens_one_dim_float() => VerifyGenerated("""
        using Workbench.Kernels.Generated;
        [AttentionKernel(Tokens = 2, HeadDim = 1, Mask = KernelMask.Padding, Element = KernelElement.Float)]
        public static partial class Padded2x1;
        """, "Padded2x1.g.cs");

    [Fact]
    public void Attribute_source_is_stable()
    {
        var (_, _, result) = GeneratorHarness.Run("class Nothing {}");
        var source = result.Results.Single().GeneratedSources.Single();
        Snapshot.Verify(source.SourceText.ToString(), name: source.HintName, extension: "cs");
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        const string decl = """
            using Workbench.Kernels.Generated;
            [AttentionKernel(Tokens = 5, HeadDim = 3, Mask = KernelMask.Window, Window = 1)]
            public static partial class W5;
            """;
        var a = GeneratorHarness.Run(decl).Result.Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()).ToArray();
        var b = GeneratorHarness.Run(decl).Result.Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()).ToArray();
        Assert.Equal(a, b);
        Assert.Equal(2, a.Length);
    }
}
