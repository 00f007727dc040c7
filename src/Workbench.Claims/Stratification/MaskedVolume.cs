using Workbench.Attention;

namespace Workbench.Claims.Stratification;

/// <summary>
/// S.masked-volume: "masking can increase the volume of some regions". Pattern regions are cones, invariant under
/// (Q, K) ↦ (tQ, tK), t &gt; 0, so each non-empty one has infinite Lebesgue volume before and after masking: the
/// statement is ill-posed as written. The well-formed versions — set inclusion R_σ ⊂ R^M_σ and a probability
/// measure (Gaussian (Q, K)) — are checked in <see cref="MaskedRegionMeasure"/>.
/// </summary>
public sealed class MaskedVolumeWellPosedness : ClaimCheck
{
    public override string ClaimId => "S.masked-volume";
    public override string Name => "is 'volume' of a pattern region finite";
    public override string Setting => "n = 4, d_h = 2, Gaussian (Q, K), scaled by t ∈ {0.01, 0.5, 2, 100}";

    public override CheckOutcome Run(ClaimContext context)
    {
        var random = new Gaussian(context.SeedFor(ClaimId + "/cone"));
        var samples = context.Samples(1000);
        long changed = 0;
        foreach (var t in new[] { 0.01, 0.5, 2, 100 })
            for (long s = 0; s < samples; s++)
            {
                var (q, k) = (random.Matrix(4, 2), random.Matrix(4, 2));
                var scaled = (q.Select(r => r.Select(x => t * x).ToArray()).ToArray(), k.Select(r => r.Select(x => t * x).ToArray()).ToArray());
                if (!ToyHead.Pattern(q, k, AttentionMask.Causal).SequenceEqual(ToyHead.Pattern(scaled.Item1, scaled.Item2, AttentionMask.Causal))) changed++;
            }
        var numeric = Evidence.Numeric($"pattern changed under positive scaling in {changed} of {4 * samples} (point, t) pairs");
        if (changed > 0) return CheckOutcome.Of(Finding.Inconclusive, numeric);
        return CheckOutcome.Of(Finding.IllPosed,
            Evidence.Note("every non-empty region (masked or not) is a cone: S scales by t², so the pattern is invariant under (Q, K) ↦ (tQ, tK), t > 0, and the Lebesgue volume is infinite both before and after masking; 'increase' is well-formed only as set inclusion or for a probability measure on QK, checked separately"),
            numeric);
    }
}

/// <summary>The well-formed reading of S.masked-volume: R_σ ⊂ R^M_σ for σ ∈ Σ_n^M, and its Gaussian measure grows.</summary>
public sealed class MaskedRegionMeasure : ClaimCheck
{
    public override string ClaimId => "S.masked-volume";
    public override string Name => "inclusion and Gaussian measure of masked regions";
    public override string Setting => "causal mask, n = 4, d_h = 2, Gaussian (Q, K); P(σ) estimated with and without the mask on the same samples";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimNeverIncreases: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("reversed: masking never increases any region's measure", c => Evaluate(c, claimNeverIncreases: true)),
    ];

    private CheckOutcome Evaluate(ClaimContext context, bool claimNeverIncreases)
    {
        const int n = 4;
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(20_000);
        var mask = AttentionMask.Causal;
        var masked = new Dictionary<long, long>();
        var unmasked = new Dictionary<long, long>();
        long inclusionViolations = 0;
        for (long s = 0; s < samples; s++)
        {
            var (q, k) = (random.Matrix(n, 2), random.Matrix(n, 2));
            var free = ToyHead.Pattern(q, k);
            var constrained = ToyHead.Pattern(q, k, mask);
            var (codeFree, codeMasked) = (Reachability.Code(free), Reachability.Code(constrained));
            masked[codeMasked] = masked.GetValueOrDefault(codeMasked) + 1;
            unmasked[codeFree] = unmasked.GetValueOrDefault(codeFree) + 1;
            // A point of R_σ with σ admissible must be in R^M_σ: masking only removes competitors.
            if (free.Select((t, i) => mask.Admits(i, t, n)).All(a => a) && codeFree != codeMasked) inclusionViolations++;
        }
        var identity = Reachability.Code([0, 1, 2, 3]);
        var grown = masked.Count(p => p.Value > unmasked.GetValueOrDefault(p.Key));
        var numeric = Evidence.Numeric($"{samples} samples: inclusion violations {inclusionViolations}; {grown} of {masked.Count} admissible patterns more frequent with the mask; σ = (0,1,2,3): {Fmt.Sig((double)unmasked.GetValueOrDefault(identity) / samples, 2)} unmasked, {Fmt.Sig((double)masked.GetValueOrDefault(identity) / samples, 2)} causal");
        if (inclusionViolations > 0) return CheckOutcome.Of(Finding.Refutes, numeric);
        if (claimNeverIncreases)
            return grown > 0 ? CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample("σ = (0,1,2,3) is more probable under the causal mask"), numeric) : CheckOutcome.Of(Finding.SupportsNumerically, numeric);
        return grown > 0
            ? CheckOutcome.Of(Finding.SupportsNumerically, numeric, Evidence.Symbolic("for σ ∈ Σ_n^M, R_σ ⊂ R^M_σ: the masked region keeps the admissible inequalities and drops the others"))
            : CheckOutcome.Of(Finding.Refutes, numeric);
    }
}
