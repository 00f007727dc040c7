using Workbench.Algebra.Operators;

namespace Workbench.Claims.Algebra;

/// <summary>
/// L.eps-def: does dividing by √(d²) = d keep ε_ℓ well-behaved as d varies? Random heads with the usual N(0, 1/d)
/// initialisation at fixed head rank r = 8, H = 4, d = 32…256: the log-log slope of ε_ℓ against d. Also the exact
/// rescaling law ε(cW) = c⁴ ε(W). A slope far from 0 means the normalisation does not remove the d-dependence.
/// </summary>
public sealed class EpsNormalisationCheck : ClaimCheck
{
    public override string ClaimId => "L.eps-def";
    public override string Name => "eps_l against d, random heads";
    public override string Setting => "W^q, W^k entries N(0, 1/d), r = 8, H = 4, d in {32, 64, 128, 256}, 3 seeds each, float64, factored";

    public override CheckOutcome Run(ClaimContext context) => Sweep(context, normExponent: 1.0, "sqrt(d^2) = d");

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("normalise by d^(-1/2) instead of d (a changed exponent that does cancel the d^-3/2 decay)", c => Sweep(c, normExponent: -0.5, "d^(-1/2)")),
    ];

    private static CheckOutcome Sweep(ClaimContext context, double normExponent, string label)
    {
        int[] ds = [32, 64, 128, 256];
        var eps = new double[ds.Length];
        var free = new double[ds.Length];
        var seed = context.SeedFor("eps-def");
        for (var t = 0; t < ds.Length; t++)
        {
            for (var s = 0; s < 3; s++)
            {
                var report = LayerReport.Compute(FactoredHeads.Random(ds[t], 8, 4, seed + (ulong)(t * 10 + s)));
                eps[t] += report.Eps * ds[t] / Math.Pow(ds[t], normExponent) / 3; // report.Eps is normalised by d
                free[t] += report.EpsScaleFree / 3;
            }
        }
        var slope = Slope(ds, eps);
        var freeSlope = Slope(ds, free);
        var heads = FactoredHeads.Random(32, 8, 4, seed + 99);
        var scaled = LayerReport.Compute(heads.Scaled(2)).Eps / LayerReport.Compute(heads).Eps;
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"eps_l with normalisation {label} at d = 32, 64, 128, 256: {AlgebraClaimData.List(eps)}; log-log slope {Fmt.Sig(slope, 2)} (0 would be d-independent)"),
            Evidence.Numeric($"scale-free eps (||[A_i,A_j]|| / (||A_i|| ||A_j||)): {AlgebraClaimData.List(free)}; slope {Fmt.Sig(freeSlope, 2)} (theory -1/2: sqrt(2/d) for independent Gaussian factors)"),
            Evidence.Numeric($"rescaling W^q, W^k by c = 2 multiplies eps_l by {Fmt.Sig(scaled, 6)} (c^4 = 16): eps_l is not scale-free, so its value depends on the weight scale as much as on d"),
        };
        if (Math.Abs(slope) < 0.25)
            return new CheckOutcome(Finding.SupportsNumerically, evidence);
        evidence.Insert(0, Evidence.Counterexample($"with {label} the normalised eps_l still falls as d^{Fmt.Sig(slope, 2)} at fixed head rank (theory: d^-3/2 = sqrt(2) r d^-3/2 per pair): the normalisation does not keep eps_l comparable across d"));
        return new CheckOutcome(Finding.Refutes, evidence);
    }

    private static double Slope(int[] xs, double[] ys)
    {
        var lx = xs.Select(x => Math.Log(x)).ToArray();
        var ly = ys.Select(y => Math.Log(y)).ToArray();
        double mx = lx.Average(), my = ly.Average();
        return lx.Zip(ly, (x, y) => (x - mx) * (y - my)).Sum() / lx.Sum(x => (x - mx) * (x - mx));
    }
}

/// <summary>
/// L.eps-ranges: the note's per-depth ranges against the one trained checkpoint here (stories260K: 5 layers; early =
/// layers 0–1, middle = 2, deep = 3–4), in both conventions (norm gain folded in or not).
/// </summary>
public sealed class EpsRangesStoriesCheck : ClaimCheck
{
    public override string ClaimId => "L.eps-ranges";
    public override string Name => "eps_l by depth on stories260K";
    public override string Setting => "stories260K.bin (llama2.c, 5 layers, 8 query heads, d_model 64, d_head 8), A_h without RoPE, float64, factored";

    public override CheckOutcome Run(ClaimContext context) => Compare(context, [(0.1, 0.8), (0.3, 1.5), (1.0, double.PositiveInfinity)], "note's");

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("every depth in [0.01, 0.2] (constants changed to this model's scale)", c => Compare(c, [(0.01, 0.2), (0.01, 0.2), (0.01, 0.2)], "changed")),
    ];

    private static CheckOutcome Compare(ClaimContext context, (double Lo, double Hi)[] ranges, string label)
    {
        var plain = AlgebraClaimData.Stories260K(context);
        var folded = AlgebraClaimData.Stories260K(context, foldNorm: true);
        if (plain is null || folded is null) return AlgebraClaimData.Absent();
        var evidence = new List<Evidence>();
        var inside = 0;
        var total = 0;
        foreach (var (layers, name) in new[] { (plain, "gain not folded"), (folded, "RMSNorm gain folded") })
        {
            var eps = layers.Select(l => LayerReport.Compute(l).Eps).ToArray();
            evidence.Add(Evidence.Numeric($"stories260K eps_l by layer ({name}): {AlgebraClaimData.List(eps)}"));
            for (var l = 0; l < eps.Length; l++)
            {
                var band = l <= 1 ? ranges[0] : l == 2 ? ranges[1] : ranges[2];
                total++;
                if (eps[l] >= band.Lo && eps[l] <= band.Hi) inside++;
            }
        }
        evidence.Add(Evidence.Note($"{inside} of {total} layer values fall in the {label} range for their depth; eps_l scales as c^4 under W -> cW and changes with the norm-folding convention, which the note does not fix"));
        if (inside == total) return new CheckOutcome(Finding.SupportsNumerically, evidence);
        evidence.Insert(0, Evidence.Counterexample($"a trained model (stories260K) has eps_l outside the {label} ranges at every depth where it misses them: {total - inside} of {total} values"));
        return new CheckOutcome(Finding.Refutes, evidence);
    }
}

/// <summary>L.eps-ranges (GPT-2 Medium figures): needs GPT-2 Medium weights, which are not in the shared folder.</summary>
public sealed class EpsRangesGpt2MediumCheck : ClaimCheck
{
    public override string ClaimId => "L.eps-ranges";
    public override string Name => "GPT-2 Medium per-layer ranges";
    public override string Setting => "GPT-2 Medium (24 layers, 16 heads, d = 1024) trained weights";

    public override CheckOutcome Run(ClaimContext context)
    {
        var path = context.SharedDirectory is { } dir ? Directory.EnumerateFiles(dir, "*.safetensors", SearchOption.AllDirectories).FirstOrDefault(p => p.Contains("medium", StringComparison.OrdinalIgnoreCase)) : null;
        return path is null
            ? CheckOutcome.Of(Finding.Unverifiable, Evidence.Note("no GPT-2 Medium safetensors in the shared folder; `workbench algebra --model model.safetensors` computes the per-layer eps_l when one is given"))
            : CheckOutcome.Of(Finding.Inconclusive, Evidence.Note("a GPT-2 Medium checkpoint is present; run `workbench algebra --model` on it (not part of the fast catalog)"));
    }
}
