namespace Workbench.Claims.Tests;

public class ClaimIndexTests
{
    [SharedDataFact]
    public void Embedded_index_equals_the_shared_one()
    {
        var shared = SharedData.File("claims-index.md");
        Assert.True(shared is not null, "claims-index.md is missing from the shared folder");
        Assert.Equal(File.ReadAllText(shared!).Replace("\r\n", "\n"), ClaimIndex.RawText().Replace("\r\n", "\n"));
    }

    [Fact]
    public void Parses_ids_places_and_statements()
    {
        var parsed = ClaimIndex.Parse("| id | where | statement |\n|---|---|---|\n| S.x | S §1 | a \\| b |\n| not-an-id | S | c |\n");
        var entry = Assert.Single(parsed).Value;
        Assert.Equal(("S.x", "S §1"), (entry.Id, entry.Where));
        Assert.Contains("b", entry.Statement);
    }

    [Fact]
    public void Index_holds_both_notes() =>
        Assert.True(ClaimIndex.All.Keys.Any(k => k.StartsWith("S.")) && ClaimIndex.All.Keys.Any(k => k.StartsWith("L.")));

    [Fact]
    public void A_check_without_a_statement_is_refused() =>
        Assert.Throws<ArgumentException>(() => new ClaimCatalog([new Orphan()]));

    private sealed class Orphan : ClaimCheck
    {
        public override string ClaimId => "X.nowhere";
        public override string Name => "orphan";
        public override string Setting => "none";
        public override CheckOutcome Run(ClaimContext context) => CheckOutcome.Of(Finding.Inconclusive);
    }
}
