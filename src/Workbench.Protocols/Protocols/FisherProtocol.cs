using System.Text.Json.Nodes;
using Workbench.Protocols.Fisher;
using Workbench.Protocols.Output;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Runs;
using static Workbench.Protocols.Protocols.MarginsProtocol;

namespace Workbench.Protocols.Protocols;

/// <summary>
/// S §14: the Fisher information of one head's θ = (W_Q, W_K) as §14.1 defines it (y sampled from the model), its
/// exact expectation over y, and the empirical Fisher (labelled; a different matrix); the spectrum; how much
/// near-tie positions contribute (S.sec-14.1); and the S.conj-14.1 statistic against its random-direction null.
/// </summary>
public sealed class FisherProtocol : IProtocol
{
    public const int SwitchingRows = 8;
    public const int K = 3;
    public const int NullDraws = 2000;
    public string Name => "fisher";
    public string Description => "S §14 Fisher information of one head: model (sampled, exact) and empirical, spectrum, near-tie contributions, conj-14.1 statistic";

    /// <summary>Permutations of the near/far labels in the far-from-tie control.</summary>
    public const int Permutations = 2000;

    /// <param name="FullParameterSpace">θ was small enough to be used whole as U (no subspace at all).</param>
    /// <param name="Alignment">the conj-14.1 statistic for P_near, on <paramref name="StatisticFisher"/>.</param>
    /// <param name="FarAlignment">the same statistic for P_far (the far-from-tie rows), against the same random null.</param>
    /// <param name="Control">the paired near-vs-far comparison with its permutation test.</param>
    /// <param name="StatisticFullTheta">the statistic used the full-θ model Fisher (sampled, reverse mode) rather than the exact one in U.</param>
    /// <param name="FullSampledSpectrum">eigenvalues (decreasing) of the full-θ sampled model Fisher; null where not computed.</param>
    public sealed record Analysis(int Layer, int Head, FisherEstimate Sampled, FisherEstimate Exact, FisherEstimate Empirical, double[] PositionMargin,
        SwitchingAlignment.Result Alignment, double SpearmanTraceMargin, double NearTraceMean, double FarTraceMean, bool FullParameterSpace,
        SwitchingAlignment.Result FarAlignment, FarFromTieControl.Comparison Control, bool StatisticFullTheta, double[]? FullSampledSpectrum, double[]? FullEmpiricalSpectrum,
        double[] NearMargins, double[] FarMargins)
    {
        /// <summary>Which F the conj-14.1 statistic was computed on, in the words the report and the claim check use.</summary>
        public string StatisticSource => StatisticFullTheta
            ? $"the full-θ model Fisher ({Alignment.Dimension} parameters, y sampled from the model, 8 draws per position, reverse-mode gradients)"
            : FullParameterSpace
                ? $"the exact-expectation model Fisher in the whole θ ({Alignment.Dimension} parameters, central differences)"
                : $"the exact-expectation model Fisher restricted to a {Alignment.Dimension}-dimensional subspace U (central differences; U holds the near and far rows' gradients)";
    }

    public ProtocolResult Run(ProtocolInput input)
    {
        input.Validate();
        var layer = input.Layer ?? 0;
        var head = input.Head ?? 0;
        var a = Analyze(input.Model, input.Prompts, layer, head, input.Seed, input.Report);
        var result = new ProtocolResult(Name);
        var al = a.Alignment;
        var far = a.FarAlignment;
        var c = a.Control;
        var d = a.Exact.Matrix.GetLength(0);
        var exactSpectrum = SwitchingAlignment.Decompose(a.Exact.Matrix).Values;
        result.Summary["layer"] = layer; result.Summary["head"] = head; result.Summary["parameters"] = input.Model.Shape.HeadParameterCount; result.Summary["fisher_dimension"] = d; result.Summary["full_parameter_space"] = a.FullParameterSpace; result.Summary["positions"] = a.Exact.Positions;
        result.Summary["spectrum_model_exact"] = new JsonArray(exactSpectrum.Select(v => (JsonNode)v).ToArray());
        result.Summary["trace_model_sampled"] = Trace(a.Sampled.Matrix); result.Summary["trace_model_exact"] = Trace(a.Exact.Matrix); result.Summary["trace_empirical"] = Trace(a.Empirical.Matrix);
        result.Summary["derivatives"] = new JsonObject
        {
            ["model_sampled"] = DerivativeText(a.Sampled.Derivative), ["model_exact"] = DerivativeText(a.Exact.Derivative), ["empirical"] = DerivativeText(a.Empirical.Derivative),
        };
        if (a.FullSampledSpectrum is { } fs && a.FullEmpiricalSpectrum is { } fe)
            result.Summary["full_theta"] = new JsonObject
            {
                ["parameters"] = fs.Length, ["trace_model_sampled"] = fs.Sum(), ["trace_empirical"] = fe.Sum(),
                ["rank_model_sampled"] = fs.Length - al.KernelDimension, ["top_eigenvalues_model_sampled"] = new JsonArray(fs.Take(8).Select(v => (JsonNode)v).ToArray()),
                ["top_eigenvalues_empirical"] = new JsonArray(fe.Take(8).Select(v => (JsonNode)v).ToArray()),
            };
        result.Summary["near_tie"] = new JsonObject { ["spearman_trace_margin"] = Num(a.SpearmanTraceMargin), ["mean_trace_smallest_quartile_margin"] = a.NearTraceMean, ["mean_trace_other"] = a.FarTraceMean };
        result.Summary["conj_14_1"] = new JsonObject
        {
            ["fisher"] = a.StatisticFullTheta ? "full_theta_model_sampled" : "subspace_model_exact", ["fisher_dimension"] = al.Dimension, ["kernel_dimension"] = al.KernelDimension,
            ["switching_rank"] = al.SubspaceRank, ["k"] = al.K, ["top_overlap"] = al.TopOverlap, ["bottom_overlap"] = Num(al.BottomOverlap), ["null_mean"] = al.NullMean,
            ["top_upper_tail"] = al.TopUpperTail, ["top_lower_tail"] = al.TopLowerTail, ["bottom_upper_tail"] = Num(al.BottomUpperTail), ["bottom_lower_tail"] = Num(al.BottomLowerTail),
            ["far_from_tie"] = new JsonObject
            {
                ["rows"] = c.Rows, ["near_margins"] = new JsonArray(a.NearMargins.Select(v => (JsonNode)v).ToArray()), ["far_margins"] = new JsonArray(a.FarMargins.Select(v => (JsonNode)v).ToArray()),
                ["far_rank"] = far.SubspaceRank, ["far_null_mean"] = far.NullMean, ["top_overlap_far"] = far.TopOverlap, ["top_upper_tail_far"] = far.TopUpperTail,
                ["bottom_overlap_far"] = Num(far.BottomOverlap),
                ["top_difference_near_minus_far"] = c.TopDifference, ["p_near_above_far"] = c.TopNearAbove, ["p_far_above_near"] = c.TopFarAbove,
                ["bottom_difference_near_minus_far"] = Num(c.BottomDifference), ["p_bottom_two_sided"] = Num(c.BottomTwoSided), ["permutations"] = c.Permutations,
            },
        };
        result.Array("fisher_model_exact", Flatten(a.Exact.Matrix), d, d);
        result.Array("fisher_model_sampled", Flatten(a.Sampled.Matrix), d, d);
        result.Array("fisher_empirical", Flatten(a.Empirical.Matrix), d, d);
        result.Array("spectrum", exactSpectrum);
        if (a.FullSampledSpectrum is not null) result.Array("spectrum_full_theta_model_sampled", a.FullSampledSpectrum);
        if (a.FullEmpiricalSpectrum is not null) result.Array("spectrum_full_theta_empirical", a.FullEmpiricalSpectrum);
        result.Array("position_trace", a.Exact.PositionTrace); result.Array("position_margin", a.PositionMargin);
        var bottomText = al.BottomDetermined
            ? $"bottom-{K} {G(al.BottomOverlap)} (tails ≥ {G(al.BottomUpperTail)}, ≤ {G(al.BottomLowerTail)})"
            : $"bottom-{K} undetermined (F has a kernel of dimension {al.KernelDimension} > {K}: fewer sampled gradients than parameters, so any {K} kernel vectors are 'bottom' eigenvectors)";
        result.Report.AppendLine($"# Fisher information (S §14) on {input.Model.Name}, layer {layer}, head {head}").AppendLine()
            .AppendLine($"θ = the head's W_Q rows and its key head's W_K rows ({input.Model.Shape.HeadParameterCount} parameters){(a.FullParameterSpace ? "" : $", restricted to a {d}-dimensional subspace U (the switching directions plus seeded random ones; F is UᵀFU there)")}, {a.Exact.Positions} next-token positions. Model Fisher (§14.1: y sampled from the model, 8 draws per position) trace {G(Trace(a.Sampled.Matrix))}; its exact expectation over y {G(Trace(a.Exact.Matrix))}; empirical Fisher (y = observed token, a different matrix) {G(Trace(a.Empirical.Matrix))}{(a.FullParameterSpace ? "" : " (all three in U)")}.").AppendLine()
            .AppendLine($"Derivatives ∇θ log p(y|x): sampled Fisher by {DerivativeText(a.Sampled.Derivative)}, empirical by {DerivativeText(a.Empirical.Derivative)}, exact expectation by {DerivativeText(a.Exact.Derivative)} (it needs the whole logit Jacobian along each direction, so it stays in U).").AppendLine();
        if (a.FullSampledSpectrum is { } s1 && a.FullEmpiricalSpectrum is { } s2)
            result.Report.AppendLine($"Full θ ({s1.Length} parameters, reverse mode; the same gradients and draws as in U): model Fisher (sampled) trace {G(s1.Sum())}, rank {s1.Length - al.KernelDimension}, largest eigenvalues {string.Join(", ", s1.Take(5).Select(G))}; empirical Fisher trace {G(s2.Sum())}, largest eigenvalues {string.Join(", ", s2.Take(5).Select(G))}.").AppendLine();
        result.Report
            .AppendLine($"Near ties: Spearman correlation between a position's Fisher trace and its row margin in this head {G(a.SpearmanTraceMargin)}; mean trace at the quarter of positions with the smallest margins {G(a.NearTraceMean)} against {G(a.FarTraceMean)} elsewhere (exact expectation, in U).").AppendLine()
            .AppendLine($"S.conj-14.1 statistic, on {a.StatisticSource}: switching subspace of rank {al.SubspaceRank} (margin gradients of the {SwitchingRows} nearest-tie rows, margins {string.Join(", ", a.NearMargins.Select(G))}); mean squared projection of the top-{K} eigen-directions {G(al.TopOverlap)}, {bottomText}; random directions {G(al.NullMean)} on average. Top tail probabilities ({NullDraws} random draws): ≥ {G(al.TopUpperTail)}, ≤ {G(al.TopLowerTail)}.").AppendLine()
            .AppendLine($"Far-from-tie control: P_far = score-gap gradients of the {c.Rows} rows with the largest margins ({string.Join(", ", a.FarMargins.Select(G))}), rank {far.SubspaceRank}; top-{K} overlap {G(far.TopOverlap)} (random-null tail ≥ {G(far.TopUpperTail)}). Paired near − far {G(c.TopDifference)}; permutation test over which of the {2 * c.Rows} rows are called near ({c.Permutations} seeded relabellings): P[near − far ≥ observed] = {G(c.TopNearAbove)}, P[≤ observed] = {G(c.TopFarAbove)}.{(al.BottomDetermined ? $" Bottom-{K}: near {G(c.NearBottom)}, far {G(c.FarBottom)}, two-sided p = {G(c.BottomTwoSided)}." : "")}").AppendLine();
        var idx = Enumerable.Range(1, exactSpectrum.Length).Select(i => (double)i).ToArray();
        result.Plot("spectrum", Svg.Lines($"Fisher spectrum (model, exact expectation{(a.FullParameterSpace ? "" : ", in U")})", "rank", "log10 eigenvalue",
            [new("log10 λ", idx, exactSpectrum.Select(v => Math.Log10(Math.Max(v, 1e-300))).ToArray())]), "Fisher spectrum");
        result.Plot("trace-vs-margin", Svg.Lines("Per-position Fisher trace against the row's margin", "margin", "log10 trace",
            [new("positions", a.PositionMargin, a.Exact.PositionTrace.Select(v => Math.Log10(Math.Max(v, 1e-300))).ToArray(), true)]), "trace against margin");
        return result;
    }

    /// <summary>Above this many parameters θ is replaced by a subspace (the forward passes are 2 per direction).</summary>
    public const int MaxDirections = 64;

    public static Analysis Analyze(IAttentionModelProbe model, IReadOnlyList<int[]> prompts, int layer, int head, ulong seed, Action<string>? progress = null, int maxDirections = MaxDirections)
    {
        var n = model.Shape.HeadParameterCount;
        var margins = new List<double>();
        var rows = new List<(double Margin, double[] Gradient)>();
        foreach (var tokens in prompts)
        {
            var run = model.Run(tokens, new ProbeOptions { CaptureInternals = true, StopAfterLayer = layer });
            for (var t = 0; t + 1 < tokens.Length; t++)
            {
                var row = RowPattern.Of(run, layer, head, t);
                margins.Add(row.Margin);
                if (row.RunnerUp < 0) continue;
                var gj = model.ScoreParameterGradient(run, layer, head, t, row.Argmax);
                var gk = model.ScoreParameterGradient(run, layer, head, t, row.RunnerUp);
                rows.Add((row.Margin, gj.Select((v, i) => v - gk[i]).ToArray()));
            }
        }
        var byMargin = rows.Where(r => double.IsFinite(r.Margin)).OrderBy(r => r.Margin).ToList();
        var nearRows = byMargin.Take(SwitchingRows).ToList();
        if (byMargin.Count < 2)
            throw new ArgumentException($"the Fisher protocol needs at least 2 attention rows with a runner-up key in layer {layer} head {head} (got {byMargin.Count}): give longer prompts");
        // The far-from-tie control: the rows with the largest margins, disjoint from the near ones, as many as the
        // near rows where the prompts allow (else both sides shrink to half the rows, so the sides stay equal).
        var farRows = byMargin.Skip(nearRows.Count).Reverse().Take(Math.Min(nearRows.Count, byMargin.Count / 2)).ToList();
        var switching = nearRows.Select(r => r.Gradient).ToList();
        var farGradients = farRows.Select(r => r.Gradient).ToList();
        var controlNear = switching.Take(farRows.Count).ToList();
        var fullTheta = model is ILogLikelihoodGradientProbe && n <= FisherEstimator.MaxFullParameters;
        // Full θ when small; otherwise U = switching directions plus seeded random ones, and F is UᵀFU (coordinates in U).
        // Where the statistic must run in U (no reverse mode), U also holds the far rows' gradients: otherwise P_near
        // would lie in U and P_far mostly outside it, and the comparison would favour the near rows by construction.
        var basis = n <= maxDirections ? FisherEstimator.CanonicalBasis(n)
            : Subspace(fullTheta ? switching : [.. switching, .. farGradients], n, maxDirections, seed);
        var all = FisherEstimator.EstimateAll(model, prompts, layer, head, basis, [FisherKind.ModelSampled, FisherKind.ModelExact, FisherKind.Empirical], 8, seed,
            progress: progress, fullParameterSpace: fullTheta);
        var (sampled, exact, empirical) = (all[0], all[1], all[2]);
        SwitchingAlignment.Spectrum spectrum;
        List<double[]> near, far;
        double[]? fullSampled = null, fullEmpirical = null;
        if (fullTheta)
        {
            progress?.Invoke($"fisher: eigendecomposition of the full-θ Fisher ({n} × {n}, sampled and empirical)");
            spectrum = SwitchingAlignment.Decompose(sampled.Full!);
            fullSampled = spectrum.Values;
            fullEmpirical = SwitchingAlignment.Decompose(empirical.Full!).Values;
            (near, far) = (switching, farGradients);
        }
        else
        {
            double[] Coords(double[] g) => basis.Select(u => u.Select((v, i) => v * g[i]).Sum()).ToArray();
            spectrum = SwitchingAlignment.Decompose(exact.Matrix);
            (near, far) = (switching.Select(Coords).ToList(), farGradients.Select(Coords).ToList());
        }
        var alignment = SwitchingAlignment.Compute(spectrum, near, K, NullDraws, seed);
        var farAlignment = SwitchingAlignment.Compute(spectrum, far, K, NullDraws, seed);
        var control = FarFromTieControl.Compute(spectrum, near.Take(controlNear.Count).ToList(), far, K, Permutations, seed);
        var finite = Enumerable.Range(0, margins.Count).Where(i => double.IsFinite(margins[i])).ToArray();
        var q25 = Stats.Quantile(finite.Select(i => margins[i]), 0.25);
        var nearTrace = finite.Where(i => margins[i] <= q25).Select(i => exact.PositionTrace[i]).DefaultIfEmpty(double.NaN).Average();
        var farTrace = finite.Where(i => margins[i] > q25).Select(i => exact.PositionTrace[i]).DefaultIfEmpty(double.NaN).Average();
        var rho = Stats.Spearman(finite.Select(i => exact.PositionTrace[i]).ToArray(), finite.Select(i => margins[i]).ToArray());
        return new Analysis(layer, head, sampled, exact, empirical, margins.Select(m => double.IsFinite(m) ? m : double.NaN).ToArray(), alignment, rho, nearTrace, farTrace,
            n <= maxDirections, farAlignment, control, fullTheta, fullSampled, fullEmpirical, nearRows.Take(farRows.Count).Select(r => r.Margin).ToArray(), farRows.Select(r => r.Margin).ToArray());
    }

    /// <summary>An orthonormal basis: the switching gradients first, completed by seeded Gaussian directions.</summary>
    public static double[][] Subspace(IReadOnlyList<double[]> switching, int n, int size, ulong seed)
    {
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var vectors = switching.Concat(Enumerable.Range(0, size).Select(_ => Enumerable.Range(0, n).Select(_ => N()).ToArray())).ToList();
        return SwitchingAlignment.Orthonormal(vectors, n).Take(size).Select(v => v.ToArray()).ToArray();
    }

    /// <summary>How a derivative was taken, in the words the report and summary.json use.</summary>
    public static string DerivativeText(FisherDerivative d) => d == FisherDerivative.ReverseMode
        ? "reverse mode (exact; one reverse pass per position and distinct label)"
        : $"central differences (h = {FisherEstimator.Step:G}, error O(h²))";

    private static double Trace(double[,] m) { var t = 0.0; for (var i = 0; i < m.GetLength(0); i++) t += m[i, i]; return t; }
    private static double[] Flatten(double[,] m) => m.Cast<double>().ToArray();
}
