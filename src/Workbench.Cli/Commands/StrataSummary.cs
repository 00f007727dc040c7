using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Workbench.Attention;
using Workbench.Attention.Io;

namespace Workbench.Cli.Commands;

/// <summary>
/// What summary.json (and `--json`) reports for a strata run: shapes, the per-head pattern histogram π(σ), tie
/// counts and margin statistics. Margins of rows with a single admissible key are +∞; they are counted in
/// single_key_rows and left out of min/median, which are null when no row has a finite margin (JSON has no ∞).
/// </summary>
public sealed class StrataSummary
{
    public const string FileName = "summary.json";

    /// <summary>Pattern codes and patterns are spelled out in the histogram only up to this n (beyond, see pattern.npy).</summary>
    public const int SpelledOutPatternLimit = 64;
    public const int HistogramTop = 10;

    public required string Q { get; init; }
    public required string K { get; init; }
    public string? V { get; init; }
    public required long[] Shape { get; init; }
    public required string InputDType { get; init; }
    public required HeadShape Heads { get; init; }
    public required string Mask { get; init; }
    public required double Tau { get; init; }
    public required double Epsilon { get; init; }
    public required string Precision { get; init; }
    public required long Rows { get; init; }
    public required long ExactTies { get; init; }
    public required long NearTies { get; init; }
    public required long SingleKeyRows { get; init; }
    public double? MinMargin { get; init; }
    public double? MedianMargin { get; init; }
    public required int DistinctPatterns { get; init; }
    public required IReadOnlyList<HistogramEntry> Histogram { get; init; }
    public HardLimitCheck? HardLimit { get; init; }
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>One pattern shared by <see cref="Count"/> heads; <see cref="FirstHead"/> is (b, h) of the first.</summary>
    public sealed record HistogramEntry(long Count, int FirstBatch, int FirstHead, BigInteger? Code, int[]? Pattern);

    public static StrataSummary From(StrataRequest request, NpyArray q, AttentionMask mask, string precision,
        StrataResult result, HardLimitCheck? hardLimit, IReadOnlyList<string> files)
    {
        var s = result.Shape;
        var finite = result.Margin.Where(double.IsFinite).ToArray();
        Array.Sort(finite);
        double? median = finite.Length == 0 ? null
            : finite.Length % 2 == 1 ? finite[finite.Length / 2] : (finite[finite.Length / 2 - 1] + finite[finite.Length / 2]) / 2;
        var groups = GroupHeads(result);
        return new StrataSummary
        {
            Q = request.Q, K = request.K, V = request.V, Shape = q.Shape, InputDType = q.DType.ToString().ToLowerInvariant(),
            Heads = s, Mask = mask.Spec, Tau = request.Tau, Epsilon = request.Epsilon, Precision = precision,
            Rows = result.Margin.LongLength,
            ExactTies = result.ExactTies,
            NearTies = result.NearTies(request.Epsilon),
            SingleKeyRows = result.Margin.LongLength - finite.Length,
            MinMargin = finite.Length == 0 ? null : finite[0],
            MedianMargin = median,
            DistinctPatterns = groups.Count,
            Histogram = groups.OrderByDescending(g => g.Count).ThenBy(g => g.First).Take(HistogramTop).Select(g =>
            {
                bool spell = s.N <= SpelledOutPatternLimit;
                var sigma = result.Pattern.AsSpan(g.First * s.N, s.N);
                return new HistogramEntry(g.Count, g.First / s.Heads, g.First % s.Heads,
                    spell ? PatternCode.Encode(sigma, s.N) : null, spell ? sigma.ToArray() : null);
            }).ToList(),
            HardLimit = hardLimit,
            Files = files,
        };
    }

    /// <summary>Heads grouped by identical pattern, by content hash then exact comparison (no n-digit codes for large n).</summary>
    private static List<(int First, long Count)> GroupHeads(StrataResult result)
    {
        int n = result.Shape.N;
        var groups = new List<(int First, long Count)>();
        var byHash = new Dictionary<int, List<int>>();
        for (int head = 0; head < result.Shape.HeadCount; head++)
        {
            var sigma = result.Pattern.AsSpan(head * n, n);
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sigma));
            int h = hash.ToHashCode();
            if (!byHash.TryGetValue(h, out var candidates)) byHash[h] = candidates = [];
            int match = -1;
            foreach (var g in candidates)
                if (result.Pattern.AsSpan(groups[g].First * n, n).SequenceEqual(sigma)) { match = g; break; }
            if (match >= 0) groups[match] = (groups[match].First, groups[match].Count + 1);
            else { candidates.Add(groups.Count); groups.Add((head, 1)); }
        }
        return groups;
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("q", Q);
            w.WriteString("k", K);
            if (V is null) w.WriteNull("v"); else w.WriteString("v", V);
            WriteArray(w, "shape", Shape);
            w.WriteString("dtype", InputDType);
            w.WriteNumber("batch", Heads.Batch);
            w.WriteNumber("heads", Heads.Heads);
            w.WriteNumber("n", Heads.N);
            w.WriteNumber("d", Heads.D);
            w.WriteString("mask", Mask);
            w.WriteNumber("tau", Tau);
            w.WriteNumber("epsilon", Epsilon);
            w.WriteString("precision", Precision);
            w.WriteNumber("rows", Rows);
            w.WriteNumber("exact_ties", ExactTies);
            w.WriteNumber("near_ties", NearTies);
            w.WriteNumber("single_key_rows", SingleKeyRows);
            w.WriteStartObject("margin");
            WriteNullable(w, "min", MinMargin);
            WriteNullable(w, "median", MedianMargin);
            w.WriteEndObject();
            w.WriteStartObject("pattern_histogram");
            w.WriteNumber("heads", Heads.HeadCount);
            w.WriteNumber("distinct", DistinctPatterns);
            w.WriteStartArray("top");
            foreach (var e in Histogram)
            {
                w.WriteStartObject();
                w.WriteNumber("count", e.Count);
                w.WriteStartArray("first_head");
                w.WriteNumberValue(e.FirstBatch);
                w.WriteNumberValue(e.FirstHead);
                w.WriteEndArray();
                if (e.Code is { } code) w.WriteString("code", code.ToString(CultureInfo.InvariantCulture));
                if (e.Pattern is { } p) WriteArray(w, "pattern", p.Select(x => (long)x).ToArray());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            if (HardLimit is { } h)
            {
                w.WriteStartObject("hard_limit");
                w.WriteNumber("tau", h.Tau);
                w.WriteNumber("max_deviation", h.MaxDeviation);
                w.WriteNumber("max_bound", h.MaxBound);
                w.WriteNumber("max_deviation_over_bound", h.MaxRatio);
                w.WriteNumber("violations", h.Violations);
                w.WriteEndObject();
            }
            w.WriteStartArray("files");
            foreach (var f in Files) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public void WriteText(TextWriter o)
    {
        string G(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
        o.WriteLine($"strata of {NpyArray.Format(Shape)} ({InputDType}, {Precision} path), mask {Mask}: {Rows} rows in {Heads.HeadCount} heads");
        o.WriteLine($"  ties: {ExactTies} exact, {NearTies} with margin ≤ {G(Epsilon)}; {SingleKeyRows} rows with a single admissible key");
        o.WriteLine(MinMargin is { } min ? $"  margin: min {G(min)}, median {G(MedianMargin!.Value)}" : "  margin: every row has a single admissible key (+∞)");
        o.WriteLine($"  patterns: {DistinctPatterns} distinct among {Heads.HeadCount} heads; most frequent shared by {Histogram[0].Count}");
        if (HardLimit is { } h)
            o.WriteLine($"  hard limit at τ = {G(h.Tau)}: max ‖Y_i − V_σ(i)‖ = {G(h.MaxDeviation)}, max bound {G(h.MaxBound)}, " +
                        $"worst deviation/bound {G(h.MaxRatio)}, {h.Violations} violations");
        o.WriteLine($"  wrote {string.Join(", ", Files)}");
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IEnumerable<long> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }
}
