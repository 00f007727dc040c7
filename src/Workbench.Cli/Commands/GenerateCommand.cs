using System.CommandLine;
using System.Text;
using System.Text.Json;
using Workbench.Cli.Infrastructure;
using Workbench.Models;
using Workbench.Models.Gpt2;
using Workbench.Models.Llama;
using Workbench.Models.Tokenizer;

namespace Workbench.Cli.Commands;

/// <summary>
/// `workbench generate`: text from a llama2.c checkpoint or a GPT-2 safetensors file on the float32 fast path (greedy
/// at temperature 0, else seeded sampling). --steps counts new tokens; generation stops early at BOS/EOS (llama2.c),
/// &lt;|endoftext|&gt; (GPT-2) or the end of the context. GPT-2 takes a GPT-2 tokenizer (folder or vocab.json path).
/// </summary>
public sealed class GenerateCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var model = new Option<string>("--model") { Description = "llama2.c checkpoint (.bin) or GPT-2 .safetensors", Required = true };
        var tokenizer = new Option<string>("--tokenizer") { Description = "llama2.c tokenizer (tokenizer.bin / tok512.bin), or for GPT-2 a folder holding vocab.json + merges.txt (or the vocab.json path)", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "prompt text (empty: start from BOS)", DefaultValueFactory = _ => "" };
        var steps = new Option<int>("--steps") { Description = "new tokens to generate", DefaultValueFactory = _ => 256 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy; > 0 samples softmax(logits/τ)", DefaultValueFactory = _ => 0.0 };
        var seed = new Option<ulong>("--seed") { Description = "sampling seed", DefaultValueFactory = _ => 0UL };
        var json = new Option<bool>("--json") { Description = "machine-readable output" };
        var command = new Command("generate", "Generate text with a llama2.c or GPT-2 model (float32 fast path)");
        foreach (var o in new Option[] { model, tokenizer, prompt, steps, temperature, seed, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            try
            {
                var modelPath = parse.GetValue(model)!;
                var text = parse.GetValue(prompt) ?? "";
                var n = parse.GetValue(steps);
                if (n < 0) return io.Fail($"--steps {n}", "must be ≥ 0");
                var tau = parse.GetValue(temperature);
                if (!(tau >= 0) || double.IsInfinity(tau)) return io.Fail($"--temperature {tau}", "must be a finite number ≥ 0");
                if (ModelFormats.Detect(modelPath) == ModelFormat.Gpt2Safetensors)
                    return RunGpt2(io, modelPath, parse.GetValue(tokenizer)!, text, n, tau, parse.GetValue(seed), parse.GetValue(json));
                var weights = Llama2cLoader.Load(modelPath);
                var tok = TokenizerPaths.Llama(parse.GetValue(tokenizer)!, weights.Config.VocabSize);
                var ids = tok.Encode(text);
                if (ids.Length > weights.Config.SeqLen)
                    return io.Fail("--prompt", $"{ids.Length} tokens is longer than the context of {weights.Config.SeqLen}");
                var asJson = parse.GetValue(json);
                var printed = new StringBuilder();
                void Emit(int previous, int next)
                {
                    var piece = Encoding.UTF8.GetString(tok.DecodeBytes(previous, next));
                    printed.Append(piece);
                    if (!asJson) io.Out.Write(piece);
                }
                if (!asJson) io.Out.Write(text);
                var generated = LlamaGenerator.Generate(new LlamaFast(weights), ids, n, tau, parse.GetValue(seed), Emit);
                if (asJson)
                {
                    io.Out.WriteLine(JsonSerializer.Serialize(new
                    {
                        model = parse.GetValue(model), prompt = text, prompt_tokens = ids, tokens = generated,
                        text = printed.ToString(), temperature = tau, seed = parse.GetValue(seed),
                    }));
                }
                else io.Out.WriteLine();
                return ExitCodes.Ok;
            }
            catch (ModelFormatException ex)
            {
                return io.Fail(ex.Input, ex.Problem);
            }
        });
        return command;
    }

    static int RunGpt2(CliIO io, string modelPath, string tokenizerPath, string text, int steps, double tau, ulong seed, bool asJson)
    {
        var weights = Gpt2Loader.Load(modelPath);
        var tok = TokenizerPaths.Gpt2(tokenizerPath, weights.Config.VocabSize);
        var ids = tok.Encode(text);
        // GPT-2 has no BOS; an empty prompt starts from <|endoftext|>, as GPT-2's own unconditional samples do.
        if (ids.Length == 0)
            ids = tok.EndOfText is { } eot ? [eot] : throw new ModelFormatException("--prompt", "is empty and the tokenizer has no <|endoftext|> to start from");
        if (ids.Length > weights.Config.Positions)
            return io.Fail("--prompt", $"{ids.Length} tokens is longer than the context of {weights.Config.Positions}");
        var printed = new StringBuilder();
        // A token may end inside a UTF-8 character: the decoder keeps the partial bytes until the character completes.
        var decoder = Encoding.UTF8.GetDecoder();
        void Emit(int previous, int next)
        {
            var bytes = tok.DecodeBytes([next]);
            var chars = new char[decoder.GetCharCount(bytes, 0, bytes.Length, flush: false)];
            decoder.GetChars(bytes, 0, bytes.Length, chars, 0, flush: false);
            var piece = new string(chars);
            printed.Append(piece);
            if (!asJson) io.Out.Write(piece);
        }
        if (!asJson) io.Out.Write(text);
        var generated = Gpt2Generator.Generate(new Gpt2Fast(weights), ids, steps, tau, seed, tok.EndOfText, Emit);
        if (asJson)
            io.Out.WriteLine(JsonSerializer.Serialize(new
            {
                model = modelPath, prompt = text, prompt_tokens = ids, tokens = generated, text = tok.Decode(generated), temperature = tau, seed,
            }));
        else io.Out.WriteLine();
        return ExitCodes.Ok;
    }
}
