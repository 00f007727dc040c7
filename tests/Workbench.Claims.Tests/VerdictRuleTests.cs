namespace Workbench.Claims.Tests;

public class VerdictRuleTests
{
    [Theory]
    [InlineData(new Finding[0], Verdict.Open)]
    [InlineData(new[] { Finding.Inconclusive }, Verdict.Open)]
    [InlineData(new[] { Finding.SupportsNumerically }, Verdict.HoldsNumerically)]
    [InlineData(new[] { Finding.Proves, Finding.SupportsNumerically }, Verdict.Holds)]
    [InlineData(new[] { Finding.Proves, Finding.Inconclusive }, Verdict.Holds)]
    [InlineData(new[] { Finding.Proves, Finding.Qualifies }, Verdict.Qualified)]
    [InlineData(new[] { Finding.Qualifies, Finding.Refutes }, Verdict.Refuted)]
    [InlineData(new[] { Finding.Refutes, Finding.IllPosed }, Verdict.IllPosed)]
    [InlineData(new[] { Finding.Proves, Finding.Unverifiable }, Verdict.Unverifiable)]
    [InlineData(new[] { Finding.Qualifies, Finding.Unverifiable }, Verdict.Qualified)]
    public void Combines_findings(Finding[] findings, Verdict expected) => Assert.Equal(expected, VerdictRule.Combine(findings));

    [Fact]
    public void Order_of_findings_does_not_matter()
    {
        var findings = Enum.GetValues<Finding>();
        for (var shift = 0; shift < findings.Length; shift++)
            Assert.Equal(VerdictRule.Combine(findings), VerdictRule.Combine(findings.Skip(shift).Concat(findings.Take(shift))));
    }

    [Fact]
    public void Every_verdict_has_a_text() =>
        Assert.Equal(Enum.GetValues<Verdict>().Length, Enum.GetValues<Verdict>().Select(v => v.ToText()).Distinct().Count());

    [Fact]
    public void A_crashing_check_is_inconclusive_with_the_reason()
    {
        var catalog = new ClaimCatalog([new Crashing()]);
        var result = catalog.Run("S.two-token", ClaimContext.Default);
        Assert.Equal(Verdict.Open, result.Verdict);
        Assert.Contains("check failed: InvalidOperationException: boom", result.Evidence.Single().Text);
    }

    private sealed class Crashing : ClaimCheck
    {
        public override string ClaimId => "S.two-token";
        public override string Name => "crashes";
        public override string Setting => "none";
        public override CheckOutcome Run(ClaimContext context) => throw new InvalidOperationException("boom");
    }
}
