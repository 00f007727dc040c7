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
/// of the §15 protocols (or cells, fisher) on a llama2.c checkpoint or a GPT-2 safetensors file and writes summary.json, report.md, SVG plots
/// and .npy arrays. Progress goes to stderr.
/// </summary>
public sealed class ProtocolCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var command = new Command("protocol", "Run a §15 protocol (margins, ties, temperature, heads, masks, sweep, cells, fisher) on a trained model");
        var name = new Argument<string>("name") { Description = string.Join("; ", ProtocolRegistry.All.Select(p => $"{p.Name}: {p.Description}")) };
        var model = new Option<string>("--model") { Description = "llama2.c checkpoint (.bin) or GPT-2 safetensors (.safetensors)", Required = true };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "llama2.c tokenizer.bin (default: tok{vocab}.bin beside the model), or for GPT-2 a folder holding vocab.json + merges.txt (default: beside the model; without one GPT-2 runs on stories from seeded token ids)" };
        var layer = new Option<int?>("--layer") { Description = "restrict to one layer" };
        var head = new Option<int?>("--head") { Description = "restrict to one head" };
        var prompts = new Option<string?>("--prompts") { Description = "prompts file, one text per line (default: the built-in set)" };
        var output = new Option<string>("--out") { Description = "output folder", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "seed for generated stories and sampling", DefaultValueFactory = _ => 20261122UL };
        var stories = new Option<int>("--stories") { Description = "stories the model writes for the built-in prompt set (0..3)", DefaultValueFactory = _ => 3 };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "length cap of built-in prompts (default 48, or the context length where shorter)" };
        var json = new Option<bool>("--json") { Description = "print the summary as JSON" };
        command.Arguments.Add(name);
        foreach (var o in new Option[] { model, tokenizer, layer, head, prompts, output, seed, stories, maxTokens, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var protocolName = parse.GetValue(name)!;
            var protocol = ProtocolRegistry.Find(protocolName);
            if (protocol is null) return io.Fail(protocolName, $"unknown protocol; choose one of {string.Join(", ", ProtocolRegistry.All.Select(p => p.Name))}");
            var modelPath = parse.GetValue(model)!;
            var tokPath = parse.GetValue(tokenizer);
            LoadedModel loaded;
            try { loaded = LoadedModel.Load(modelPath, tokPath); }
            catch (ModelFormatException ex) { return io.Fail(ex.Input, ex.Problem); }
            catch (InvalidDataException ex) { return io.Fail(modelPath, ex.Message); }
            catch (IOException ex) { return io.Fail(modelPath, ex.Message); }
            var gpt2 = loaded.Format == ModelFormat.Gpt2Safetensors;
            if (tokPath is not null && loaded.Tokenizer is null) return io.Fail(tokPath, "tokenizer file not found");
            var promptFile = parse.GetValue(prompts);
            // A GPT-2 model without a tokenizer still runs on stories it writes from seeded token ids; text needs one.
            if (loaded.Tokenizer is null && (!gpt2 || promptFile is not null))
                return gpt2
                    ? io.Fail(promptFile!, "text prompts need the GPT-2 tokenizer: pass --tokenizer (a folder holding vocab.json and merges.txt), or leave out --prompts to run on stories the model writes from seeded token ids")
                    : io.Fail(modelPath, $"no tokenizer: pass --tokenizer (looked for tok{loaded.Model.Shape.Vocab}.bin beside the model)");
            var count = parse.GetValue(stories);
            if (count is < 0 or > 3) return io.Fail("--stories", $"{count} is out of range 0..3");
            if (count == 0 && loaded.Tokenizer is null && promptFile is null)
                return io.Fail("--stories", "0 leaves no prompts: without a tokenizer a GPT-2 model runs only on the stories it writes from seeded token ids");
            // A small model's context may be shorter than the usual cap: the default follows it, an explicit value is checked.
            var cap = parse.GetValue(maxTokens) ?? Math.Min(48, loaded.Model.Shape.ContextLength);
            if (cap < 2 || cap > loaded.Model.Shape.ContextLength) return io.Fail("--max-tokens", $"{cap} must be between 2 and the context length {loaded.Model.Shape.ContextLength}");
            try
            {
                void Progress(string message) => io.Error.WriteLine($"[{protocol.Name}] {message}");
                Progress("preparing prompts");
                var set = loaded.Tokenizer is null
                    ? PromptSet.SeededIds(loaded.Model, parse.GetValue(seed), count, cap)
                    : promptFile is null
                        ? PromptSet.BuiltIn(loaded.Model, loaded.Tokenizer, parse.GetValue(seed), count, cap)
                        : PromptSet.FromFile(promptFile, loaded.Tokenizer, loaded.Model.Shape.ContextLength);
                var input = new ProtocolInput
                {
                    Model = loaded.Model, Prompts = set, Layer = parse.GetValue(layer), Head = parse.GetValue(head), Seed = parse.GetValue(seed),
                    Piece = loaded.Piece, Progress = Progress,
                };
                var result = protocol.Run(input);
                result.Summary["model"] = Path.GetFileName(modelPath);
                result.Summary["prompts"] = loaded.Tokenizer is { } tok
                    ? new JsonArray(set.Select(p => (JsonNode)tok.Decode(p)).ToArray())
                    : new JsonArray(set.Select(p => (JsonNode)new JsonArray(p.Select(t => (JsonNode)t).ToArray())).ToArray());
                if (loaded.Tokenizer is null) result.Summary["prompts_are"] = "token ids: stories the model wrote from seeded token ids (no tokenizer)";
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
