using System.Text.Json.Nodes;
using Workbench.Protocols.Fisher;
using Workbench.Protocols.Output;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Runs;
using static Workbench.Protocols.Protocols.MarginsProtocol;

namespace Workbench.Protocols.Protocols;

/// <summary>
/// §15.6: a straight path θ(t) = θ₀ + tΔ, t ∈ [0, 1], in one head's (W_Q, W_K) that crosses a tie variety.
/// The default Δ moves W_Q only, along the minimum-norm direction that closes the gap of the head's nearest-tie row
/// at t = ½: S_ij is linear in W_Q for fixed layer inputs (and the head's own θ never changes its layer's inputs),
/// so that row's crossing is exactly t* = ½, a built-in check. Along the path: pattern switches over all rows of
/// the head, the loss, and the local Fisher information of the path parameter t.
/// </summary>
public sealed class SweepProtocol : IProtocol
{
    public const int Steps = 21;
    public string Name => "sweep";
    public string Description => "§15.6 a path in one head's (W_Q, W_K) across a tie variety: pattern switches, loss, local Fisher";

    public sealed record Target(int Prompt, int Row, int Winner, int RunnerUp);
    public sealed record SweepResult(int Layer, int Head, Target Target, double[] Direction, double Crossing, double[] T, double[] Switched, double[] Loss, double[] Fisher);

    public ProtocolResult Run(ProtocolInput input)
    {
        input.Validate();
        var (layer, head, target) = ChooseTarget(input);
        input.Report($"sweep: layer {layer}, head {head}, target row {target.Row} of prompt {target.Prompt}");
        var direction = DefaultDirection(input.Model, input.Prompts[target.Prompt], layer, head, target);
        var sweep = Sweep(input.Model, input.Prompts, layer, head, direction, target, input.Report);
        var result = new ProtocolResult(Name);
        result.Summary["layer"] = layer; result.Summary["head"] = head;
        result.Summary["target"] = new JsonObject { ["prompt"] = target.Prompt, ["row"] = target.Row, ["winner"] = target.Winner, ["runner_up"] = target.RunnerUp };
        result.Summary["crossing_t"] = Num(sweep.Crossing);
        result.Summary["direction_norm"] = Math.Sqrt(direction.Sum(x => x * x));
        result.Summary["switched_at_end"] = sweep.Switched[^1];
        result.Summary["loss"] = new JsonArray(sweep.Loss.Select(x => (JsonNode)x).ToArray());
        result.Summary["fisher_t"] = new JsonArray(sweep.Fisher.Select(x => (JsonNode)x).ToArray());
        result.Array("t", sweep.T); result.Array("switched", sweep.Switched); result.Array("loss", sweep.Loss); result.Array("fisher_t", sweep.Fisher); result.Array("direction", direction);
        result.Report.AppendLine($"# Protocol 15.6: parameter sweep on {input.Model.Name}").AppendLine()
            .AppendLine($"Layer {layer}, head {head}. Δ moves W_Q only, minimum norm (‖Δ‖ = {G(Math.Sqrt(direction.Sum(x => x * x)))}), chosen to close the gap between keys {target.Winner} and {target.RunnerUp} of row {target.Row} (prompt {target.Prompt}; its margin is near the {TargetQuantile} quantile of the head's margins) at t = ½; bisection finds the crossing at t* = {G(sweep.Crossing)}.").AppendLine()
            .AppendLine("| t | rows switched | loss | Fisher I(t) |").AppendLine("|---|---|---|---|");
        for (var s = 0; s < sweep.T.Length; s++) result.Report.AppendLine($"| {G(sweep.T[s])} | {G(sweep.Switched[s])} | {G(sweep.Loss[s])} | {G(sweep.Fisher[s])} |");
        result.Report.AppendLine();
        result.Plot("sweep", Svg.Lines("Along θ(t): pattern switches, loss, local Fisher", "t", "value",
            [new("fraction of rows switched", sweep.T, sweep.Switched), new("loss", sweep.T, sweep.Loss), new("Fisher I(t) / max", sweep.T, Normalize(sweep.Fisher))], markX: sweep.Crossing), "sweep response");
        return result;
    }

    private static double[] Normalize(double[] v) { var m = v.Max(); return m > 0 ? v.Select(x => x / m).ToArray() : v; }

    /// <summary>The quantile of positive margins the default target row sits at: near a tie, but not so near that the path barely moves θ.</summary>
    public const double TargetQuantile = 0.1;

    /// <summary>
    /// The default target: among the focus heads' rows with a positive margin, the one whose margin is closest to
    /// the <see cref="TargetQuantile"/> quantile (the very nearest tie would give a path of negligible length).
    /// </summary>
    public static (int Layer, int Head, Target Target) ChooseTarget(ProtocolInput input)
    {
        var rows = new List<(int L, int H, Target T, double Margin)>();
        for (var p = 0; p < input.Prompts.Count; p++)
        {
            var run = input.Model.Run(input.Prompts[p], ProbeOptions.Default);
            foreach (var l in input.LayersInFocus)
                foreach (var h in input.HeadsInFocus)
                    for (var i = 1; i < run.Length; i++)
                    {
                        var row = RowPattern.Of(run, l, h, i);
                        if (row.Margin > 0 && double.IsFinite(row.Margin)) rows.Add((l, h, new Target(p, i, row.Argmax, row.RunnerUp), row.Margin));
                    }
        }
        if (rows.Count == 0) throw new ProtocolInputException("prompts", "no row with two distinct keys to sweep across");
        var q = Stats.Quantile(rows.Select(r => r.Margin), TargetQuantile);
        var best = rows.OrderBy(r => Math.Abs(r.Margin - q)).ThenBy(r => r.T.Prompt).ThenBy(r => r.L).ThenBy(r => r.H).ThenBy(r => r.T.Row).First();
        return (best.L, best.H, best.T);
    }

    /// <summary>Δ in W_Q only with ⟨∇_Q g, Δ⟩ = −2g: the target gap g = S_ij − S_ik closes exactly at t = ½.</summary>
    public static double[] DefaultDirection(IAttentionModelProbe model, int[] tokens, int layer, int head, Target target)
    {
        var run = model.Run(tokens, new ProbeOptions { CaptureInternals = true, StopAfterLayer = layer });
        var gj = model.ScoreParameterGradient(run, layer, head, target.Row, target.Winner);
        var gk = model.ScoreParameterGradient(run, layer, head, target.Row, target.RunnerUp);
        var half = gj.Length / 2;
        var grad = new double[gj.Length];
        for (var a = 0; a < half; a++) grad[a] = gj[a] - gk[a];
        var gap = run.Score(layer, head, target.Row, target.Winner) - run.Score(layer, head, target.Row, target.RunnerUp);
        var gg = grad.Sum(x => x * x);
        return grad.Select(x => -2 * gap * x / gg).ToArray();
    }

    public static SweepResult Sweep(IAttentionModelProbe model, IReadOnlyList<int[]> prompts, int layer, int head, double[] direction, Target target, Action<string>? progress = null)
    {
        double[] At(double t) => direction.Select(x => t * x).ToArray();
        double Gap(double t)
        {
            var r = model.Run(prompts[target.Prompt], new ProbeOptions { ParameterDelta = new HeadParameterDelta(layer, head, At(t)), StopAfterLayer = layer });
            return r.Score(layer, head, target.Row, target.Winner) - r.Score(layer, head, target.Row, target.RunnerUp);
        }
        var crossing = double.NaN;
        if (Gap(0) > 0 && Gap(1) <= 0)
        {
            double lo = 0, hi = 1;
            for (var it = 0; it < 50; it++) { var mid = 0.5 * (lo + hi); if (Gap(mid) > 0) lo = mid; else hi = mid; }
            crossing = 0.5 * (lo + hi);
        }
        var ts = Enumerable.Range(0, Steps).Select(i => i / (double)(Steps - 1)).ToArray();
        var baseline = prompts.Select(p => model.Run(p, ProbeOptions.Default)).ToArray();
        var switched = new double[Steps]; var loss = new double[Steps]; var fisher = new double[Steps];
        for (var s = 0; s < Steps; s++)
        {
            progress?.Invoke($"sweep: t = {G(ts[s])} ({s + 1}/{Steps})");
            double rows = 0, changed = 0, lossSum = 0;
            for (var p = 0; p < prompts.Count; p++)
            {
                var run = model.Run(prompts[p], new ProbeOptions { ParameterDelta = new HeadParameterDelta(layer, head, At(ts[s])) });
                for (var i = 1; i < run.Length; i++)
                {
                    rows++;
                    if (RowPattern.Of(run, layer, head, i).Argmax != RowPattern.Of(baseline[p], layer, head, i).Argmax) changed++;
                }
                lossSum += run.MeanLoss();
            }
            switched[s] = changed / rows; loss[s] = lossSum / prompts.Count;
            fisher[s] = FisherEstimator.AlongDirection(model, prompts, layer, head, direction, At(ts[s]));
        }
        return new SweepResult(layer, head, target, direction, crossing, ts, switched, loss, fisher);
    }
}
