namespace Workbench.Claims.Stratification;

/// <summary>
/// Differentiability probes shared by S.prop-6.1 and S.cor-9.2. For τ &gt; 0 the map (Q, K) ↦ Y is a composition
/// of polynomials, exp and division by a positive sum, so it is smooth on all of QK: the probes test it on points
/// inside strata and on exact top ties alike. The hard limit Y = V_σ is the deliberately wrong variant: its
/// difference quotients at a tie grow like 1/h.
/// </summary>
internal static class SmoothnessProbe
{
    public const double Tau = 0.25, Tolerance = 1e-6;

    /// <summary>Integer Q, K (n = 3, d_h = 2) whose row 0 has the exact top tie S_00 = S_01 = 1/√2.</summary>
    public static (double[][] Q, double[][] K) TiePoint() => ([[1, 0], [0, 1], [1, 1]], [[1, 0], [1, 2], [0, 1]]);

    public sealed record Result(long Points, long TiePoints, double WorstAnalytic, double WorstStepRatio, string? Counterexample);

    /// <summary>
    /// Compares central differences at steps h and h/10 (they agree for a differentiable map) and, for the soft
    /// map, the analytic Jacobian.
    /// </summary>
    public static Result Probe(ClaimContext context, string seedName, bool hard, long randomPoints)
    {
        var random = new Gaussian(context.SeedFor(seedName));
        var v = random.Matrix(3, 2);
        var points = new List<(double[][] Q, double[][] K, bool Tie)> { (TiePoint().Q, TiePoint().K, true) };
        for (long s = 0; s < randomPoints; s++) points.Add((random.Matrix(3, 2), random.Matrix(3, 2), false));

        double worstAnalytic = 0, worstStep = 0;
        string? counterexample = null;
        foreach (var (q, k, tie) in points)
        {
            Func<double[][], double[][], double[]> map = hard ? (qq, kk) => ToyHead.HardOutput(qq, kk, v) : (qq, kk) => ToyHead.Output(qq, kk, v, Tau);
            var coarse = OutputJacobians.Central(map, q, k, 1e-5);
            var fine = OutputJacobians.Central(map, q, k, 1e-6);
            var step = OutputJacobians.MaxDifference(coarse, fine);
            if (step > worstStep)
            {
                worstStep = step;
                if (step > Tolerance)
                    counterexample = $"{(tie ? "at the tie point" : "at")} Q = {PatternText.Matrix(q)}, K = {PatternText.Matrix(k)}: difference quotients at steps 1e-5 and 1e-6 differ by {Fmt.Sig(step, 3)} (they grow like 1/h: a jump)";
            }
            if (!hard) worstAnalytic = Math.Max(worstAnalytic, OutputJacobians.MaxDifference(OutputJacobians.Analytic(q, k, v, Tau), fine));
        }
        return new Result(points.Count, points.Count(p => p.Tie), worstAnalytic, worstStep, counterexample);
    }

    public static CheckOutcome Outcome(Result result, string map, Evidence? note)
    {
        List<Evidence> evidence =
        [
            Evidence.Numeric($"{map}: difference quotients at steps 1e-5 and 1e-6 over all Q, K entries, {result.TiePoints} exact-tie point(s) included", result.Points, result.WorstStepRatio, Tolerance),
        ];
        if (result.WorstAnalytic > 0) evidence.Add(Evidence.Numeric("analytic chain-rule Jacobian against central differences", result.Points, result.WorstAnalytic, Tolerance));
        if (result.Counterexample is not null)
            return new CheckOutcome(Finding.Refutes, [Evidence.Counterexample(result.Counterexample), .. evidence]);
        if (result.WorstAnalytic > Tolerance)
            return new CheckOutcome(Finding.Refutes, [Evidence.Counterexample("the analytic Jacobian disagrees with central differences"), .. evidence]);
        if (note is not null) evidence.Add(note);
        return new CheckOutcome(Finding.SupportsNumerically, evidence);
    }
}

/// <summary>S.prop-6.1: for fixed τ &gt; 0, (Q, K) ↦ A^{(τ)} and ↦ Y are smooth on each open stratum.</summary>
public sealed class SmoothOnStrata : ClaimCheck
{
    public override string ClaimId => "S.prop-6.1";
    public override string Name => "differentiability inside strata and on the tie set";
    public override string Setting => $"n = 3, d_h = 2, d_v = 2, τ = {SmoothnessProbe.Tau}, Gaussian points plus one exact top tie (integer entries), float64";

    public override CheckOutcome Run(ClaimContext context) => SmoothnessProbe.Outcome(
        SmoothnessProbe.Probe(context, ClaimId, hard: false, context.Samples(30)), "Y = A^{(τ)}V",
        Evidence.Note("true, and more: for τ > 0 the map is real-analytic on all of QK, tie set included; the restriction to strata matters only for the hard limit τ → 0"));

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the hard limit Y = V_σ is smooth (across the tie set too)", c => SmoothnessProbe.Outcome(SmoothnessProbe.Probe(c, ClaimId, hard: true, c.Samples(30)), "Y = V_σ", null)),
    ];
}

/// <summary>S.cor-9.2: for fixed τ &gt; 0 the attention map is differentiable almost everywhere.</summary>
public sealed class DifferentiableAlmostEverywhere : ClaimCheck
{
    public override string ClaimId => "S.cor-9.2";
    public override string Name => "differentiability at sampled points and on the tie set";
    public override string Setting => $"n = 3, d_h = 2, d_v = 2, τ = {SmoothnessProbe.Tau}, Gaussian (Q, K) (absolutely continuous) plus one exact top tie, float64";

    public override CheckOutcome Run(ClaimContext context)
    {
        var random = new Gaussian(context.SeedFor(ClaimId + "/ties"));
        var samples = context.Samples(100_000);
        long ties = 0;
        for (long s = 0; s < samples; s++)
            if (ToyHead.MinMargin(random.Matrix(3, 2), random.Matrix(3, 2)) == 0) ties++;
        var outcome = SmoothnessProbe.Outcome(SmoothnessProbe.Probe(context, ClaimId, hard: false, context.Samples(30)), "Y = A^{(τ)}V",
            Evidence.Note("true everywhere, not only almost everywhere: for τ > 0 nothing singular happens on the tie set"));
        return outcome with { Evidence = [.. outcome.Evidence, Evidence.Numeric($"Gaussian (Q, K): {ties} exact top ties in {samples} samples (the tie set has measure zero)")] };
    }

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the hard limit Y = V_σ is differentiable at every point, tie set included", c => SmoothnessProbe.Outcome(SmoothnessProbe.Probe(c, ClaimId, hard: true, c.Samples(30)), "Y = V_σ", null)),
    ];
}
