using System.Text.Json.Nodes;
using Workbench.Protocols.Output;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Runs;
using static Workbench.Protocols.Protocols.MarginsProtocol;

namespace Workbench.Protocols.Protocols;

/// <summary>
/// §15.5: the same inputs under the causal mask, a sliding window and no mask. Per head: the reachable pattern set
/// (distinct offsets i − σ(i) seen; negative offsets are future keys, reachable only unmasked), margins, the
/// fraction of rows whose σ(i) differs from causal, and the loss (unmasked loss is leaky: the next token is visible).
/// </summary>
public sealed class MasksProtocol : IProtocol
{
    public const int Window = 4;
    public string Name => "masks";
    public string Description => "§15.5 causal vs window vs no mask: reachable pattern sets and margins";

    public static AttentionMask[] Masks { get; } = [AttentionMask.Causal, AttentionMask.Sliding(Window), AttentionMask.Unmasked];

    public ProtocolResult Run(ProtocolInput input)
    {
        input.Validate();
        var result = new ProtocolResult(Name);
        var focus = input.LayersInFocus.SelectMany(l => input.HeadsInFocus.Select(h => (l, h))).ToArray();
        var offsets = Masks.ToDictionary(m => m, _ => focus.ToDictionary(f => f, _ => new List<int>()));
        var margins = Masks.ToDictionary(m => m, _ => focus.ToDictionary(f => f, _ => new List<double>()));
        var changed = Masks.ToDictionary(m => m, _ => focus.ToDictionary(f => f, _ => 0));
        var loss = Masks.ToDictionary(m => m, _ => new List<double>());
        var rows = 0;
        for (var p = 0; p < input.Prompts.Count; p++)
        {
            input.Report($"masks: prompt {p + 1}/{input.Prompts.Count}");
            var runs = Masks.ToDictionary(m => m, m => input.Model.Run(input.Prompts[p], new ProbeOptions { Mask = m }));
            rows += runs[AttentionMask.Causal].Length;
            foreach (var m in Masks)
            {
                loss[m].AddRange(runs[m].TokenLosses());
                foreach (var f in focus)
                    for (var i = 0; i < runs[m].Length; i++)
                    {
                        var row = RowPattern.Of(runs[m], f.l, f.h, i);
                        offsets[m][f].Add(i - row.Argmax);
                        if (double.IsFinite(row.Margin)) margins[m][f].Add(row.Margin);
                        if (row.Argmax != RowPattern.Of(runs[AttentionMask.Causal], f.l, f.h, i).Argmax) changed[m][f]++;
                    }
            }
        }
        result.Report.AppendLine($"# Protocol 15.5: masks on {input.Model.Name}").AppendLine()
            .AppendLine($"Masks: causal, sliding window w = {Window} (keys i−{Window - 1}..i), none. {rows} rows per head. Unmasked rows may attend to future keys (negative offsets), so the unmasked loss is not a fair next-token loss; it is reported to show how far the trained model is from its training mask.").AppendLine()
            .AppendLine("| layer | head | mask | reachable offsets (count) | offset range | median margin | rows changed vs causal |").AppendLine("|---|---|---|---|---|---|---|");
        var entries = new JsonArray();
        foreach (var f in focus)
            foreach (var m in Masks)
            {
                var set = offsets[m][f].Distinct().OrderBy(x => x).ToArray();
                result.Report.AppendLine($"| {f.l} | {f.h} | {m} | {set.Length} | {set.First()}..{set.Last()} | {G(Stats.Median(margins[m][f]))} | {G(changed[m][f] / (double)rows)} |");
                entries.Add(new JsonObject
                {
                    ["layer"] = f.l, ["head"] = f.h, ["mask"] = m.ToString(), ["reachable_offsets"] = new JsonArray(set.Select(x => (JsonNode)x).ToArray()),
                    ["median_margin"] = Num(Stats.Median(margins[m][f])), ["changed_vs_causal"] = changed[m][f] / (double)rows,
                });
            }
        result.Summary["heads"] = entries;
        result.Summary["loss"] = new JsonObject(Masks.Select(m => KeyValuePair.Create(m.ToString(), (JsonNode?)JsonValue.Create(loss[m].Average()))));
        foreach (var m in Masks) result.Array($"offsets_{m}", focus.SelectMany(f => offsets[m][f].Select(x => (double)x)).ToArray(), focus.Length, rows);
        result.Report.AppendLine().AppendLine($"Mean loss: {string.Join(", ", Masks.Select(m => $"{m} {G(loss[m].Average())}"))}.").AppendLine();
        foreach (var l in input.LayersInFocus)
        {
            var samples = Masks.Select(m => (m.ToString(), focus.Where(f => f.l == l).SelectMany(f => margins[m][f]).ToArray())).ToList();
            result.Plot($"margins-layer{l}", Svg.Histogram($"Layer {l}: margins under each mask (heads pooled)", "margin", samples), $"layer {l} margins by mask");
        }
        return result;
    }
}
