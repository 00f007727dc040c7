using Workbench.Kernels.Sampling;

namespace Workbench.Claims.Sampling;

/// <summary>
/// S.prop-9.1-ac: (Q, K) = (X W_Q, X W_K) acts row by row, x_i ↦ (x_i W_Q, x_i W_K) ∈ R^{2 d_h}, so the induced
/// law is absolutely continuous on QK exactly when [W_Q W_K] (d_model × 2 d_h) has rank 2 d_h. That fails whenever
/// d_model &lt; 2 d_h, and always for tied weights W_Q = W_K (rank ≤ d_h): then Q = K, S is symmetric, and the law
/// lives on a proper subspace. The tie set still has X-measure zero there (its equation is a non-zero polynomial in X).
/// </summary>
public sealed class AbsoluteContinuity : ClaimCheck
{
    public override string ClaimId => "S.prop-9.1-ac";
    public override string Name => "rank of [W_Q W_K] and sampled symmetry of S for tied weights";
    public override string Setting => "n = 4, d_h = 2; untied integer weights with d_model = 6 and 3, tied W_Q = W_K with d_model = 6; X i.i.d. N(0,1); CPU backend";

    private const long Samples = 20_000;

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, tiedIsAbsolutelyContinuous: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the statement read without conditions: tied W_Q = W_K also gives an absolutely continuous (Q, K)", c => Evaluate(c, tiedIsAbsolutelyContinuous: true)),
    ];

    private static CheckOutcome Evaluate(ClaimContext context, bool tiedIsAbsolutelyContinuous)
    {
        const int n = 4, dh = 2;
        var evidence = new List<Evidence>();
        var wq6 = Sampled.IntegerWeights(context, "ac W_Q 6", 6, dh);
        var wk6 = Sampled.IntegerWeights(context, "ac W_K 6", 6, dh);
        var wq3 = Sampled.IntegerWeights(context, "ac W_Q 3", 3, dh);
        var wk3 = Sampled.IntegerWeights(context, "ac W_K 3", 3, dh);
        int rankWide = Sampled.Rank(Sampled.SideBySide(wq6, wk6, 6, dh), 6, 2 * dh);
        int rankNarrow = Sampled.Rank(Sampled.SideBySide(wq3, wk3, 3, dh), 3, 2 * dh);
        int rankTied = Sampled.Rank(Sampled.SideBySide(wq6, wq6, 6, dh), 6, 2 * dh);
        evidence.Add(Evidence.Symbolic($"rank [W_Q W_K] (exact): untied d_model = 6: {rankWide} of {2 * dh}; untied d_model = 3: {rankNarrow} of {2 * dh}; tied W_Q = W_K: {rankTied} of {2 * dh}"));

        var tied = new SamplerConfig { Tokens = n, HeadDim = dh, Distribution = SamplerDistribution.Projected(6, [wq6], [wq6]) };
        var untied = new SamplerConfig { Tokens = n, HeadDim = dh, Distribution = SamplerDistribution.Projected(6, [wq6], [wk6]) };
        var symTied = SymmetricFraction(tied, context, "ac tied");
        var symUntied = SymmetricFraction(untied, context, "ac untied");
        evidence.Add(Evidence.Numeric($"samples with S exactly symmetric (S_ij = S_ji for all i, j): tied {Fmt.Sig(symTied)}, untied {Fmt.Sig(symUntied)} (an absolutely continuous law gives 0)"));
        evidence.Add(Evidence.Counterexample($"tied W_Q = W_K (d_model = 6, d_h = 2): Q = K on every sample, so (Q, K) lies on the subspace {{Q = K}} of dimension {n * dh} in QK of dimension {2 * n * dh}: not absolutely continuous; nor is any d_model < 2 d_h"));
        evidence.Add(Evidence.Note("holds exactly when rank [W_Q W_K] = 2 d_h (needs d_model ≥ 2 d_h); the tie set keeps X-measure zero even when this fails, unless W_Q or W_K is degenerate (S.sec-10.2)"));

        var tiedSingular = symTied == 1.0 && rankTied < 2 * dh;
        var genericOk = rankWide == 2 * dh && symUntied == 0;
        var finding = tiedIsAbsolutelyContinuous
            ? (tiedSingular ? Finding.Refutes : Finding.SupportsNumerically)
            : (tiedSingular && genericOk ? Finding.Qualifies : Finding.Inconclusive);
        return new CheckOutcome(finding, evidence);
    }

    private static double SymmetricFraction(SamplerConfig config, ClaimContext context, string seedName)
    {
        var sampler = new ReferenceSampler(config);
        var seed = context.SeedFor(seedName);
        var count = (int)context.Samples(Samples);
        var symmetric = 0;
        int n = config.Tokens;
        for (var s = 0; s < count; s++)
        {
            sampler.Sample(seed, (ulong)s);
            var S = sampler.Scores;
            var sym = true;
            for (var i = 0; i < n && sym; i++) for (var j = 0; j < i; j++) if (S[i * n + j] != S[j * n + i]) { sym = false; break; }
            if (sym) symmetric++;
        }
        return (double)symmetric / count;
    }
}
