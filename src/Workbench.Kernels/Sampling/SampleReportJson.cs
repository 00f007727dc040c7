using System.Globalization;
using System.Text.Json.Nodes;

namespace Workbench.Kernels.Sampling;

/// <summary>
/// Reads back what <see cref="SampleReport.ToJson"/> wrote, for merging shards run on other machines. Every count
/// is an integer in the JSON, so the merge is exact.
/// </summary>
public static class SampleReportJson
{
    public sealed record ShardResult(SamplerConfig Config, ulong Seed, ulong RunSamples, Shard Shard, double Tau, double Seconds, SampleTally Tally);

    /// <summary>Parses one shard's JSON; throws <see cref="SamplerInputException"/> naming the field on anything malformed.</summary>
    public static ShardResult Parse(JsonNode? node)
    {
        if (node is not JsonObject o) throw new SamplerInputException("json", "expected an object written by `workbench sample --json`");
        var config = o["config"] as JsonObject ?? throw new SamplerInputException("config", "missing");
        if ((string?)config["distribution"] != "gaussian") throw new SamplerInputException("config.distribution", "only gaussian runs are merged from JSON");
        var mask = SamplerMask.Parse(Str(config, "mask"), out var problem) ?? throw new SamplerInputException("config.mask", problem!);
        var nearTies = o["near_tie_fractions"] as JsonArray ?? throw new SamplerInputException("near_tie_fractions", "missing");
        var cfg = new SamplerConfig
        {
            Tokens = Int(config, "tokens"), HeadDim = Int(config, "head_dim"), Heads = Int(config, "heads"), Mask = mask,
            Epsilons = nearTies.Select(e => Dbl(e as JsonObject, "epsilon")).ToArray(),
        };
        cfg.Validate();
        var shard = o["shard"] as JsonObject ?? throw new SamplerInputException("shard", "missing");
        var tally = new SampleTally(cfg.Epsilons.Length);
        var histogram = o["histogram"] as JsonObject ?? throw new SamplerInputException("histogram", "missing");
        foreach (var (key, value) in histogram)
        {
            if (!ulong.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var code)) throw new SamplerInputException("histogram", $"'{key}' is not a pattern code");
            tally.AddPatternCount(code, Long(value, "histogram." + key));
        }
        tally.AddExactTies(Long(o["exact_ties"], "exact_ties"));
        for (var e = 0; e < nearTies.Count; e++) tally.NearTies[e] = Long(nearTies[e]?["count"], "near_tie_fractions.count");
        foreach (var bin in o["margin_histogram"] as JsonArray ?? throw new SamplerInputException("margin_histogram", "missing"))
        {
            var low = bin?["low"];
            var lowValue = low is JsonValue v && v.TryGetValue<double>(out var d) ? d : throw new SamplerInputException("margin_histogram.low", "not a number");
            tally.MarginBins[SampleTally.MarginBin((float)lowValue)] += Long(bin?["count"], "margin_histogram.count");
        }
        var samples = Long(o["samples"], "samples");
        if (samples != tally.Samples) throw new SamplerInputException("histogram", $"counts sum to {tally.Samples}, but samples says {samples}");
        var jac = o["jacobian"] as JsonObject ?? throw new SamplerInputException("jacobian", "missing");
        return new ShardResult(cfg, ULong(o, "seed"), ULong(shard, "run_samples"),
            new Shard(Int(shard, "index"), ULong(shard, "first"), ULong(shard, "count")), Dbl(jac, "tau"),
            o["seconds"] is JsonValue sv && sv.TryGetValue<double>(out var secs) ? secs : 0, tally);
    }

    private static string Str(JsonObject o, string k) => (string?)o[k] ?? throw new SamplerInputException(k, "missing");
    private static int Int(JsonObject o, string k) => o[k] is JsonValue v && v.TryGetValue<int>(out var x) ? x : throw new SamplerInputException(k, "missing or not an integer");
    private static double Dbl(JsonObject? o, string k) => o?[k] is JsonValue v && v.TryGetValue<double>(out var x) ? x : throw new SamplerInputException(k, "missing or not a number");
    private static long Long(JsonNode? n, string k) => n is JsonValue v && v.TryGetValue<long>(out var x) && x >= 0 ? x : throw new SamplerInputException(k, "missing or not a non-negative integer");
    private static ulong ULong(JsonObject o, string k) => ulong.TryParse((string?)o[k], NumberStyles.None, CultureInfo.InvariantCulture, out var x) ? x : throw new SamplerInputException(k, "missing or not an unsigned integer string");
}
