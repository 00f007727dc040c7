using Workbench.Claims;
using Workbench.Claims.Symbolic;

namespace Workbench.Claims.Tests.Symbolic;

public class SymbolicClaimChecksTests
{
    public static TheoryData<string, Finding> Expected => new()
    {
        { nameof(SoftmaxJacobianCheck), Finding.Qualifies },
        { nameof(ScoreJacobianCheck), Finding.Proves },
        { nameof(TwoTokenCheck), Finding.Proves },
        { nameof(TwoTokenPeakCheck), Finding.Proves },
        { nameof(ThreeTokenCheck), Finding.Proves },
        { nameof(TiePolynomialLinearityCheck), Finding.Qualifies },
        { nameof(TieSetShapeCheck), Finding.Qualifies },
        { nameof(ScoreInvarianceCheck), Finding.Qualifies },
        { nameof(DegenerateHeadCheck), Finding.Proves },
        { nameof(MaskedCountCheck), Finding.Proves },
        { nameof(JacobiIdentityCheck), Finding.Qualifies },
        { nameof(L3CoherenceCheck), Finding.Proves },
        { nameof(CommutatorCocycleCheck), Finding.Refutes },
        { nameof(GerstenhaberObstructionCheck), Finding.Qualifies },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Check_reaches_its_finding_and_every_negative_control_differs(string type, Finding expected)
    {
        var check = (ClaimCheck)Activator.CreateInstance(typeof(SoftmaxJacobianCheck).Assembly.GetType("Workbench.Claims.Symbolic." + type)!)!;
        var outcome = check.Run(ClaimContext.Default);
        Assert.True(outcome.Finding == expected, $"{check.ClaimId}: {outcome.Finding}\n" + string.Join("\n", outcome.Evidence.Select(e => e.Text)));
        Assert.NotEmpty(outcome.Evidence);
        Assert.NotEmpty(check.NegativeControls);
        foreach (var control in check.NegativeControls)
        {
            var c = control.Run(ClaimContext.Default);
            Assert.True(c.Finding != outcome.Finding, $"{check.ClaimId} control '{control.Description}' also gave {c.Finding}");
        }
    }
}
