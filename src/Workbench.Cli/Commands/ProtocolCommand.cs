using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Cli.Infrastructure;
using Workbench.Models;
using Workbench.Protocols.Model;
using Workbench.Protocols.Prompts;
using Workbench.Protocols.Protocols;
using Workbench.Protocols.Runs;

namespace Workbench.Cli.Commands;

/// <summary>
/// `workbench protocol NAME --model M [--tokenizer T] [--layer l] [--head h] [--prompts FILE] --out DIR`: runs one
/// of the §15 protocols (or cells, fisher) on a llama2.c checkpoint and writes summary.json, report.md, SVG plots
/// and .npy arrays. Progress goes to stderr.
/// </summary>
public sealed class ProtocolCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var command = new Command("protocol", "Run a §15 protocol (margins, ties, temperature, heads, masks, sweep, cells, fisher) on a trained model");
        var name = new Argument<string>("name") { Description = string.Join("; ", ProtocolRegistry.All.Select(p => $"{p.Name}: {p.Description}")) };
        var model = new Option<string>("--model") { Description = "llama2.c checkpoint (.bin)", Required = true };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "llama2.c tokenizer (default: tok{vocab}.bin beside the model)" };
        var layer = new Option<int?>("--layer") { Description = "restrict to one layer" };
        var head = new Option<int?>("--head") { Description = "restrict to one head" };
        var prompts = new Option<string?>("--prompts") { Description = "prompts file, one text per line (default: the built-in set)" };
        var output = new Option<string>("--out") { Description = "output folder", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "seed for generated stories and sampling", DefaultValueFactory = _ => 20261122UL };
        var stories = new Option<int>("--stories") { Description = "stories the model writes for the built-in prompt set (0..3)", DefaultValueFactory = _ => 3 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "length cap of built-in prompts", DefaultValueFactory = _ => 48 };
        var json = new Option<bool>("--json") { Description = "print the summary as JSON" };
        command.Arguments.Add(name);
        foreach (var o in new Option[] { model, tokenizer, layer, head, prompts, output, seed, stories, maxTokens, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var protocolName = parse.GetValue(name)!;
            var protocol = ProtocolRegistry.Find(protocolName);
            if (protocol is null) return io.Fail(protocolName, $"unknown protocol; choose one of {string.Join(", ", ProtocolRegistry.All.Select(p => p.Name))}");
            var modelPath = parse.GetValue(model)!;
            if (ModelFormats.Detect(modelPath) == ModelFormat.Gpt2Safetensors)
                return io.Fail(modelPath, "protocols run llama2.c checkpoints only: there is no GPT-2 protocol probe yet (GPT-2 has capture, generate and Gpt2Reference gradients)");
            var tokArg = parse.GetValue(tokenizer);
            if (tokArg is not null && Workbench.Models.Tokenizer.Gpt2TokenizerFiles.Looks(tokArg))
                return io.Fail(tokArg, "is a GPT-2 tokenizer (vocab.json + merges.txt); protocols run llama2.c checkpoints, which need their tokenizer.bin");
            LoadedModel loaded;
            try { loaded = LoadedModel.Load(modelPath, parse.GetValue(tokenizer)); }
            catch (ModelFormatException ex) { return io.Fail(ex.Input, ex.Problem); }
            catch (InvalidDataException ex) { return io.Fail(modelPath, ex.Message); }
            catch (IOException ex) { return io.Fail(modelPath, ex.Message); }
            var tokPath = parse.GetValue(tokenizer);
            if (tokPath is not null && loaded.Tokenizer is null) return io.Fail(tokPath, "tokenizer file not found");
            if (loaded.Tokenizer is null) return io.Fail(modelPath, $"no tokenizer: pass --tokenizer (looked for tok{loaded.Model.Shape.Vocab}.bin beside the model)");
            var count = parse.GetValue(stories);
            if (count is < 0 or > 3) return io.Fail("--stories", $"{count} is out of range 0..3");
            var cap = parse.GetValue(maxTokens);
            if (cap < 2 || cap > loaded.Model.Shape.ContextLength) return io.Fail("--max-tokens", $"{cap} must be between 2 and the context length {loaded.Model.Shape.ContextLength}");
            try
            {
                var promptFile = parse.GetValue(prompts);
                void Progress(string message) => io.Error.WriteLine($"[{protocol.Name}] {message}");
                Progress("preparing prompts");
                var set = promptFile is null
                    ? PromptSet.BuiltIn(loaded.Model, loaded.Tokenizer, parse.GetValue(seed), count, cap)
                    : PromptSet.FromFile(promptFile, loaded.Tokenizer, loaded.Model.Shape.ContextLength);
                var input = new ProtocolInput
                {
                    Model = loaded.Model, Prompts = set, Layer = parse.GetValue(layer), Head = parse.GetValue(head), Seed = parse.GetValue(seed),
                    Piece = loaded.Piece, Progress = Progress,
                };
                var result = protocol.Run(input);
                result.Summary["model"] = Path.GetFileName(modelPath);
                result.Summary["prompts"] = new JsonArray(set.Select(p => (JsonNode)loaded.Tokenizer.Decode(p)).ToArray());
                var dir = parse.GetValue(output)!;
                var files = result.WriteTo(dir);
                if (parse.GetValue(json)) io.Out.WriteLine(result.Summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                else io.Out.WriteLine($"{protocol.Name}: wrote {files.Count} files to {dir} (report.md, summary.json)");
                return ExitCodes.Ok;
            }
            catch (ProtocolInputException ex) { return io.Fail(ex.Input, ex.Problem); }
            catch (UnauthorizedAccessException ex) { return io.Fail(parse.GetValue(output)!, ex.Message); }
        });
        return command;
    }
}
