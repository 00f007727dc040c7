using System.Text.Json.Nodes;
using Workbench.Protocols.Output;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Runs;

namespace Workbench.Protocols.Protocols;

/// <summary>
/// §15.1: per layer and head, the margin of every row (distance to the tie set in score units), the pattern
/// distribution (offset i − σ(i)), and how small margins go with next-token errors and loss.
/// </summary>
public sealed class MarginsProtocol : IProtocol
{
    public string Name => "margins";
    public string Description => "§15.1 margin histograms, pattern offsets, and small margins against errors and loss";

    public ProtocolResult Run(ProtocolInput input)
    {
        input.Validate();
        var s = input.Model.Shape;
        var result = new ProtocolResult(Name);
        var heads = s.Layers * s.Heads;
        var margins = new List<double[]>(); var offsets = new List<double[]>(); var losses = new List<double>(); var errors = new List<double>();
        for (var p = 0; p < input.Prompts.Count; p++)
        {
            input.Report($"margins: prompt {p + 1}/{input.Prompts.Count}");
            var run = input.Model.Run(input.Prompts[p], ProbeOptions.Default);
            var tokenLoss = run.TokenLosses();
            for (var i = 1; i + 1 < run.Length; i++)
            {
                var m = new double[heads]; var o = new double[heads];
                for (var l = 0; l < s.Layers; l++)
                    for (var h = 0; h < s.Heads; h++)
                    {
                        var row = RowPattern.Of(run, l, h, i);
                        m[l * s.Heads + h] = row.Margin; o[l * s.Heads + h] = i - row.Argmax;
                    }
                margins.Add(m); offsets.Add(o); losses.Add(tokenLoss[i]); errors.Add(run.Predicted(i) == run.Tokens[i + 1] ? 0 : 1);
            }
        }
        var n = margins.Count;
        result.Array("margins", margins.SelectMany(x => x).ToArray(), n, s.Layers, s.Heads);
        result.Array("offsets", offsets.SelectMany(x => x).ToArray(), n, s.Layers, s.Heads);
        result.Array("loss", losses.ToArray(), n);
        result.Array("error", errors.ToArray(), n);

        result.Report.AppendLine($"# Protocol 15.1: margins on {input.Model.Name}").AppendLine()
            .AppendLine($"{input.Prompts.Count} prompts, {n} rows (positions 1..T−2; row 0 has a single key and no tie set). Margin = S_iσ(i) − S_i,runner-up in raw score units (τ = 1, causal mask).").AppendLine()
            .AppendLine("| layer | head | median margin | rows with margin < 0.1 | top offsets i−σ(i) | Spearman(margin, loss) | loss, smallest-quartile margins | loss, other rows | error rate, smallest quartile | error rate, other |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        var perHead = new JsonArray();
        foreach (var l in input.LayersInFocus)
            foreach (var h in input.HeadsInFocus)
            {
                var idx = l * s.Heads + h;
                var m = margins.Select(x => x[idx]).ToArray();
                var q25 = Stats.Quantile(m, 0.25);
                var small = Enumerable.Range(0, n).Where(r => m[r] <= q25).ToArray();
                var other = Enumerable.Range(0, n).Where(r => m[r] > q25).ToArray();
                double Mean(int[] rows, List<double> v) => rows.Length == 0 ? double.NaN : rows.Average(r => v[r]);
                var top = offsets.Select(x => (int)x[idx]).GroupBy(o => o).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Take(3)
                    .Select(g => new JsonObject { ["offset"] = g.Key, ["fraction"] = (double)g.Count() / n }).ToArray();
                var rho = Stats.Spearman(m, losses);
                var entry = new JsonObject
                {
                    ["layer"] = l, ["head"] = h, ["median_margin"] = Stats.Median(m), ["fraction_below_0.1"] = m.Count(x => x < 0.1) / (double)n,
                    ["spearman_margin_loss"] = Num(rho), ["loss_small_margin"] = Num(Mean(small, losses)), ["loss_other"] = Num(Mean(other, losses)),
                    ["error_small_margin"] = Num(Mean(small, errors)), ["error_other"] = Num(Mean(other, errors)), ["top_offsets"] = new JsonArray(top),
                };
                perHead.Add(entry);
                result.Report.AppendLine($"| {l} | {h} | {G(Stats.Median(m))} | {G(m.Count(x => x < 0.1) / (double)n)} | {string.Join(", ", top.Select(t => $"{t["offset"]} ({G((double)t["fraction"]!)})"))} | {G(rho)} | {G(Mean(small, losses))} | {G(Mean(other, losses))} | {G(Mean(small, errors))} | {G(Mean(other, errors))} |");
            }
        result.Summary["rows"] = n;
        result.Summary["heads"] = perHead;
        result.Summary["mean_loss"] = losses.Count == 0 ? 0 : losses.Average();
        result.Summary["error_rate"] = errors.Count == 0 ? 0 : errors.Average();
        result.Report.AppendLine();
        foreach (var l in input.LayersInFocus)
        {
            var samples = input.HeadsInFocus.Select(h => ($"head {h}", margins.Select(x => x[l * s.Heads + h]).ToArray())).ToList();
            result.Plot($"margins-layer{l}", Svg.Histogram($"Layer {l}: margin distribution per head", "margin (score units)", samples), $"layer {l} margins");
            var offs = input.HeadsInFocus.Select(h => ($"head {h}", offsets.Select(x => Math.Min(x[l * s.Heads + h], 32)).ToArray())).ToList();
            result.Plot($"offsets-layer{l}", Svg.Histogram($"Layer {l}: pattern offsets i−σ(i) (capped at 32)", "offset", offs, 33), $"layer {l} pattern offsets");
        }
        return result;
    }

    internal static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
    internal static string G(double v) => double.IsFinite(v) ? v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
}
