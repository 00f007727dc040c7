using System.Text.Json.Nodes;
using Workbench.Protocols.Output;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Runs;
using static Workbench.Protocols.Protocols.MarginsProtocol;

namespace Workbench.Protocols.Protocols;

/// <summary>
/// §15.4: per layer, the joint pattern of all heads at a row (the tuple of offsets i − σ_h(i)), its most frequent
/// tuples and their error rates, and how far the joint distribution is from the product of the heads' marginals
/// (S §8's product picture): total correlation Σ_h H(σ_h) − H(σ_1..σ_H) and pairwise mutual information, in bits.
/// </summary>
public sealed class HeadsProtocol : IProtocol
{
    public const int TopTuples = 5;
    public string Name => "heads";
    public string Description => "§15.4 multi-head pattern tuples, their association with errors, and mutual information between heads";

    public sealed record LayerProfile(int Layer, double TotalCorrelation, double TotalCorrelationMillerMadow, double[,] PairwiseMi, int Rows, int DistinctTuples,
        IReadOnlyList<(string Tuple, int Count, double ErrorRate)> Top);

    public ProtocolResult Run(ProtocolInput input)
    {
        input.Validate();
        var s = input.Model.Shape;
        var result = new ProtocolResult(Name);
        var tuples = input.LayersInFocus.ToDictionary(l => l, _ => new List<int[]>());
        var errors = new List<bool>();
        for (var p = 0; p < input.Prompts.Count; p++)
        {
            input.Report($"heads: prompt {p + 1}/{input.Prompts.Count}");
            var run = input.Model.Run(input.Prompts[p], ProbeOptions.Default);
            for (var i = 1; i + 1 < run.Length; i++)
            {
                errors.Add(run.Predicted(i) != run.Tokens[i + 1]);
                foreach (var l in tuples.Keys) tuples[l].Add(Enumerable.Range(0, s.Heads).Select(h => i - RowPattern.Of(run, l, h, i).Argmax).ToArray());
            }
        }
        result.Report.AppendLine($"# Protocol 15.4: multi-head patterns on {input.Model.Name}").AppendLine()
            .AppendLine($"{errors.Count} rows; overall next-token error rate {G(errors.Count(e => e) / (double)Math.Max(1, errors.Count))}. A tuple lists each head's offset i − σ_h(i). Total correlation is KL(joint ‖ product of marginals): 0 when the product picture is exact. Plug-in estimates are biased upward at small samples; the Miller–Madow column subtracts the leading bias.").AppendLine();
        var layers = new JsonArray();
        foreach (var (l, rows) in tuples)
        {
            var profile = Profile(l, rows, errors);
            result.Report.AppendLine($"## Layer {l}").AppendLine()
                .AppendLine($"Total correlation {G(profile.TotalCorrelation)} bits (Miller–Madow {G(profile.TotalCorrelationMillerMadow)}); {profile.DistinctTuples} distinct tuples in {profile.Rows} rows.").AppendLine()
                .AppendLine("| tuple (offsets per head) | rows | error rate |").AppendLine("|---|---|---|");
            foreach (var t in profile.Top) result.Report.AppendLine($"| ({t.Tuple}) | {t.Count} | {G(t.ErrorRate)} |");
            result.Report.AppendLine();
            var H = s.Heads;
            var mi = new double[H * H];
            for (var a = 0; a < H; a++) for (var b = 0; b < H; b++) mi[a * H + b] = profile.PairwiseMi[a, b];
            result.Array($"pairwise_mi_layer{l}", mi, H, H);
            result.Array($"tuples_layer{l}", rows.SelectMany(r => r.Select(x => (double)x)).ToArray(), rows.Count, H);
            layers.Add(new JsonObject
            {
                ["layer"] = l, ["total_correlation_bits"] = profile.TotalCorrelation, ["total_correlation_miller_madow"] = profile.TotalCorrelationMillerMadow,
                ["distinct_tuples"] = profile.DistinctTuples, ["rows"] = profile.Rows,
                ["top"] = new JsonArray(profile.Top.Select(t => (JsonNode)new JsonObject { ["tuple"] = t.Tuple, ["count"] = t.Count, ["error_rate"] = t.ErrorRate }).ToArray()),
            });
        }
        result.Summary["layers"] = layers;
        var ls = tuples.Keys.Select(l => (double)l).ToArray();
        var profiles = tuples.Select(kv => Profile(kv.Key, kv.Value, errors)).ToArray();
        result.Plot("total-correlation", Svg.Lines("Distance of the joint head patterns from the product picture", "layer", "bits",
            [new("total correlation (plug-in)", ls, profiles.Select(p => p.TotalCorrelation).ToArray(), true), new("Miller–Madow", ls, profiles.Select(p => p.TotalCorrelationMillerMadow).ToArray(), true)]), "total correlation per layer");
        return result;
    }

    public static LayerProfile Profile(int layer, IReadOnlyList<int[]> rows, IReadOnlyList<bool> errors)
    {
        var n = rows.Count;
        var H = rows.Count == 0 ? 0 : rows[0].Length;
        var joint = rows.GroupBy(r => string.Join(",", r)).ToDictionary(g => g.Key, g => g.Count());
        double MillerMadow(double h, int bins) => h + (bins - 1) / (2.0 * n * Math.Log(2));
        var marginal = new double[H]; var marginalMm = new double[H];
        for (var h = 0; h < H; h++)
        {
            var counts = rows.GroupBy(r => r[h]).Select(g => g.Count()).ToArray();
            marginal[h] = Stats.Entropy(counts); marginalMm[h] = MillerMadow(marginal[h], counts.Length);
        }
        var hJoint = Stats.Entropy(joint.Values);
        var mi = new double[H, H];
        for (var a = 0; a < H; a++)
            for (var b = 0; b < H; b++)
            {
                var pair = Stats.Entropy(rows.GroupBy(r => (r[a], r[b])).Select(g => g.Count()));
                mi[a, b] = marginal[a] + marginal[b] - pair;
            }
        var top = rows.Select((r, i) => (Key: string.Join(",", r), Error: errors[i])).GroupBy(x => x.Key)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(TopTuples)
            .Select(g => (g.Key, g.Count(), g.Count(x => x.Error) / (double)g.Count())).ToList();
        return new LayerProfile(layer, marginal.Sum() - hJoint, marginalMm.Sum() - MillerMadow(hJoint, joint.Count), mi, n, joint.Count, top);
    }
}
