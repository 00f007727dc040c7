using Workbench.Protocols.Probe;

namespace Workbench.Protocols.Fisher;

/// <summary>Which Fisher matrix: §14.1's (y drawn from the model), its exact expectation over y, or the empirical variant (y = the observed next token).</summary>
public enum FisherKind { ModelSampled, ModelExact, Empirical }

/// <summary>How ∂ log p(y|x)/∂θ was obtained: exact reverse-mode gradients, or central differences (step <see cref="FisherEstimator.Step"/>, error O(h²)).</summary>
public enum FisherDerivative { ReverseMode, CentralDifferences }

/// <summary>A Fisher matrix restricted to the span of given parameter directions, with per-position trace contributions.</summary>
public sealed record FisherEstimate(FisherKind Kind, double[,] Matrix, double[] PositionTrace, int Positions, FisherDerivative Derivative);

/// <summary>
/// Fisher information of one head's θ = (W_Q, W_K) restricted to directions U (columns u_r), per next-token
/// position: F_rs = E_x E_y [∂_r log p(y|x) ∂_s log p(y|x)]. The expectation over y is either sampled from the model
/// (§14.1 as written), taken exactly (Jᵀ(diag p − ppᵀ)J, the sampled estimate's limit), or replaced by the observed
/// token (empirical Fisher, a different matrix).
/// Derivatives: where the model is an <see cref="ILogLikelihoodGradientProbe"/>, the sampled and empirical Fisher use
/// exact reverse-mode gradients ∇θ log p(y|x), one reverse pass per distinct (position, label), projected on U.
/// The exact expectation needs the whole logit Jacobian J along U (V reverse passes per position would be 512 per
/// position on stories260K), so it keeps central differences of the float64 pass along each u_r (2 passes per
/// direction; ∂_r log p(y) = J_yr − Σ_v p_v J_vr; error O(h²)); each estimate records which it used.
/// </summary>
public static class FisherEstimator
{
    public const double Step = 1e-4;

    /// <summary>Logit Jacobian columns J[:, r] = ∂logits/∂θ·u_r at θ + baseDelta, as [r][T×V].</summary>
    public static double[][] LogitJacobian(IAttentionModelProbe model, int[] tokens, int layer, int head, IReadOnlyList<double[]> directions, double[]? baseDelta = null)
    {
        var n = model.Shape.HeadParameterCount;
        baseDelta ??= new double[n];
        var cols = new double[directions.Count][];
        for (var r = 0; r < directions.Count; r++)
        {
            var plus = new double[n]; var minus = new double[n];
            for (var a = 0; a < n; a++) { plus[a] = baseDelta[a] + Step * directions[r][a]; minus[a] = baseDelta[a] - Step * directions[r][a]; }
            var lp = model.Run(tokens, new ProbeOptions { ParameterDelta = new HeadParameterDelta(layer, head, plus) }).Logits;
            var lm = model.Run(tokens, new ProbeOptions { ParameterDelta = new HeadParameterDelta(layer, head, minus) }).Logits;
            cols[r] = new double[lp.Length];
            for (var e = 0; e < lp.Length; e++) cols[r][e] = (lp[e] - lm[e]) / (2 * Step);
        }
        return cols;
    }

    public static FisherEstimate Estimate(IAttentionModelProbe model, IReadOnlyList<int[]> prompts, int layer, int head, IReadOnlyList<double[]> directions,
        FisherKind kind, int samplesPerPosition = 8, ulong seed = 1, double[]? baseDelta = null, Action<string>? progress = null, bool reverseMode = true) =>
        EstimateAll(model, prompts, layer, head, directions, [kind], samplesPerPosition, seed, baseDelta, progress, reverseMode)[0];

    /// <summary>Which derivative a kind gets: reverse mode for sampled and empirical where the model offers it and it is wanted.</summary>
    public static FisherDerivative DerivativeFor(IAttentionModelProbe model, FisherKind kind, bool reverseMode = true) =>
        reverseMode && kind != FisherKind.ModelExact && model is ILogLikelihoodGradientProbe ? FisherDerivative.ReverseMode : FisherDerivative.CentralDifferences;

    /// <summary>
    /// Several kinds from one set of derivatives; the labels y are drawn from the same probabilities in the same
    /// order whichever derivative is used, so <paramref name="reverseMode"/> false reproduces the same draws.
    /// </summary>
    public static FisherEstimate[] EstimateAll(IAttentionModelProbe model, IReadOnlyList<int[]> prompts, int layer, int head, IReadOnlyList<double[]> directions,
        IReadOnlyList<FisherKind> kinds, int samplesPerPosition = 8, ulong seed = 1, double[]? baseDelta = null, Action<string>? progress = null, bool reverseMode = true)
    {
        var r = directions.Count;
        var V = model.Shape.Vocab;
        var F = kinds.Select(_ => new double[r, r]).ToArray();
        var traces = kinds.Select(_ => new List<double>()).ToArray();
        var derivative = kinds.Select(k => DerivativeFor(model, k, reverseMode)).ToArray();
        var reverse = derivative.Contains(FisherDerivative.ReverseMode) ? (ILogLikelihoodGradientProbe)model : null;
        var needJacobian = derivative.Contains(FisherDerivative.CentralDifferences);
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        for (var p = 0; p < prompts.Count; p++)
        {
            progress?.Invoke($"fisher: prompt {p + 1}/{prompts.Count} ({(needJacobian ? $"{2 * r} forward passes" : "")}{(needJacobian && reverse is not null ? ", " : "")}{(reverse is not null ? "a reverse pass per sampled label" : "")})");
            var tokens = prompts[p];
            var J = needJacobian ? LogitJacobian(model, tokens, layer, head, directions, baseDelta) : null;
            var pass = reverse?.BeginGradients(tokens, layer, head, baseDelta);
            var run = model.Run(tokens, new ProbeOptions { ParameterDelta = baseDelta is null ? null : new HeadParameterDelta(layer, head, baseDelta) });
            for (var t = 0; t + 1 < tokens.Length; t++)
            {
                var logp = Runs.Stats.LogSoftmax(run.LogitsAt(t));
                var prob = logp.Select(Math.Exp).ToArray();
                var mean = new double[r];
                if (J is not null)
                    for (var c = 0; c < r; c++) { var m = 0.0; for (var v = 0; v < V; v++) m += prob[v] * J[c][t * V + v]; mean[c] = m; }
                var position = t;
                var exact = new Dictionary<int, double[]>();
                // ∇θ log p(y) projected on U: reverse mode (one pass per distinct label at this position) or J_y − Σ p_v J_v.
                double[] Score(int y, FisherDerivative how)
                {
                    if (how == FisherDerivative.CentralDifferences) { var g = new double[r]; for (var c = 0; c < r; c++) g[c] = J![c][position * V + y] - mean[c]; return g; }
                    if (exact.TryGetValue(y, out var cached)) return cached;
                    var full = pass!.Gradient(position, y);
                    var coords = new double[r];
                    for (var c = 0; c < r; c++) coords[c] = System.Numerics.Tensors.TensorPrimitives.Dot<double>(directions[c], full);
                    return exact[y] = coords;
                }
                for (var kIndex = 0; kIndex < kinds.Count; kIndex++)
                {
                    var local = new double[r, r];
                    switch (kinds[kIndex])
                    {
                        case FisherKind.ModelExact:
                            for (var a = 0; a < r; a++)
                                for (var b = a; b < r; b++)
                                {
                                    var s = 0.0;
                                    for (var v = 0; v < V; v++) s += prob[v] * (J![a][t * V + v] - mean[a]) * (J[b][t * V + v] - mean[b]);
                                    local[a, b] = local[b, a] = s;
                                }
                            break;
                        case FisherKind.ModelSampled:
                            for (var k = 0; k < samplesPerPosition; k++)
                            {
                                var u = rng.NextDouble(); var y = V - 1;
                                for (var v = 0; v < V; v++) { u -= prob[v]; if (u <= 0) { y = v; break; } }
                                Accumulate(local, Score(y, derivative[kIndex]), 1.0 / samplesPerPosition);
                            }
                            break;
                        default:
                            Accumulate(local, Score(tokens[t + 1], derivative[kIndex]), 1.0);
                            break;
                    }
                    var tr = 0.0;
                    for (var a = 0; a < r; a++) { tr += local[a, a]; for (var b = 0; b < r; b++) F[kIndex][a, b] += local[a, b]; }
                    traces[kIndex].Add(tr);
                }
            }
        }
        return kinds.Select((kind, i) =>
        {
            var n = traces[i].Count;
            for (var a = 0; a < r; a++) for (var b = 0; b < r; b++) F[i][a, b] /= n;
            return new FisherEstimate(kind, F[i], traces[i].ToArray(), n, derivative[i]);
        }).ToArray();
    }

    private static void Accumulate(double[,] m, double[] g, double weight)
    {
        for (var a = 0; a < g.Length; a++) for (var b = 0; b < g.Length; b++) m[a, b] += weight * g[a] * g[b];
    }

    /// <summary>Local Fisher information of the one-parameter family θ(t) = θ + tΔ at t (exact expectation over y), mean per position.</summary>
    public static double AlongDirection(IAttentionModelProbe model, IReadOnlyList<int[]> prompts, int layer, int head, double[] direction, double[] at) =>
        Estimate(model, prompts, layer, head, [direction], FisherKind.ModelExact, baseDelta: at).Matrix[0, 0];

    /// <summary>The canonical basis of θ (one direction per parameter).</summary>
    public static double[][] CanonicalBasis(int n) => Enumerable.Range(0, n).Select(i => { var e = new double[n]; e[i] = 1; return e; }).ToArray();
}
