using System.Text.Json;
using Workbench.Protocols.Protocols;

namespace Workbench.Cli.Tests;

/// <summary>
/// `workbench protocol NAME --model gpt2.safetensors` end to end on a random GPT-2 the test writes: every protocol with
/// the GPT-2 tokenizer and text prompts, and without a tokenizer on stories from seeded token ids; bad inputs give
/// exit code 2 and a one-line message.
/// </summary>
public class Gpt2ProtocolCommandTests
{
    public static TheoryData<string, bool> Cases()
    {
        var cases = new TheoryData<string, bool>();
        foreach (var p in ProtocolRegistry.All) { cases.Add(p.Name, true); cases.Add(p.Name, false); }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_protocol_runs_on_a_gpt2_checkpoint(string name, bool withTokenizer)
    {
        var folder = GenerateCommandTests.TempFolder();
        var (model, tok) = Gpt2TokenizerCliTests.Tiny(folder);
        var prompts = Path.Combine(folder, "prompts.txt");
        File.WriteAllLines(prompts, ["ab he ab the ab", "# a comment", "he ab ab he the"]);
        var output = Path.Combine(folder, "out");
        string[] source = withTokenizer ? ["--tokenizer", tok, "--prompts", prompts] : ["--stories", "2", "--max-tokens", "8"];
        var (code, stdout, err) = Cli.Run(["protocol", name, "--model", model, .. source, "--layer", "1", "--head", "0", "--out", output, "--json"]);
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(output, "summary.json")));
        Assert.True(File.Exists(Path.Combine(output, "report.md")));
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(name, doc.RootElement.GetProperty("protocol").GetString());
        Assert.Equal("tiny.safetensors", doc.RootElement.GetProperty("model").GetString());
        var shown = doc.RootElement.GetProperty("prompts");
        Assert.Equal(2, shown.GetArrayLength());
        if (withTokenizer) Assert.Equal("<|endoftext|>ab he ab the ab", shown[0].GetString());
        else
        {
            Assert.Equal(8, shown[0].GetArrayLength());
            Assert.Contains("seeded token ids", doc.RootElement.GetProperty("prompts_are").GetString());
        }
    }

    /// <summary>The built-in set with the GPT-2 tokenizer: fixed texts and stories, each opened by &lt;|endoftext|&gt;, capped by --max-tokens.</summary>
    [Fact]
    public void Built_in_prompts_use_the_gpt2_tokenizer()
    {
        var folder = GenerateCommandTests.TempFolder();
        var (model, tok) = Gpt2TokenizerCliTests.Tiny(folder);
        var (code, stdout, err) = Cli.Run("protocol", "ties", "--model", model, "--tokenizer", tok, "--stories", "1", "--max-tokens", "10", "--out", Path.Combine(folder, "o"), "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(stdout);
        var prompts = doc.RootElement.GetProperty("prompts").EnumerateArray().Select(p => p.GetString()!).ToArray();
        Assert.Equal(4, prompts.Length);
        Assert.All(prompts, p => Assert.StartsWith("<|endoftext|>", p));
        Assert.StartsWith("<|endoftext|>Once up", prompts[0]);
    }

    [Theory]
    [InlineData("layer", "--layer: 2 is out of range: the model has layers 0..1")]
    [InlineData("head", "--head: 5 is out of range: the model has heads 0..1")]
    [InlineData("text-without-tokenizer", "text prompts need the GPT-2 tokenizer")]
    [InlineData("long-prompt", "longer than the model's context length 24")]
    [InlineData("no-stories", "--stories: 0 leaves no prompts")]
    [InlineData("max-tokens", "--max-tokens: 30 must be between 2 and the context length 24")]
    [InlineData("missing-tokenizer", "tokenizer file not found")]
    public void Bad_inputs_are_clear_errors(string kind, string expected)
    {
        var folder = GenerateCommandTests.TempFolder();
        var (model, tok) = Gpt2TokenizerCliTests.Tiny(folder);
        var prompts = Path.Combine(folder, "prompts.txt");
        File.WriteAllLines(prompts, [kind == "long-prompt" ? string.Concat(Enumerable.Repeat("xy ", 20)) : "ab he ab"]);
        string[] args = kind switch
        {
            "layer" => ["--tokenizer", tok, "--prompts", prompts, "--layer", "2"],
            "head" => ["--tokenizer", tok, "--prompts", prompts, "--head", "5"],
            "text-without-tokenizer" => ["--prompts", prompts],
            "long-prompt" => ["--tokenizer", tok, "--prompts", prompts],
            "no-stories" => ["--stories", "0"],
            "max-tokens" => ["--max-tokens", "30"],
            _ => ["--tokenizer", Path.Combine(folder, "absent.json")],
        };
        var (code, _, err) = Cli.Run(["protocol", "margins", "--model", model, .. args, "--out", Path.Combine(folder, "o")]);
        Assert.Equal(2, code);
        // Progress lines ([margins] …) may come first on stderr; the error is the last line.
        var last = err.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("workbench: ", last);
        Assert.Contains(expected, last);
        Assert.DoesNotContain("   at ", err);
    }
}
