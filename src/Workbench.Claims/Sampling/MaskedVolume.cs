using Workbench.Kernels.Sampling;

namespace Workbench.Claims.Sampling;

/// <summary>
/// S.masked-volume: compare π(σ) under the causal mask with π(σ) unmasked, same Gaussian (Q, K). Every causal
/// pattern gains volume (row 0 has one admissible key, so its choice has probability 1 instead of 1/n), and the
/// patterns the mask forbids lose all of theirs. Counted as a gain only where the 95% Wilson intervals are disjoint.
/// </summary>
public sealed class MaskedVolume : ClaimCheck
{
    public override string ClaimId => "S.masked-volume";
    public override string Name => "π(σ) causal against unmasked, Wilson intervals";
    public override string Setting => "n = 3, d_h = 2, Q, K i.i.d. N(0,1), causal mask against none, CPU backend";

    private const long Samples = 200_000;

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimIncrease: true);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("masking never increases the volume of any region (reversed)", c => Evaluate(c, claimIncrease: false)),
    ];

    private static CheckOutcome Evaluate(ClaimContext context, bool claimIncrease)
    {
        const int n = 3;
        var causalConfig = Sampled.Gaussian(n, 2, SamplerMask.Causal);
        var causal = Sampled.Run(causalConfig, context, "masked causal", Samples);
        var open = Sampled.Run(Sampled.Gaussian(n, 2), context, "masked none", Samples);
        var lines = new List<string>();
        int gained = 0, lost = 0;
        foreach (var (code, count) in causal.Patterns.OrderBy(p => p.Key))
        {
            var (cLo, cHi) = Wilson.Interval(count, causal.Samples);
            var u = open.Patterns.GetValueOrDefault(code);
            var (uLo, uHi) = Wilson.Interval(u, open.Samples);
            if (cLo > uHi) gained++;
            else if (cHi < uLo) lost++;
            var sigma = string.Join(",", ReferenceSampler.Decode(code, 0, causalConfig));
            lines.Add($"σ = ({sigma}): causal {Fmt.Sig((double)count / causal.Samples)} against unmasked {Fmt.Sig((double)u / open.Samples)}");
        }
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"{causal.Patterns.Count} causal patterns (of 3! = 6 admissible), {gained} gain volume under the mask and {lost} lose it (95% Wilson intervals disjoint), {causal.Samples} samples each"),
            Evidence.Numeric(string.Join("; ", lines)),
            Evidence.Note("the mask moves the volume of the forbidden patterns (σ(i) > i) onto the admissible ones: every admissible region grows, e.g. row 0 is decided with probability 1"),
        };
        var finding = claimIncrease
            ? (gained > 0 ? Finding.SupportsNumerically : Finding.Refutes)
            : (gained == 0 ? Finding.SupportsNumerically : Finding.Refutes);
        return new CheckOutcome(finding, evidence);
    }
}
