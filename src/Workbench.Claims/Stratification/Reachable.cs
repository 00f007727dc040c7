using Workbench.Attention;

namespace Workbench.Claims.Stratification;

/// <summary>
/// S.reachable: regions are non-empty for many σ, some unreachable under architectural constraints. Made precise:
/// with d_h ≥ 2 every σ is reachable; with d_h = 1 (or rank-1 W_Q, W_K) only the two-valued maps are; and for fixed
/// keys, a key inside the convex hull of the others never wins a row strictly.
/// </summary>
public sealed class ReachableCounts : ClaimCheck
{
    public override string ClaimId => "S.reachable";
    public override string Name => "reachable patterns by head dimension";
    public override string Setting => "n = 3..5; d_h = 2 by construction (keys on a circle); d_h = 1 by the two-valued characterisation, confirmed by Gaussian sampling at n = 3, 4; fixed keys with one key at the midpoint of two others";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, everyArchitectureReachesAll: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("every σ is reachable in every architecture (d_h = 1 included)", c => Evaluate(c, everyArchitectureReachesAll: true)),
    ];

    private CheckOutcome Evaluate(ClaimContext context, bool everyArchitectureReachesAll)
    {
        var evidence = new List<Evidence>();
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(20_000);
        var constrained = false;
        foreach (var n in new[] { 3, 4, 5 })
        {
            var all = Reachability.AllMaps(n);
            var planar = Reachability.PlanarRealised(n);
            if (planar != all) return CheckOutcome.Of(Finding.Inconclusive, Evidence.Note($"planar construction realised {planar} of {all} maps at n = {n}"));
            var scalar = Reachability.ScalarReachable(n);
            var line = $"n = {n}: d_h = 2 realises all {all} patterns; d_h = 1 realises {scalar} ({Fmt.Sig((double)scalar / (double)all * 100, 3)}%)";
            if (n <= 4)
            {
                var seen = Reachability.Sample(n, 1, samples, random);
                if (seen.Count != scalar || seen.Any(code => !Reachability.IsScalarReachable(Reachability.Decode(code, n))))
                    return CheckOutcome.Of(Finding.Inconclusive, Evidence.Note($"d_h = 1, n = {n}: sampling found {seen.Count} patterns, characterisation predicts {scalar}"));
                line += $", and {samples} Gaussian samples found exactly those";
            }
            evidence.Add(Evidence.Numeric(line));
            constrained |= scalar < all;
        }

        // A key at the midpoint of two others: q·k_2 = (q·k_0 + q·k_1)/2 ≤ max, so it can never win strictly.
        var k = new[] { new[] { 1.0, 0 }, new[] { -1.0, 0.5 }, new[] { 0.0, 0.25 } };
        long wins = 0, fixedSamples = context.Samples(20_000);
        for (long s = 0; s < fixedSamples; s++)
        {
            // One query asked three times: a head needs as many queries as keys, and row 0 is the one read.
            var query = random.Matrix(1, 2)[0];
            var row = RowStratum.Of(ToyHead.Scores([query, query, query], k)[0]);
            if (row.Pattern == 2 && !row.IsExactTie) wins++;
        }
        evidence.Add(Evidence.Numeric($"fixed K = ((1, 0), (−1, 0.5), (0, 0.25)) with k_2 the midpoint of k_0, k_1: key 2 won {wins} of {fixedSamples} Gaussian queries strictly"));
        constrained &= wins == 0;

        if (everyArchitectureReachesAll)
            return constrained
                ? new CheckOutcome(Finding.Refutes, [Evidence.Counterexample("n = 3, d_h = 1: σ = (0,1,2) is unreachable"), .. evidence])
                : new CheckOutcome(Finding.SupportsNumerically, evidence);
        return constrained
            ? new CheckOutcome(Finding.SupportsNumerically, [Evidence.Note("'many' made precise: all n^n patterns when d_h ≥ 2 (and keys in convex position); the constraint is d_h = 1 or rank-1 W_Q, W_K, or a key inside the hull of the others"), .. evidence])
            : new CheckOutcome(Finding.Refutes, [Evidence.Note("no architectural constraint made any pattern unreachable"), .. evidence]);
    }
}
