using System.Text.Json.Nodes;
using Workbench.Protocols.Output;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Runs;
using static Workbench.Protocols.Protocols.MarginsProtocol;

namespace Workbench.Protocols.Protocols;

/// <summary>
/// §15.3: every score divided by τ on a geometric grid at inference. A single head's arg-max never depends on
/// its own τ, so pattern changes come from later layers seeing changed inputs; the protocol reports the fraction
/// of rows whose σ(i) differs from τ = 1, the loss, output stability (top-1 agreement, KL to τ = 1), and the width
/// of the transition on each side of τ = 1.
/// </summary>
public sealed class TemperatureProtocol : IProtocol
{
    public string Name => "temperature";
    public string Description => "§15.3 geometric τ grid: pattern-change rate, loss and output stability against τ, transition width";

    public static double[] Grid { get; } = Enumerable.Range(-8, 17).Select(k => Math.Pow(2, k / 2.0)).ToArray();

    public ProtocolResult Run(ProtocolInput input)
    {
        input.Validate();
        var result = new ProtocolResult(Name);
        var baseRuns = input.Prompts.Select(p => input.Model.Run(p, ProbeOptions.Default)).ToArray();
        var change = new double[Grid.Length]; var loss = new double[Grid.Length]; var agree = new double[Grid.Length]; var kl = new double[Grid.Length];
        for (var g = 0; g < Grid.Length; g++)
        {
            input.Report($"temperature: τ = {G(Grid[g])} ({g + 1}/{Grid.Length})");
            double changed = 0, rows = 0, lossSum = 0, agreeSum = 0, klSum = 0, positions = 0;
            for (var p = 0; p < input.Prompts.Count; p++)
            {
                var run = input.Model.Run(input.Prompts[p], new ProbeOptions { Temperature = Grid[g] });
                var b = baseRuns[p];
                foreach (var l in input.LayersInFocus)
                    foreach (var h in input.HeadsInFocus)
                        for (var i = 1; i < run.Length; i++)
                        {
                            rows++;
                            if (RowPattern.Of(run, l, h, i).Argmax != RowPattern.Of(b, l, h, i).Argmax) changed++;
                        }
                var tl = run.TokenLosses();
                for (var t = 0; t + 1 < run.Length; t++)
                {
                    lossSum += tl[t]; positions++;
                    if (run.Predicted(t) == b.Predicted(t)) agreeSum++;
                    klSum += Stats.KlFromLogits(b.LogitsAt(t), run.LogitsAt(t));
                }
            }
            change[g] = changed / rows; loss[g] = lossSum / positions; agree[g] = agreeSum / positions; kl[g] = klSum / positions;
        }
        var (upLo, upHi) = Transition(change, upper: true);
        var (downLo, downHi) = Transition(change, upper: false);
        result.Array("tau", Grid.ToArray());
        result.Array("pattern_change", change); result.Array("loss", loss); result.Array("top1_agreement", agree); result.Array("kl", kl);
        result.Summary["tau"] = new JsonArray(Grid.Select(t => (JsonNode)t).ToArray());
        result.Summary["pattern_change"] = new JsonArray(change.Select(t => (JsonNode)t).ToArray());
        result.Summary["loss"] = new JsonArray(loss.Select(t => (JsonNode)t).ToArray());
        result.Summary["top1_agreement"] = new JsonArray(agree.Select(t => (JsonNode)t).ToArray());
        result.Summary["transition_above"] = new JsonObject { ["tau_10"] = Num(upLo), ["tau_50"] = Num(upHi), ["width_octaves"] = Num(Math.Log2(upHi / upLo)) };
        result.Summary["transition_below"] = new JsonObject { ["tau_10"] = Num(downLo), ["tau_50"] = Num(downHi), ["width_octaves"] = Num(Math.Log2(downLo / downHi)) };
        result.Report.AppendLine($"# Protocol 15.3: temperature on {input.Model.Name}").AppendLine()
            .AppendLine("Every attention score is divided by τ before the softmax, in every layer. A pattern change is a row whose arg-max key differs from τ = 1; the first layer never changes (arg-max is τ-invariant), so changes measure how later layers respond.").AppendLine()
            .AppendLine("| τ | pattern change | loss | top-1 agreement with τ=1 | KL(p₁‖p_τ) |").AppendLine("|---|---|---|---|---|");
        for (var g = 0; g < Grid.Length; g++) result.Report.AppendLine($"| {G(Grid[g])} | {G(change[g])} | {G(loss[g])} | {G(agree[g])} | {G(kl[g])} |");
        result.Report.AppendLine().AppendLine($"Transition (pattern change reaching 10% and 50% of its largest value on that side): above τ = 1 from τ = {G(upLo)} to {G(upHi)}; below τ = 1 from τ = {G(downLo)} to {G(downHi)}.").AppendLine();
        result.Plot("temperature", Svg.Lines("Pattern change, loss and stability against τ", "τ", "value",
            [new("pattern change rate", Grid, change), new("loss", Grid, loss), new("top-1 agreement", Grid, agree), new("KL to τ=1", Grid, kl)], logX: true, markX: 1), "temperature response");
        return result;
    }

    /// <summary>Where, moving away from τ = 1, the change rate first reaches 10% and 50% of its largest value on that side (log-linear interpolation).</summary>
    private static (double At10, double At50) Transition(double[] change, bool upper)
    {
        var one = Array.IndexOf(Grid, 1.0);
        var idx = upper ? Enumerable.Range(one, Grid.Length - one).ToArray() : Enumerable.Range(0, one + 1).Reverse().ToArray();
        var max = idx.Max(i => change[i]);
        if (max <= 0) return (double.NaN, double.NaN);
        double Cross(double level)
        {
            for (var n = 1; n < idx.Length; n++)
            {
                double a = change[idx[n - 1]], b = change[idx[n]];
                if (b >= level && a < level)
                {
                    var f = (level - a) / (b - a);
                    return Math.Pow(2, Math.Log2(Grid[idx[n - 1]]) + f * (Math.Log2(Grid[idx[n]]) - Math.Log2(Grid[idx[n - 1]])));
                }
            }
            return double.NaN;
        }
        return (Cross(0.1 * max), Cross(0.5 * max));
    }

    /// <summary>The τ in [lo, hi] at which the row's arg-max changes, by bisection (assumes one switch in the bracket).</summary>
    public static double SwitchTemperature(IAttentionModelProbe model, int[] tokens, int layer, int head, int row, double lo, double hi)
    {
        int At(double tau) => RowPattern.Of(model.Run(tokens, new ProbeOptions { Temperature = tau }), layer, head, row).Argmax;
        var atLo = At(lo);
        if (At(hi) == atLo) return double.NaN;
        for (var it = 0; it < 60; it++)
        {
            var mid = Math.Sqrt(lo * hi);
            if (At(mid) == atLo) lo = mid; else hi = mid;
        }
        return Math.Sqrt(lo * hi);
    }
}
