using Workbench.Kernels.Sampling;

namespace Workbench.Claims.Sampling;

/// <summary>
/// S.prop-9.1, measure part: with X Gaussian and generic fixed W_Q, W_K, samples land on the tie set only through
/// float32 rounding, and the fraction within ε of it shrinks linearly in ε (the signature of a codimension-1 set).
/// </summary>
public sealed class TieSetMeasureZero : ClaimCheck
{
    public override string ClaimId => "S.prop-9.1";
    public override string Name => "sampled tie set: exact ties and near-tie fractions, X W with generic weights";
    public override string Setting => "n = 4, d_h = 3, d_model = 6, X i.i.d. N(0,1), integer W_Q, W_K of full rank, float32 scores, CPU backend";

    private const long Samples = 400_000;

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimedTieFractionAtLeast: 0, slopeLow: 0.5, slopeHigh: 2);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the tie set has probability at least 1e-3 (positive measure)", c => Evaluate(c, 1e-3, 0.5, 2)),
        new("near-tie fractions shrink like ε² (codimension 2)", c => Evaluate(c, 0, 1.5, 2.5)),
    ];

    private static CheckOutcome Evaluate(ClaimContext context, double claimedTieFractionAtLeast, double slopeLow, double slopeHigh)
    {
        const int n = 4, dh = 3, dm = 6;
        var wq = Sampled.IntegerWeights(context, "prop-9.1 W_Q", dm, dh);
        var wk = Sampled.IntegerWeights(context, "prop-9.1 W_K", dm, dh);
        var config = new SamplerConfig
        {
            Tokens = n, HeadDim = dh, Distribution = SamplerDistribution.Projected(dm, [wq], [wk]),
            Epsilons = [1e-3, 1e-2, 1e-1],
        };
        var t = Sampled.Run(config, context, "prop-9.1 samples", Samples);
        var frac = t.NearTies.Select(c => (double)c / t.Samples).ToArray();
        // Slope of log(fraction) against log(ε) over two decades: 1 for a codimension-1 set.
        var slope = Math.Log10(frac[2] / Math.Max(frac[0], 1.0 / t.Samples)) / 2;
        var (tieLo, tieHi) = Wilson.Interval(t.ExactTies, t.Samples);
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"exact float32 ties: {t.ExactTies} of {t.Samples} samples (95% Wilson upper bound {Fmt.Sig(tieHi, 2)}); float32 rounding alone predicts a rate of order 2^-24 ≈ 6e-8 per comparison, so these are rounding, not a tie set of positive measure"),
            Evidence.Numeric($"fraction with margin ≤ ε: ε = 1e-3: {Fmt.Sig(frac[0])}, ε = 1e-2: {Fmt.Sig(frac[1])}, ε = 1e-1: {Fmt.Sig(frac[2])}; log-log slope {Fmt.Sig(slope, 2)} (1 for a codimension-1 set)"),
            Evidence.Note($"rank [W_Q W_K] = {Sampled.Rank(Sampled.SideBySide(wq, wk, dm, dh), dm, 2 * dh)} of {2 * dh}: the induced (Q, K) is absolutely continuous here (see S.prop-9.1-ac for when it is not)"),
        };
        // The statement as checked: ties are (numerically) null and near-tie mass scales like ε^slope in the band.
        var holds = claimedTieFractionAtLeast > 0
            ? tieLo >= claimedTieFractionAtLeast
            : tieHi < 1e-4 && slope >= slopeLow && slope <= slopeHigh;
        return new CheckOutcome(holds ? Finding.SupportsNumerically : Finding.Refutes, evidence);
    }
}
