using Workbench.Claims;
using Workbench.Claims.Sampling;
using Xunit.Abstractions;

namespace Workbench.Kernels.Tests.Claims;

public class SamplingClaimsTests(ITestOutputHelper output)
{
    // The findings these checks compute today; a change here is a change in what the evidence says.
    public static TheoryData<string, Finding> Expected => new()
    {
        { nameof(TieSetMeasureZero), Finding.SupportsNumerically },
        { nameof(TieSetLinearity), Finding.Qualifies },
        { nameof(AbsoluteContinuity), Finding.Qualifies },
        { nameof(Reachability), Finding.SupportsNumerically },
        { nameof(MaskedVolume), Finding.SupportsNumerically },
        { nameof(HeadIndependence), Finding.Qualifies },
        { nameof(TieSensitivity), Finding.SupportsNumerically },
        { nameof(DegenerateWeights), Finding.SupportsNumerically },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Check_reaches_its_finding_and_every_negative_control_reaches_another(string name, Finding expected)
    {
        var check = ClaimCatalog.Default.Checks.Single(c => c.GetType().Name == name);
        var outcome = check.Run(ClaimContext.Default);
        foreach (var e in outcome.Evidence) output.WriteLine($"{e.Kind}: {e.Text}");
        Assert.True(expected == outcome.Finding, $"{name}: {outcome.Finding}\n" + string.Join("\n", outcome.Evidence.Select(e => e.Text)));
        Assert.NotEmpty(check.NegativeControls);
        foreach (var control in check.NegativeControls)
            Assert.NotEqual(outcome.Finding, control.Run(ClaimContext.Default).Finding);
    }

    [Fact]
    public void Evidence_is_reproducible_across_runs()
    {
        var check = new MaskedVolume();
        var a = check.Run(ClaimContext.Default).Evidence.Select(e => e.Text);
        var b = check.Run(ClaimContext.Default).Evidence.Select(e => e.Text);
        Assert.Equal(a, b);
    }
}
