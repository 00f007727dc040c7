using System.Text.Json;
using Workbench.Claims.Reporting;
using Workbench.Testing;

namespace Workbench.Claims.Tests;

public class ReportingTests
{
    private static ClaimResult Sample() => new("S.two-token", "S §4.1", "a statement", Verdict.Refuted,
    [
        new CheckResult("formula", "n = 2", CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample("q = 1", @"q_1 = 1"), Evidence.Numeric("err", 10, 0.5, 1e-12))),
    ]);

    [Fact]
    public void Text_names_every_part()
    {
        var text = ClaimText.Render(Sample());
        foreach (var part in new[] { "S.two-token: refuted", "where: S §4.1", "statement: a statement", "check: formula", "setting: n = 2", "finding: refutes", "- counterexample: q = 1", "latex: q_1 = 1", "10 samples, worst error 0.5" })
            Assert.Contains(part, text);
    }

    [Fact]
    public void Json_has_the_documented_shape()
    {
        using var doc = JsonDocument.Parse(ClaimsJson.Render([new TimedClaimResult(Sample(), 0.25)]));
        var claim = doc.RootElement.GetProperty("claims")[0];
        Assert.Equal("S.two-token", claim.GetProperty("id").GetString());
        Assert.Equal("a statement", claim.GetProperty("statement").GetString());
        Assert.Equal("refuted", claim.GetProperty("verdict").GetString());
        Assert.Equal(2, claim.GetProperty("evidence").GetArrayLength());
        Assert.Equal(0.25, claim.GetProperty("seconds").GetDouble());
        Assert.Equal("counterexample", claim.GetProperty("checks")[0].GetProperty("evidence")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public void Markdown_puts_latex_in_dollars_and_links_figures()
    {
        var md = ClaimsMarkdown.Render([Sample()]);
        Assert.Contains("($q_1 = 1$)", md);
        Assert.Contains("(figures/" + FigureLinks.TwoToken + ")", md);
        Assert.Contains("| [S.two-token](#stwo-token) | refuted |", md);
        Assert.DoesNotContain("seconds", md);
    }

    [Fact]
    public void Docs_claims_md_is_up_to_date()
    {
        var root = CatalogRun.RepositoryRoot();
        Snapshot.VerifyFile(ClaimsMarkdown.Render(CatalogRun.All), Path.Combine(root, "docs", "claims.md"), Path.Combine(root, "docs", "claims.received.md"));
    }

    [Fact]
    public void Docs_figures_are_up_to_date()
    {
        var folder = Path.Combine(CatalogRun.RepositoryRoot(), "docs", "figures");
        foreach (var (file, svg) in Workbench.Claims.Reporting.Figures.StratificationFigures.All())
            Snapshot.VerifyFile(svg, Path.Combine(folder, file), Path.Combine(folder, Path.GetFileNameWithoutExtension(file) + ".received.svg"));
    }

    [Fact]
    public void Figures_are_well_formed_svg()
    {
        foreach (var (file, svg) in Workbench.Claims.Reporting.Figures.StratificationFigures.All())
        {
            var root = System.Xml.Linq.XDocument.Parse(svg).Root!;
            Assert.Equal("svg", root.Name.LocalName);
            Assert.Contains(file, FigureLinks.All);
        }
    }

    [Fact]
    public void Three_token_figure_is_classified_by_argmax()
    {
        Assert.Equal(0, Workbench.Claims.Stratification.ThreeTokenWedges.Classify(2, 1, 0));
        Assert.Equal(1, Workbench.Claims.Stratification.ThreeTokenWedges.Classify(-1, 1, 0));
        Assert.Equal(2, Workbench.Claims.Stratification.ThreeTokenWedges.Classify(-1, -2, 0));
        Assert.Equal(-1, Workbench.Claims.Stratification.ThreeTokenWedges.Classify(1, 1, 0));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.23456, "1.23")]
    [InlineData(double.PositiveInfinity, "+inf")]
    public void Sig_is_invariant(double x, string expected) => Assert.Equal(expected, Fmt.Sig(x));

    [Theory]
    [InlineData(3e-13, "< 1e-12")]
    [InlineData(3e-16, "< 1e-12")]
    [InlineData(3e-9, "< 1e-8")]
    [InlineData(0.012345, "0.012")]
    public void Bound_hides_round_off(double x, string expected) => Assert.Equal(expected, Fmt.Bound(x));
}
