using System.Text.Json.Nodes;
using Workbench.Protocols.Output;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Runs;
using static Workbench.Protocols.Protocols.MarginsProtocol;

namespace Workbench.Protocols.Protocols;

/// <summary>
/// §15.2: for the rows nearest a tie, the smallest residual-stream perturbation δ (entering the head's layer at
/// the query position) that crosses S_ij = S_ik, from the linearized system ∇g·δ = −g (minimum-norm solution),
/// then the response of the pattern, the logits and the loss along t·δ, with the exact crossing t* found by
/// bisection (t* = 1 when the gap is linear in the residual).
/// </summary>
public sealed class TiesProtocol(int count = 3) : IProtocol
{
    public int Count { get; } = count;
    public const int Steps = 21;
    public string Name => "ties";
    public string Description => "§15.2 near-tie rows: the residual perturbation that crosses the tie, and patterns, logits, loss along it";

    public sealed record TieProbe(int Prompt, int Layer, int Head, int Row, int Winner, int RunnerUp, double Gap, double[] Delta, double Crossing,
        double[] T, double[] WinnerWeight, double[] RunnerUpWeight, double[] Loss, double[] Kl, int[] Argmax);

    public ProtocolResult Run(ProtocolInput input)
    {
        input.Validate();
        var result = new ProtocolResult(Name);
        var candidates = new List<(int P, int L, int H, int I, RowPattern Row)>();
        for (var p = 0; p < input.Prompts.Count; p++)
        {
            var run = input.Model.Run(input.Prompts[p], ProbeOptions.Default);
            foreach (var l in input.LayersInFocus)
                foreach (var h in input.HeadsInFocus)
                    for (var i = 1; i < run.Length; i++)
                    {
                        var row = RowPattern.Of(run, l, h, i);
                        if (row.Margin > 0 && double.IsFinite(row.Margin)) candidates.Add((p, l, h, i, row));
                    }
        }
        var chosen = candidates.OrderBy(c => c.Row.Margin).ThenBy(c => c.P).ThenBy(c => c.L).ThenBy(c => c.H).ThenBy(c => c.I).Take(Count).ToList();
        result.Report.AppendLine($"# Protocol 15.2: tie probing on {input.Model.Name}").AppendLine()
            .AppendLine($"The {chosen.Count} rows with the smallest positive margins. For each, δ solves ∇g·δ = −g (minimum norm), g = S_ij − S_ik the gap between the winner j and the runner-up k, ∇ with respect to the residual stream entering the layer at the query position (central differences). Along t·δ, t* is where the gap changes sign.").AppendLine()
            .AppendLine("| prompt | layer | head | row | winner j | runner-up k | gap | ‖δ‖ | crossing t* | Δloss over t∈[0,2t*] | KL at row, t=2t* |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        var list = new JsonArray();
        var k = 0;
        var plots = new List<(string Name, string Svg, string Caption)>();
        foreach (var c in chosen)
        {
            input.Report($"ties: probing row {++k}/{chosen.Count}");
            var probe = Probe(input.Model, input.Prompts[c.P], c.L, c.H, c.I, c.Row);
            var tie = probe with { Prompt = c.P };
            var norm = Math.Sqrt(tie.Delta.Sum(x => x * x));
            var dLoss = tie.Loss.Max() - tie.Loss.Min();
            result.Report.AppendLine($"| {c.P} | {c.L} | {c.H} | {c.I} | {c.Row.Argmax} | {c.Row.RunnerUp} | {G(tie.Gap)} | {G(norm)} | {G(tie.Crossing)} | {G(dLoss)} | {G(tie.Kl[^1])} |");
            list.Add(new JsonObject
            {
                ["prompt"] = c.P, ["layer"] = c.L, ["head"] = c.H, ["row"] = c.I, ["winner"] = c.Row.Argmax, ["runner_up"] = c.Row.RunnerUp,
                ["gap"] = tie.Gap, ["delta_norm"] = norm, ["crossing_t"] = Num(tie.Crossing), ["loss_range"] = dLoss, ["kl_at_end"] = tie.Kl[^1],
                ["pattern_switched"] = tie.Argmax[0] != tie.Argmax[^1],
            });
            result.Array($"tie{k}-delta", tie.Delta);
            result.Array($"tie{k}-scan", tie.T.Select((t, i) => new[] { t, tie.WinnerWeight[i], tie.RunnerUpWeight[i], tie.Loss[i], tie.Kl[i], tie.Argmax[i] }).SelectMany(x => x).ToArray(), tie.T.Length, 6);
            plots.Add(($"tie{k}", Svg.Lines($"Tie {k}: prompt {c.P}, layer {c.L}, head {c.H}, row {c.I}", "t (multiples of δ)", "weight / loss / KL",
                [new("A_ij (winner)", tie.T, tie.WinnerWeight), new("A_ik (runner-up)", tie.T, tie.RunnerUpWeight), new("loss − loss(0)", tie.T, tie.Loss.Select(x => x - tie.Loss[0]).ToArray()), new("KL(row) vs t=0", tie.T, tie.Kl)],
                markX: tie.Crossing), $"tie {k} response"));
        }
        result.Report.AppendLine();
        foreach (var (name, svg, caption) in plots) result.Plot(name, svg, caption);
        result.Summary["ties"] = list;
        return result;
    }

    /// <summary>The tie probe for one row; public so planted-structure tests can check the solved δ and t*.</summary>
    public static TieProbe Probe(IAttentionModelProbe model, int[] tokens, int layer, int head, int row, RowPattern pattern)
    {
        var D = model.Shape.DModel;
        double Gap(double[] delta)
        {
            var r = model.Run(tokens, new ProbeOptions { Perturbation = new ResidualPerturbation(layer, row, delta), StopAfterLayer = layer });
            return r.Score(layer, head, row, pattern.Argmax) - r.Score(layer, head, row, pattern.RunnerUp);
        }
        var zero = new double[D];
        var g0 = Gap(zero);
        var baseRun = model.Run(tokens, new ProbeOptions { CaptureInternals = true, StopAfterLayer = layer });
        var scale = Math.Sqrt(baseRun.Internals![layer].ResidPre.AsSpan(row * D, D).ToArray().Average(x => x * x)) + 1e-12;
        var h = 1e-5 * scale;
        var grad = new double[D];
        for (var c = 0; c < D; c++)
        {
            var e = new double[D]; e[c] = h; var plus = Gap(e);
            e[c] = -h; var minus = Gap(e);
            grad[c] = (plus - minus) / (2 * h);
        }
        var gg = grad.Sum(x => x * x);
        var delta = gg == 0 ? new double[D] : grad.Select(x => -g0 * x / gg).ToArray();
        double GapAt(double t) => Gap(delta.Select(x => t * x).ToArray());
        // The linear solve predicts t* = 1; the true crossing is bracketed by doubling and then bisected.
        var crossing = double.NaN;
        if (gg > 0)
        {
            double lo = 0, hi = 1;
            while (GapAt(hi) > 0 && hi < 64) { lo = hi; hi *= 2; }
            if (GapAt(hi) <= 0)
            {
                for (var it = 0; it < 50; it++) { var mid = 0.5 * (lo + hi); if (GapAt(mid) > 0) lo = mid; else hi = mid; }
                crossing = 0.5 * (lo + hi);
            }
        }
        var span = double.IsFinite(crossing) ? 2 * crossing : 2;
        var ts = Enumerable.Range(0, Steps).Select(i => span * i / (Steps - 1)).ToArray();
        var wj = new double[Steps]; var wk = new double[Steps]; var loss = new double[Steps]; var kl = new double[Steps]; var arg = new int[Steps];
        ProbeRun? first = null;
        for (var s = 0; s < Steps; s++)
        {
            var r = model.Run(tokens, new ProbeOptions { Perturbation = new ResidualPerturbation(layer, row, delta.Select(x => ts[s] * x).ToArray()) });
            first ??= r;
            wj[s] = r.Weight(layer, head, row, pattern.Argmax); wk[s] = r.Weight(layer, head, row, pattern.RunnerUp);
            loss[s] = r.MeanLoss(); kl[s] = Stats.KlFromLogits(first.LogitsAt(row), r.LogitsAt(row)); arg[s] = RowPattern.Of(r, layer, head, row).Argmax;
        }
        return new TieProbe(0, layer, head, row, pattern.Argmax, pattern.RunnerUp, g0, delta, crossing, ts, wj, wk, loss, kl, arg);
    }
}
