namespace Workbench.Claims.Stratification;

/// <summary>A_11 as a function of Δ alone (q_1 = 1, k = (Δ, 0)), through the workbench's softmax, not the formula.</summary>
internal static class TwoTokenMap
{
    public static double A11(double delta, double tau) => ToyHead.Weights([[1.0], [1.0]], [[delta], [0.0]], tau)[0][0];

    public static double Slope(double delta, double tau)
    {
        var h = 1e-5 * tau;
        return (A11(delta + h, tau) - A11(delta - h, tau)) / (2 * h);
    }

    public static readonly double[] Temperatures = [1, 0.1, 0.01];
}

/// <summary>S.two-token-peak, first half: ∂A_11/∂Δ = (1/τ) A_11 (1 − A_11), against central differences.</summary>
public sealed class TwoTokenSlope : ClaimCheck
{
    public override string ClaimId => "S.two-token-peak";
    public override string Name => "derivative against central differences";
    public override string Setting => "n = 2, d_h = 1, Δ uniform in [−5τ, 5τ], τ ∈ {1, 0.1, 0.01}, step 1e-5·τ";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, (a, tau) => a * (1 - a) / tau);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("factor 1/τ² instead of 1/τ", c => Evaluate(c, (a, tau) => a * (1 - a) / (tau * tau))),
        new("factor (1 − A_11) dropped", c => Evaluate(c, (a, tau) => a / tau)),
    ];

    private CheckOutcome Evaluate(ClaimContext context, Func<double, double, double> derivative)
    {
        const double tolerance = 1e-6;
        var random = new Gaussian(context.SeedFor(ClaimId + "/slope"));
        var samples = context.Samples(600);
        var worst = 0.0;
        string? counterexample = null;
        for (long s = 0; s < samples; s++)
        {
            var tau = TwoTokenMap.Temperatures[s % 3];
            var delta = random.Uniform(-5, 5) * tau;
            var fd = TwoTokenMap.Slope(delta, tau);
            var analytic = derivative(TwoTokenMap.A11(delta, tau), tau);
            // Relative to the peak 1/(4τ): the derivative's natural scale at this temperature.
            var error = Math.Abs(fd - analytic) * 4 * tau;
            if (error > worst)
            {
                worst = error;
                if (error > tolerance) counterexample = $"τ = {Fmt.Sig(tau)}, Δ = {Fmt.Sig(delta)}: central difference {Fmt.Sig(fd, 4)}, formula {Fmt.Sig(analytic, 4)}";
            }
        }
        var numeric = Evidence.Numeric("|finite difference − formula| · 4τ", samples, worst, tolerance);
        return worst <= tolerance
            ? CheckOutcome.Of(Finding.SupportsNumerically, numeric)
            : CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample(counterexample!), numeric);
    }
}

/// <summary>
/// S.two-token-peak, second half: the peak is at Δ = 0 with height exactly 1/(4τ) (A(1 − A) ≤ 1/4, equality at
/// A = 1/2), and at any fixed Δ ≠ 0 the derivative tends to 0 as τ → 0 (it is at most e^{−|Δ|/τ}/τ).
/// </summary>
public sealed class TwoTokenPeakHeight : ClaimCheck
{
    public override string ClaimId => "S.two-token-peak";
    public override string Name => "peak height and decay";
    public override string Setting => "n = 2, d_h = 1, τ ∈ {1, 0.1, 0.01}, Δ on a grid of 4001 points over [−10τ, 10τ] (Δ = 0 included); decay at Δ = ±0.5";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(tau => 1 / (4 * tau), "1/(4τ)");

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("peak height 1/(2τ)", _ => Evaluate(tau => 1 / (2 * tau), "1/(2τ)")),
        new("peak height 1/4, independent of τ", _ => Evaluate(_ => 0.25, "1/4")),
    ];

    private static CheckOutcome Evaluate(Func<double, double> height, string formula)
    {
        const double tolerance = 1e-6;
        var evidence = new List<Evidence>();
        var worst = 0.0;
        string? counterexample = null;
        var peakAtZero = true;
        foreach (var tau in TwoTokenMap.Temperatures)
        {
            var (argPeak, peak) = Enumerable.Range(-2000, 4001)
                .Select(g => (delta: g * tau / 200, slope: TwoTokenMap.Slope(g * tau / 200, tau)))
                .MaxBy(p => p.slope);
            peakAtZero &= argPeak == 0;
            var error = Math.Abs(peak / height(tau) - 1);
            if (error > worst) { worst = error; counterexample = $"τ = {Fmt.Sig(tau)}: measured peak {Fmt.Sig(peak, 6)}, {formula} = {Fmt.Sig(height(tau), 6)}"; }
            evidence.Add(Evidence.Numeric($"τ = {Fmt.Sig(tau)}: peak {Fmt.Sig(peak, 6)} at Δ = {Fmt.Sig(argPeak)}, {formula} = {Fmt.Sig(height(tau), 6)}; slope at Δ = ±0.5: {Fmt.Sig(TwoTokenMap.Slope(0.5, tau), 3)}"));
        }
        var decays = TwoTokenMap.Slope(0.5, 0.01) < TwoTokenMap.Slope(0.5, 0.1) && TwoTokenMap.Slope(0.5, 0.1) < TwoTokenMap.Slope(0.5, 1) && TwoTokenMap.Slope(0.5, 0.01) < 1e-15;
        if (!peakAtZero || !decays)
            return new CheckOutcome(Finding.Refutes, [Evidence.Counterexample(peakAtZero ? "the slope away from Δ = 0 does not decay as τ → 0" : "the peak is not at Δ = 0"), .. evidence]);
        evidence.Insert(0, Evidence.Numeric($"peak height / ({formula}) − 1: worst {Fmt.Bound(worst)} over 3 temperatures (tolerance {Fmt.Sci(tolerance)})"));
        return worst <= tolerance
            ? new CheckOutcome(Finding.SupportsNumerically, evidence)
            : new CheckOutcome(Finding.Refutes, [Evidence.Counterexample(counterexample!), .. evidence]);
    }
}
