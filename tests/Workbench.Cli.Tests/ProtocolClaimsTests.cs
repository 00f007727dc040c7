using Workbench.Claims;
using Workbench.Claims.Protocols;

namespace Workbench.Cli.Tests;

/// <summary>The protocol-area claim checks: each decides something, and each negative control reaches a different finding.</summary>
public class ProtocolClaimsTests
{
    public static TheoryData<string> Checks => new(new[] { typeof(ProtocolsRunnableCheck), typeof(HardLimitOutputCheck), typeof(BlockCellCheck), typeof(NearTieFisherCheck), typeof(FisherAlignmentCheck) }.Select(t => t.FullName!));

    [Theory]
    [MemberData(nameof(Checks))]
    public void Check_and_its_negative_controls_disagree(string typeName)
    {
        var check = (ClaimCheck)Activator.CreateInstance(typeof(ProtocolsRunnableCheck).Assembly.GetType(typeName)!)!;
        var context = ClaimContext.Default;
        var outcome = check.Run(context);
        Assert.NotEmpty(outcome.Evidence);
        if (outcome.Finding == Finding.Unverifiable) return;   // no shared model here: reported, not failed
        Assert.NotEmpty(check.NegativeControls);
        foreach (var control in check.NegativeControls)
            Assert.NotEqual(outcome.Finding, control.Run(context).Finding);
    }

    [Fact]
    public void Protocol_claims_are_in_the_default_catalog()
    {
        foreach (var id in new[] { "S.protocols", "S.sec-13.1", "S.def-11.1", "S.sec-14.1", "S.conj-14.1" })
            Assert.Contains(id, ClaimCatalog.Default.Ids);
    }
}
