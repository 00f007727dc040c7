using Workbench.Kernels.Sampling;

namespace Workbench.Claims.Sampling;

/// <summary>
/// S.sec-10.2: W_Q = 0 gives S = 0: every sample lies on the tie set, attention is uniform (1/n per key at any τ),
/// and the lowest-index rule reports σ = (0, …, 0). Rank-1 W_Q = w vᵀ gives q_i = (x_i·w) v, so each row's argmax
/// is argmax or argmin of ⟨v, k_j⟩: only n + C(n,2)(2^n − 2) patterns are reachable (88 of 256 for n = 4).
/// </summary>
public sealed class DegenerateWeights : ClaimCheck
{
    public override string ClaimId => "S.sec-10.2";
    public override string Name => "W_Q = 0 and rank-1 W_Q: sampled ties and reachable patterns";
    public override string Setting => "n = 4, d_h = 3, d_model = 5, X i.i.d. N(0,1), integer W_K, W_Q ∈ {0, rank 1, generic}; CPU backend";

    private const long Samples = 200_000;

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimedRankOneCount: Sampled.TwoKeyPatternCount(4));

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("rank-1 W_Q leaves all n^n = 256 patterns reachable (no restriction)", c => Evaluate(c, 256)),
    ];

    private static CheckOutcome Evaluate(ClaimContext context, long claimedRankOneCount)
    {
        const int n = 4, dh = 3, dm = 5;
        var wk = Sampled.IntegerWeights(context, "10.2 W_K", dm, dh);
        var w = Sampled.IntegerWeights(context, "10.2 w", dm, 1);
        var v = new float[] { 1, -2, 1 };
        var rank1 = new float[dm * dh];
        for (var r = 0; r < dm; r++) for (var c = 0; c < dh; c++) rank1[r * dh + c] = w[r] * v[c];
        var generic = Sampled.IntegerWeights(context, "10.2 W_Q", dm, dh);
        SamplerConfig With(float[] wq) => new() { Tokens = n, HeadDim = dh, Distribution = SamplerDistribution.Projected(dm, [wq], [wk]) };

        var zero = Sampled.Run(With(new float[dm * dh]), context, "10.2 zero", Samples / 10);
        var one = Sampled.Run(With(rank1), context, "10.2 rank1", Samples);
        var full = Sampled.Run(With(generic), context, "10.2 generic", Samples);
        var outside = one.Patterns.Keys.Count(code => Sampled.DistinctKeys(code, With(rank1)) > 2);
        var uniform = JacobianNorm.RowNorm(new double[n], 1.0);
        var evidence = new Evidence[]
        {
            Evidence.Numeric($"W_Q = 0: {zero.ExactTies} of {zero.Samples} samples exactly tied, patterns seen: {zero.Patterns.Count} (σ = (0,0,0,0) by the lowest-index rule); softmax of a zero row is 1/{n} per key, Jacobian norm 1/(nτ) = {Fmt.Sig(uniform)} at τ = 1"),
            Evidence.Numeric($"rank-1 W_Q (rank {Sampled.Rank(rank1, dm, dh)}): {one.Patterns.Count} patterns reachable in {one.Samples} samples, {outside} using more than two keys; predicted n + C(n,2)(2^n − 2) = {Sampled.TwoKeyPatternCount(n)}"),
            Evidence.Numeric($"generic W_Q (rank {Sampled.Rank(generic, dm, dh)}): {full.Patterns.Count} of 256 patterns reached"),
        };
        var holds = zero.ExactTies == zero.Samples && zero.Patterns.Count == 1 && zero.Patterns.ContainsKey(0)
            && outside == 0 && one.Patterns.Count == claimedRankOneCount && full.Patterns.Count > one.Patterns.Count;
        return new CheckOutcome(holds ? Finding.SupportsNumerically : Finding.Refutes, evidence);
    }
}
