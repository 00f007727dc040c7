using Workbench.Attention;

namespace Workbench.Claims.Stratification;

/// <summary>The masks the masked-pattern checks use, each with the per-row admissible counts r_i.</summary>
internal static class MaskCases
{
    public static IEnumerable<(string Name, int N, AttentionMask Mask)> All()
    {
        for (var n = 1; n <= 5; n++) yield return ($"causal n = {n}", n, AttentionMask.Causal);
        yield return ("window W = 1, n = 5", 5, AttentionMask.Window(1));
        yield return ("padding (key 2 absent), n = 4", 4, AttentionMask.Padding([true, true, false, true]));
    }

    /// <summary>σ is admissible when the mask admits (i, σ(i)) in every row.</summary>
    public static bool Admits(AttentionMask mask, IReadOnlyList<int> sigma) =>
        sigma.Select((s, i) => mask.Admits(i, s, sigma.Count)).All(a => a);

    /// <summary>Walks every map σ and keeps those with M_iσ(i) admissible (independent of Workbench.Attention's product formula).</summary>
    public static long EnumerateAdmissible(AttentionMask mask, int n)
    {
        long count = 0;
        for (long code = 0; code < (long)Reachability.AllMaps(n); code++)
            if (Admits(mask, Reachability.Decode(code, n))) count++;
        return count;
    }
}

/// <summary>S.masked-count, counting: |Σ_n^M| = Π_i r_i by enumeration; causal gives n! (1-based row i admits i keys).</summary>
public sealed class MaskedPatternCount : ClaimCheck
{
    public override string ClaimId => "S.masked-count";
    public override string Name => "masked pattern sets by enumeration";
    public override string Setting => "causal n = 1..5, window W = 1 (n = 5), padding with key 2 absent (n = 4); every map walked";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(causalCount: n => PatternCountEnumeration.Factorial(n), "n!");

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the causal mask leaves all n^n patterns", _ => Evaluate(n => Reachability.AllMaps(n), "n^n")),
    ];

    private static CheckOutcome Evaluate(Func<int, System.Numerics.BigInteger> causalCount, string formula)
    {
        var lines = new List<string>();
        foreach (var (name, n, mask) in MaskCases.All())
        {
            var counted = MaskCases.EnumerateAdmissible(mask, n);
            var product = (long)PatternSets.Count(n, mask);
            if (counted != product)
                return CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample($"{name}: {counted} admissible maps, Π r_i = {product}"));
            if (name.StartsWith("causal", StringComparison.Ordinal) && causalCount(n) != counted)
                return CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample($"{name}: {counted} admissible maps, {formula} = {causalCount(n)}"));
            lines.Add($"{name}: {counted}");
        }
        return CheckOutcome.Of(Finding.Proves,
            Evidence.Symbolic($"|Σ_n^M| = Π_i r_i with r_i the admissible keys of row i; causal r_i = i + 1 (0-based), so |Σ_n^M| = {formula}", @"|\Sigma_n^M| = \prod_i |\{j : M_{ij} > -\infty\}|"),
            Evidence.Numeric("admissible maps counted by enumeration: " + string.Join(", ", lines)),
            Evidence.Note("a fully masked row (e.g. every key padded) leaves Σ_n^M empty: no pattern exists, and the workbench refuses such a row"));
    }
}

/// <summary>
/// S.masked-count, sampling: the masked argmax never picks a masked key, even when that key has the largest raw
/// score, so ties with masked keys are no boundaries; every admissible pattern is realised with d_h = 2.
/// </summary>
public sealed class MaskedArgmaxSampling : ClaimCheck
{
    public override string ClaimId => "S.masked-count";
    public override string Name => "masked argmax on sampled (Q, K)";
    public override string Setting => "causal and window W = 1 masks, n = 5, d_h = 2, Gaussian Q, K; admissible patterns realised by keys on a circle";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, honourMask: true);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("masked keys stay eligible (argmax over raw scores)", c => Evaluate(c, honourMask: false)),
    ];

    private CheckOutcome Evaluate(ClaimContext context, bool honourMask)
    {
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(5000);
        var evidence = new List<Evidence>();
        foreach (var (name, mask) in new[] { ("causal n = 5", AttentionMask.Causal), ("window W = 1, n = 5", AttentionMask.Window(1)) })
        {
            long outside = 0, maskedRawWinner = 0;
            string? counterexample = null;
            for (long s = 0; s < samples; s++)
            {
                var (q, k) = (random.Matrix(5, 2), random.Matrix(5, 2));
                var raw = ToyHead.Pattern(q, k);
                var chosen = honourMask ? ToyHead.Pattern(q, k, mask) : raw;
                for (var i = 0; i < 5; i++)
                {
                    if (!mask.Admits(i, raw[i], 5)) maskedRawWinner++;
                    var winner = chosen[i];
                    if (!mask.Admits(i, winner, 5)) { outside++; counterexample ??= $"{name}: row {i} attends to masked key {winner}"; }
                }
            }
            var realised = 0L;
            var admissible = MaskCases.EnumerateAdmissible(mask, 5);
            for (long code = 0; code < (long)Reachability.AllMaps(5); code++)
            {
                var sigma = Reachability.Decode(code, 5);
                if (!MaskCases.Admits(mask, sigma)) continue;
                var (pq, pk) = Reachability.Planar(sigma);
                if (ToyHead.Pattern(pq, pk, mask).SequenceEqual(sigma)) realised++;
            }
            if (outside > 0) return new CheckOutcome(Finding.Refutes, [Evidence.Counterexample(counterexample!), .. evidence]);
            evidence.Add(Evidence.Numeric($"{name}: {samples} samples, rows whose raw maximum was a masked key: {maskedRawWinner}, patterns outside Σ_n^M: 0; {realised} of {admissible} admissible patterns realised with d_h = 2"));
        }
        evidence.Add(Evidence.Note("the statement's 'row i admits i keys' counts rows from 1; with 0-based rows, row i admits i + 1 keys"));
        return new CheckOutcome(Finding.SupportsNumerically, evidence);
    }
}
