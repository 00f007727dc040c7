using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using Workbench.Generators.CodeFixes;

namespace Workbench.Generators.Tests;

/// <summary>The WB0006 code fix, applied to the generator's own diagnostic in an ad-hoc workspace.</summary>
public class CodeFixTests
{
    private static async Task<string?> Apply(string source)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("P", LanguageNames.CSharp).WithParseOptions(GeneratorHarness.ParseOptions);
        var document = project.AddDocument("Declarations0.cs", SourceText.From(source));
        var (_, diagnostics, _) = GeneratorHarness.Run(source);
        var diagnostic = diagnostics.SingleOrDefault(d => d.Id == "WB0006");
        if (diagnostic is null) return null;
        var tree = await document.GetSyntaxTreeAsync();
        var located = Diagnostic.Create(diagnostic.Descriptor, Location.Create(tree!, diagnostic.Location.SourceSpan));
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, located, (a, _) => actions.Add(a), CancellationToken.None);
        await new StaticPartialCodeFix().RegisterCodeFixesAsync(context);
        if (actions.Count == 0) return "";
        var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
        return (await changed.GetTextAsync()).ToString();
    }

    private const string Attr = "using Workbench.Kernels.Generated;\n[AttentionKernel(Tokens = 2, HeadDim = 2)]\n";

    [Theory]
    [InlineData("public class K {}", "public static partial class K {}")]
    [InlineData("public static class K {}", "public static partial class K {}")]
    [InlineData("partial class K {}", "static partial class K {}")]
    [InlineData("class K {}", "static partial class K {}")]
    public async Task Adds_the_missing_modifiers(string before, string after)
    {
        var fixedSource = await Apply(Attr + before);
        Assert.Equal(Attr + after, fixedSource);
        var (_, diagnostics, _) = GeneratorHarness.Run(fixedSource!);
        Assert.DoesNotContain(diagnostics, d => d.Id == "WB0006");
    }

    [Fact]
    public async Task Offers_nothing_for_a_generic_class() => Assert.Equal("", await Apply(Attr + "static partial class K<T> {}"));

    [Fact]
    public async Task No_diagnostic_for_a_correct_class() => Assert.Null(await Apply(Attr + "static partial class K {}"));
}
