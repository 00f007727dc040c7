using Workbench.Protocols.Probe;

namespace Workbench.Protocols.Fisher;

/// <summary>Which Fisher matrix: §14.1's (y drawn from the model), its exact expectation over y, or the empirical variant (y = the observed next token).</summary>
public enum FisherKind { ModelSampled, ModelExact, Empirical }

/// <summary>How ∂ log p(y|x)/∂θ was obtained: exact reverse-mode gradients, or central differences (step <see cref="FisherEstimator.Step"/>, error O(h²)).</summary>
public enum FisherDerivative { ReverseMode, CentralDifferences }

/// <summary>
/// A Fisher matrix restricted to the span of given parameter directions, with per-position trace contributions.
/// <paramref name="Full"/> is the same Fisher in the whole θ (n × n, mean of g gᵀ over the same positions and draws),
/// present only where it was asked for and the derivative is reverse mode (which yields the whole gradient anyway).
/// </summary>
public sealed record FisherEstimate(FisherKind Kind, double[,] Matrix, double[] PositionTrace, int Positions, FisherDerivative Derivative, double[,]? Full = null);

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

    /// <summary>Largest θ for which the full-θ Fisher is kept (n² doubles per kind: 128 MiB at 4096).</summary>
    public const int MaxFullParameters = 4096;

    /// <summary>
    /// Several kinds from one set of derivatives; the labels y are drawn from the same probabilities in the same
    /// order whichever derivative is used, so <paramref name="reverseMode"/> false reproduces the same draws.
    /// With <paramref name="fullParameterSpace"/>, every reverse-mode kind also keeps F in the whole θ (when
    /// dim θ ≤ <see cref="MaxFullParameters"/>), accumulated from the very gradients that are projected on U, so
    /// UᵀF_full U equals the subspace matrix up to rounding.
    /// </summary>
    public static FisherEstimate[] EstimateAll(IAttentionModelProbe model, IReadOnlyList<int[]> prompts, int layer, int head, IReadOnlyList<double[]> directions,
        IReadOnlyList<FisherKind> kinds, int samplesPerPosition = 8, ulong seed = 1, double[]? baseDelta = null, Action<string>? progress = null, bool reverseMode = true,
        bool fullParameterSpace = false)
    {
        var r = directions.Count;
        var V = model.Shape.Vocab;
        var F = kinds.Select(_ => new double[r, r]).ToArray();
        var traces = kinds.Select(_ => new List<double>()).ToArray();
        var derivative = kinds.Select(k => DerivativeFor(model, k, reverseMode)).ToArray();
        var reverse = derivative.Contains(FisherDerivative.ReverseMode) ? (ILogLikelihoodGradientProbe)model : null;
        var needJacobian = derivative.Contains(FisherDerivative.CentralDifferences);
        var n = model.Shape.HeadParameterCount;
        // Flat upper-triangle accumulators (row-major n × n), mirrored at the end.
        var full = kinds.Select((_, i) => fullParameterSpace && derivative[i] == FisherDerivative.ReverseMode && n <= MaxFullParameters ? new double[n * n] : null).ToArray();
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
                var exact = new Dictionary<int, (double[] Coords, double[] Full)>();
                // ∇θ log p(y) projected on U: reverse mode (one pass per distinct label at this position) or J_y − Σ p_v J_v.
                (double[] Coords, double[]? Full) Score(int y, FisherDerivative how)
                {
                    if (how == FisherDerivative.CentralDifferences) { var g = new double[r]; for (var c = 0; c < r; c++) g[c] = J![c][position * V + y] - mean[c]; return (g, null); }
                    if (exact.TryGetValue(y, out var cached)) return cached;
                    var whole = pass!.Gradient(position, y);
                    var coords = new double[r];
                    for (var c = 0; c < r; c++) coords[c] = System.Numerics.Tensors.TensorPrimitives.Dot<double>(directions[c], whole);
                    return exact[y] = (coords, whole);
                }
                void Add(int kIndex, double[,] local, (double[] Coords, double[]? Full) g, double weight)
                {
                    Accumulate(local, g.Coords, weight);
                    if (full[kIndex] is { } m) AccumulateUpper(m, g.Full!, weight);
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
                                Add(kIndex, local, Score(y, derivative[kIndex]), 1.0 / samplesPerPosition);
                            }
                            break;
                        default:
                            Add(kIndex, local, Score(tokens[t + 1], derivative[kIndex]), 1.0);
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
            var positions = traces[i].Count;
            for (var a = 0; a < r; a++) for (var b = 0; b < r; b++) F[i][a, b] /= positions;
            return new FisherEstimate(kind, F[i], traces[i].ToArray(), positions, derivative[i], full[i] is { } m ? Mirror(m, n, positions) : null);
        }).ToArray();
    }

    /// <summary>m[a, b≥a] += w g_a g_b on a flat row-major n × n buffer (vectorized along each row).</summary>
    private static void AccumulateUpper(double[] m, double[] g, double weight)
    {
        var n = g.Length;
        for (var a = 0; a < n; a++)
        {
            if (g[a] == 0) continue;   // rows of θ that position 0..t cannot reach have exactly zero gradient
            var row = m.AsSpan(a * n + a, n - a);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(g.AsSpan(a), weight * g[a], row, row);
        }
    }

    private static double[,] Mirror(double[] upper, int n, int positions)
    {
        var f = new double[n, n];
        for (var a = 0; a < n; a++)
            for (var b = a; b < n; b++) f[a, b] = f[b, a] = upper[a * n + b] / positions;
        return f;
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
