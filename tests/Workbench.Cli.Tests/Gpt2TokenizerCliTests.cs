using System.Text.Json;
using Workbench.Models.Gpt2;
using Workbench.Models.Tokenizer;

namespace Workbench.Cli.Tests;

/// <summary>--tokenizer for GPT-2 models in generate, capture and protocol: detected by file, refused clearly otherwise.</summary>
public class Gpt2TokenizerCliTests
{
    /// <summary>A random GPT-2 with 262 tokens and a tokenizer folder: 256 bytes, "ab", "Ġab", "he", "Ġthe" path, &lt;|endoftext|&gt; = 261.</summary>
    internal static (string Model, string Tokenizer) Tiny(string folder)
    {
        var model = Path.Combine(folder, "tiny.safetensors");
        Gpt2Random.ToSafetensors(Gpt2Random.Create(new Gpt2Config(Dim: 16, Layers: 2, Heads: 2, VocabSize: 262, Positions: 24, Inner: 32), 6)).Save(model);
        var tok = Path.Combine(folder, "gpt2-tok");
        Directory.CreateDirectory(tok);
        var vocab = new Dictionary<string, int>();
        for (var b = 0; b < 256; b++) vocab[Gpt2ByteTable.Char((byte)b).ToString()] = b;
        foreach (var t in new[] { "ab", "Ġa", "Ġab", "he", "Ġt", "<|endoftext|>" }) vocab[t] = vocab.Count;
        File.WriteAllText(Path.Combine(tok, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(Path.Combine(tok, "merges.txt"), "#version: 0.2\na b\nĠ a\nĠa b\nh e\nĠ t\n");
        return (model, tok);
    }

    [Fact]
    public void Capture_encodes_text_prompts_with_a_gpt2_tokenizer_folder_or_vocab_path()
    {
        var folder = GenerateCommandTests.TempFolder();
        var (model, tok) = Tiny(folder);
        var prompts = Path.Combine(folder, "prompts.txt");
        File.WriteAllLines(prompts, ["ab ab he", "ids: 3 4"]);
        foreach (var (tokArg, outName) in new[] { (tok, "o1"), (Path.Combine(tok, "vocab.json"), "o2") })
        {
            var (code, output, err) = Cli.Run("capture", "--model", model, "--prompts", prompts, "--hooks", "logits", "--out", Path.Combine(folder, outName), "--tokenizer", tokArg, "--json");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            // "ab" → ab (256); " ab" → Ġ·a·b → Ġ·ab ("a b" ranks first; no "Ġ ab" merge) = 32, 256; " he" → Ġ·he = 32, 259.
            Assert.Equal([256, 32, 256, 32, 259], doc.RootElement.GetProperty("prompts")[0].GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()));
        }
    }

    [Fact]
    public void Generate_runs_gpt2_with_its_tokenizer()
    {
        var folder = GenerateCommandTests.TempFolder();
        var (model, tok) = Tiny(folder);
        var (code, output, err) = Cli.Run("generate", "--model", model, "--tokenizer", tok, "--prompt", "ab he", "--steps", "5", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var tokens = doc.RootElement.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.InRange(tokens.Length, 0, 5);
        Assert.Equal([256, 32, 259], doc.RootElement.GetProperty("prompt_tokens").EnumerateArray().Select(e => e.GetInt32()));
        var expected = Gpt2Generator.Generate(new Gpt2Fast(Gpt2Loader.Load(model)), [256, 32, 259], 5, stop: 261);
        Assert.Equal(expected, tokens);
        Assert.Equal(Gpt2Tokenizer.Load(tok).Decode(expected), doc.RootElement.GetProperty("text").GetString());
        var empty = Cli.Run("generate", "--model", model, "--tokenizer", tok, "--steps", "2", "--json");
        Assert.True(empty.Code == 0, empty.Err);
        using var e = JsonDocument.Parse(empty.Out);
        Assert.Equal([261], e.RootElement.GetProperty("prompt_tokens").EnumerateArray().Select(x => x.GetInt32()));
    }

    [Theory]
    [InlineData("generate", "llama-tokenizer", "is not a GPT-2 tokenizer")]
    [InlineData("generate", "absent", "no such GPT-2 tokenizer")]
    [InlineData("generate", "no-merges", "merges.txt: missing")]
    [InlineData("capture", "bad-json", "not valid JSON")]
    [InlineData("capture", "unknown-merge", "merges.txt:2: merge 'a z' refers to 'az'")]
    [InlineData("protocol", "llama-tokenizer", "is not a GPT-2 tokenizer")]
    [InlineData("protocol", "absent", "no such GPT-2 tokenizer")]
    [InlineData("protocol", "no-merges", "merges.txt: missing")]
    public void Wrong_or_malformed_tokenizers_are_refused_with_a_clear_message(string command, string kind, string expected)
    {
        var folder = GenerateCommandTests.TempFolder();
        var (model, tok) = Tiny(folder);
        var bad = Path.Combine(folder, "bad");
        Directory.CreateDirectory(bad);
        string path;
        switch (kind)
        {
            case "llama-tokenizer": path = Path.Combine(folder, "tok.bin"); File.WriteAllBytes(path, new byte[16]); break;
            case "absent": path = Path.Combine(folder, "absent-folder"); break;
            case "no-merges": File.Copy(Path.Combine(tok, "vocab.json"), Path.Combine(bad, "vocab.json")); path = bad; break;
            case "bad-json": File.WriteAllText(Path.Combine(bad, "vocab.json"), "{\"a\": "); File.WriteAllText(Path.Combine(bad, "merges.txt"), ""); path = bad; break;
            case "unknown-merge":
                File.Copy(Path.Combine(tok, "vocab.json"), Path.Combine(bad, "vocab.json"));
                File.WriteAllText(Path.Combine(bad, "merges.txt"), "#version: 0.2\na z\n");
                path = bad; break;
            default: path = tok; break;
        }
        var prompts = Path.Combine(folder, "prompts.txt");
        File.WriteAllLines(prompts, ["ab"]);
        var (code, _, err) = command switch
        {
            "generate" => Cli.Run("generate", "--model", model, "--tokenizer", path, "--steps", "1"),
            "capture" => Cli.Run("capture", "--model", model, "--prompts", prompts, "--hooks", "logits", "--out", Path.Combine(folder, "o"), "--tokenizer", path),
            _ => Cli.Run("protocol", "margins", "--model", model, "--tokenizer", path, "--out", Path.Combine(folder, "o")),
        };
        Assert.Equal(2, code);
        Assert.StartsWith("workbench: ", err);
        Assert.Contains(expected, err);
    }
}
