using System.Globalization;
using System.Text.Json.Nodes;

namespace Workbench.Kernels.Sampling;

/// <summary>π(σ) for one pattern with its 95% Wilson interval.</summary>
public sealed record PatternVolume(ulong Code, int[][] Sigma, long Count, double Fraction, double Low, double High);

/// <summary>A run's summary: the tally plus everything derived from it, and its JSON form.</summary>
public sealed record SampleReport(
    SamplerConfig Config, string Backend, string Device, string KernelOrigin, ulong Seed, ulong Samples, Shard Shard,
    double Seconds, SampleTally Tally, double Tau, JacobianSummary Jacobian)
{
    public static readonly double[] Quantiles = [0.001, 0.01, 0.1, 0.5, 0.9];

    public double SamplesPerSecond => Seconds > 0 ? Tally.Samples / Seconds : double.NaN;

    /// <summary>
    /// How many patterns the JSON lists with σ and a Wilson interval. The histogram always holds every pattern (it
    /// is what shards merge from); the listing is for reading, and at n = 16 a run can see millions of patterns,
    /// which listed in full made the JSON tree outgrow memory.
    /// </summary>
    public const int JsonPatternLimit = 1000;

    /// <summary>The <paramref name="limit"/> largest patterns by decreasing count (ties by code), each with π̂ and its Wilson interval.</summary>
    public IReadOnlyList<PatternVolume> Volumes(int limit = int.MaxValue) =>
        Tally.Patterns.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(limit)
            .Select(p =>
            {
                var (lo, hi) = Wilson.Interval(p.Value, Tally.Samples);
                var sigma = Enumerable.Range(0, Config.Heads).Select(h => ReferenceSampler.Decode(p.Key, h, Config)).ToArray();
                return new PatternVolume(p.Key, sigma, p.Value, (double)p.Value / Tally.Samples, lo, hi);
            }).ToList();

    public JsonObject ToJson(bool includeTiming = true)
    {
        var c = Config;
        var inv = CultureInfo.InvariantCulture;
        var histogram = new JsonObject();
        foreach (var (code, count) in Tally.Patterns.OrderBy(p => p.Key)) histogram[code.ToString(inv)] = count;
        var volumes = new JsonArray();
        foreach (var v in Volumes(JsonPatternLimit))
            volumes.Add(new JsonObject
            {
                ["code"] = v.Code.ToString(inv),
                ["sigma"] = new JsonArray(v.Sigma.Select(s => (JsonNode)new JsonArray(s.Select(x => (JsonNode)x).ToArray())).ToArray()),
                ["count"] = v.Count, ["fraction"] = v.Fraction, ["wilson95"] = new JsonArray(v.Low, v.High),
            });
        var quantiles = new JsonObject();
        foreach (var q in Quantiles)
        {
            var (lo, hi) = Tally.MarginQuantile(q);
            quantiles[q.ToString(inv)] = new JsonArray(Num(lo), Num(hi));
        }
        var nearTies = new JsonArray();
        for (var e = 0; e < c.Epsilons.Length; e++)
        {
            var (lo, hi) = Wilson.Interval(Tally.NearTies[e], Tally.Samples);
            nearTies.Add(new JsonObject
            {
                ["epsilon"] = c.Epsilons[e], ["count"] = Tally.NearTies[e],
                ["fraction"] = (double)Tally.NearTies[e] / Tally.Samples, ["wilson95"] = new JsonArray(lo, hi),
            });
        }
        var o = new JsonObject
        {
            ["config"] = new JsonObject
            {
                ["tokens"] = c.Tokens, ["head_dim"] = c.HeadDim, ["heads"] = c.Heads, ["mask"] = c.Mask.ToString(),
                ["distribution"] = c.Distribution.ToString(), ["score_scale"] = c.ScoreScale,
            },
            ["backend"] = Backend,
            ["device"] = Device,
            ["kernel"] = KernelOrigin,
            ["seed"] = Seed.ToString(inv),
            ["samples"] = Tally.Samples,
            ["shard"] = new JsonObject { ["index"] = Shard.Index, ["first"] = Shard.First.ToString(inv), ["count"] = Shard.Count.ToString(inv), ["run_samples"] = Samples.ToString(inv) },
        };
        if (includeTiming) { o["seconds"] = Seconds; o["samples_per_second"] = SamplesPerSecond; }
        o["histogram"] = histogram;
        o["patterns_total"] = Tally.Patterns.Count;
        o["patterns"] = volumes;
        o["exact_ties"] = Tally.ExactTies;
        o["margin_quantiles"] = quantiles;
        o["margin_histogram"] = MarginHistogramJson();
        o["near_tie_fractions"] = nearTies;
        o["jacobian"] = new JsonObject
        {
            ["tau"] = Tau, ["subsample"] = Jacobian.Samples, ["mean"] = Num(Jacobian.Mean), ["median"] = Num(Jacobian.Median),
            ["max"] = Num(Jacobian.Max), ["bound"] = Jacobian.Bound,
        };
        return o;
    }

    private JsonArray MarginHistogramJson()
    {
        var a = new JsonArray();
        for (var b = 0; b < SampleTally.MarginBinCount; b++)
        {
            if (Tally.MarginBins[b] == 0) continue;
            var hi = b + 1 < SampleTally.MarginBinCount ? SampleTally.MarginBinLow(b + 1) : double.PositiveInfinity;
            a.Add(new JsonObject { ["low"] = Num(SampleTally.MarginBinLow(b)), ["high"] = Num(hi), ["count"] = Tally.MarginBins[b] });
        }
        return a;
    }

    /// <summary>JSON has no infinity: unbounded edges (single-key rows) are written as the string "inf".</summary>
    private static JsonNode? Num(double x) => double.IsFinite(x) ? JsonValue.Create(x) : JsonValue.Create(x > 0 ? "inf" : double.IsNaN(x) ? "nan" : "-inf");
}
