using Workbench.Kernels.Sampling;

namespace Workbench.Claims.Sampling;

/// <summary>
/// S.prop-8.2: with heads independent in (Q^(h), K^(h)) the joint pattern law is the product of the heads' laws
/// (G-test of independence on the joint histogram passes); with one X shared by the heads it is not: the mutual
/// information between the heads' patterns is measurably positive, and with equal projections it is the full
/// pattern entropy. "Approximately valid" then depends on the weights, so the claim is qualified.
/// </summary>
public sealed class HeadIndependence : ClaimCheck
{
    public override string ClaimId => "S.prop-8.2";
    public override string Name => "joint pattern law of two heads: independent against shared X";
    public override string Setting => "n = 3, d_h = 2, 2 heads; independent Gaussian heads, and X (d_model = 4) shared with independent or equal integer weights; CPU backend";

    private const long Samples = 200_000;

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, sharedIsProduct: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("with a shared X the joint law is still the product (exact product structure)", c => Evaluate(c, sharedIsProduct: true)),
    ];

    private static CheckOutcome Evaluate(ClaimContext context, bool sharedIsProduct)
    {
        const int n = 3, dh = 2, dm = 4;
        var independent = Sampled.Run(Sampled.Gaussian(n, dh, heads: 2), context, "heads independent", Samples);
        float[] w1q = Sampled.IntegerWeights(context, "heads W1Q", dm, dh), w1k = Sampled.IntegerWeights(context, "heads W1K", dm, dh);
        float[] w2q = Sampled.IntegerWeights(context, "heads W2Q", dm, dh), w2k = Sampled.IntegerWeights(context, "heads W2K", dm, dh);
        var sharedConfig = new SamplerConfig { Tokens = n, HeadDim = dh, Heads = 2, Distribution = SamplerDistribution.Projected(dm, [w1q, w2q], [w1k, w2k]) };
        var equalConfig = new SamplerConfig { Tokens = n, HeadDim = dh, Heads = 2, Distribution = SamplerDistribution.Projected(dm, [w1q, w1q], [w1k, w1k]) };
        var shared = Sampled.Run(sharedConfig, context, "heads shared", Samples);
        var equal = Sampled.Run(equalConfig, context, "heads equal", Samples);
        var space = (ulong)(n * n * n);
        var (miI, gI, dfI) = Independence(independent, space);
        var (miS, gS, dfS) = Independence(shared, space);
        var (miE, _, _) = Independence(equal, space);
        // G ~ χ²(df) under independence: mean df, sd √(2 df); 6 sd is a test at well below 1e-6.
        double Limit(int df) => df + 6 * Math.Sqrt(2.0 * df);
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"independent heads: mutual information {Fmt.Sig(miI, 2)} nats, G = {Fmt.Sig(gI, 3)} on {dfI} degrees of freedom (independence rejected above {Fmt.Sig(Limit(dfI), 3)})"),
            Evidence.Numeric($"shared X, independent weights: mutual information {Fmt.Sig(miS, 2)} nats, G = {Fmt.Sig(gS, 3)} on {dfS} degrees of freedom"),
            Evidence.Numeric($"shared X, equal weights: mutual information {Fmt.Sig(miE, 2)} nats (the heads' patterns coincide)"),
            Evidence.Note("product structure holds for independent heads; with a shared X it is only as good as the heads' projections are unrelated, and fails completely for equal projections"),
        };
        var productHolds = gI < Limit(dfI);
        var sharedDeviates = gS > Limit(dfS);
        Finding finding;
        if (sharedIsProduct) finding = sharedDeviates ? Finding.Refutes : Finding.SupportsNumerically;
        else finding = productHolds ? (sharedDeviates ? Finding.Qualifies : Finding.SupportsNumerically) : Finding.Refutes;
        return new CheckOutcome(finding, evidence);
    }

    /// <summary>Mutual information (nats) and G = 2 N MI between head 0 and head 1 patterns, with the G-test's degrees of freedom.</summary>
    private static (double Mi, double G, int Df) Independence(SampleTally t, ulong headSpace)
    {
        var a = new Dictionary<ulong, long>(); var b = new Dictionary<ulong, long>();
        foreach (var (code, c) in t.Patterns)
        {
            a[code % headSpace] = a.GetValueOrDefault(code % headSpace) + c;
            b[code / headSpace] = b.GetValueOrDefault(code / headSpace) + c;
        }
        double N = t.Samples, mi = 0;
        foreach (var (code, c) in t.Patterns)
            mi += c / N * Math.Log(c * N / ((double)a[code % headSpace] * b[code / headSpace]));
        return (mi, 2 * N * mi, (a.Count - 1) * (b.Count - 1));
    }
}
