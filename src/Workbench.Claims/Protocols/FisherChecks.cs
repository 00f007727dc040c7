using System.Collections.Concurrent;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Protocols;
using Workbench.Protocols.Runs;

namespace Workbench.Claims.Protocols;

/// <summary>One Fisher analysis of stories260K shared by the §14 checks (layer 0, head 0, 24-direction subspace).</summary>
internal static class FisherFixture
{
    public const int Layer = 0, Head = 0, Directions = 24;
    private static readonly ConcurrentDictionary<string, FisherProtocol.Analysis> Cache = new();

    public static FisherProtocol.Analysis? Analysis(ClaimContext context)
    {
        var loaded = TrainedModelFixture.Load(context);
        if (loaded is null) return null;
        return Cache.GetOrAdd(context.SharedDirectory! + context.Seed, _ =>
            FisherProtocol.Analyze(loaded.Model, TrainedModelFixture.Prompts(loaded), Layer, Head, context.SeedFor("S §14 fisher"), maxDirections: Directions));
    }

    public const string Setting = "stories260K, 2 fixed prompts, layer 0 head 0, θ = (W_Q, W_K) rows (1024 parameters) restricted to 24 directions (8 near-tie margin gradients + 16 seeded random), logit Jacobians by central differences (h = 1e-4), exact expectation over y";

    public const string FullThetaSetting = "stories260K, 2 fixed prompts, layer 0 head 0, θ = (W_Q, W_K) rows (1024 parameters, whole), model Fisher with y sampled from the model (8 draws per position), reverse-mode gradients";
}

/// <summary>
/// S.sec-14.1: near-tie inputs contribute large Fisher terms through ∂A/∂S. Two measurements: the softmax Jacobian
/// norm ‖∂A_i/∂S_i‖₂/τ·τ of trained rows against their margin (its maximum ½ is reached at a two-way tie), and the
/// per-position Fisher trace near and far from ties.
/// </summary>
public sealed class NearTieFisherCheck : ClaimCheck
{
    public override string ClaimId => "S.sec-14.1";
    public override string Name => "∂A/∂S and Fisher trace against the margin";
    public override string Setting => FisherFixture.Setting + "; softmax Jacobians of every head-row at τ = 1";

    private sealed record Jacobians(double NearMean, double FarMean, double Max, double Spearman, int Near, int Rows);

    private static Jacobians? SoftmaxJacobians(ClaimContext context)
    {
        var loaded = TrainedModelFixture.Load(context);
        if (loaded is null) return null;
        var norms = new List<double>(); var margins = new List<double>();
        foreach (var tokens in TrainedModelFixture.Prompts(loaded))
        {
            var run = loaded.Model.Run(tokens, ProbeOptions.Default);
            for (var l = 0; l < run.Layers; l++)
                for (var h = 0; h < run.Heads; h++)
                    for (var i = 1; i < run.Length; i++)
                    {
                        // ‖diag(a) − aaᵀ‖₂ by power iteration on the (PSD) Jacobian of the softmax row.
                        var a = Enumerable.Range(0, i + 1).Select(j => run.Weight(l, h, i, j)).ToArray();
                        var v = Enumerable.Range(0, a.Length).Select(j => j % 2 == 0 ? 1.0 : -0.7).ToArray();
                        var lambda = 0.0;
                        for (var it = 0; it < 60; it++)
                        {
                            var dot = a.Select((x, j) => x * v[j]).Sum();
                            var w = a.Select((x, j) => x * v[j] - x * dot).ToArray();
                            var n = Math.Sqrt(w.Sum(x => x * x));
                            if (n == 0) break;
                            lambda = n / Math.Sqrt(v.Sum(x => x * x));
                            v = w.Select(x => x / n).ToArray();
                        }
                        norms.Add(lambda); margins.Add(RowPattern.Of(run, l, h, i).Margin);
                    }
        }
        var near = Enumerable.Range(0, norms.Count).Where(k => margins[k] < 0.1).Select(k => norms[k]).ToArray();
        var far = Enumerable.Range(0, norms.Count).Where(k => margins[k] >= 2).Select(k => norms[k]).ToArray();
        return new Jacobians(near.DefaultIfEmpty(double.NaN).Average(), far.DefaultIfEmpty(double.NaN).Average(), norms.Max(), Stats.Spearman(norms, margins), near.Length, norms.Count);
    }

    public override CheckOutcome Run(ClaimContext context) => Judge(context, reversed: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
        [new("reversed: rows far from ties have the larger ∂A/∂S", c => Judge(c, reversed: true))];

    private static CheckOutcome Judge(ClaimContext context, bool reversed)
    {
        var j = SoftmaxJacobians(context);
        var f = FisherFixture.Analysis(context);
        if (j is null || f is null) return TrainedModelFixture.Missing;
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"‖∂A_i/∂S_i‖₂ over {j.Rows} head-rows: mean {Fmt.Sig(j.NearMean)} for {j.Near} rows with margin < 0.1, {Fmt.Sig(j.FarMean)} for margin ≥ 2; max {Fmt.Sig(j.Max)} (bound ½/τ, reached at a two-way tie); Spearman(norm, margin) {Fmt.Sig(j.Spearman, 2)}"),
            Evidence.Numeric($"Fisher trace per position ({f.Exact.Positions} positions, layer 0 head 0): mean {Fmt.Sig(f.NearTraceMean)} at the quarter with the smallest margins, {Fmt.Sig(f.FarTraceMean)} elsewhere; Spearman(trace, margin) {Fmt.Sig(f.SpearmanTraceMargin, 2)}"),
        };
        var nearLarger = j.NearMean > j.FarMean && j.Spearman < 0 && j.Max <= 0.5 + 1e-9;
        if (reversed ? nearLarger : !nearLarger)
            return new CheckOutcome(Finding.Refutes, [Evidence.Counterexample(reversed ? "near-tie rows have the larger ∂A/∂S" : "near-tie rows do not have the larger ∂A/∂S"), .. evidence]);
        // "Potentially large" is bounded: at τ > 0 the factor never exceeds ½/τ, and whether it dominates the Fisher information also depends on ∂S/∂θ and the readout.
        return f.NearTraceMean > f.FarTraceMean
            ? new CheckOutcome(Finding.SupportsNumerically, [.. evidence, Evidence.Note("the ∂A/∂S factor is bounded by ½/τ: large only relative to far-from-tie rows, unbounded only as τ → 0")])
            : new CheckOutcome(Finding.Qualifies, [Evidence.Note("∂A/∂S peaks at ties (≤ ½/τ), but in this head the Fisher trace is not larger at near-tie positions: the term is potentially, not actually, large"), .. evidence]);
    }
}

/// <summary>
/// S.conj-14.1 (a conjecture): the overlap of the extreme Fisher eigen-directions with the pattern-switching
/// subspace P_near against random directions, and against the far-from-tie control P_far (score-gap gradients of the
/// largest-margin rows). Random directions alone cannot tell "switching" from "score-sensitive": both P's are
/// score-gap gradients. So the top-k leaning toward P_near supports the conjecture only if it also leans toward P_near
/// significantly more than toward P_far (permutation test over the near/far labels); otherwise the finding is
/// qualified: the top directions are score-sensitive, not specifically switching.
/// </summary>
public sealed class FisherAlignmentCheck : ClaimCheck
{
    public const double Alpha = 0.01;
    public override string ClaimId => "S.conj-14.1";
    public override string Name => "extreme Fisher eigen-directions against the switching subspace and a far-from-tie control";
    public override string Setting => FisherFixture.FullThetaSetting + $"; top and bottom {FisherProtocol.K} eigenvectors; null: {FisherProtocol.NullDraws} random orthonormal {FisherProtocol.K}-frames; far-from-tie control: {FisherProtocol.Permutations} seeded near/far relabellings";

    public override CheckOutcome Run(ClaimContext context) => Judge(context, Hypothesis.Conjecture);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the extreme eigen-directions are exactly orthogonal to the switching subspace (overlap 0)", c => Judge(c, Hypothesis.ZeroOverlap)),
        new("the top eigen-directions lean toward the far-from-tie score gradients more than toward the near-tie ones", c => Judge(c, Hypothesis.FarLeans)),
    ];

    private enum Hypothesis { Conjecture, ZeroOverlap, FarLeans }

    private static CheckOutcome Judge(ClaimContext context, Hypothesis hypothesis)
    {
        var f = FisherFixture.Analysis(context);
        if (f is null) return TrainedModelFixture.Missing;
        var a = f.Alignment;
        var far = f.FarAlignment;
        var c = f.Control;
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"far-from-tie control ({c.Rows} largest-margin rows, margins {Fmt.Sig(f.FarMargins.Min())}–{Fmt.Sig(f.FarMargins.Max())}, against the {c.Rows} nearest, {Fmt.Sig(f.NearMargins.Min())}–{Fmt.Sig(f.NearMargins.Max())}): top-{a.K} overlap near {Fmt.Sig(c.NearTop)}, far {Fmt.Sig(c.FarTop)} (far against random: P[null ≥] = {Fmt.Sig(far.TopUpperTail, 2)}); near − far {Fmt.Sig(c.TopDifference)}, permutation P[≥] = {Fmt.Sig(c.TopNearAbove, 2)}, P[≤] = {Fmt.Sig(c.TopFarAbove, 2)}"),
            Evidence.Numeric($"switching subspace rank {a.SubspaceRank} of {a.Dimension}; random directions overlap {Fmt.Sig(a.NullMean)} on average"),
            Evidence.Numeric($"top-{a.K} eigen-directions overlap {Fmt.Sig(a.TopOverlap)} (P[null ≥] = {Fmt.Sig(a.TopUpperTail, 2)}, P[null ≤] = {Fmt.Sig(a.TopLowerTail, 2)}); " + (a.BottomDetermined
                ? $"bottom-{a.K} {Fmt.Sig(a.BottomOverlap)} (P[null ≥] = {Fmt.Sig(a.BottomUpperTail, 2)}, P[null ≤] = {Fmt.Sig(a.BottomLowerTail, 2)})"
                : $"bottom-{a.K} undetermined: F has a kernel of dimension {a.KernelDimension} (fewer sampled gradients than parameters)")),
            Evidence.Numeric($"eigenvalues: largest {Fmt.Sig(a.Eigenvalues[0])}, smallest non-zero {Fmt.Sig(a.Eigenvalues[a.Dimension - 1 - a.KernelDimension])}"),
            Evidence.Note($"F = {f.StatisticSource}"),
        };
        switch (hypothesis)
        {
            case Hypothesis.ZeroOverlap:
                var largest = new[] { a.TopOverlap, a.BottomOverlap }.Where(double.IsFinite).Max();
                return largest < 1e-9 ? new CheckOutcome(Finding.SupportsNumerically, evidence)
                    : new CheckOutcome(Finding.Refutes, [Evidence.Counterexample($"overlap {Fmt.Sig(largest)} > 0"), .. evidence]);
            case Hypothesis.FarLeans:
                return c.TopFarAbove < Alpha ? new CheckOutcome(Finding.SupportsNumerically, evidence)
                    : new CheckOutcome(Finding.Refutes, [Evidence.Counterexample($"the top directions do not lean toward the far-from-tie rows more (permutation P = {Fmt.Sig(c.TopFarAbove, 2)} ≥ {Alpha})"), .. evidence]);
        }
        // The tails looked at are held to α / their number (Bonferroni): four, or two where the bottom-k are undetermined.
        var tails = a.BottomDetermined ? new[] { a.TopUpperTail, a.TopLowerTail, a.BottomUpperTail, a.BottomLowerTail } : [a.TopUpperTail, a.TopLowerTail];
        var againstRandom = tails.Min() < Alpha / tails.Length;
        var topLeans = a.TopUpperTail < Alpha / tails.Length;
        var nearBeatsFar = c.TopNearAbove < Alpha;
        if (!againstRandom)
            return new CheckOutcome(Finding.Inconclusive, [.. evidence, Evidence.Note($"no tail below {Alpha}/{tails.Length}: the statistic does not separate extreme eigen-directions from random ones here; the conjecture stays open")]);
        if (topLeans && nearBeatsFar)
            return new CheckOutcome(Finding.SupportsNumerically, [.. evidence, Evidence.Note($"the top-{a.K} directions lean toward the near-tie score gradients beyond random (Bonferroni over {tails.Length} tails) and significantly more than toward the far-from-tie ones (permutation, α = {Alpha}): switching, not just score sensitivity; one model, one head: support, not proof")]);
        return new CheckOutcome(Finding.Qualifies, [.. evidence, Evidence.Note(topLeans
            ? $"the top-{a.K} directions lean toward the near-tie score gradients beyond random, but not significantly more than toward the far-from-tie ones (permutation P = {Fmt.Sig(c.TopNearAbove, 2)} ≥ {Alpha}): the evidence is that top Fisher directions are score-sensitive directions, not that they are specifically pattern-switching ones"
            : $"extreme directions deviate from random only away from P or at the bottom, and the near-tie rows are not singled out against the far-from-tie ones (permutation P = {Fmt.Sig(c.TopNearAbove, 2)}): no evidence that the top directions are switching ones")]);
    }
}
