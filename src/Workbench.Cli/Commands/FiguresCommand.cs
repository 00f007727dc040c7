using System.CommandLine;
using System.Text.Json;
using Workbench.Claims.Reporting.Figures;
using Workbench.Cli.Infrastructure;

namespace Workbench.Cli.Commands;

/// <summary>`workbench figures [--out DIR] [--json]`: regenerates the notes' data figures (S Figures 2–4) as SVG.</summary>
public sealed class FiguresCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var output = new Option<string>("--out") { Description = "Folder to write the SVG files into", DefaultValueFactory = _ => Path.Combine("docs", "figures") };
        var json = new Option<bool>("--json") { Description = "Print {\"figures\":[paths]}" };
        var command = new Command("figures", "Regenerate S Figures 2-4 (two-token sigmoid, three-token wedges, causal mask) as SVG from computed data");
        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction(parse => Run(io, parse.GetValue(output)!, parse.GetValue(json)));
        return command;
    }

    private static int Run(CliIO io, string folder, bool json)
    {
        var written = new List<string>();
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var (file, svg) in StratificationFigures.All())
            {
                var path = Path.Combine(folder, file);
                File.WriteAllText(path, svg);
                written.Add(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return io.Fail("--out " + folder, "cannot write figures: " + ex.Message);
        }
        if (json) io.Out.WriteLine(JsonSerializer.Serialize(new { figures = written }));
        else foreach (var path in written) io.Out.WriteLine($"wrote {path}");
        return ExitCodes.Ok;
    }
}
