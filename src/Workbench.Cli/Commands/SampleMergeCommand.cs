using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Cli.Infrastructure;
using Workbench.Kernels.Sampling;

namespace Workbench.Cli.Commands;

/// <summary>
/// `workbench sample-merge a.json b.json …`: merges the JSON of the shards of one run (same configuration, seed
/// and sample count; disjoint shards covering the run) into the report the unsharded run gives, exactly.
/// </summary>
public sealed class SampleMergeCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var files = new Argument<string[]>("shards") { Description = "JSON files written by `workbench sample --shard i/K --json`", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("sample-merge", "Merge the shard results of one `workbench sample` run exactly");
        command.Arguments.Add(files);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var results = new List<SampleReportJson.ShardResult>();
            foreach (var path in parse.GetValue(files)!)
            {
                if (!File.Exists(path)) return io.Fail(path, "no such file");
                JsonNode? node;
                try { node = JsonNode.Parse(File.ReadAllText(path)); }
                catch (JsonException ex) { return io.Fail(path, "not JSON: " + ex.Message); }
                try { results.Add(SampleReportJson.Parse(node)); }
                catch (SamplerInputException ex) { return io.Fail(path, $"{ex.Input}: {ex.Problem}"); }
            }
            var first = results[0];
            foreach (var r in results.Skip(1))
            {
                if (r.Seed != first.Seed || r.RunSamples != first.RunSamples || r.Config.ToString() != first.Config.ToString()
                    || !r.Config.Epsilons.SequenceEqual(first.Config.Epsilons) || r.Tau != first.Tau)
                    return io.Fail("shards", "come from different runs (configuration, seed, sample count, ε list or τ differ)");
            }
            var ordered = results.OrderBy(r => r.Shard.First).ToList();
            ulong next = 0;
            foreach (var r in ordered)
            {
                if (r.Shard.First != next) return io.Fail("shards", $"do not tile the run: expected a shard starting at sample {next}, found one at {r.Shard.First}");
                next = r.Shard.First + r.Shard.Count;
            }
            if (next != first.RunSamples) return io.Fail("shards", $"cover samples [0, {next}) of a run of {first.RunSamples}");
            var tally = new SampleTally(first.Config.Epsilons.Length);
            foreach (var r in ordered) tally.Merge(r.Tally);
            var jacobian = JacobianNorm.Sampled(first.Config, first.Seed, 0, (int)Math.Min(first.RunSamples, JacobianNorm.DefaultSubsample), first.Tau);
            var report = new SampleReport(first.Config, "merged", $"{results.Count} shards", "merged shard tallies", first.Seed, first.RunSamples,
                new Shard(0, 0, first.RunSamples), ordered.Sum(r => r.Seconds), tally, first.Tau, jacobian);
            if (parse.GetValue(json)) io.Out.WriteLine(report.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else io.Out.WriteLine($"merged {results.Count} shards: {tally.Samples} samples, {tally.Patterns.Count} patterns, {tally.ExactTies} exact ties");
            return ExitCodes.Ok;
        });
        return command;
    }
}
