using System.Globalization;

namespace Workbench.Kernels.Sampling;

public enum MaskKind { None, Causal, Window }

/// <summary>
/// Which keys each query row may attend to: none (all n), causal (keys ≤ i), or window:W, the project-wide convention
/// (docs/attention.md): key j is admitted for query i iff |i − j| ≤ W, so W ≥ n − 1 is no mask.
/// </summary>
public readonly record struct SamplerMask(MaskKind Kind, int Window = 0)
{
    public static SamplerMask None => new(MaskKind.None);
    public static SamplerMask Causal => new(MaskKind.Causal);

    /// <summary>The admissible keys of row i, as the inclusive range [Lo, Hi].</summary>
    public (int Lo, int Hi) Keys(int row, int tokens) => Kind switch
    {
        MaskKind.None => (0, tokens - 1),
        MaskKind.Causal => (0, row),
        _ => (Math.Max(0, row - Window), Math.Min(tokens - 1, row + Window)),
    };

    public override string ToString() => Kind switch
    {
        MaskKind.None => "none",
        MaskKind.Causal => "causal",
        _ => "window:" + Window.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Parses "none", "causal" or "window:W"; null with a reason otherwise.</summary>
    public static SamplerMask? Parse(string text, out string? problem)
    {
        problem = null;
        var t = text.Trim().ToLowerInvariant();
        if (t is "none" or "") return None;
        if (t == "causal") return Causal;
        if (t.StartsWith("window:", StringComparison.Ordinal)
            && int.TryParse(t.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w >= 0)
            return new SamplerMask(MaskKind.Window, w);
        problem = "expected none, causal or window:W with W ≥ 0 (key j admitted for query i iff |i − j| ≤ W)";
        return null;
    }
}

/// <summary>
/// How (Q, K) are drawn. Gaussian: every entry of every head's Q and K i.i.d. N(0, 1). Projected: X (n × d_model)
/// i.i.d. N(0, 1), shared by all heads, and Q^h = X W_Q^h, K^h = X W_K^h with the given weights (row-major
/// d_model × d_h, one matrix per head).
/// </summary>
public sealed record SamplerDistribution(int ModelDim, float[][]? QueryWeights, float[][]? KeyWeights)
{
    public static SamplerDistribution Gaussian { get; } = new(0, null, null);

    public bool IsProjected => QueryWeights is not null;

    public static SamplerDistribution Projected(int modelDim, float[][] wq, float[][] wk) => new(modelDim, wq, wk);

    public override string ToString() => IsProjected ? $"X W (d_model = {ModelDim})" : "gaussian";
}

/// <summary>One Monte Carlo configuration: shape, mask, heads, distribution, and the ε list for near-tie fractions.</summary>
public sealed record SamplerConfig
{
    /// <summary>Pattern codes Σ σ(i)·n^i per head, combined over heads, must fit 64 bits: n^(n·H) ≤ 2^64.</summary>
    public const int MaxTokens = 16;
    public const int MaxHeadDim = 256;
    public const int MaxHeads = 16;
    public const int MaxModelDim = 1024;

    public required int Tokens { get; init; }
    public required int HeadDim { get; init; }
    public int Heads { get; init; } = 1;
    public SamplerMask Mask { get; init; } = SamplerMask.None;
    public SamplerDistribution Distribution { get; init; } = SamplerDistribution.Gaussian;
    public double[] Epsilons { get; init; } = [1e-3, 1e-2, 1e-1];

    /// <summary>The scale 1/√d_h applied to every score, rounded to float32 once so every backend uses the same bits.</summary>
    public float ScoreScale => (float)(1.0 / Math.Sqrt(HeadDim));

    /// <summary>Normals per sample: Q and K per head (Gaussian) or X once (projected).</summary>
    public int NormalsPerSample => Distribution.IsProjected ? Tokens * Distribution.ModelDim : 2 * Heads * Tokens * HeadDim;

    /// <summary>Philox blocks per sample (four normals each).</summary>
    public int BlocksPerSample => (NormalsPerSample + 3) / 4;

    /// <summary>n^n: the code space of one head.</summary>
    public ulong HeadCodeSpace
    {
        get { ulong p = 1; for (var i = 0; i < Tokens; i++) p *= (ulong)Tokens; return p; }
    }

    public override string ToString() =>
        $"n = {Tokens}, d_h = {HeadDim}, heads = {Heads}, mask = {Mask}, distribution = {Distribution}";

    /// <summary>Every problem with the configuration, each naming the input; empty when it can run.</summary>
    public IReadOnlyList<(string Input, string Problem)> Problems()
    {
        var p = new List<(string, string)>();
        if (Tokens < 1 || Tokens > MaxTokens)
            p.Add(("tokens", $"{Tokens} is outside 1..{MaxTokens} (pattern codes Σσ(i)·n^i must fit 64 bits)"));
        if (HeadDim < 1 || HeadDim > MaxHeadDim) p.Add(("head-dim", $"{HeadDim} is outside 1..{MaxHeadDim}"));
        if (Heads < 1 || Heads > MaxHeads) p.Add(("heads", $"{Heads} is outside 1..{MaxHeads}"));
        if (p.Count == 0 && Tokens > 1 && Heads * Tokens * Math.Log2(Tokens) > 64 + 1e-9)
            p.Add(("heads", $"the joint pattern code of {Heads} heads over {Tokens} tokens needs {Heads * Tokens * Math.Log2(Tokens):0.#} bits; at most 64 are supported"));
        if (Mask.Kind == MaskKind.Window && Mask.Window < 0) p.Add(("mask", "window half-width W must be ≥ 0"));
        foreach (var e in Epsilons)
            if (!(e > 0) || double.IsInfinity(e)) p.Add(("epsilon", $"{e.ToString(CultureInfo.InvariantCulture)} must be a positive finite number"));
        if (Distribution.IsProjected)
        {
            var dm = Distribution.ModelDim;
            if (dm < 1 || dm > MaxModelDim) p.Add(("d-model", $"{dm} is outside 1..{MaxModelDim}"));
            foreach (var (name, ws) in new[] { ("W_Q", Distribution.QueryWeights), ("W_K", Distribution.KeyWeights) })
            {
                if (ws is null || ws.Length != Heads) { p.Add((name, $"expected one matrix per head ({Heads})")); continue; }
                foreach (var w in ws)
                {
                    if (w.Length != dm * HeadDim) p.Add((name, $"expected {dm}×{HeadDim} = {dm * HeadDim} entries, got {w.Length}"));
                    else if (w.Any(x => !float.IsFinite(x))) p.Add((name, "contains NaN or infinity"));
                }
            }
        }
        return p;
    }

    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new SamplerInputException(problems[0].Input, problems[0].Problem);
    }
}

/// <summary>A configuration or run request the engine refuses, naming the input and the problem.</summary>
public sealed class SamplerInputException(string input, string problem) : ArgumentException($"{input}: {problem}")
{
    public string Input { get; } = input;
    public string Problem { get; } = problem;
}
