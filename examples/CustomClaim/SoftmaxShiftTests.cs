using Workbench.Claims;
using Workbench.Claims.Reporting;
using Workbench.Testing;

namespace CustomClaim;

/// <summary>How a researcher pins their claim: the verdict and evidence text become a snapshot beside this file.</summary>
public class SoftmaxShiftTests
{
    [Fact]
    public void Verdict_and_evidence_are_pinned()
    {
        var result = SoftmaxShift.Catalog().Run(SoftmaxShift.Id, ClaimContext.Default);
        Assert.Equal(Verdict.HoldsNumerically, result.Verdict);
        Snapshot.Verify(ClaimText.Render(result));
    }

    [Fact]
    public void The_negative_control_reaches_a_different_finding()
    {
        var check = new SoftmaxShiftCheck();
        var finding = check.Run(ClaimContext.Default).Finding;
        Assert.All(check.NegativeControls, control => Assert.NotEqual(finding, control.Run(ClaimContext.Default).Finding));
    }

    [Fact]
    public void The_extended_catalog_keeps_the_workbench_claims()
    {
        var catalog = SoftmaxShift.Catalog();
        Assert.Contains(SoftmaxShift.Id, catalog.Ids);
        Assert.Contains("S.two-token", catalog.Ids);
        Assert.Equal(SoftmaxShift.Statement, catalog.Statement(SoftmaxShift.Id));
    }
}
