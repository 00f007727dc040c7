using System.CommandLine;
using System.Text;
using System.Text.Json;
using Workbench.Cli.Infrastructure;
using Workbench.Models;
using Workbench.Models.Llama;
using Workbench.Models.Tokenizer;

namespace Workbench.Cli.Commands;

/// <summary>
/// `workbench generate`: text from a llama2.c checkpoint on the float32 fast path (greedy at temperature 0, else
/// seeded sampling). --steps counts new tokens; generation stops early at BOS/EOS or the end of the context.
/// </summary>
public sealed class GenerateCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var model = new Option<string>("--model") { Description = "llama2.c checkpoint (.bin)", Required = true };
        var tokenizer = new Option<string>("--tokenizer") { Description = "llama2.c tokenizer (tokenizer.bin / tok512.bin)", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "prompt text (empty: start from BOS)", DefaultValueFactory = _ => "" };
        var steps = new Option<int>("--steps") { Description = "new tokens to generate", DefaultValueFactory = _ => 256 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy; > 0 samples softmax(logits/τ)", DefaultValueFactory = _ => 0.0 };
        var seed = new Option<ulong>("--seed") { Description = "sampling seed", DefaultValueFactory = _ => 0UL };
        var json = new Option<bool>("--json") { Description = "machine-readable output" };
        var command = new Command("generate", "Generate text with a llama2.c model (float32 fast path)");
        foreach (var o in new Option[] { model, tokenizer, prompt, steps, temperature, seed, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            try
            {
                var modelPath = parse.GetValue(model)!;
                if (ModelFormats.Detect(modelPath) != ModelFormat.Llama2c)
                    return io.Fail(modelPath, "generate runs llama2.c checkpoints only (no GPT-2 tokenizer is built in; use capture with `ids:` prompts)");
                var weights = Llama2cLoader.Load(modelPath);
                var tok = Llama2cTokenizer.Load(parse.GetValue(tokenizer)!, weights.Config.VocabSize);
                var text = parse.GetValue(prompt) ?? "";
                var n = parse.GetValue(steps);
                if (n < 0) return io.Fail($"--steps {n}", "must be ≥ 0");
                var tau = parse.GetValue(temperature);
                if (!(tau >= 0) || double.IsInfinity(tau)) return io.Fail($"--temperature {tau}", "must be a finite number ≥ 0");
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
}
