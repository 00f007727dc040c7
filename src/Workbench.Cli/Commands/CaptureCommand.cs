using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Workbench.Cli.Infrastructure;
using Workbench.Models;
using Workbench.Models.Capture;
using Workbench.Models.Gpt2;
using Workbench.Models.Llama;
using Workbench.Models.Tokenizer;

namespace Workbench.Cli.Commands;

/// <summary>
/// `workbench capture`: runs the float64 reference forward pass on each prompt and writes the selected hooks as
/// .npy files, DIR/prompt-{i:000}/{hook}.npy plus tokens.npy, and DIR/manifest.json describing them. A prompt line
/// `ids: 1 403 22` is taken as token ids; other lines are text for --tokenizer (llama2.c tokenizer.bin, or for GPT-2
/// a folder holding vocab.json + merges.txt or the vocab.json path). An existing manifest in DIR is never overwritten.
/// </summary>
public sealed class CaptureCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var model = new Option<string>("--model") { Description = "checkpoint (llama2.c .bin or GPT-2 .safetensors)", Required = true };
        var prompts = new Option<string>("--prompts") { Description = "file with one prompt per line (text, or `ids: …`)", Required = true };
        var hooks = new Option<string>("--hooks") { Description = "hook-name glob(s), comma-separated, e.g. 'blocks.*.attn.hook_pattern'", Required = true };
        var output = new Option<string>("--out") { Description = "output folder", Required = true };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer for text prompts: llama2.c .bin, or GPT-2 folder with vocab.json + merges.txt (or the vocab.json path)" };
        var format = new Option<string?>("--format") { Description = "llama2c | gpt2-safetensors (default: by extension)" };
        var heads = new Option<int?>("--heads") { Description = "GPT-2 head count when the file does not say" };
        var mask = new Option<string>("--mask") { Description = "causal | none | window:W", DefaultValueFactory = _ => "causal" };
        var json = new Option<bool>("--json") { Description = "print the manifest as JSON" };
        var command = new Command("capture", "Capture activations (TransformerLens hook names) to .npy");
        foreach (var o in new Option[] { model, prompts, hooks, output, tokenizer, format, heads, mask, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            try
            {
                return Run(io, parse.GetValue(model)!, parse.GetValue(prompts)!, parse.GetValue(hooks)!, parse.GetValue(output)!,
                    parse.GetValue(tokenizer), parse.GetValue(format), parse.GetValue(heads), parse.GetValue(mask)!, parse.GetValue(json));
            }
            catch (ModelFormatException ex)
            {
                return io.Fail(ex.Input, ex.Problem);
            }
            catch (IOException ex)
            {
                return io.Fail(parse.GetValue(output)!, $"cannot write: {ex.Message}");
            }
        });
        return command;
    }

    static AttentionMask ParseMask(string text) => text switch
    {
        "causal" => AttentionMask.Causal,
        "none" => AttentionMask.NoMask,
        _ when text.StartsWith("window:", StringComparison.Ordinal) && int.TryParse(text[7..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) => AttentionMask.SlidingWindow(w),
        _ => throw new ModelFormatException($"--mask {text}", "use causal, none or window:W"),
    };

    static int Run(CliIO io, string modelPath, string promptsPath, string pattern, string outDir, string? tokenizerPath,
        string? formatText, int? heads, string maskText, bool asJson)
    {
        var format = formatText is null ? ModelFormats.Detect(modelPath) : ModelFormats.Parse(formatText);
        var mask = ParseMask(maskText);
        if (!File.Exists(promptsPath)) return io.Fail(promptsPath, "no such prompts file");
        var lines = File.ReadAllLines(promptsPath).Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Length == 0) return io.Fail(promptsPath, "holds no prompts");

        Func<int[], ForwardHooks, double[]> forward;
        Func<string, int, int[]> encode;
        int layers, vocab;
        if (format == ModelFormat.Llama2c)
        {
            var w = Llama2cLoader.Load(modelPath);
            var reference = new LlamaReference(w);
            forward = (t, h) => reference.Logits(t, h, mask);
            layers = w.Config.Layers; vocab = w.Config.VocabSize;
            var tok = tokenizerPath is null ? null : TokenizerPaths.Llama(tokenizerPath, vocab);
            encode = (line, i) => tok?.Encode(line) ?? throw new ModelFormatException($"{promptsPath}:{i + 1}", "a text prompt needs --tokenizer (or write `ids: …`)");
        }
        else
        {
            var w = Gpt2Loader.Load(modelPath, heads);
            var reference = new Gpt2Reference(w);
            forward = (t, h) => reference.Logits(t, h, mask);
            layers = w.Config.Layers; vocab = w.Config.VocabSize;
            var tok = tokenizerPath is null ? null : TokenizerPaths.Gpt2(tokenizerPath, vocab);
            encode = (line, i) => tok?.Encode(line) ?? throw new ModelFormatException($"{promptsPath}:{i + 1}", "a text prompt needs --tokenizer (a GPT-2 folder with vocab.json + merges.txt) or write `ids: …`");
        }
        var known = Enumerable.Range(0, layers).SelectMany(l => new[]
        {
            HookNames.ResidPre(l), HookNames.Q(l), HookNames.K(l), HookNames.V(l), HookNames.AttnScores(l), HookNames.Pattern(l),
            HookNames.Z(l), HookNames.ResidMid(l), HookNames.MlpPre(l), HookNames.MlpPreLinear(l), HookNames.MlpPost(l), HookNames.ResidPost(l),
        }).Append(HookNames.Logits).ToArray();
        var probe = new ForwardHooks(pattern);
        if (!known.Any(probe.Captures)) return io.Fail($"--hooks {pattern}", $"matches no hook of this model (e.g. {HookNames.Pattern(0)}, {HookNames.ResidPre(0)})");

        var tokenized = new int[lines.Length][];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            tokenized[i] = line.StartsWith("ids:", StringComparison.Ordinal)
                ? ParseIds(line[4..], $"{promptsPath}:{i + 1}")
                : encode(line, i);
        }
        var manifestPath = Path.Combine(outDir, "manifest.json");
        if (File.Exists(manifestPath)) return io.Fail(outDir, "already holds a capture (manifest.json); choose another --out");
        Directory.CreateDirectory(outDir);
        var entries = new List<object>();
        for (var i = 0; i < tokenized.Length; i++)
        {
            var h = new ForwardHooks(pattern);
            try { forward(tokenized[i], h); }
            catch (ModelFormatException ex) { throw new ModelFormatException($"{promptsPath}:{i + 1}: {ex.Input}", ex.Problem); }
            var dir = Path.Combine(outDir, $"prompt-{i:000}");
            Directory.CreateDirectory(dir);
            NpyWriter.Write(Path.Combine(dir, "tokens.npy"), tokenized[i], [tokenized[i].Length]);
            var files = new List<object>();
            foreach (var t in h.Captured.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                NpyWriter.Write(Path.Combine(dir, t.Name + ".npy"), t.Data, t.Shape);
                files.Add(new { hook = t.Name, file = $"prompt-{i:000}/{t.Name}.npy", shape = t.Shape });
            }
            entries.Add(new { prompt = i, text = lines[i].Trim(), tokens = tokenized[i], hooks = files });
        }
        var manifest = JsonSerializer.Serialize(new
        {
            model = modelPath, format = ModelFormats.Name(format), mask = maskText, hooks = pattern, dtype = "float64",
            note = "q and k are captured after RoPE; hook_attn_scores = q·k/√d_head with masked entries −inf",
            prompts = entries,
        }, new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(manifestPath, manifest);
        if (asJson) io.Out.WriteLine(manifest);
        else io.Out.WriteLine($"captured {entries.Count} prompt(s) into {outDir} (manifest.json)");
        return ExitCodes.Ok;
    }

    static int[] ParseIds(string text, string where)
    {
        var parts = text.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var ids = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out ids[i]))
                throw new ModelFormatException(where, $"'{parts[i]}' is not a token id");
        return ids;
    }
}
