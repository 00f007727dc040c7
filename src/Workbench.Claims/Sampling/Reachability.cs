using Workbench.Kernels.Sampling;

namespace Workbench.Claims.Sampling;

/// <summary>
/// S.reachable: with i.i.d. Gaussian Q, K at d_h = 8 every one of the n^n patterns is hit; at d_h = 1 the scores
/// S_ij = q_i k_j make every row pick argmax_j k_j or argmin_j k_j, so only patterns using at most two keys are
/// reachable: n + C(n,2)(2^n − 2) of n^n (88 of 256 for n = 4). Sampling finds exactly that set and nothing else.
/// </summary>
public sealed class Reachability : ClaimCheck
{
    public override string ClaimId => "S.reachable";
    public override string Name => "patterns hit by sampling, d_h = 8 against d_h = 1";
    public override string Setting => "n = 4, unmasked, Q, K i.i.d. N(0,1), d_h ∈ {8, 1}, CPU backend";

    private const long Samples = 400_000;

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimedReachableAtDh1: Sampled.TwoKeyPatternCount(4));

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("every pattern stays reachable at d_h = 1 (no architectural restriction)", c => Evaluate(c, 256)),
    ];

    private static CheckOutcome Evaluate(ClaimContext context, long claimedReachableAtDh1)
    {
        const int n = 4;
        var wide = Sampled.Run(Sampled.Gaussian(n, 8), context, "reachable d8", Samples);
        var narrowConfig = Sampled.Gaussian(n, 1);
        var narrow = Sampled.Run(narrowConfig, context, "reachable d1", Samples);
        var outside = narrow.Patterns.Keys.Count(code => Sampled.DistinctKeys(code, narrowConfig) > 2);
        var rarest = wide.Patterns.Values.DefaultIfEmpty(0).Min();
        var evidence = new Evidence[]
        {
            Evidence.Numeric($"d_h = 8: {wide.Patterns.Count} of {n * n * n * n} patterns hit in {wide.Samples} samples (rarest hit {rarest} times)"),
            Evidence.Numeric($"d_h = 1: {narrow.Patterns.Count} patterns hit, {outside} of them using more than two keys; predicted reachable set n + C(n,2)(2^n − 2) = {Sampled.TwoKeyPatternCount(n)}"),
            Evidence.Counterexample("d_h = 1, n = 4: σ = (0,1,2,0) is unreachable: rows choose only argmax_j k_j (q_i > 0) or argmin_j k_j (q_i < 0)"),
        };
        var holds = wide.Patterns.Count == 256 && outside == 0 && narrow.Patterns.Count == claimedReachableAtDh1;
        return new CheckOutcome(holds ? Finding.SupportsNumerically : Finding.Refutes, evidence);
    }
}
