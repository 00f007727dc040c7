namespace Workbench.Claims.Stratification;

/// <summary>
/// S.remark-6.2: for small τ, moving (Q, K) across a tie hyperplane changes A^{(τ)} much more than moving along
/// it. Measured at points of the top tie S_00 = S_01 (third key at least 0.5 below): the derivative of row 0 of A
/// along the normal of {q_0·(k_0 − k_1) = 0} in q_0, and along the tangent.
/// </summary>
public sealed class AcrossVersusAlong : ClaimCheck
{
    public override string ClaimId => "S.remark-6.2";
    public override string Name => "derivative of A across and along a tie";
    public override string Setting => "n = 3, d_h = 2, Gaussian q_0, k_1, k_2 with k_0 = k_1 + r q_0^⊥ (tie S_00 = S_01 on top), τ ∈ {1, 0.1, 0.01}, central differences in q_0";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, reversed: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("reversed: along the hyperplane changes A at least as much as across", c => Evaluate(c, reversed: true)),
    ];

    private static double Rate(double[][] q, double[][] k, double[] direction, double tau)
    {
        var h = 1e-6 * tau;
        var (plus, minus) = (ToyMatrix.Copy(q), ToyMatrix.Copy(q));
        for (var c = 0; c < 2; c++) { plus[0][c] += h * direction[c]; minus[0][c] -= h * direction[c]; }
        var (ap, am) = (ToyHead.Weights(plus, k, tau)[0], ToyHead.Weights(minus, k, tau)[0]);
        return Math.Sqrt(ap.Zip(am, (x, y) => (x - y) * (x - y)).Sum()) / (2 * h);
    }

    private CheckOutcome Evaluate(ClaimContext context, bool reversed)
    {
        var random = new Gaussian(context.SeedFor(ClaimId));
        var points = context.Samples(200);
        var minRatio = new Dictionary<double, double> { [1] = double.PositiveInfinity, [0.1] = double.PositiveInfinity, [0.01] = double.PositiveInfinity };
        long used = 0;
        while (used < points)
        {
            var q0 = random.Matrix(1, 2)[0];
            var k1 = random.Matrix(1, 2)[0];
            var k2 = random.Matrix(1, 2)[0];
            var norm = Math.Sqrt(q0[0] * q0[0] + q0[1] * q0[1]);
            double[] tangent = [-q0[1] / norm, q0[0] / norm];
            var r = random.Uniform(0.5, 2);
            double[] k0 = [k1[0] + r * tangent[0], k1[1] + r * tangent[1]];
            double[][] q = [q0, [0, 0], [0, 0]], k = [k0, k1, k2];
            var s = ToyHead.Scores(q, k)[0];
            if (s[0] - s[2] < 0.5) continue;
            used++;
            // Normal of {q_0·(k_0 − k_1) = 0} in q_0-space is k_0 − k_1 ∝ tangent of q_0; the tie's tangent is q_0's direction.
            double[] across = tangent, along = [q0[0] / norm, q0[1] / norm];
            foreach (var tau in minRatio.Keys.ToList())
                minRatio[tau] = Math.Min(minRatio[tau], Rate(q, k, across, tau) / Math.Max(1e-300, Rate(q, k, along, tau)));
        }
        var numeric = Evidence.Numeric($"{points} tie points: smallest ratio |∂A_0/∂across| / |∂A_0/∂along| is {Fmt.Sig(minRatio[1], 2)} at τ = 1, {Fmt.Sig(minRatio[0.1], 2)} at τ = 0.1, {(minRatio[0.01] > 1e4 ? "> 1e4" : Fmt.Sig(minRatio[0.01], 2))} at τ = 0.01 (there the along-derivative is at round-off level)");
        var anisotropic = minRatio[0.01] > 100 && minRatio[0.01] > minRatio[0.1] && minRatio[0.1] > minRatio[1];
        if (reversed)
            return anisotropic ? CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample("across beats along at every sampled tie point"), numeric) : CheckOutcome.Of(Finding.SupportsNumerically, numeric);
        return anisotropic
            ? CheckOutcome.Of(Finding.SupportsNumerically, numeric, Evidence.Note("along the tie the two top keys move together and only the exponentially small weight of the third key changes, so the ratio grows like e^{gap/τ}"))
            : CheckOutcome.Of(Finding.Refutes, numeric);
    }
}
