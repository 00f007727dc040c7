using Workbench.Attention;

namespace Workbench.Claims.Stratification;

/// <summary>
/// S.def-3.3: QK = ⊔ R°_σ ⊔ T. The note's T contains every hyperplane S_ij = S_ik, including ties between two
/// keys that both lose; such points have a unique winner with a positive margin, so they lie inside an open
/// stratum too, and the union is not disjoint. It is disjoint once T is the top-tie set T* (the row maximum
/// attained at least twice). Integer-valued Q, K make the ties exact in floating point.
/// </summary>
public sealed class StrataAndTieSet : ClaimCheck
{
    internal enum Reading { NoteTieSet, TopTieSet, ClosedStrata }

    public override string ClaimId => "S.def-3.3";
    public override string Name => "open strata against the tie set";
    public override string Setting => "n = 3, d_h = 2, Q and K with integer entries in [−2, 2] (ties exact in float64); membership in R°_σ certified by a perturbation box";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, Reading.NoteTieSet);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("T replaced by the top-tie set T* (the corrected statement: it must not find an overlap)", c => Evaluate(c, Reading.TopTieSet)),
        new("strata taken closed (non-strict inequalities) and still disjoint", c => Evaluate(c, Reading.ClosedStrata)),
    ];

    private CheckOutcome Evaluate(ClaimContext context, Reading reading)
    {
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(4000);
        long anyTie = 0, topTie = 0, overlap = 0, uncovered = 0;
        for (long s = 0; s < samples; s++)
        {
            var q = IntegerMatrix(random, 3, 2);
            var k = IntegerMatrix(random, 3, 2);
            var scores = ToyHead.Scores(q, k);
            var onNoteT = scores.Any(HasAnyTie);
            var onTopT = scores.Select((row, i) => RowStratum.Of(row, i)).Any(r => r.IsExactTie);
            var inOpenStratum = !onTopT && BoxRadius(q, k) > 0;
            if (onNoteT) anyTie++;
            if (onTopT) topTie++;
            var overlaps = reading switch
            {
                Reading.NoteTieSet => inOpenStratum && onNoteT,
                Reading.TopTieSet => inOpenStratum && onTopT,
                // A closed region R̄_σ holds every point whose row maxima include σ(i): a top tie is in two of them.
                _ => onTopT,
            };
            if (overlaps) overlap++;
            if (!inOpenStratum && !(reading == Reading.NoteTieSet ? onNoteT : onTopT)) uncovered++;
        }

        var counts = Evidence.Numeric($"{samples} integer points: {anyTie} on some S_ij = S_ik, {topTie} with a top tie, {overlap} in two parts of the decomposition, {uncovered} in none");
        if (uncovered > 0) return CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample($"{uncovered} points lie in no part of the decomposition"), counts);
        return reading switch
        {
            Reading.NoteTieSet when overlap > 0 => CheckOutcome.Of(Finding.Qualifies,
                Witness(),
                counts,
                Evidence.Note("disjoint when T is the top-tie set T* = {(Q, K): some row maximum is attained at least twice}; ties between losing keys are not boundaries of strata. Each R°_σ is open (strict inequalities of continuous functions).",
                    @"\mathcal{QK} = \bigsqcup_\sigma \mathcal{R}^\circ_\sigma \sqcup \mathcal{T}^*,\ \mathcal{T}^* = \bigcup_i \{\max_j S_{ij}\ \text{attained twice}\}")),
            Reading.ClosedStrata when overlap > 0 => CheckOutcome.Of(Finding.Refutes,
                Evidence.Counterexample("a point with a top tie S_00 = S_01 = max lies in both closed regions R̄_σ with σ(0) = 0 and σ(0) = 1"), counts),
            _ when overlap > 0 => CheckOutcome.Of(Finding.Refutes, counts),
            _ => CheckOutcome.Of(Finding.SupportsNumerically, counts),
        };
    }

    /// <summary>The explicit point: scores (3, 1, 1)/√2 in every row — keys 1 and 2 tie, key 0 wins by √2.</summary>
    private static Evidence Witness()
    {
        double[][] q = [[1, 0], [1, 0], [1, 0]];
        double[][] k = [[3, 0], [1, 5], [1, -5]];
        var scores = ToyHead.Scores(q, k);
        var tie = scores[0][1] == scores[0][2];
        var margin = ToyHead.MinMargin(q, k);
        var radius = BoxRadius(q, k);
        return Evidence.Counterexample(
            $"Q = {PatternText.Matrix(q)}, K = {PatternText.Matrix(k)}: S_01 = S_02 = {Fmt.Sig(scores[0][1], 4)} (exact tie: {(tie ? "yes" : "no")}), so the point is on H_{{0,1,2}} ⊂ T; " +
            $"yet σ = {PatternText.Of(ToyHead.Pattern(q, k))} with margin {Fmt.Sig(margin, 4)}, and every point within entrywise distance {Fmt.Sig(radius, 3)} keeps σ: it lies in R°_σ ∩ T");
    }

    /// <summary>
    /// An entrywise radius r such that every (Q', K') within r of (Q, K) has the same pattern: each score moves by
    /// at most (‖q_i‖₁ + ‖k_j‖₁ + d r) r / √d, so half the smallest margin is never crossed.
    /// </summary>
    internal static double BoxRadius(double[][] q, double[][] k)
    {
        var margin = ToyHead.MinMargin(q, k);
        if (!(margin > 0)) return 0;
        var d = q[0].Length;
        var lipschitz = (q.Max(r => r.Sum(Math.Abs)) + k.Max(r => r.Sum(Math.Abs)) + d) / Math.Sqrt(d);
        return Math.Min(1, margin / (2 * lipschitz));
    }

    private static bool HasAnyTie(double[] row)
    {
        for (var j = 0; j < row.Length; j++)
            for (var l = j + 1; l < row.Length; l++)
                if (row[j] == row[l]) return true;
        return false;
    }

    private static double[][] IntegerMatrix(Gaussian random, int rows, int cols) =>
        Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols).Select(_ => (double)(random.Index(5) - 2)).ToArray()).ToArray();
}
