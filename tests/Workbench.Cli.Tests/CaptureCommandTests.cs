using System.Text.Json;
using Workbench.Models.Llama;

namespace Workbench.Cli.Tests;

public class CaptureCommandTests
{
    static string TinyModel(string folder)
    {
        var path = Path.Combine(folder, "tiny.bin");
        using var fs = File.Create(path);
        Llama2cLoader.Write(LlamaRandom.Create(new LlamaConfig(16, 24, 2, 4, 2, 30, 12, true), 4), fs);
        return path;
    }

    [Fact]
    public void Writes_npy_files_and_a_manifest()
    {
        var folder = GenerateCommandTests.TempFolder();
        var model = TinyModel(folder);
        var prompts = Path.Combine(folder, "prompts.txt");
        File.WriteAllLines(prompts, ["ids: 1 5 7 9", "", "ids: 1,2"]);
        var outDir = Path.Combine(folder, "out");
        var (code, output, err) = Cli.Run("capture", "--model", model, "--prompts", prompts, "--hooks", "blocks.1.attn.hook_q,blocks.*.attn.hook_pattern", "--out", outDir, "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var first = doc.RootElement.GetProperty("prompts")[0];
        Assert.Equal(3, first.GetProperty("hooks").GetArrayLength());
        var npy = File.ReadAllBytes(Path.Combine(outDir, "prompt-000", "blocks.1.attn.hook_q.npy"));
        Assert.Equal(0x93, npy[0]);
        var headerLength = npy[8] | npy[9] << 8;
        var header = System.Text.Encoding.ASCII.GetString(npy, 10, headerLength);
        Assert.Contains("'shape': (4, 4, 4)", header);
        Assert.Contains("'descr': '<f8'", header);
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Equal(10 + headerLength + 4 * 4 * 4 * 8, npy.Length);
        Assert.True(File.Exists(Path.Combine(outDir, "prompt-001", "blocks.0.attn.hook_pattern.npy")));
        // A second capture into the same folder would overwrite: refused.
        var again = Cli.Run("capture", "--model", model, "--prompts", prompts, "--hooks", "*", "--out", outDir);
        Assert.Equal(2, again.Code);
        Assert.Contains("already holds a capture", again.Err);
    }

    [Theory]
    [InlineData("blocks.7.*", "ids: 1 2", "matches no hook")]
    [InlineData("*", "once upon", "needs --tokenizer")]
    [InlineData("*", "ids: 1 99", "outside the vocabulary")]
    [InlineData("*", "ids: 1 2 3 4 5 6 7 8 9 10 11 12 13", "longer than the context")]
    [InlineData("*", "ids: 1 x", "not a token id")]
    public void Refuses_bad_input_with_a_clear_message(string hooks, string prompt, string expected)
    {
        var folder = GenerateCommandTests.TempFolder();
        var model = TinyModel(folder);
        var prompts = Path.Combine(folder, "prompts.txt");
        File.WriteAllLines(prompts, [prompt]);
        var (code, _, err) = Cli.Run("capture", "--model", model, "--prompts", prompts, "--hooks", hooks, "--out", Path.Combine(folder, "o"));
        Assert.Equal(2, code);
        Assert.StartsWith("workbench: ", err);
        Assert.Contains(expected, err);
    }
}
