using Workbench.Algebra.Operators;

namespace Workbench.Claims.Algebra;

/// <summary>
/// L.cost: the note's dense costs assume d×d operators. Kept factored (A_h = Q_h K_hᵀ), every per-layer quantity
/// (commutator norms, Gram, action) comes from r×r Gram blocks in O(H² d r² + H² r³) time and O(H d r + H² r²)
/// memory, and agrees with the dense computation (checked here to 1e-10).
/// </summary>
public sealed class FactoredCostCheck : ClaimCheck
{
    public override string ClaimId => "L.cost";
    public override string Name => "factored computation against dense";
    public override string Setting => "random layers d = 24, r = 4, H = 5, three seeds, float64; operation counts for GPT-2 Medium shapes";

    public override CheckOutcome Run(ClaimContext context) => Check(context, dropCross: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the factored commutator norm with the cross term -2<A_iA_j, A_jA_i> dropped", c => Check(c, dropCross: true)),
    ];

    private static CheckOutcome Check(ClaimContext context, bool dropCross)
    {
        const int d = 24, r = 4, h = 5;
        double worst = 0;
        for (var s = 0; s < 3; s++)
        {
            var heads = FactoredHeads.Random(d, r, h, context.SeedFor("cost") + (ulong)s);
            var g = HeadGeometry.Compute(heads);
            var dense = Enumerable.Range(0, h).Select(heads.Dense).ToArray();
            for (var i = 0; i < h; i++)
            for (var j = i + 1; j < h; j++)
            {
                var ab = DenseOps.Mul(dense[i], dense[j], d);
                var ba = DenseOps.Mul(dense[j], dense[i], d);
                var exact = DenseOps.Frobenius(DenseOps.Sub(ab, ba));
                var factored = dropCross
                    ? Math.Sqrt(g.CommutatorNorm[i * h + j] * g.CommutatorNorm[i * h + j] + 2 * DenseOps.Inner(ab, ba))
                    : g.CommutatorNorm[i * h + j];
                worst = Math.Max(worst, Math.Abs(factored - exact) / exact);
            }
        }
        const double D = 1024, R = 64, H = 16;
        var factoredFlops = 3 * 2 * D * (H * R) * (H * R) + H * H / 2 * 9 * 2 * R * R * R;
        var denseFlops = H * (H - 1) / 2 * 2 * 2 * D * D * D;
        var evidence = new List<Evidence>
        {
            Evidence.Numeric("||[A_i,A_j]||_F factored (r x r Gram blocks) against dense d x d", 30, worst, 1e-10),
            Evidence.Numeric($"GPT-2 Medium shapes (d = 1024, r = 64, H = 16): factored layer report {Fmt.Sig(factoredFlops / 1e9, 2)} GFLOP (three d x Hr Gram products, then r x r work per pair) against {Fmt.Sig(denseFlops / 1e9, 2)} GFLOP for the dense commutators alone; memory O(H d r + (H r)^2) = {Fmt.Sig((3 * D * H * R + 3 * H * R * H * R) * 8 / 1e6, 2)} MB instead of O(n^2 d^2)"),
        };
        if (worst > 1e-10) return new CheckOutcome(Finding.Refutes, evidence);
        evidence.Insert(0, Evidence.Note("the note's dense costs are right for its dense method but not for the problem: kept factored, every per-layer quantity costs O(H^2 d r^2 + H^2 r^3) and agrees with dense to 1e-10, so a whole GPT-2 Medium model takes seconds, not minutes or hours; its n <= 6 threshold is moot because n <= H"));
        return new CheckOutcome(Finding.Qualifies, evidence);
    }
}

/// <summary>
/// L.action: S = Tr Σ_{i&lt;j} [A_i, A_j]². For Hermitian heads S = −Σ‖[A_i,A_j]‖²_F ≤ 0 (the matrix-model action
/// with a sign); for the note's non-Hermitian heads S is indefinite: it takes both signs on stories260K's layers.
/// </summary>
public sealed class ActionSignCheck : ClaimCheck
{
    public override string ClaimId => "L.action";
    public override string Name => "sign of the matrix-model action";
    public override string Setting => "stories260K layers (A_h non-symmetric) and symmetric heads A_h = Q_h Q_h^T (d = 16, r = 3, H = 4), float64, factored";

    public override CheckOutcome Run(ClaimContext context) => Check(context, symmetric: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("Hermitian heads A_h = Q_h Q_h^T, where the action is sign-definite", c => Check(c, symmetric: true)),
    ];

    private static CheckOutcome Check(ClaimContext context, bool symmetric)
    {
        double[] actions;
        if (symmetric)
        {
            actions = Enumerable.Range(0, 3).Select(s =>
            {
                var x = FactoredHeads.Random(16, 3, 4, context.SeedFor("action") + (ulong)s);
                return LayerReport.Compute(new FactoredHeads(16, 3, 4, x.Q, (double[])x.Q.Clone())).Action;
            }).ToArray();
        }
        else
        {
            var layers = AlgebraClaimData.Stories260K(context);
            if (layers is null) return AlgebraClaimData.Absent();
            actions = layers.Select(l => LayerReport.Compute(l).Action).ToArray();
        }
        var evidence = new List<Evidence> { Evidence.Numeric($"S = Tr sum_(i<j) [A_i,A_j]^2 by {(symmetric ? "random symmetric layer" : "stories260K layer")}: {AlgebraClaimData.List(actions)}") };
        var definite = actions.All(a => a <= 0) || actions.All(a => a >= 0);
        if (definite) return new CheckOutcome(Finding.SupportsNumerically, evidence);
        evidence.Insert(0, Evidence.Counterexample("for the note's non-Hermitian heads S takes both signs across layers, so it is not bounded below or above and is not the (sign-definite) Yang-Mills matrix-model action -Tr[A_i,A_j]^2 >= 0 of Hermitian matrices; the identification holds only for Hermitian A_h"));
        return new CheckOutcome(Finding.Qualifies, evidence);
    }
}

/// <summary>L.non-hermitian: ‖A_h − A_hᵀ‖_F / ‖A_h‖_F on stories260K; tied W^q = W^k would give symmetric heads.</summary>
public sealed class NonHermitianCheck : ClaimCheck
{
    public override string ClaimId => "L.non-hermitian";
    public override string Name => "asymmetry of trained head operators";
    public override string Setting => "stories260K, all 40 heads, dense 64 x 64 float64";

    public override CheckOutcome Run(ClaimContext context) => Check(context, tied: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("tied weights W^q = W^k (the case where A_h is symmetric)", c => Check(c, tied: true)),
    ];

    private static CheckOutcome Check(ClaimContext context, bool tied)
    {
        var layers = AlgebraClaimData.Stories260K(context);
        if (layers is null) return AlgebraClaimData.Absent();
        var ratios = new List<double>();
        foreach (var raw in layers)
        {
            var l = tied ? new FactoredHeads(raw.D, raw.Rank, raw.Heads, raw.Q, (double[])raw.Q.Clone()) : raw;
            for (var h = 0; h < l.Heads; h++)
            {
                var a = l.Dense(h);
                var t = new double[a.Length];
                for (var i = 0; i < l.D; i++) for (var j = 0; j < l.D; j++) t[i * l.D + j] = a[i * l.D + j] - a[j * l.D + i];
                ratios.Add(DenseOps.Frobenius(t) / DenseOps.Frobenius(a));
            }
        }
        var min = ratios.Min();
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"||A_h - A_h^T||_F / ||A_h||_F over {ratios.Count} {(tied ? "tied" : "trained")} heads: min {Fmt.Bound(min)}, max {Fmt.Bound(ratios.Max())} (sqrt 2 = antisymmetric-sized)"),
            Evidence.Note("non-Hermitian generically, not by necessity: tied W^q = W^k (or W^k = W^q S with S symmetric) gives Hermitian heads"),
        };
        return new CheckOutcome(min > 0.1 ? Finding.SupportsNumerically : Finding.Refutes, evidence);
    }
}
