using System.Text.Json;
using Workbench.Cli.Infrastructure;
using Workbench.Models;
using Workbench.Models.Gpt2;
using static Workbench.Cli.Tests.Cli;

namespace Workbench.Cli.Tests;

public class AlgebraCommandTests
{

    static string TempFile(string ext) => Path.Combine(Path.GetTempPath(), $"wb-algebra-{Guid.NewGuid():N}{ext}");

    /// <summary>A small GPT-2 safetensors file (d = 12, 3 heads of 4, 2 layers) with seeded weights.</summary>
    static string TinyGpt2(Action<Gpt2Weights>? edit = null)
    {
        var w = Gpt2Random.Create(new Gpt2Config(Dim: 12, Layers: 2, Heads: 3, VocabSize: 7, Positions: 5, Inner: 20), 4);
        edit?.Invoke(w);
        var path = TempFile(".safetensors");
        Gpt2Random.ToSafetensors(w).Save(path);
        return path;
    }

    [Fact]
    public void Default_run_prints_one_row_per_layer_with_the_phase()
    {
        var path = TinyGpt2();
        try
        {
            var (code, output, err) = Run("algebra", "--model", path);
            Assert.True(code == 0, err);
            Assert.Contains("gpt2-safetensors", output);
            var rows = output.Split('\n').Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+\d+\s+\S")).ToArray();
            Assert.Equal(2, rows.Length);
            Assert.All(rows, r => Assert.Matches(@"\s(I|II|III)\s*$", r));
            Assert.Contains("round-off", output);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Json_has_the_issue_shape_and_agrees_with_a_rescaling_by_c_to_the_fourth()
    {
        var path = TinyGpt2();
        var scaled = TinyGpt2(w => { foreach (var a in w.AttnW) for (var i = 0; i < a.Length; i++) a[i] *= 2; });
        try
        {
            var (code, output, err) = Run("algebra", "--model", path, "--json");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            var root = doc.RootElement;
            Assert.Equal(Path.GetFileName(path), root.GetProperty("model").GetString());
            Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
            var layers = root.GetProperty("layers").EnumerateArray().ToArray();
            Assert.Equal(2, layers.Length);
            foreach (var (l, i) in layers.Select((l, i) => (l, i)))
            {
                Assert.Equal(i, l.GetProperty("layer").GetInt32());
                foreach (var key in new[] { "eps", "eps_scale_free", "kappa", "jacobi_max", "action" })
                    Assert.True(double.IsFinite(l.GetProperty(key).GetDouble()), key);
                Assert.InRange(l.GetProperty("rank").GetInt32(), 1, 3);
                Assert.Contains(l.GetProperty("phase").GetString(), new[] { "I", "II", "III" });
                Assert.InRange(l.GetProperty("eps_scale_free").GetDouble(), 0, Math.Sqrt(2));
            }
            // Scaling W (so W_q and W_k) by 2 multiplies every A_h by 4 and eps by 16; the scale-free eps stays.
            var (code2, output2, _) = Run("algebra", "--model", scaled, "--json");
            Assert.Equal(0, code2);
            using var doc2 = JsonDocument.Parse(output2);
            var layers2 = doc2.RootElement.GetProperty("layers").EnumerateArray().ToArray();
            for (var i = 0; i < 2; i++)
            {
                var e1 = layers[i].GetProperty("eps").GetDouble();
                Assert.Equal(16 * e1, layers2[i].GetProperty("eps").GetDouble(), 1e-9 * 16 * e1);
                var f1 = layers[i].GetProperty("eps_scale_free").GetDouble();
                Assert.Equal(f1, layers2[i].GetProperty("eps_scale_free").GetDouble(), 1e-9);
            }
        }
        finally { File.Delete(path); File.Delete(scaled); }
    }

    [Fact]
    public void Svg_plot_has_a_point_per_layer()
    {
        var path = TinyGpt2();
        var svg = TempFile(".svg");
        try
        {
            var (code, _, err) = Run("algebra", "--model", path, "--svg", svg);
            Assert.True(code == 0, err);
            var text = File.ReadAllText(svg);
            Assert.StartsWith("<svg", text);
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(text, "<circle").Count);
            Assert.Contains("layer 1: eps =", text);
        }
        finally { File.Delete(path); File.Delete(svg); }
    }

    [Fact]
    public void Random_layers_run_without_a_checkpoint()
    {
        var (code, output, err) = Run("algebra", "--random", "16,2,3,2", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(2, doc.RootElement.GetProperty("layers").GetArrayLength());
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("malformed")]
    [InlineData("wrong-format")]
    [InlineData("nan")]
    public void Bad_model_files_are_refused_with_one_line_and_exit_2(string kind)
    {
        var path = kind switch
        {
            "missing" => TempFile(".bin"),
            "malformed" => TempFile(".safetensors"),
            "nan" => TinyGpt2(w => w.AttnW[1][5] = float.NaN),
            _ => TinyGpt2(),
        };
        if (kind == "malformed") File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        try
        {
            string[] args = kind == "wrong-format"
                ? ["algebra", "--model", path, "--format", "llama2c"]
                : ["algebra", "--model", path];
            var (code, output, err) = Run(args);
            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Equal("", output);
            var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("workbench: ", line);
            Assert.DoesNotContain("   at ", err);
            Assert.DoesNotContain("internal error", err);
            if (kind == "missing") Assert.Contains("no such file", line);
            if (kind == "nan") Assert.Contains("non-finite", line);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("--random", "0,2,3,2")]
    [InlineData("--random", "16,2,3")]
    [InlineData("--random", "4,8,3,2")]
    [InlineData("--format", "onnx")]
    public void Bad_options_are_refused_with_exit_2(string option, string value)
    {
        string[] args = option == "--format" ? ["algebra", "--model", "x.bin", option, value] : ["algebra", option, value];
        var (code, _, err) = Run(args);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("workbench: ", err);
    }

    [Fact]
    public void Model_and_random_together_or_neither_is_refused()
    {
        Assert.Equal(ExitCodes.BadInput, Run("algebra").Code);
        Assert.Equal(ExitCodes.BadInput, Run("algebra", "--model", "x.bin", "--random", "8,2,2,1").Code);
        Assert.Equal(ExitCodes.BadInput, Run("algebra", "--random", "8,2,2,1", "--phase-low", "2", "--phase-high", "1").Code);
    }

    [GenerateStoriesFact]
    public void Stories260K_reports_five_layers_and_the_rope_note()
    {
        var path = SharedModels.Stories260KCheckpoint()!;
        var (code, output, err) = Run("algebra", "--model", path, "--fold-norm", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal(5, layers.Length);
        Assert.Contains(doc.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("RoPE"));
        Assert.All(layers, l => Assert.InRange(l.GetProperty("rank").GetInt32(), 1, 8));
    }
}
