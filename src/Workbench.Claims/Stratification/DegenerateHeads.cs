namespace Workbench.Claims.Stratification;

/// <summary>
/// S.sec-10.2: W_Q = 0 or W_K = 0 gives all scores 0 and uniform attention; rank-1 W_Q or W_K restricts the
/// patterns. Rank-1 W_Q = w uᵀ makes q_i = (x_i·w) u, so S_ij = (x_i·w)(u·k_j)/√d_h: the scalar case, whose
/// reachable patterns are exactly the maps with at most two values.
/// </summary>
public sealed class DegenerateHeadPatterns : ClaimCheck
{
    public override string ClaimId => "S.sec-10.2";
    public override string Name => "zero and rank-1 projections";
    public override string Setting => "n = 4, d_model = 4, d_h = 2, Gaussian X and W_K; W_Q = 0, and W_Q = w uᵀ with Gaussian w, u; τ = 1";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimRankOneReachesAll: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("rank-1 W_Q still reaches all n^n patterns", c => Evaluate(c, claimRankOneReachesAll: true)),
    ];

    private CheckOutcome Evaluate(ClaimContext context, bool claimRankOneReachesAll)
    {
        const int n = 4;
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(20_000);
        var zeroQ = new double[4][].Select(_ => new double[2]).ToArray();
        double worstUniform = 0;
        long notTwoValued = 0;
        var seen = new HashSet<long>();
        var (w, u) = (random.Matrix(4, 1), random.Matrix(1, 2));
        var rankOne = ToyMatrix.Multiply(w, u);
        for (long s = 0; s < samples; s++)
        {
            var (x, wk) = (random.Matrix(n, 4), random.Matrix(4, 2));
            var k = ToyMatrix.Multiply(x, wk);
            foreach (var row in ToyHead.Weights(ToyMatrix.Multiply(x, zeroQ), k, 1))
                worstUniform = Math.Max(worstUniform, row.Max(a => Math.Abs(a - 1.0 / n)));
            var sigma = ToyHead.Pattern(ToyMatrix.Multiply(x, rankOne), k);
            if (!Reachability.IsScalarReachable(sigma)) notTwoValued++;
            seen.Add(Reachability.Code(sigma));
        }
        var all = Reachability.AllMaps(n);
        List<Evidence> evidence =
        [
            Evidence.Numeric("W_Q = 0: |A_ij − 1/n|", samples * n, worstUniform, 1e-15),
            Evidence.Numeric($"rank-1 W_Q: {seen.Count} distinct patterns in {samples} samples, {notTwoValued} with more than two values; at most {Reachability.ScalarReachable(n)} of {all} are reachable"),
        ];
        var restricted = notTwoValued == 0 && seen.Count <= (long)Reachability.ScalarReachable(n);
        if (claimRankOneReachesAll)
            return restricted ? new CheckOutcome(Finding.Refutes, [Evidence.Counterexample("n = 4, rank-1 W_Q: σ = (0,1,2,3) is never reached (three or more distinct winners are impossible)"), .. evidence]) : new CheckOutcome(Finding.SupportsNumerically, evidence);
        if (worstUniform > 1e-15 || !restricted) return new CheckOutcome(Finding.Refutes, evidence);
        return new CheckOutcome(Finding.SupportsNumerically,
        [
            .. evidence,
            Evidence.Note($"'severely' made precise: rank-1 W_Q (or W_K) leaves n + C(n,2)(2^n − 2) of n^n patterns, {Reachability.ScalarReachable(n)} of {all} at n = 4, a fraction that tends to 0 as n grows; with W_Q = 0 every row is an exact tie (margin 0)"),
        ]);
    }
}
