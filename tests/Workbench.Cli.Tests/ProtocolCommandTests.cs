using Workbench.Cli.Infrastructure;
using Workbench.Models;
using static Workbench.Cli.Tests.Cli;

namespace Workbench.Cli.Tests;

public class ProtocolCommandTests
{

    private static string? Model => SharedModels.Stories260KCheckpoint();

    [Fact]
    public void Missing_checkpoint_is_a_clear_error()
    {
        var (code, _, err) = Run("protocol", "margins", "--model", "/nonexistent/model.bin", "--out", Path.GetTempPath());
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("/nonexistent/model.bin: no such file", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Unknown_protocol_is_refused()
    {
        var (code, _, err) = Run("protocol", "nonsense", "--model", "x.bin", "--out", Path.GetTempPath());
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("unknown protocol", err);
    }

    [Fact]
    public void Checkpoint_whose_sizes_do_not_add_up_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wb-bad-{Guid.NewGuid():N}.bin");
        var header = new[] { 64, 172, 5, 8, 4, 512, 512 }.SelectMany(BitConverter.GetBytes).ToArray();
        File.WriteAllBytes(path, [.. header, .. new byte[400]]);
        try
        {
            var (code, _, err) = Run("protocol", "margins", "--model", path, "--out", Path.GetTempPath());
            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Contains("size mismatch", err);
        }
        finally { File.Delete(path); }
    }

    [ProtocolTrainedModelFact]
    public void Layer_out_of_range_missing_tokenizer_and_long_prompt_are_clear_errors()
    {
        var model = Model!;
        var (code, _, err) = Run("protocol", "margins", "--model", model, "--layer", "9", "--stories", "0", "--out", Path.GetTempPath());
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--layer: 9 is out of range", err);

        (code, _, err) = Run("protocol", "margins", "--model", model, "--tokenizer", "/nonexistent/tok.bin", "--out", Path.GetTempPath());
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("tokenizer file not found", err);

        var prompts = Path.Combine(Path.GetTempPath(), $"wb-prompts-{Guid.NewGuid():N}.txt");
        File.WriteAllText(prompts, string.Join(" ", Enumerable.Repeat("Lily and Tom played with the big red ball in the park.", 60)));
        try
        {
            (code, _, err) = Run("protocol", "margins", "--model", model, "--prompts", prompts, "--out", Path.GetTempPath());
            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Contains("longer than the model's context length", err);
        }
        finally { File.Delete(prompts); }
    }

    [ProtocolTrainedModelFact]
    public void Margins_protocol_writes_summary_report_plots_and_arrays()
    {
        var model = Model!;
        var prompts = Path.Combine(Path.GetTempPath(), $"wb-prompts-{Guid.NewGuid():N}.txt");
        File.WriteAllText(prompts, "# two short prompts\nTom saw a big dog.\nLily had a red ball.\n");
        var dir = Path.Combine(Path.GetTempPath(), $"wb-out-{Guid.NewGuid():N}");
        try
        {
            var (code, output, err) = Run("protocol", "margins", "--model", model, "--prompts", prompts, "--layer", "1", "--out", dir, "--json");
            Assert.Equal(ExitCodes.Ok, code);
            Assert.Contains("\"protocol\": \"margins\"", output);
            Assert.Contains("[margins] margins: prompt 1/2", err);
            foreach (var f in new[] { "summary.json", "report.md", "margins.npy", "margins-layer1.svg" }) Assert.True(File.Exists(Path.Combine(dir, f)), f);
            var npy = File.ReadAllBytes(Path.Combine(dir, "margins.npy"));
            Assert.Equal(0x93, npy[0]);
            Assert.Equal(0, (npy.Length - 10 - BitConverter.ToUInt16(npy, 8)) % 8);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, "margins-layer1.svg")));
        }
        finally { File.Delete(prompts); if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
