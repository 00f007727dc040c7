using System.Text.Json.Nodes;
using Workbench.Cli.Infrastructure;
using static Workbench.Cli.Tests.Cli;

namespace Workbench.Cli.Tests;

public class SampleCommandTests
{

    [Fact]
    public void Json_has_the_documented_fields_and_counts_add_up()
    {
        var (code, stdout, stderr) = Run("sample", "--tokens", "3", "--head-dim", "2", "--samples", "5e4", "--seed", "7", "--backend", "cpu", "--json");
        Assert.True(code == 0, stderr);
        var j = JsonNode.Parse(stdout)!.AsObject();
        foreach (var field in new[] { "config", "backend", "samples", "seconds", "samples_per_second", "histogram", "margin_quantiles", "near_tie_fractions", "exact_ties", "jacobian", "patterns" })
            Assert.True(j.ContainsKey(field), $"missing {field}");
        Assert.Equal(50_000, (long)j["samples"]!);
        Assert.Equal(50_000, j["histogram"]!.AsObject().Sum(p => (long)p.Value!));
        Assert.Equal("cpu", (string)j["backend"]!);
        // Three tokens unmasked: at most 27 codes, each below 3^3.
        Assert.All(j["histogram"]!.AsObject(), p => Assert.InRange(ulong.Parse(p.Key), 0UL, 26UL));
    }

    [Fact]
    public void Same_seed_same_histogram_different_seed_different_histogram()
    {
        string H(string seed) => JsonNode.Parse(Run("sample", "--tokens", "4", "--head-dim", "3", "--samples", "20000", "--seed", seed, "--backend", "cpu", "--json").Out)!["histogram"]!.ToJsonString();
        Assert.Equal(H("0x10"), H("16"));
        Assert.NotEqual(H("16"), H("17"));
    }

    [Fact]
    public void Merged_shards_equal_the_unsharded_run()
    {
        var dir = Directory.CreateTempSubdirectory("wb-sample-");
        try
        {
            string[] Args(params string[] extra) => ["sample", "--tokens", "4", "--head-dim", "2", "--mask", "causal", "--samples", "30001", "--seed", "3", "--backend", "cpu", "--json", .. extra];
            var whole = JsonNode.Parse(Run(Args()).Out)!.AsObject();
            var paths = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var path = Path.Combine(dir.FullName, $"shard{i}.json");
                var r = Run(Args("--shard", $"{i}/3"));
                Assert.Equal(0, r.Code);
                File.WriteAllText(path, r.Out);
                paths.Add(path);
            }
            var merged = Run(["sample-merge", .. paths, "--json"]);
            Assert.True(merged.Code == 0, merged.Err);
            var m = JsonNode.Parse(merged.Out)!.AsObject();
            foreach (var field in new[] { "samples", "histogram", "exact_ties", "margin_histogram", "margin_quantiles", "near_tie_fractions", "jacobian", "patterns" })
                Assert.True(JsonNode.DeepEquals(whole[field], m[field]), $"{field} differs after merging");
            // Two shards of three do not tile the run: refused.
            var partial = Run(["sample-merge", paths[0], paths[2]]);
            Assert.Equal(ExitCodes.BadInput, partial.Code);
            Assert.Contains("do not tile", partial.Err);
        }
        finally { dir.Delete(true); }
    }

    [Theory]
    [InlineData("--samples", "0", "--samples")]
    [InlineData("--samples", "1e19", "exceeds 2^63")]
    [InlineData("--samples", "9223372036854775809", "exceeds 2^63")]
    [InlineData("--samples", "lots", "not a number")]
    [InlineData("--samples", "2.5", "whole number")]
    [InlineData("--seed", "-1", "--seed")]
    [InlineData("--seed", "0xZZ", "--seed")]
    [InlineData("--tokens", "17", "--tokens")]
    [InlineData("--tokens", "0", "--tokens")]
    [InlineData("--head-dim", "100000", "--head-dim")]
    [InlineData("--mask", "diagonal", "--mask")]
    [InlineData("--backend", "tpu", "unknown backend")]
    [InlineData("--epsilon", "0", "--epsilon")]
    [InlineData("--tau", "0", "--tau")]
    [InlineData("--shard", "3/3", "--shard")]
    public void Bad_input_is_refused_with_one_line_and_nothing_on_stdout(string option, string value, string expected)
    {
        var args = new List<string> { "sample", "--tokens", "3", "--head-dim", "2", "--samples", "100", "--backend", "cpu" };
        var at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else { args.Add(option); args.Add(value); }
        var (code, stdout, stderr) = Run([.. args]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("workbench: ", stderr);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void A_missing_backend_is_unavailable_with_its_reason()
    {
        var why = Workbench.Kernels.Backends.CudaBackend.Unavailable();
        if (why is null) return; // this machine has a GPU: nothing to refuse
        var (code, stdout, stderr) = Run("sample", "--tokens", "3", "--head-dim", "2", "--samples", "100", "--backend", "cuda");
        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.Equal("", stdout);
        Assert.Equal($"workbench: --backend cuda: {why}", stderr.Trim());
    }

    [Fact]
    public void Text_output_names_the_kernel_and_the_top_patterns()
    {
        var (code, stdout, _) = Run("sample", "--tokens", "2", "--head-dim", "4", "--samples", "1000", "--backend", "cpu");
        Assert.Equal(0, code);
        Assert.Contains("kernel:", stdout);
        Assert.Contains("σ = (", stdout);
        Assert.Contains("exact float32 ties", stdout);
    }

    [Fact]
    public void Emit_kernel_prints_the_source_the_backend_builds_and_refuses_unknown_dialects()
    {
        var (code, stdout, stderr) = Run("sample", "--tokens", "4", "--head-dim", "8", "--mask", "causal", "--emit-kernel", "cuda");
        Assert.True(code == 0, stderr);
        Assert.Contains("extern \"C\" __global__ void wb_sample(", stdout);
        Assert.Contains("__fdiv_rn(", stdout);
        Assert.DoesNotContain("logf", stdout);
        var cl = Run("sample", "--tokens", "4", "--head-dim", "8", "--emit-kernel", "OpenCL");
        Assert.Equal(0, cl.Code);
        Assert.StartsWith("// Generated", cl.Out);
        Assert.Contains("#pragma OPENCL FP_CONTRACT OFF", cl.Out);
        var bad = Run("sample", "--tokens", "4", "--head-dim", "8", "--emit-kernel", "metal");
        Assert.Equal(ExitCodes.BadInput, bad.Code);
        Assert.Equal("", bad.Out);
        Assert.Contains("--emit-kernel", bad.Err);
    }

    [Fact]
    public void Projected_law_with_zero_query_weights_ties_every_row_on_key_zero()
    {
        // W_Q = 0 makes every score 0: every row is an exact tie, which the lowest-index rule sends to key 0.
        var dir = Directory.CreateTempSubdirectory("wb-sample-w");
        try
        {
            string wq = Path.Combine(dir.FullName, "wq.npy"), wk = Path.Combine(dir.FullName, "wk.npy");
            Workbench.Attention.Io.Npy.Write(wq, new float[2 * 3 * 4], 2, 3, 4);
            Workbench.Attention.Io.Npy.Write(wk, Enumerable.Range(0, 24).Select(i => Math.Sin(i + 1.0)).ToArray(), 2, 3, 4);
            var (code, stdout, stderr) = Run("sample", "--tokens", "3", "--head-dim", "4", "--heads", "2", "--wq", wq, "--wk", wk,
                "--samples", "3000", "--backend", "cpu", "--json");
            Assert.True(code == 0, stderr);
            var j = JsonNode.Parse(stdout)!.AsObject();
            var histogram = j["histogram"]!.AsObject();
            Assert.Single(histogram);
            Assert.Equal("0", histogram.Single().Key);
            Assert.Contains("d_model = 3", j["config"]!.ToJsonString());

            // A non-zero W_Q spreads the samples over many patterns.
            Workbench.Attention.Io.Npy.Write(wq, Enumerable.Range(0, 24).Select(i => Math.Cos(3.0 * i)).ToArray(), 2, 3, 4);
            var spread = JsonNode.Parse(Run("sample", "--tokens", "3", "--head-dim", "4", "--heads", "2", "--wq", wq, "--wk", wk,
                "--samples", "3000", "--backend", "cpu", "--json").Out)!["histogram"]!.AsObject();
            Assert.True(spread.Count > 10, $"{spread.Count} patterns");
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Bad_weights_are_refused_naming_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("wb-sample-w");
        try
        {
            string P(string name) => Path.Combine(dir.FullName, name);
            Workbench.Attention.Io.Npy.Write(P("wq.npy"), new float[3 * 4], 3, 4);
            Workbench.Attention.Io.Npy.Write(P("wk5.npy"), new float[5 * 4], 5, 4);
            Workbench.Attention.Io.Npy.Write(P("nan.npy"), Enumerable.Repeat(double.NaN, 12).ToArray(), 3, 4);
            Workbench.Attention.Io.Npy.Write(P("int.npy"), new int[12], 3, 4);
            File.WriteAllText(P("junk.npy"), "not numpy");
            foreach (var (wq, wk, expected) in new[]
            {
                (P("wq.npy"), (string?)null, "needs both --wq and --wk"),
                (P("wq.npy"), P("wk5.npy"), "wk5.npy: has d_model 5"),
                (P("nan.npy"), P("wq.npy"), "nan.npy: entry 0 is NaN"),
                (P("int.npy"), P("wq.npy"), "int.npy: --wq must hold float32 or float64"),
                (P("junk.npy"), P("wq.npy"), "junk.npy"),
            })
            {
                var args = new List<string> { "sample", "--tokens", "3", "--head-dim", "4", "--samples", "100", "--backend", "cpu", "--wq", wq };
                if (wk is not null) { args.Add("--wk"); args.Add(wk); }
                var (code, stdout, stderr) = Run([.. args]);
                Assert.Equal(ExitCodes.BadInput, code);
                Assert.Equal("", stdout);
                Assert.Contains(expected, stderr);
            }
            // A one-head file for two heads.
            var two = Run("sample", "--tokens", "3", "--head-dim", "4", "--heads", "2", "--wq", P("wq.npy"), "--wk", P("wq.npy"), "--backend", "cpu");
            Assert.Equal(ExitCodes.BadInput, two.Code);
            Assert.Contains("[2,d_model,4]", two.Err);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Json_lists_at_most_a_thousand_patterns_but_the_histogram_holds_them_all()
    {
        // Sixteen causal tokens: almost every sample is a pattern of its own.
        var (code, stdout, stderr) = Run("sample", "--tokens", "16", "--head-dim", "2", "--mask", "causal", "--samples", "3000", "--backend", "cpu", "--json");
        Assert.True(code == 0, stderr);
        var j = JsonNode.Parse(stdout)!.AsObject();
        var total = j["histogram"]!.AsObject().Count;
        Assert.True(total > 1000, $"{total} patterns");
        Assert.Equal(total, (int)j["patterns_total"]!);
        Assert.Equal(1000, j["patterns"]!.AsArray().Count);
    }
}
