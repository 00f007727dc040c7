namespace Workbench.Generators.Tests;

/// <summary>Each WB diagnostic on a snippet that triggers it and on a near miss that must not.</summary>
public class DiagnosticTests
{
    private static string[] Ids(string body)
    {
        var (_, diagnostics, _) = GeneratorHarness.Run("using Workbench.Kernels.Generated;\nnamespace D;\n" + body);
        return diagnostics.Select(d => d.Id).OrderBy(x => x).ToArray();
    }

    private static string Message(string body, string id)
    {
        var (_, diagnostics, _) = GeneratorHarness.Run("using Workbench.Kernels.Generated;\nnamespace D;\n" + body);
        return diagnostics.Single(d => d.Id == id).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("Tokens = 0, HeadDim = 4", "Tokens = 0 must be between 1 and 4096")]
    [InlineData("Tokens = 4, HeadDim = -2", "HeadDim = -2 must be between 1 and 4096")]
    [InlineData("Tokens = 4, HeadDim = 4, Heads = 0", "Heads = 0 must be between 1 and 1024")]
    [InlineData("Tokens = 100000, HeadDim = 4", "Tokens = 100000 must be between 1 and 4096")]
    [InlineData("HeadDim = 4", "Tokens (n) is not set")]
    public void WB0001_bad_shape(string args, string expected)
    {
        Assert.Equal(new[] { "WB0001" }, Ids($"[AttentionKernel({args})] static partial class K;"));
        Assert.Contains(expected, Message($"[AttentionKernel({args})] static partial class K;", "WB0001"));
        Assert.Empty(Ids("[AttentionKernel(Tokens = 4, HeadDim = 4, Heads = 2)] static partial class K;"));
    }

    [Fact]
    public void WB0002_window_without_width()
    {
        Assert.Equal(new[] { "WB0002" }, Ids("[AttentionKernel(Tokens = 4, HeadDim = 2, Mask = KernelMask.Window)] static partial class K;"));
        Assert.Empty(Ids("[AttentionKernel(Tokens = 4, HeadDim = 2, Mask = KernelMask.Window, Window = 1)] static partial class K;"));
    }

    [Fact]
    public void WB0003_window_as_wide_as_the_sequence()
    {
        const string wide = "[AttentionKernel(Tokens = 4, HeadDim = 2, Mask = KernelMask.Window, Window = 3)] static partial class K;";
        Assert.Equal(new[] { "WB0003" }, Ids(wide));
        Assert.Contains("the same as Mask = KernelMask.None", Message(wide, "WB0003"));
        Assert.Empty(Ids("[AttentionKernel(Tokens = 4, HeadDim = 2, Mask = KernelMask.Window, Window = 2)] static partial class K;"));
    }

    [Fact]
    public void WB0004_too_large_to_unroll()
    {
        const string big = "[AttentionKernel(Tokens = 32, HeadDim = 8)] static partial class K;";
        Assert.Equal(new[] { "WB0004" }, Ids(big));
        var message = Message(big, "WB0004");
        Assert.Contains("the limit is 20000 statements", message);
        Assert.Contains("generic run-time path", message);
        Assert.Equal(new[] { "WB0004" }, Ids("[AttentionKernel(Tokens = 16, HeadDim = 8)] static partial class K;"));
        Assert.Empty(Ids("[AttentionKernel(Tokens = 16, HeadDim = 8, Derivatives = false)] static partial class K;"));
    }

    [Fact]
    public void WB0005_duplicate_configuration()
    {
        const string twice = """
            [AttentionKernel(Tokens = 4, HeadDim = 2, Mask = KernelMask.Causal)] static partial class A;
            [AttentionKernel(Tokens = 4, HeadDim = 2, Mask = KernelMask.Causal)] static partial class B;
            """;
        Assert.Equal(new[] { "WB0005" }, Ids(twice));
        Assert.Contains("D.B declares the same configuration as D.A", Message(twice, "WB0005"));
        Assert.Empty(Ids("""
            [AttentionKernel(Tokens = 4, HeadDim = 2, Mask = KernelMask.Causal)] static partial class A;
            [AttentionKernel(Tokens = 4, HeadDim = 2, Mask = KernelMask.None)] static partial class B;
            """));
    }

    [Theory]
    [InlineData("static class K {}", "partial (add the partial modifier)")]
    [InlineData("partial class K {}", "static (add the static modifier)")]
    [InlineData("class K {}", "static partial (add both modifiers)")]
    [InlineData("static partial class K<T> {}", "non-generic")]
    public void WB0006_not_static_partial(string declaration, string expected)
    {
        var body = "[AttentionKernel(Tokens = 2, HeadDim = 2)] " + declaration;
        Assert.Contains("WB0006", Ids(body));
        Assert.Contains(expected, Message(body, "WB0006"));
        Assert.Empty(Ids("[AttentionKernel(Tokens = 2, HeadDim = 2)] static partial class K {}"));
    }

    [Fact]
    public void WB0006_nested_class()
    {
        Assert.Contains("WB0006", Ids("static partial class Outer { [AttentionKernel(Tokens = 2, HeadDim = 2)] static partial class K {} }"));
    }

    [Fact]
    public void WB0007_non_constant_value()
    {
        const string body = "static class Sizes { public static int N = 4; }\n[AttentionKernel(Tokens = Sizes.N, HeadDim = 2)] static partial class K;";
        Assert.Contains("WB0007", Ids(body));
        Assert.Contains("the value of Tokens is not a compile-time constant", Message(body, "WB0007"));
        Assert.Empty(Ids("static class Sizes { public const int N = 4; }\n[AttentionKernel(Tokens = Sizes.N, HeadDim = 2)] static partial class K;"));
    }

    [Fact]
    public void WB0008_bad_scale()
    {
        Assert.Equal(new[] { "WB0008" }, Ids("[AttentionKernel(Tokens = 2, HeadDim = 2, ScoreScale = 0.0)] static partial class K;"));
        Assert.Equal(new[] { "WB0008" }, Ids("[AttentionKernel(Tokens = 2, HeadDim = 2, ScoreScale = double.PositiveInfinity)] static partial class K;"));
        Assert.Empty(Ids("[AttentionKernel(Tokens = 2, HeadDim = 2, ScoreScale = 0.25)] static partial class K;"));
    }

    [Fact]
    public void Errors_stop_emission_but_never_throw()
    {
        var (_, _, result) = GeneratorHarness.Run("using Workbench.Kernels.Generated;\n[AttentionKernel(Tokens = 0, HeadDim = 0)] class K {}");
        Assert.Null(result.Results.Single().Exception);
        Assert.Single(result.Results.Single().GeneratedSources); // only the attribute
    }

    [Fact]
    public void Release_tracking_lists_every_descriptor()
    {
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "AnalyzerReleases.Shipped.md"));
        foreach (var id in KernelDiagnostics.ById.Keys) Assert.Contains(id + " |", shipped);
    }
}
