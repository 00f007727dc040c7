namespace Workbench.Claims.Stratification;

/// <summary>
/// S.remark-10.2: parameters in the parameter tie set are singular in the sense that several parameter settings
/// induce the same function. True there, but true everywhere: (W_Q, W_K) ↦ (W_Q G, W_K G^{−T}) leaves every score
/// QKᵀ unchanged for any invertible G, so every parameter point has a d_h²-dimensional family of equivalents.
/// Non-identifiability does not single out the tie set.
/// </summary>
public sealed class ScoreSymmetry : ClaimCheck
{
    public override string ClaimId => "S.remark-10.2";
    public override string Name => "GL(d_h) symmetry of the scores on and off the tie set";
    public override string Setting => "n = 3, d_model = 4, d_h = 2, Gaussian X, W_Q, W_K and G (2 × 2); parameters off the tie set (positive margin for the given X)";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimIdentifiableOffTies: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("parameters off the tie set are identifiable (no other parameters give the same scores)", c => Evaluate(c, claimIdentifiableOffTies: true)),
    ];

    private CheckOutcome Evaluate(ClaimContext context, bool claimIdentifiableOffTies)
    {
        const double tolerance = 1e-10;
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(500);
        double worst = 0, smallestMove = double.PositiveInfinity;
        long offTies = 0, used = 0;
        for (long s = 0; s < samples; s++)
        {
            var (x, wq, wk, g) = (random.Matrix(3, 4), random.Matrix(4, 2), random.Matrix(4, 2), random.Matrix(2, 2));
            var det = g[0][0] * g[1][1] - g[0][1] * g[1][0];
            if (Math.Abs(det) < 0.1) continue;
            used++;
            double[][] inverseTranspose = [[g[1][1] / det, -g[1][0] / det], [-g[0][1] / det, g[0][0] / det]];
            var (wq2, wk2) = (ToyMatrix.Multiply(wq, g), ToyMatrix.Multiply(wk, inverseTranspose));
            var before = ToyHead.Scores(ToyMatrix.Multiply(x, wq), ToyMatrix.Multiply(x, wk));
            var after = ToyHead.Scores(ToyMatrix.Multiply(x, wq2), ToyMatrix.Multiply(x, wk2));
            if (ToyHead.MinMargin(ToyMatrix.Multiply(x, wq), ToyMatrix.Multiply(x, wk)) > 0) offTies++;
            var scale = 1 + before.Max(r => r.Max(Math.Abs));
            worst = Math.Max(worst, before.Zip(after, (a, b) => a.Zip(b, (u, v) => Math.Abs(u - v)).Max()).Max() / scale);
            smallestMove = Math.Min(smallestMove, wq.Zip(wq2, (a, b) => a.Zip(b, (u, v) => Math.Abs(u - v)).Max()).Max());
        }
        List<Evidence> evidence =
        [
            Evidence.Numeric("relative change of all scores under (W_Q G, W_K G^{−T}), |det G| ≥ 0.1", used, worst, tolerance),
            Evidence.Numeric($"{offTies} of {used} sampled parameter points are off the tie set for their X; the moved W_Q differs by at least {Fmt.Sig(smallestMove, 2)} in some entry"),
        ];
        var symmetric = worst <= tolerance && offTies > 0;
        if (claimIdentifiableOffTies)
            return symmetric ? new CheckOutcome(Finding.Refutes, [Evidence.Counterexample("off the tie set, (W_Q G, W_K G^{−T}) gives identical scores"), .. evidence]) : new CheckOutcome(Finding.SupportsNumerically, evidence);
        if (!symmetric) return new CheckOutcome(Finding.Inconclusive, evidence);
        return new CheckOutcome(Finding.Qualifies,
        [
            Evidence.Note("tie-set points are non-identifiable, but so is every parameter point: the scores depend on (W_Q, W_K) only through W_Q W_Kᵀ, so non-identifiability is not what distinguishes the tie set (what does: the score differences vanish there, so the argmax pattern is not locally constant)",
                @"(W_Q G)(W_K G^{-\top})^\top = W_Q W_K^\top\quad \forall G \in GL(d_h)"),
            .. evidence,
        ]);
    }
}
