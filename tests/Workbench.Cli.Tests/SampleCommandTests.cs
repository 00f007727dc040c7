using System.Text.Json.Nodes;
using Workbench.Cli.Infrastructure;

namespace Workbench.Cli.Tests;

public class SampleCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        var code = CommandLine.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

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
}
