namespace Workbench.Claims.Reporting;

/// <summary>
/// Which regenerated figure illustrates which claim. File names are those `workbench figures` writes; links in
/// docs/claims.md are relative to docs/, where the figures folder lives.
/// </summary>
public static class FigureLinks
{
    public const string TwoToken = "s-fig2-two-token.svg";
    public const string ThreeToken = "s-fig3-three-token-wedges.svg";
    public const string CausalMask = "s-fig4-causal-mask.svg";

    public static IReadOnlyList<string> All { get; } = [TwoToken, ThreeToken, CausalMask];

    private static readonly Dictionary<string, (string File, string Caption)[]> ByClaim = new(StringComparer.Ordinal)
    {
        ["S.two-token"] = [(TwoToken, "S Figure 2: A_11 against Δ for several τ, and the hard limit")],
        ["S.two-token-peak"] = [(TwoToken, "S Figure 2: A_11 against Δ for several τ, and the hard limit")],
        ["S.three-token"] = [(ThreeToken, "S Figure 3: the (u, v) wedge partition, classified by the workbench's argmax")],
        ["S.masked-count"] = [(CausalMask, "S Figure 4: causal admissible set and pattern counts")],
    };

    public static IReadOnlyList<(string File, string Caption)> For(string claimId) =>
        ByClaim.TryGetValue(claimId, out var figures) ? figures : [];
}
