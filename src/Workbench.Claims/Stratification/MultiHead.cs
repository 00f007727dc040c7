namespace Workbench.Claims.Stratification;

/// <summary>
/// S.prop-8.2: with independent heads the multi-head stratification is the product of the per-head ones; with a
/// shared X it "remains approximately valid". Measured as the total-variation distance between the joint law of
/// (σ_1, σ_2) and the product of its marginals. Independent heads: sampling noise. Shared X: it depends on the
/// weights, and W_Q^(2) = −W_Q^(1) makes σ_2(i) the argmin of head 1's row: three quarters of the product's
/// tuples never occur.
/// </summary>
public sealed class MultiHeadProduct : ClaimCheck
{
    public override string ClaimId => "S.prop-8.2";
    public override string Name => "joint pattern law against the product of marginals";
    public override string Setting => "two heads, n = 2, d_h = 2; independent Gaussian (Q, K) per head, or shared Gaussian X (d_model = 4) with Gaussian W, or with W_Q^(2) = −W_Q^(1), W_K^(2) = W_K^(1)";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimAlwaysApproximate: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the product stays approximately valid for every shared-X head pair (TV < 0.05)", c => Evaluate(c, claimAlwaysApproximate: true)),
    ];

    private enum Coupling { Independent, SharedRandom, SharedNegated }

    private static double TotalVariation(Gaussian random, long samples, Coupling coupling)
    {
        var joint = new double[4, 4];
        var (wq1, wk1, wq2, wk2) = (random.Matrix(4, 2), random.Matrix(4, 2), random.Matrix(4, 2), random.Matrix(4, 2));
        if (coupling == Coupling.SharedNegated) (wq2, wk2) = (wq1.Select(r => r.Select(x => -x).ToArray()).ToArray(), wk1);
        for (long s = 0; s < samples; s++)
        {
            long a, b;
            if (coupling == Coupling.Independent)
            {
                a = Reachability.Code(ToyHead.Pattern(random.Matrix(2, 2), random.Matrix(2, 2)));
                b = Reachability.Code(ToyHead.Pattern(random.Matrix(2, 2), random.Matrix(2, 2)));
            }
            else
            {
                var x = random.Matrix(2, 4);
                a = Reachability.Code(ToyHead.Pattern(ToyMatrix.Multiply(x, wq1), ToyMatrix.Multiply(x, wk1)));
                b = Reachability.Code(ToyHead.Pattern(ToyMatrix.Multiply(x, wq2), ToyMatrix.Multiply(x, wk2)));
            }
            joint[a, b] += 1.0 / samples;
        }
        double tv = 0;
        for (var a = 0; a < 4; a++)
        for (var b = 0; b < 4; b++)
        {
            var pa = Enumerable.Range(0, 4).Sum(c => joint[a, c]);
            var pb = Enumerable.Range(0, 4).Sum(c => joint[c, b]);
            tv += Math.Abs(joint[a, b] - pa * pb) / 2;
        }
        return tv;
    }

    private CheckOutcome Evaluate(ClaimContext context, bool claimAlwaysApproximate)
    {
        const double approximate = 0.05;
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(20_000);
        var independent = TotalVariation(random, samples, Coupling.Independent);
        var shared = TotalVariation(random, samples, Coupling.SharedRandom);
        var negated = TotalVariation(random, samples, Coupling.SharedNegated);
        var numeric = Evidence.Numeric($"TV(joint, product of marginals) over {samples} samples: independent heads {Fmt.Sig(independent, 2)}, shared X with Gaussian W {Fmt.Sig(shared, 2)}, shared X with W_Q^(2) = −W_Q^(1) {Fmt.Sig(negated, 2)}");
        if (independent >= approximate) return CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample("independent heads are not a product"), numeric);
        if (claimAlwaysApproximate || negated < approximate)
            return negated < approximate ? CheckOutcome.Of(Finding.SupportsNumerically, numeric)
                : CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample($"shared X, W_Q^(2) = −W_Q^(1): TV = {Fmt.Sig(negated, 2)}"), numeric);
        return CheckOutcome.Of(Finding.Qualifies,
            Evidence.Note("the product holds exactly for independent heads; with a shared X its quality depends on the weights and can fail completely, so 'approximately valid' needs a condition on (W_Q^(h), W_K^(h))"),
            Evidence.Counterexample("n = 2, shared X, W_Q^(2) = −W_Q^(1), W_K^(2) = W_K^(1): S^(2) = −S^(1), so σ_2(i) ≠ σ_1(i) for every row, and 12 of the 16 tuples (σ_1, σ_2) never occur although each has positive product probability"),
            numeric);
    }
}
