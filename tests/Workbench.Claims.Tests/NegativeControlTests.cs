namespace Workbench.Claims.Tests;

/// <summary>A check that cannot tell its statement from a wrong variant decides nothing; these tests enforce that.</summary>
public class NegativeControlTests
{
    private static readonly Finding[] Decisive = [Finding.Proves, Finding.SupportsNumerically, Finding.Refutes, Finding.Qualifies];

    public static TheoryData<string> Checks()
    {
        var data = new TheoryData<string>();
        foreach (var check in ClaimCatalog.Default.Checks) data.Add(Key(check));
        return data;
    }

    private static string Key(ClaimCheck check) => $"{check.ClaimId} / {check.Name}";

    private static ClaimCheck Find(string key) => ClaimCatalog.Default.Checks.Single(c => Key(c) == key);

    // Each check's own finding is computed once, from the shared catalog run, not once per test.
    private static Finding FindingOf(ClaimCheck check) =>
        CatalogRun.Result(check.ClaimId).Checks.Single(r => r.Name == check.Name).Outcome.Finding;

    [Theory]
    [MemberData(nameof(Checks))]
    public void Every_control_reaches_a_different_finding(string key)
    {
        var check = Find(key);
        var finding = FindingOf(check);
        foreach (var control in check.NegativeControls)
        {
            var controlled = control.Run(ClaimContext.Default).Finding;
            Assert.True(controlled != finding, $"{key}: control '{control.Description}' also found {finding.ToText()}");
        }
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void Decisive_checks_have_a_control(string key)
    {
        var check = Find(key);
        var finding = FindingOf(check);
        if (Decisive.Contains(finding))
            Assert.True(check.NegativeControls.Any(), $"{key} found {finding.ToText()} but has no negative control");
    }

    [Fact]
    public void Every_check_names_an_indexed_claim() =>
        Assert.All(ClaimCatalog.Default.Checks, c => Assert.NotNull(ClaimIndex.Find(c.ClaimId)));
}
