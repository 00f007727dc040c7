using Workbench.Cli.Infrastructure;
using Workbench.Models;
using Workbench.Models.Llama;
using static Workbench.Cli.Tests.Cli;

namespace Workbench.Cli.Tests;

/// <summary>Needs shared/models/stories260K; skipped, saying why, where it is absent.</summary>
public sealed class GenerateStoriesFactAttribute : FactAttribute
{
    public GenerateStoriesFactAttribute()
    {
        if (SharedModels.Stories260K() is null) Skip = SharedModels.AbsentReason;
    }
}

public class GenerateCommandTests
{

    internal static string TempFolder() => Directory.CreateTempSubdirectory("wb-cli-models-").FullName;

    [GenerateStoriesFact]
    public void Greedy_generation_from_bos_tells_the_known_story()
    {
        var dir = SharedModels.Stories260K()!;
        var (code, output, err) = Run("generate", "--model", Path.Combine(dir, "stories260K.bin"), "--tokenizer", Path.Combine(dir, "tok512.bin"), "--steps", "40");
        Assert.True(code == 0, err);
        Assert.StartsWith("Once upon a time, there was a little girl named Lily. She loved to play outside in the park.", output);
    }

    [GenerateStoriesFact]
    public void Json_output_lists_tokens_and_text()
    {
        var dir = SharedModels.Stories260K()!;
        var (code, output, err) = Run("generate", "--model", Path.Combine(dir, "stories260K.bin"), "--tokenizer", Path.Combine(dir, "tok512.bin"),
            "--prompt", "Lily", "--steps", "5", "--temperature", "0.8", "--seed", "3", "--json");
        Assert.True(code == 0, err);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(5, doc.RootElement.GetProperty("tokens").GetArrayLength());
        Assert.Equal(1, doc.RootElement.GetProperty("prompt_tokens")[0].GetInt32());
    }

    [GenerateStoriesFact]
    public void Missing_tokenizer_is_a_clear_error()
    {
        var (code, _, err) = Run("generate", "--model", SharedModels.Stories260KCheckpoint()!, "--tokenizer", "/nonexistent/tok.bin");
        Assert.Equal(2, code);
        Assert.Equal("workbench: /nonexistent/tok.bin: no such tokenizer file", err.Trim());
        var (code2, _, err2) = Run("generate", "--model", SharedModels.Stories260KCheckpoint()!);
        Assert.Equal(2, code2);
        Assert.Contains("--tokenizer", err2);
    }

    [GenerateStoriesFact]
    public void Prompt_longer_than_the_context_is_refused()
    {
        var folder = TempFolder();
        var model = Path.Combine(folder, "short.bin");
        using (var fs = File.Create(model))
            Llama2cLoader.Write(LlamaRandom.Create(new LlamaConfig(16, 16, 1, 2, 1, 512, 8, true), 1), fs);
        var (code, _, err) = Run("generate", "--model", model, "--tokenizer", SharedModels.Stories260KTokenizer()!, "--prompt", "Once upon a time there was a girl named Lily");
        Assert.Equal(2, code);
        Assert.Contains("longer than the context of 8", err);
    }

    [Fact]
    public void Checkpoint_whose_sizes_do_not_add_up_is_refused()
    {
        var folder = TempFolder();
        var model = Path.Combine(folder, "bad.bin");
        using (var ms = new MemoryStream())
        {
            Llama2cLoader.Write(LlamaRandom.Create(new LlamaConfig(16, 16, 1, 2, 1, 20, 8, true), 1), ms);
            File.WriteAllBytes(model, ms.ToArray()[..^12]);
        }
        var (code, output, err) = Run("generate", "--model", model, "--tokenizer", "/nonexistent/tok.bin");
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith($"workbench: {model}: size mismatch", err);
        Assert.Contains("missing 12 bytes", err);
    }

    [Fact]
    public void Gpt2_generate_names_a_missing_checkpoint()
    {
        // GPT-2 generation is supported now (Gpt2TokenizerCliTests); a missing file is still one clear line.
        var (code, _, err) = Run("generate", "--model", "/some/model.safetensors", "--tokenizer", "/some/tok.bin");
        Assert.Equal(2, code);
        Assert.StartsWith("workbench: /some/model.safetensors: ", err);
    }
}
