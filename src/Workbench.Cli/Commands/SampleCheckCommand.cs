using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Cli.Infrastructure;
using Workbench.Kernels.Backends;

namespace Workbench.Cli.Commands;

/// <summary>
/// `workbench sample-check --backend cuda`: does this machine's backend give the CPU's bits? Runs the test suite's
/// backend-agreement grid (<see cref="BackendAgreement"/>) and exits 0 only if every tally equals the CPU's, and the
/// CPU's equals the scalar reference. Meant for new hardware and for nodes without the .NET SDK (publish the CLI).
/// </summary>
public sealed class SampleCheckCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var backend = new Option<string>("--backend") { Description = "The backend to check against the CPU: opencl, cuda or cpu", DefaultValueFactory = _ => "cuda" };
        var samples = new Option<string>("--samples") { Description = "Samples per configuration (from index 2^32 − 4096, so the counter carries)", DefaultValueFactory = _ => BackendAgreement.DefaultCount.ToString() };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("sample-check", "Check that a sampling backend reproduces the CPU backend's tallies bit for bit");
        command.Options.Add(backend);
        command.Options.Add(samples);
        command.Options.Add(json);
        command.SetAction((parse, cancel) =>
        {
            var name = parse.GetValue(backend)!.Trim().ToLowerInvariant();
            if (name == "auto") return Task.FromResult(io.Fail("--backend auto", "name the backend to check: opencl, cuda or cpu"));
            var count = SampleCommand.ParseSamples(parse.GetValue(samples)!);
            if (count > 100_000_000) return Task.FromResult(io.Fail("--samples", "at most 1e8 per configuration (the CPU and the scalar reference run them too)"));
            var why = Backend.Unavailable(name);
            if (why is not null) return Task.FromResult(io.Fail("--backend " + name, why, why.StartsWith("unknown", StringComparison.Ordinal) ? ExitCodes.BadInput : ExitCodes.Unavailable));
            var outcomes = new List<BackendAgreement.Outcome>();
            try
            {
                foreach (var o in BackendAgreement.Run(name, count, cancel))
                {
                    outcomes.Add(o);
                    if (!parse.GetValue(json)) io.Out.WriteLine($"{(o.Passed ? "equal  " : "DIFFERS")}  {o.Configuration}: {o.Detail}");
                }
            }
            catch (BackendUnavailableException ex) { return Task.FromResult(io.Fail("--backend " + name, ex.Reason, ExitCodes.Unavailable)); }
            var passed = outcomes.All(o => o.Passed);
            if (parse.GetValue(json))
            {
                var report = new JsonObject
                {
                    ["backend"] = name,
                    ["seed"] = BackendAgreement.Seed.ToString(),
                    ["first"] = BackendAgreement.First.ToString(),
                    ["samples_per_configuration"] = count.ToString(),
                    ["passed"] = passed,
                    ["configurations"] = new JsonArray(outcomes.Select(o => (JsonNode)new JsonObject
                    {
                        ["name"] = o.Configuration, ["equals_cpu"] = o.EqualsCpu, ["cpu_equals_reference"] = o.CpuEqualsReference, ["detail"] = o.Detail,
                    }).ToArray()),
                };
                io.Out.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else io.Out.WriteLine(passed ? $"{name}: all {outcomes.Count} configurations equal the CPU backend bit for bit" : $"{name}: {outcomes.Count(o => !o.Passed)} of {outcomes.Count} configurations differ");
            return Task.FromResult(passed ? ExitCodes.Ok : ExitCodes.CheckFailed);
        });
        return command;
    }
}
