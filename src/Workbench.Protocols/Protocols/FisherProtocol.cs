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

    public sealed record Analysis(int Layer, int Head, FisherEstimate Sampled, FisherEstimate Exact, FisherEstimate Empirical, double[] PositionMargin,
        SwitchingAlignment.Result Alignment, double SpearmanTraceMargin, double NearTraceMean, double FarTraceMean, bool FullParameterSpace);

    public ProtocolResult Run(ProtocolInput input)
    {
        input.Validate();
        var layer = input.Layer ?? 0;
        var head = input.Head ?? 0;
        var a = Analyze(input.Model, input.Prompts, layer, head, input.Seed, input.Report);
        var result = new ProtocolResult(Name);
        var al = a.Alignment;
        result.Summary["layer"] = layer; result.Summary["head"] = head; result.Summary["parameters"] = input.Model.Shape.HeadParameterCount; result.Summary["fisher_dimension"] = al.Dimension; result.Summary["full_parameter_space"] = a.FullParameterSpace; result.Summary["positions"] = a.Exact.Positions;
        result.Summary["spectrum_model_exact"] = new JsonArray(al.Eigenvalues.Select(v => (JsonNode)v).ToArray());
        result.Summary["trace_model_sampled"] = Trace(a.Sampled.Matrix); result.Summary["trace_model_exact"] = Trace(a.Exact.Matrix); result.Summary["trace_empirical"] = Trace(a.Empirical.Matrix);
        result.Summary["derivatives"] = new JsonObject
        {
            ["model_sampled"] = DerivativeText(a.Sampled.Derivative), ["model_exact"] = DerivativeText(a.Exact.Derivative), ["empirical"] = DerivativeText(a.Empirical.Derivative),
        };
        result.Summary["near_tie"] = new JsonObject { ["spearman_trace_margin"] = Num(a.SpearmanTraceMargin), ["mean_trace_smallest_quartile_margin"] = a.NearTraceMean, ["mean_trace_other"] = a.FarTraceMean };
        result.Summary["conj_14_1"] = new JsonObject
        {
            ["switching_rank"] = al.SubspaceRank, ["k"] = al.K, ["top_overlap"] = al.TopOverlap, ["bottom_overlap"] = al.BottomOverlap, ["null_mean"] = al.NullMean,
            ["top_upper_tail"] = al.TopUpperTail, ["top_lower_tail"] = al.TopLowerTail, ["bottom_upper_tail"] = al.BottomUpperTail, ["bottom_lower_tail"] = al.BottomLowerTail,
        };
        result.Array("fisher_model_exact", Flatten(a.Exact.Matrix), al.Dimension, al.Dimension);
        result.Array("fisher_model_sampled", Flatten(a.Sampled.Matrix), al.Dimension, al.Dimension);
        result.Array("fisher_empirical", Flatten(a.Empirical.Matrix), al.Dimension, al.Dimension);
        result.Array("spectrum", al.Eigenvalues);
        result.Array("position_trace", a.Exact.PositionTrace); result.Array("position_margin", a.PositionMargin);
        result.Report.AppendLine($"# Fisher information (S §14) on {input.Model.Name}, layer {layer}, head {head}").AppendLine()
            .AppendLine($"θ = the head's W_Q rows and its key head's W_K rows ({input.Model.Shape.HeadParameterCount} parameters){(a.FullParameterSpace ? "" : $", restricted to a {al.Dimension}-dimensional subspace (the switching directions plus seeded random ones; F is UᵀFU there)")}, {a.Exact.Positions} next-token positions. Model Fisher (§14.1: y sampled from the model, 8 draws per position) trace {G(Trace(a.Sampled.Matrix))}; its exact expectation over y {G(Trace(a.Exact.Matrix))}; empirical Fisher (y = observed token, a different matrix) {G(Trace(a.Empirical.Matrix))}.").AppendLine()
            .AppendLine($"Derivatives ∇θ log p(y|x): sampled Fisher by {DerivativeText(a.Sampled.Derivative)}, empirical by {DerivativeText(a.Empirical.Derivative)}, exact expectation by {DerivativeText(a.Exact.Derivative)} (it needs the whole logit Jacobian along each direction).").AppendLine()
            .AppendLine($"Near ties: Spearman correlation between a position's Fisher trace and its row margin in this head {G(a.SpearmanTraceMargin)}; mean trace at the quarter of positions with the smallest margins {G(a.NearTraceMean)} against {G(a.FarTraceMean)} elsewhere.").AppendLine()
            .AppendLine($"S.conj-14.1 statistic: switching subspace of rank {al.SubspaceRank} (margin gradients of the {SwitchingRows} nearest-tie rows); mean squared projection of the top-{K} eigen-directions {G(al.TopOverlap)}, bottom-{K} {G(al.BottomOverlap)}; random directions {G(al.NullMean)} on average. Tail probabilities ({NullDraws} random draws): top ≥ {G(al.TopUpperTail)}, top ≤ {G(al.TopLowerTail)}, bottom ≥ {G(al.BottomUpperTail)}, bottom ≤ {G(al.BottomLowerTail)}.").AppendLine();
        var idx = Enumerable.Range(1, al.Eigenvalues.Length).Select(i => (double)i).ToArray();
        result.Plot("spectrum", Svg.Lines("Fisher spectrum (model, exact expectation)", "rank", "log10 eigenvalue",
            [new("log10 λ", idx, al.Eigenvalues.Select(v => Math.Log10(Math.Max(v, 1e-300))).ToArray())]), "Fisher spectrum");
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
        var switching = rows.OrderBy(r => r.Margin).Take(SwitchingRows).Select(r => r.Gradient).ToList();
        // Full θ when small; otherwise U = switching directions plus seeded random ones, and F is UᵀFU (coordinates in U).
        var basis = n <= maxDirections ? FisherEstimator.CanonicalBasis(n) : Subspace(switching, n, maxDirections, seed);
        var all = FisherEstimator.EstimateAll(model, prompts, layer, head, basis, [FisherKind.ModelSampled, FisherKind.ModelExact, FisherKind.Empirical], 8, seed, progress: progress);
        var (sampled, exact, empirical) = (all[0], all[1], all[2]);
        var switchingCoords = switching.Select(g => basis.Select(u => u.Select((v, i) => v * g[i]).Sum()).ToArray()).ToList();
        var alignment = SwitchingAlignment.Compute(exact.Matrix, switchingCoords, K, NullDraws, seed);
        var finite = Enumerable.Range(0, margins.Count).Where(i => double.IsFinite(margins[i])).ToArray();
        var q25 = Stats.Quantile(finite.Select(i => margins[i]), 0.25);
        var near = finite.Where(i => margins[i] <= q25).Select(i => exact.PositionTrace[i]).DefaultIfEmpty(double.NaN).Average();
        var far = finite.Where(i => margins[i] > q25).Select(i => exact.PositionTrace[i]).DefaultIfEmpty(double.NaN).Average();
        var rho = Stats.Spearman(finite.Select(i => exact.PositionTrace[i]).ToArray(), finite.Select(i => margins[i]).ToArray());
        return new Analysis(layer, head, sampled, exact, empirical, margins.Select(m => double.IsFinite(m) ? m : double.NaN).ToArray(), alignment, rho, near, far, n <= maxDirections);
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
