using Workbench.Attention;

namespace Workbench.Claims.Stratification;

/// <summary>
/// Y = A^(τ)(Q, K) V as a map of θ = (vec Q, vec K), Q's entries first, both row-major: the layout the Jacobian checks
/// differentiate in. The analytic Jacobians are Workbench.Attention's (∂Y/∂Q and ∂Y/∂K, derived there from
/// ∂a/∂s = (diag a − a aᵀ)/τ) and the central differences its <see cref="FiniteDifference"/>; this class only
/// joins the two blocks and reshapes θ into toy rows.
/// </summary>
internal static class OutputJacobians
{
    /// <summary>
    /// J[e, p] = ∂Y_e/∂θ_p. Without <paramref name="temperatureFactor"/> the 1/τ of the softmax Jacobian is dropped
    /// (the deliberately wrong chain rule); every entry is linear in that factor, so dropping it multiplies J by τ.
    /// </summary>
    public static double[,] Analytic(double[][] q, double[][] k, double[][] v, double tau, bool temperatureFactor = true)
    {
        int n = q.Length, d = q[0].Length, dv = v[0].Length;
        var (fq, fk, fv) = (ToyHead.Flat(q), ToyHead.Flat(k), ToyHead.Flat(v));
        var byQueries = Workbench.Attention.Jacobians.OutputByQueries(fq, fk, fv, n, d, dv, AttentionMask.None, tau);
        var byKeys = Workbench.Attention.Jacobians.OutputByKeys(fq, fk, fv, n, d, dv, AttentionMask.None, tau);
        var factor = temperatureFactor ? 1 : tau;
        var jac = new double[n * dv, 2 * n * d];
        for (var e = 0; e < n * dv; e++)
            for (var p = 0; p < n * d; p++)
            {
                jac[e, p] = factor * byQueries[e, p];
                jac[e, n * d + p] = factor * byKeys[e, p];
            }
        return jac;
    }

    /// <summary>Central differences of <paramref name="map"/> over every entry of Q and K, step h.</summary>
    public static double[,] Central(Func<double[][], double[][], double[]> map, double[][] q, double[][] k, double h)
    {
        int n = q.Length, d = q[0].Length;
        double[] theta = [.. ToyHead.Flat(q), .. ToyHead.Flat(k)];
        return FiniteDifference.Jacobian(x => map(ToyHead.Rows(x[..(n * d)], d), ToyHead.Rows(x[(n * d)..], d)), theta, h);
    }

    public static double MaxDifference(double[,] a, double[,] b)
    {
        var worst = 0.0;
        for (var r = 0; r < a.GetLength(0); r++)
            for (var c = 0; c < a.GetLength(1); c++) worst = Math.Max(worst, Math.Abs(a[r, c] - b[r, c]));
        return worst;
    }
}

/// <summary>
/// S.jacobian-softmax: ∂A_ij/∂S_il = A_ij(δ_jl − A_il). Exact at τ = 1; with the temperature the note itself
/// uses in A^{(τ)} the derivative carries a factor 1/τ.
/// </summary>
public sealed class SoftmaxJacobianCheck : ClaimCheck
{
    public override string ClaimId => "S.jacobian-softmax";
    public override string Name => "softmax Jacobian against central differences";
    public override string Setting => "score rows of length 4, Gaussian entries, τ ∈ {1, 0.5, 2}, step 1e-6, float64";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, (a, j, l, _) => a[j] * ((j == l ? 1 : 0) - a[l]));

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the corrected formula with the factor 1/τ, as Workbench.Attention computes it (must not be qualified)",
            c => Evaluate(c, (a, j, l, tau) => Workbench.Attention.Jacobians.SoftmaxFromWeights(a, tau)[j, l])),
        new("δ_jl dropped: −A_ij A_il", c => Evaluate(c, (a, j, l, _) => -a[j] * a[l])),
    ];

    private CheckOutcome Evaluate(ClaimContext context, Func<double[], int, int, double, double> formula)
    {
        const double tolerance = 1e-7, h = 1e-6;
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(200);
        var worst = new Dictionary<double, double> { [1] = 0, [0.5] = 0, [2] = 0 };
        var ratio = new Dictionary<double, (double Cross, double Norm)> { [1] = (0, 0), [0.5] = (0, 0), [2] = (0, 0) };
        foreach (var tau in worst.Keys.ToList())
        {
            for (long s = 0; s < samples; s++)
            {
                var row = random.Matrix(1, 4)[0];
                var a = ToyHead.Weights(row, tau);
                for (var l = 0; l < 4; l++)
                {
                    var (plus, minus) = ((double[])row.Clone(), (double[])row.Clone());
                    plus[l] += h; minus[l] -= h;
                    var (ap, am) = (ToyHead.Weights(plus, tau), ToyHead.Weights(minus, tau));
                    for (var j = 0; j < 4; j++)
                    {
                        var fd = (ap[j] - am[j]) / (2 * h);
                        var f = formula(a, j, l, tau);
                        worst[tau] = Math.Max(worst[tau], Math.Abs(fd - f));
                        ratio[tau] = (ratio[tau].Cross + fd * f, ratio[tau].Norm + f * f);
                    }
                }
            }
        }
        var evidence = worst.Select(w => Evidence.Numeric($"τ = {Fmt.Sig(w.Key)}: |finite difference − formula|", samples * 16, w.Value, tolerance)).ToList();
        if (worst[1] > tolerance)
            return new CheckOutcome(Finding.Refutes, [Evidence.Counterexample($"fails already at τ = 1 (worst error {Fmt.Bound(worst[1])})"), .. evidence]);
        if (worst[0.5] > tolerance || worst[2] > tolerance)
        {
            var slopes = string.Join(", ", new[] { 0.5, 2.0 }.Select(t => $"{Fmt.Sig(ratio[t].Cross / ratio[t].Norm, 4)} at τ = {Fmt.Sig(t)}"));
            return new CheckOutcome(Finding.Qualifies,
            [
                Evidence.Note("holds at τ = 1 only; for A^{(τ)} the derivative is (1/τ) A_ij (δ_jl − A_il)", @"\partial A^{(\tau)}_{ij}/\partial S_{il} = \tfrac{1}{\tau} A^{(\tau)}_{ij}(\delta_{jl} - A^{(\tau)}_{il})"),
                Evidence.Numeric($"least-squares ratio of finite differences to the stated formula: {slopes} (1/τ)"),
                .. evidence,
            ]);
        }
        return new CheckOutcome(Finding.SupportsNumerically, evidence);
    }
}

/// <summary>
/// S.jacobian-scores: ∂S_il/∂q_i = k_l/√d_h and ∂S_il/∂k_l = q_i/√d_h. S carries no temperature; τ enters A
/// through S/τ, so the chain rule to A needs the 1/τ of the softmax Jacobian, checked in the second part.
/// </summary>
public sealed class ScoreJacobianCheck : ClaimCheck
{
    public override string ClaimId => "S.jacobian-scores";
    public override string Name => "score derivatives and the chain rule to Y";
    public override string Setting => "n = 3, d_h = 4, d_v = 2, Gaussian Q, K, V, τ = 0.5, central differences with step 1e-5, float64";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, d => 1 / Math.Sqrt(d), "1/√d_h", temperatureInChain: true);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("factor 1/√d_h dropped", c => Evaluate(c, _ => 1, "1", temperatureInChain: true)),
        new("chain rule to Y without the 1/τ of the softmax Jacobian", c => Evaluate(c, d => 1 / Math.Sqrt(d), "1/√d_h", temperatureInChain: false)),
    ];

    private CheckOutcome Evaluate(ClaimContext context, Func<int, double> factor, string factorText, bool temperatureInChain)
    {
        const double tolerance = 1e-7, h = 1e-5, tau = 0.5;
        const int n = 3, d = 4;
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(40);
        double worstScores = 0, worstChain = 0;
        for (long s = 0; s < samples; s++)
        {
            var (q, k, v) = (random.Matrix(n, d), random.Matrix(n, d), random.Matrix(n, 2));
            var fd = OutputJacobians.Central((qq, kk) => ToyHead.Flat(ToyHead.Scores(qq, kk)), q, k, h);
            for (var i = 0; i < n; i++)
            for (var l = 0; l < n; l++)
            for (var c = 0; c < d; c++)
            {
                worstScores = Math.Max(worstScores, Math.Abs(fd[i * n + l, i * d + c] - k[l][c] * factor(d)));
                worstScores = Math.Max(worstScores, Math.Abs(fd[i * n + l, n * d + l * d + c] - q[i][c] * factor(d)));
            }
            var analytic = OutputJacobians.Analytic(q, k, v, tau, temperatureInChain);
            var numeric = OutputJacobians.Central((qq, kk) => ToyHead.Output(qq, kk, v, tau), q, k, h);
            worstChain = Math.Max(worstChain, OutputJacobians.MaxDifference(analytic, numeric));
        }
        List<Evidence> evidence =
        [
            Evidence.Numeric($"∂S_il/∂q_i = k_l·{factorText}, ∂S_il/∂k_l = q_i·{factorText}", samples * n * n * d * 2, worstScores, tolerance),
            Evidence.Numeric("chain rule ∂Y/∂(Q, K) through (1/τ)-softmax Jacobian and these score derivatives", samples, worstChain, tolerance),
        ];
        if (worstScores > tolerance || worstChain > tolerance)
            return new CheckOutcome(Finding.Refutes, [Evidence.Counterexample(worstScores > tolerance
                ? $"d_h = {d}: the score derivative differs from the stated one by up to {Fmt.Sig(worstScores, 3)}"
                : $"τ = {tau}: the chain rule without 1/τ misses ∂Y by up to {Fmt.Sig(worstChain, 3)}"), .. evidence]);
        return new CheckOutcome(Finding.SupportsNumerically,
            [.. evidence, Evidence.Note("S = QKᵀ/√d_h has no temperature; A^{(τ)} depends on S/τ, so ∂(S_il/τ)/∂q_i = k_l/(τ√d_h)")]);
    }
}
