using System.Text.Json;
using Workbench.Attention;
using Workbench.Attention.Io;
using Workbench.Cli.Infrastructure;
using static Workbench.Cli.Tests.Cli;

namespace Workbench.Cli.Tests;

public sealed class StrataCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("wb-strata-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string P(string name) => Path.Combine(dir, name);

    private static double[] Normal(int count, int seed)
    {
        var rng = new Random(seed);
        var x = new double[count];
        for (int t = 0; t < count; t++) x[t] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return x;
    }

    private string Save(string name, Array data, params long[] shape)
    {
        Npy.Write(P(name), data, shape);
        return P(name);
    }

    [Fact]
    public void Float32_batch_writes_patterns_and_margins_that_match_the_float64_reference()
    {
        var shape = new HeadShape(2, 3, 40, 8);
        var q = Array.ConvertAll(Normal((int)shape.Elements, 1), x => (float)x);
        var k = Array.ConvertAll(Normal((int)shape.Elements, 2), x => (float)x);
        var (code, stdout, stderr) = Run("strata", "--q", Save("q.npy", q, 2, 3, 40, 8), "--k", Save("k.npy", k, 2, 3, 40, 8),
            "--mask", "causal", "--out", P("out"));
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("float32 path", stdout);

        var pattern = Npy.Read(P("out/pattern.npy"));
        var margin = Npy.Read(P("out/margin.npy"));
        Assert.Equal(NpyDType.Int32, pattern.DType);
        Assert.Equal(new long[] { 2, 3, 40 }, pattern.Shape);
        Assert.Equal(new long[] { 2, 3, 40 }, margin.Shape);
        var reference = StrataReference.Compute(Array.ConvertAll(q, x => (double)x), Array.ConvertAll(k, x => (double)x), shape, AttentionMask.Causal);
        var p = (int[])pattern.Data;
        var m = (double[])margin.Data;
        for (int t = 0; t < p.Length; t++)
        {
            if (t % 40 == 0) { Assert.Equal(double.PositiveInfinity, m[t]); Assert.Equal(0, p[t]); continue; } // causal row 0 has one key
            if (reference.Margin[t] > 1e-4) Assert.Equal(reference.Pattern[t], p[t]);
            Assert.Equal(reference.Margin[t], m[t], 1e-4);
        }

        using var summary = JsonDocument.Parse(File.ReadAllText(P("out/summary.json")));
        var root = summary.RootElement;
        Assert.Equal(240, root.GetProperty("rows").GetInt64());
        Assert.Equal(6, root.GetProperty("single_key_rows").GetInt64());
        Assert.Equal("causal", root.GetProperty("mask").GetString());
        Assert.Equal("float32", root.GetProperty("precision").GetString());
        var finite = reference.Margin.Where(double.IsFinite).ToArray();
        Assert.Equal(finite.Min(), root.GetProperty("margin").GetProperty("min").GetDouble(), 1e-4);
        var histogram = root.GetProperty("pattern_histogram");
        Assert.Equal(6, histogram.GetProperty("heads").GetInt32());
        Assert.Equal(6, histogram.GetProperty("top").EnumerateArray().Sum(e => e.GetProperty("count").GetInt64()));
        var first = histogram.GetProperty("top")[0];
        var decoded = PatternCode.Decode(System.Numerics.BigInteger.Parse(first.GetProperty("code").GetString()!), 40);
        Assert.Equal(first.GetProperty("pattern").EnumerateArray().Select(x => x.GetInt32()), decoded);
        Assert.False(File.Exists(P("out/attn.npy")));
    }

    [Fact]
    public void Exact_ties_are_counted_and_resolved_to_the_lowest_index()
    {
        // Keys 1 and 3 are equal and the query points at them: every row ties between 1 and 3 exactly.
        double[] k = [0, 0, 1, 0, 0, 1, 1, 0, -1, -1];
        double[] q = [1, 0, 2, 0, 3, 0, 1, 0, 0, -1];
        var (code, stdout, _) = Run("strata", "--q", Save("q.npy", q, 5, 2), "--k", Save("k.npy", k, 5, 2), "--out", P("o"), "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(4, json.RootElement.GetProperty("exact_ties").GetInt64()); // rows 0-3 tie between keys 1 and 3
        Assert.Equal(new[] { 1, 1, 1, 1, 4 }, (int[])Npy.Read(P("o/pattern.npy")).Data);
        Assert.Equal("float64", json.RootElement.GetProperty("precision").GetString());
        Assert.Equal(File.ReadAllText(P("o/summary.json")).Trim(), stdout.Trim());
    }

    [Fact]
    public void Attention_and_values_give_row_stochastic_masked_weights_and_the_hard_limit_bound()
    {
        var q = Normal(12 * 3, 5);
        var k = Normal(12 * 3, 6);
        var v = Normal(12 * 2, 7);
        var (code, stdout, stderr) = Run("strata", "--q", Save("q.npy", q, 12, 3), "--k", Save("k.npy", k, 12, 3),
            "--v", Save("v.npy", v, 12, 2), "--mask", "window:1", "--tau", "0.25", "--attn", "--out", P("o"), "--json");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var a = (double[])Npy.Read(P("o/attn.npy")).Data;
        Assert.Equal(144, a.Length);
        for (int i = 0; i < 12; i++)
        {
            double sum = 0;
            for (int j = 0; j < 12; j++)
            {
                if (Math.Abs(i - j) > 1) Assert.Equal(0.0, a[i * 12 + j]); // masked: exactly zero
                sum += a[i * 12 + j];
            }
            Assert.Equal(1.0, sum, 1e-12);
        }
        var y = Npy.Read(P("o/output.npy"));
        Assert.Equal(new long[] { 12, 2 }, y.Shape);
        using var json = JsonDocument.Parse(stdout);
        var hard = json.RootElement.GetProperty("hard_limit");
        Assert.Equal(0, hard.GetProperty("violations").GetInt64());
        double ratio = hard.GetProperty("max_deviation_over_bound").GetDouble();
        // Rows 0 and 11 have two admissible keys, where the bound is an equality: it is attained, not just respected.
        Assert.InRange(ratio, 1 - 1e-9, 1 + 1e-9);
    }

    [Fact]
    public void Single_head_shapes_and_three_dimensional_shapes_are_accepted()
    {
        var q = Normal(2 * 7 * 4, 8);
        var (code, _, _) = Run("strata", "--q", Save("q.npy", q, 2, 7, 4), "--k", Save("k.npy", Normal(56, 9), 2, 7, 4), "--out", P("o"));
        Assert.Equal(0, code);
        Assert.Equal(new long[] { 2, 7 }, Npy.Read(P("o/pattern.npy")).Shape);
    }

    [Fact]
    public void Missing_file_is_refused_naming_it()
    {
        var (code, _, err) = Run("strata", "--q", P("absent.npy"), "--k", P("absent.npy"), "--out", P("o"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal($"workbench: {P("absent.npy")}: no such file", err.Trim());
        Assert.False(Directory.Exists(P("o")));
    }

    [Fact]
    public void Mismatched_shapes_are_refused_naming_the_keys()
    {
        var (code, _, err) = Run("strata", "--q", Save("q.npy", Normal(12, 1), 3, 4), "--k", Save("k.npy", Normal(15, 1), 3, 5), "--out", P("o"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith($"workbench: {P("k.npy")}: has shape [3,5] but Q has [3,4]", err);
        Assert.False(Directory.Exists(P("o")));
    }

    [Fact]
    public void NaN_in_the_queries_is_refused_naming_the_file_and_row()
    {
        var q = Normal(12, 1);
        q[9] = double.NaN;
        var (code, _, err) = Run("strata", "--q", Save("q.npy", q, 3, 4), "--k", Save("k.npy", Normal(12, 2), 3, 4), "--out", P("o"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal($"workbench: {P("q.npy")}: entry 9 (row 2) is NaN; inputs must be finite", err.Trim());
        Assert.False(Directory.Exists(P("o")));
    }

    [Theory]
    [InlineData("window:-1", "window:-1: the window half-width W must be ≥ 0")]
    [InlineData("window:x", "window:x: window:W needs an integer W")]
    [InlineData("diagonal", "diagonal: unknown mask (use none, causal or window:W)")]
    public void Bad_masks_are_refused(string mask, string message)
    {
        var (code, _, err) = Run("strata", "--q", Save("q.npy", Normal(12, 1), 3, 4), "--k", Save("k.npy", Normal(12, 2), 3, 4), "--mask", mask, "--out", P("o"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal($"workbench: {message}", err.Trim());
    }

    [Fact]
    public void Fully_masked_rows_are_refused_naming_the_row()
    {
        var q = Save("q.npy", Normal(12, 1), 3, 4);
        var k = Save("k.npy", Normal(12, 2), 3, 4);
        var (code, _, err) = Run("strata", "--q", q, "--k", k, "--mask", "padding:" + Save("pad.npy", new int[] { 0, 0, 0 }, 3), "--out", P("o"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("workbench: row 0: every key is masked, so the softmax of this row is undefined", err.Trim());

        (code, _, err) = Run("strata", "--q", q, "--k", k, "--mask", "mask:" + Save("m.npy", new int[] { 1, 0, 0, 1, 1, 0, 0, 0, 0 }, 3, 3), "--out", P("o"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("workbench: row 2: every key is masked, so the softmax of this row is undefined", err.Trim());

        (code, _, _) = Run("strata", "--q", q, "--k", k, "--mask", "mask:" + Save("m.npy", new int[] { 1, 0, 0, 1, 1, 0, 0, 0, 1 }, 3, 3), "--out", P("o"));
        Assert.Equal(0, code);
        Assert.Equal(0, ((int[])Npy.Read(P("o/pattern.npy")).Data)[0]);
    }

    [Fact]
    public void Malformed_npy_and_bad_parameters_are_refused()
    {
        var good = Save("q.npy", Normal(12, 1), 3, 4);
        File.WriteAllBytes(P("bad.npy"), [1, 2, 3]);
        var (code, _, err) = Run("strata", "--q", good, "--k", P("bad.npy"), "--out", P("o"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("bad.npy: not a .npy file", err);

        (code, _, err) = Run("strata", "--q", good, "--k", good, "--tau", "0", "--out", P("o"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("temperature", err);

        (code, _, err) = Run("strata", "--q", good, "--k", good, "--v", Save("v.npy", Normal(8, 1), 4, 2), "--out", P("o"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith($"workbench: {P("v.npy")}: has shape [4,2]", err);

        (code, _, err) = Run("strata", "--q", Save("flat.npy", Normal(12, 1), 12), "--k", good, "--out", P("o"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("expected shape [n,d], [H,n,d] or [B,H,n,d]", err);

        (code, _, err) = Run("strata", "--q", good, "--out", P("o"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--k", err);
        Assert.False(Directory.Exists(P("o")));
    }
}
