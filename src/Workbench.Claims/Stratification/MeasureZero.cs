namespace Workbench.Claims.Stratification;

/// <summary>
/// S.prop-9.1-ac: with W_Q, W_K fixed and X absolutely continuous, (Q, K) = (XW_Q, XW_K) is absolutely continuous
/// on QK. The map X ↦ (XW_Q, XW_K) is linear; the image measure is absolutely continuous exactly when it is onto,
/// i.e. when [W_Q W_K] (d_model × 2d_h) has rank 2d_h. Tied weights W_Q = W_K put all mass on {Q = K}.
/// </summary>
public sealed class InducedDensity : ClaimCheck
{
    public override string ClaimId => "S.prop-9.1-ac";
    public override string Name => "rank of [W_Q W_K] and the induced law of (Q, K)";
    public override string Setting => "Gaussian W_Q, W_K with d_h = 2 and d_model ∈ {4, 3}, and tied W_Q = W_K (d_model = 4); Gaussian X with n = 3";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimTiedToo: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("absolutely continuous even for tied W_Q = W_K", c => Evaluate(c, claimTiedToo: true)),
    ];

    private CheckOutcome Evaluate(ClaimContext context, bool claimTiedToo)
    {
        var random = new Gaussian(context.SeedFor(ClaimId));
        const int dh = 2;
        var full = Concatenate(random.Matrix(4, dh), random.Matrix(4, dh));
        var narrow = Concatenate(random.Matrix(3, dh), random.Matrix(3, dh));
        var w = random.Matrix(4, dh);
        var tied = Concatenate(w, w);
        var samples = context.Samples(1000);
        long equal = 0;
        for (long s = 0; s < samples; s++)
        {
            var x = random.Matrix(3, 4);
            if (ToyMatrix.Multiply(x, w).Zip(ToyMatrix.Multiply(x, w)).All(p => p.First.SequenceEqual(p.Second))) equal++;
        }
        List<Evidence> evidence =
        [
            Evidence.Numeric($"rank [W_Q W_K]: d_model = 4 → {ToyMatrix.Rank(full)} (of 2d_h = 4, onto); d_model = 3 → {ToyMatrix.Rank(narrow)} (< 4); tied W_Q = W_K → {ToyMatrix.Rank(tied)} (< 4)"),
            Evidence.Numeric($"tied weights: Q = K in {equal} of {samples} samples, a Lebesgue-null set carrying all the mass"),
        ];
        var fails = ToyMatrix.Rank(tied) < 2 * dh && equal == samples;
        if (claimTiedToo)
            return fails ? new CheckOutcome(Finding.Refutes, [Evidence.Counterexample("tied W_Q = W_K: P(Q = K) = 1 but {Q = K} has measure zero"), .. evidence]) : new CheckOutcome(Finding.SupportsNumerically, evidence);
        if (!fails || ToyMatrix.Rank(full) != 2 * dh) return new CheckOutcome(Finding.Inconclusive, evidence);
        return new CheckOutcome(Finding.Qualifies,
        [
            Evidence.Note("holds exactly when [W_Q W_K] has rank 2d_h (so d_model ≥ 2d_h); fails for d_model < 2d_h and for tied or otherwise dependent projections",
                @"(XW_Q, XW_K)\ \text{a.c. on}\ \mathcal{QK} \iff \operatorname{rank}[W_Q\ W_K] = 2d_h"),
            Evidence.Counterexample("W_Q = W_K (d_model = 4, d_h = 2): (Q, K) lies on the diagonal {Q = K} with probability 1"),
            .. evidence,
        ]);
    }

    private static double[][] Concatenate(double[][] a, double[][] b) => a.Select((row, i) => row.Concat(b[i]).ToArray()).ToArray();
}

/// <summary>
/// S.prop-9.1: the tie set has measure zero, and each H_{i,j,k} is a codimension-1 linear subspace of QK. The
/// measure-zero part holds for non-degenerate weights (W_K = 0 ties every row); H_{i,j,k} = {q_i·(k_j − k_k) = 0}
/// is a quadric cone in QK, not a linear subspace: linear only in Q for fixed K.
/// </summary>
public sealed class TieSetGeometry : ClaimCheck
{
    public override string ClaimId => "S.prop-9.1";
    public override string Name => "tie probability and the shape of H_{i,j,k}";
    public override string Setting => "n = 3, d_model = 4, d_h = 2, Gaussian X and W_Q, W_K (and W_K = 0); explicit n = 2, d_h = 1 points on H_{0,0,1}";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimGenericTies: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("reversed: ties have positive probability for generic full-rank weights", c => Evaluate(c, claimGenericTies: true)),
    ];

    private CheckOutcome Evaluate(ClaimContext context, bool claimGenericTies)
    {
        var random = new Gaussian(context.SeedFor(ClaimId));
        var (wq, wk) = (random.Matrix(4, 2), random.Matrix(4, 2));
        var zero = new double[4][].Select(_ => new double[2]).ToArray();
        var samples = context.Samples(20_000);
        long genericTies = 0, degenerateTies = 0;
        for (long s = 0; s < samples; s++)
        {
            var x = random.Matrix(3, 4);
            if (ToyHead.MinMargin(ToyMatrix.Multiply(x, wq), ToyMatrix.Multiply(x, wk)) == 0) genericTies++;
            if (ToyHead.MinMargin(ToyMatrix.Multiply(x, wq), ToyMatrix.Multiply(x, zero)) == 0) degenerateTies++;
        }
        var numeric = Evidence.Numeric($"exact top ties in {samples} samples: generic W: {genericTies}; W_K = 0: {degenerateTies}");
        if (claimGenericTies)
            return genericTies == 0 ? CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample($"no tie in {samples} generic samples"), numeric) : CheckOutcome.Of(Finding.SupportsNumerically, numeric);
        if (genericTies > 0) return CheckOutcome.Of(Finding.Refutes, numeric);

        // Two points of H_{0,0,1} = {q_0 (k_0 − k_1) = 0} (n = 2, d_h = 1) whose sum is not on it.
        double[][] qa = [[1], [1]], ka = [[1], [1]], qb = [[0], [0]], kb = [[1], [0]];
        double[][] qs = [[1], [1]], ks = [[2], [1]];
        var sa = ToyHead.Scores(qa, ka)[0]; var sb = ToyHead.Scores(qb, kb)[0]; var ss = ToyHead.Scores(qs, ks)[0];
        return CheckOutcome.Of(Finding.Qualifies,
            Evidence.Note("measure zero: yes for non-degenerate W_Q, W_K (degenerate ones, e.g. W_K = 0, tie every row with probability 1). H_{i,j,k} is the zero set of the bilinear form q_i·(k_j − k_k): a codimension-1 quadric cone in QK, linear only in Q for fixed K (a hyperplane when k_j ≠ k_k)",
                @"H_{i,j,k} = \{\langle q_i, k_j - k_k\rangle = 0\}\ \text{(quadric, not linear)}"),
            Evidence.Counterexample($"n = 2, d_h = 1: (q = (1, 1), k = (1, 1)) and (q = (0, 0), k = (1, 0)) lie on H_{{0,0,1}} (S_00 − S_01 = {Fmt.Sig(sa[0] - sa[1])} and {Fmt.Sig(sb[0] - sb[1])}); their sum (q = (1, 1), k = (2, 1)) has S_00 − S_01 = {Fmt.Sig(ss[0] - ss[1])}: not a linear subspace"),
            numeric);
    }
}
