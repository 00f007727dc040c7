using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Workbench.Generators.Tests;

/// <summary>Edits that cannot change a kernel leave every tracked step Cached or Unchanged.</summary>
public class IncrementalityTests
{
    private const string Declaration = """
        using Workbench.Kernels.Generated;
        namespace Inc;
        // a comment
        [AttentionKernel(Tokens = 3, HeadDim = 2, Mask = KernelMask.Causal)]
        public static partial class K;
        """;

    private static GeneratorRunResult Rerun(Func<CSharpCompilation, CSharpCompilation> edit)
    {
        var compilation = GeneratorHarness.Compilation(Declaration, "namespace Other; public class Unrelated { public int X; }");
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        driver = driver.RunGenerators(edit(compilation));
        return driver.GetRunResult().Results.Single();
    }

    private static void AssertAllCached(GeneratorRunResult result)
    {
        foreach (var name in new[] { AttentionKernelGenerator.TrackingNames.Declarations, AttentionKernelGenerator.TrackingNames.Configurations,
                     AttentionKernelGenerator.TrackingNames.Diagnostics, AttentionKernelGenerator.TrackingNames.Duplicates })
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"step {name} was not tracked");
            foreach (var step in result.TrackedSteps[name])
                foreach (var (_, reason) in step.Outputs)
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {reason}");
        }
    }

    private static CSharpCompilation Replace(CSharpCompilation c, int index, string text)
    {
        var old = c.SyntaxTrees[index];
        return c.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, old.FilePath));
    }

    [Fact]
    public void Editing_a_comment_keeps_every_step_cached() =>
        AssertAllCached(Rerun(c => Replace(c, 0, Declaration.Replace("a comment", "a remark!"))));

    [Fact]
    public void Moving_the_declaration_keeps_the_generated_source_cached()
    {
        // Diagnostics carry positions and must follow the declaration; the kernel source must not be regenerated.
        var result = Rerun(c => Replace(c, 0, Declaration.Replace("// a comment", "// a comment\n// that grew a second line")));
        foreach (var step in result.TrackedSteps[AttentionKernelGenerator.TrackingNames.Configurations])
            foreach (var (_, reason) in step.Outputs)
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, reason.ToString());
    }

    [Fact]
    public void Editing_an_unrelated_file_keeps_every_step_cached() =>
        AssertAllCached(Rerun(c => Replace(c, 1, "namespace Other; public class Unrelated { public int X; public int Y; }")));

    [Fact]
    public void Changing_the_configuration_reruns_the_declaration()
    {
        var result = Rerun(c => Replace(c, 0, Declaration.Replace("Tokens = 3", "Tokens = 4")));
        var reasons = result.TrackedSteps[AttentionKernelGenerator.TrackingNames.Configurations].SelectMany(s => s.Outputs).Select(o => o.Reason);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
    }
}
