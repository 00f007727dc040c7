namespace Workbench.Claims.Stratification;

/// <summary>S.two-token: for n = 2, d_h = 1, A_11 = 1/(1 + exp(−Δ/τ)) with Δ = q_1(k_1 − k_2) (0-based: row 0).</summary>
public sealed class TwoTokenSigmoid : ClaimCheck
{
    public override string ClaimId => "S.two-token";
    public override string Name => "softmax row against the sigmoid formula";
    public override string Setting => "n = 2, d_h = 1, Gaussian q, k, τ log-uniform in [0.05, 5], float64 softmax";

    public override CheckOutcome Run(ClaimContext context) =>
        Evaluate(context, (q, k0, k1, tau) => 1 / (1 + Math.Exp(-q * (k0 - k1) / tau)));

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("τ dropped: A_11 = 1/(1 + exp(−Δ))", c => Evaluate(c, (q, k0, k1, _) => 1 / (1 + Math.Exp(-q * (k0 - k1))))),
        new("sign of Δ reversed: Δ = q_1(k_2 − k_1)", c => Evaluate(c, (q, k0, k1, tau) => 1 / (1 + Math.Exp(-q * (k1 - k0) / tau)))),
    ];

    private CheckOutcome Evaluate(ClaimContext context, Func<double, double, double, double, double> formula)
    {
        const double tolerance = 1e-12;
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(2000);
        var worst = 0.0;
        string? counterexample = null;
        for (long s = 0; s < samples; s++)
        {
            var q = random.Matrix(2, 1);
            var k = random.Matrix(2, 1);
            var tau = Math.Exp(random.Uniform(Math.Log(0.05), Math.Log(5)));
            var error = Math.Abs(ToyHead.Weights(q, k, tau)[0][0] - formula(q[0][0], k[0][0], k[1][0], tau));
            if (error > worst)
            {
                worst = error;
                if (error > tolerance)
                    counterexample = $"q_1 = {Fmt.Sig(q[0][0])}, k = ({Fmt.Sig(k[0][0])}, {Fmt.Sig(k[1][0])}), τ = {Fmt.Sig(tau)}: softmax gives {Fmt.Sig(ToyHead.Weights(q, k, tau)[0][0], 4)}, the formula {Fmt.Sig(formula(q[0][0], k[0][0], k[1][0], tau), 4)}";
            }
        }
        var numeric = Evidence.Numeric("|A_11 − formula| over sampled (q, k, τ)", samples, worst, tolerance);
        return worst <= tolerance
            ? CheckOutcome.Of(Finding.SupportsNumerically, numeric)
            : CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample(counterexample!), numeric);
    }
}
