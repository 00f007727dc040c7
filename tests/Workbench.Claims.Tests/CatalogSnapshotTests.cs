using Workbench.Claims.Reporting;
using Workbench.Testing;

namespace Workbench.Claims.Tests;

/// <summary>Every claim's verdict and evidence is pinned: a changed verdict fails until someone accepts it.</summary>
public class CatalogSnapshotTests
{
    public static TheoryData<string> Ids() => CatalogRun.Ids();

    [Theory]
    [MemberData(nameof(Ids))]
    public void Claim(string id) => Snapshot.Verify(ClaimText.Render(CatalogRun.Result(id)), name: id);

    [Fact]
    public void Required_stratification_claims_are_registered()
    {
        string[] required = ["S.pattern-count", "S.def-3.3", "S.two-token", "S.two-token-peak", "S.three-token", "S.jacobian-softmax",
            "S.jacobian-scores", "S.prop-6.1", "S.masked-count", "S.cor-9.2", "S.sec-9.3", "S.reachable", "S.sec-13.1"];
        Assert.Empty(required.Except(ClaimCatalog.Default.Ids));
    }

    [Fact]
    public void No_check_fails_with_an_exception() =>
        Assert.DoesNotContain(CatalogRun.All.SelectMany(r => r.Evidence), e => e.Text.StartsWith("check failed:", StringComparison.Ordinal));

    [Fact]
    public void Reruns_give_identical_text()
    {
        // Seeds, not the run order, decide the samples: a second run of one claim reproduces the first.
        var id = ClaimCatalog.Default.Ids[0];
        Assert.Equal(ClaimText.Render(CatalogRun.Result(id)), ClaimText.Render(ClaimCatalog.Default.Run(id, ClaimContext.Default)));
    }
}
