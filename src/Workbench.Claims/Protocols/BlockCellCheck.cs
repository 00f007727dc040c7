using Workbench.Protocols.Cells;

namespace Workbench.Claims.Protocols;

/// <summary>
/// S.def-11.1 on a seeded attention + ReLU-MLP block: on a cell C_{σ,a} the block is smooth, but affine only in the
/// hard limit. Second differences on segments inside one cell measure the curvature; a segment across a ReLU wall
/// shows the kink that separates cells.
/// </summary>
public sealed class BlockCellCheck : ClaimCheck
{
    public override string ClaimId => "S.def-11.1";
    public override string Name => "second differences inside ReLU block cells";
    public override string Setting => "attention (4 tokens, d = 4, V fixed) then ReLU MLP (8 hidden), seeded Gaussian weights and (Q, K); h = 1e-3; τ ∈ {1, 0.03, 0 (hard)}";

    private sealed record Measure(CellStudy.Result Soft, CellStudy.Result Cold, CellStudy.Result Hard, double Kink);

    private static Measure Compute(ClaimContext c)
    {
        var block = new ReluAttentionBlock(4, 4, 8, c.SeedFor("S.def-11.1 block"));
        var n = (int)c.Samples(150);
        var seed = c.SeedFor("S.def-11.1 samples");
        return new Measure(CellStudy.Run(block, 1, n, seed), CellStudy.Run(block, 0.03, n, seed), CellStudy.Run(block, 0, n, seed), CellStudy.KinkCurvature(block, 1, seed));
    }

    public override CheckOutcome Run(ClaimContext context) => Judge(Compute(context), affineTolerance: 1e-6, claimAffineAtTauOne: false, claimSmoothAcrossWalls: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the block is affine on a cell at τ = 1 (curvature < 1e-6)", c => Judge(Compute(c), 1e-6, claimAffineAtTauOne: true, claimSmoothAcrossWalls: false)),
        new("the block is one smooth map across cells (no kink at a ReLU wall)", c => Judge(Compute(c), 1e-6, claimAffineAtTauOne: false, claimSmoothAcrossWalls: true)),
    ];

    /// <summary>Second differences at h = 1e-3 carry round-off of about 1e-10 relative; below 1e-6 only the decade is meaningful.</summary>
    private static string Small(double v) => v < 1e-6 ? "< 1e-6 (round-off level)" : Fmt.Sig(v, 2);

    private static CheckOutcome Judge(Measure m, double affineTolerance, bool claimAffineAtTauOne, bool claimSmoothAcrossWalls)
    {
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"{m.Soft.Samples} samples visit {m.Soft.DistinctCells} cells C(σ,a); {m.Soft.Segments} segments stay inside one cell"),
            Evidence.Numeric($"relative curvature |Δ²F|/(h²|F|) inside a cell, median: τ = 1: {Fmt.Sig(m.Soft.MedianCurvature, 2)}; τ = 0.03: {Fmt.Sig(m.Cold.MedianCurvature, 2)} (rows with margin ≥ {CellStudy.DeepMargin}: {Fmt.Sig(m.Soft.DeepMedianCurvature, 2)} at τ = 1, {Small(m.Cold.DeepMedianCurvature)} at τ = 0.03); hard limit: max {Fmt.Bound(m.Hard.MaxCurvature)}"),
            Evidence.Numeric($"a segment across a ReLU wall at τ = 1 has relative curvature {Fmt.Sig(m.Kink, 2)} (a kink: O(1/h)); the cells are where the map is smooth"),
        };
        if (claimAffineAtTauOne)
            return m.Soft.MedianCurvature < affineTolerance ? new CheckOutcome(Finding.SupportsNumerically, evidence)
                : new CheckOutcome(Finding.Refutes, [Evidence.Counterexample($"at τ = 1 the median curvature inside a cell is {Fmt.Sig(m.Soft.MedianCurvature, 2)}, not < {Fmt.Sci(affineTolerance)}"), .. evidence]);
        if (claimSmoothAcrossWalls)
            return m.Kink < 10 * m.Soft.MaxCurvature ? new CheckOutcome(Finding.SupportsNumerically, evidence)
                : new CheckOutcome(Finding.Refutes, [Evidence.Counterexample($"curvature {Fmt.Sig(m.Kink, 2)} across a ReLU wall, against at most {Fmt.Sig(m.Soft.MaxCurvature, 2)} inside cells at τ = 1"), .. evidence]);
        var smoothInside = m.Hard.MaxCurvature < affineTolerance && double.IsFinite(m.Soft.MaxCurvature);
        if (!smoothInside) return new CheckOutcome(Finding.Refutes, [Evidence.Counterexample("the block is not affine on cells even in the hard limit"), .. evidence]);
        return m.Soft.MedianCurvature > 1e3 * affineTolerance
            ? new CheckOutcome(Finding.Qualifies, [Evidence.Note("smooth on every sampled cell, but affine only in the hard limit τ → 0 (exactly: constant, since V is fixed); at τ > 0 the softmax curves it, and near the cell walls the curvature does not shrink with τ. \"Often affine\" needs: hard attention, or τ ≪ the margin"), .. evidence])
            : new CheckOutcome(Finding.SupportsNumerically, evidence);
    }
}
