using Workbench.Emit;

namespace Workbench.Generators.Tests;

public class StatementPartsTests
{
    private static readonly HashSet<string> Names = ["x", "y", "tau"];

    private static List<string> Assignments(int count) =>
        Enumerable.Range(0, count).Select(i => $"y[{i}] = x[{i}] * tau + 1.5e-3;").ToList();

    [Fact]
    public void Short_lists_are_not_split()
    {
        Assert.Null(StatementParts.Split(Assignments(StatementParts.PartStatements), "double", Names));
        var parts = StatementParts.Split(Assignments(StatementParts.PartStatements + 1), "double", Names);
        Assert.NotNull(parts);
        Assert.Equal(2, parts!.Count);
        Assert.Equal(Assignments(StatementParts.PartStatements + 1), parts.SelectMany(p => p));
    }

    [Fact]
    public void A_cut_never_separates_a_temporary_from_its_uses()
    {
        var s = Assignments(3 * StatementParts.PartStatements);
        // A temporary declared just before the first natural cut and used well after it.
        var at = StatementParts.PartStatements - 1;
        s[at] = "double t7 = x[3] * x[4];";
        s[at + 25] = "y[99] = t7 + x[1];";
        var parts = StatementParts.Split(s, "double", Names)!;
        Assert.Equal(s, parts.SelectMany(p => p));
        var first = parts[0];
        Assert.Contains("double t7 = x[3] * x[4];", first);
        Assert.Contains("y[99] = t7 + x[1];", first);
        Assert.All(parts.Skip(1), p => Assert.DoesNotContain(p, l => l.Contains("t7")));
    }

    [Fact]
    public void A_name_the_part_could_not_see_keeps_the_list_whole()
    {
        var s = Assignments(2 * StatementParts.PartStatements);
        s[5] = "y[5] = m3 * x[5];"; // m3: a local of the calling method
        Assert.Null(StatementParts.Split(s, "double", Names));
    }

    [Fact]
    public void Identifiers_skip_literal_suffixes_and_member_names()
    {
        Assert.Equal(["y", "x", "Math", "tau"], StatementParts.Identifiers("y[2] = x[0] * 1.5e-3f + Math.Exp(tau) - 2d;"));
    }

    [Fact]
    public void Large_derivative_kernels_are_emitted_in_parts_and_small_ones_are_not()
    {
        var large = KernelEmitter.EmitCSharp(CompiledKernelTests.Grid.Largest);
        Assert.Contains("private static void SoftmaxJacobianPart0(", large);
        Assert.Contains("private static void OutputByKeysPart0(", large);
        var small = KernelEmitter.EmitCSharp(new KernelConfig("Small3x2", "Demo", 3, 2, 1, KernelMask.Causal));
        Assert.DoesNotContain("Part0(", small);
    }
}
