using Workbench.Attention;

namespace Workbench.Claims.Stratification;

/// <summary>
/// S.sec-13.1: inside R°_σ and for small τ, Y_i ≈ V_σ(i). With margin m_i, every loser has A_ij ≤ e^{−m_i/τ} A_iσ(i),
/// so 1 − A_iσ(i) ≤ (n−1)e^{−m_i/τ} / (1 + (n−1)e^{−m_i/τ}) and
/// ‖Y_i − V_σ(i)‖ ≤ (1 − A_iσ(i)) max_j ‖V_j − V_σ(i)‖. The limit holds at each point of the open stratum, but not
/// uniformly on it: near its boundary m_i → 0 and Y_i stays half-way between two values for any τ.
/// </summary>
public sealed class HardRoutingBound : ClaimCheck
{
    public override string ClaimId => "S.sec-13.1";
    public override string Name => "margin bound on ‖Y_i − V_σ(i)‖";
    public override string Setting => "n = 4, d_h = 2, d_v = 3, τ ∈ {0.1, 0.03, 0.01}; Gaussian Q, K, V plus rows whose losers all tie (where the bound is attained), float64";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, (n, x) => (n - 1) * x / (1 + (n - 1) * x), "(n−1)e^{−m/τ}/(1 + (n−1)e^{−m/τ})");

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("factor n − 1 dropped: 1 − A_iσ(i) ≤ e^{−m/τ}", c => Evaluate(c, (_, x) => x, "e^{−m/τ}")),
    ];

    private CheckOutcome Evaluate(ClaimContext context, Func<int, double, double> loserWeight, string weightText)
    {
        const int n = 4;
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(3000);
        double worstRatio = 0;
        string? violation = null;
        long rows = 0;
        foreach (var tau in new[] { 0.1, 0.03, 0.01 })
        {
            for (long s = 0; s < samples; s++)
            {
                var (q, k, v) = (random.Matrix(n, 2), random.Matrix(n, 2), random.Matrix(n, 3));
                if (s % 2 == 1)
                {
                    // Losers tie and share one value vector: the bound is attained, so a weaker one must fail here.
                    k = [[2, 0], [0, 0], [0, 0], [0, 0]];
                    q = [[random.Uniform(0.01, 1), random.Next()], [random.Uniform(0.01, 1), random.Next()], [random.Uniform(0.01, 1), random.Next()], [random.Uniform(0.01, 1), random.Next()]];
                    v = [v[0], v[1], v[1], v[1]];
                }
                var scores = ToyHead.Scores(q, k);
                var y = ToyHead.Rows(ToyHead.Output(q, k, v, tau), 3);
                for (var i = 0; i < n; i++)
                {
                    rows++;
                    var (sigma, margin, _) = RowStratum.Of(scores[i], i);
                    var error = ToyMatrix.Distance(y[i], v[sigma]);
                    var spread = v.Max(vj => ToyMatrix.Distance(vj, v[sigma]));
                    var bound = loserWeight(n, Math.Exp(-margin / tau)) * spread;
                    // Below ~1e-13 the error is float64 round-off in Y, not attention weight: compare with that slack.
                    var slack = 1e-13 * (1 + spread);
                    if (error > bound * (1 + 1e-9) + slack) violation ??= $"τ = {Fmt.Sig(tau)}, margin {Fmt.Sig(margin, 4)}: ‖Y_i − V_σ(i)‖ = {Fmt.Sig(error, 4)} exceeds the bound {Fmt.Sig(bound, 4)}";
                    if (bound < 1e-10) continue;
                    var ratio = error / bound;
                    worstRatio = Math.Max(worstRatio, ratio);
                }
            }
        }
        var numeric = Evidence.Numeric($"‖Y_i − V_σ(i)‖ ≤ {weightText} · max_j ‖V_j − V_σ(i)‖ over {rows} rows: worst ratio to the bound {Fmt.Sig(worstRatio, 4)} (rows with bound ≥ 1e-10)");
        if (violation is not null) return CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample(violation), numeric);

        // A point inside R°_σ with margin 1e-6: at τ = 0.01 it is still half-way between V_0 and V_1.
        double[][] kNear = [[1e-6, 0], [0, 0]], qNear = [[1, 0], [1, 0]], vNear = [[1, 0], [0, 1]];
        var near = RowStratum.Of(ToyHead.Scores(qNear, kNear)[0]);
        var nearError = ToyMatrix.Distance(ToyHead.Output(qNear, kNear, vNear, 0.01)[..2], vNear[0]);
        return CheckOutcome.Of(Finding.Qualifies,
            Evidence.Note("holds pointwise (for each point of R°_σ, Y_i → V_σ(i) as τ → 0) and uniformly only where the margin is bounded below; the explicit bound makes 'small τ' precise: τ ≪ m_i / log(n − 1)",
                @"\|Y_i - V_{\sigma(i)}\| \le \frac{(n-1)e^{-m_i/\tau}}{1+(n-1)e^{-m_i/\tau}} \max_j \|V_j - V_{\sigma(i)}\|"),
            numeric,
            Evidence.Counterexample($"n = 2, d_h = 2, Q = ((1, 0), (1, 0)), K = ((1e-6, 0), (0, 0)), V = I: σ(0) = {near.Pattern} with margin {Fmt.Sig(near.Margin, 3)}, yet at τ = 0.01 ‖Y_0 − V_σ(0)‖ = {Fmt.Sig(nearError, 3)} (of ‖V_1 − V_0‖ = 1.41)"));
    }
}
