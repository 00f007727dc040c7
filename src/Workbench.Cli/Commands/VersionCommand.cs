using System.CommandLine;
using Workbench.Cli.Infrastructure;

namespace Workbench.Cli.Commands;

/// <summary>`workbench version`: the build's version, so reports can name what produced them.</summary>
public sealed class VersionCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var command = new Command("version", "Print the workbench version");
        command.SetAction(_ =>
        {
            io.Out.WriteLine(typeof(VersionCommand).Assembly.GetName().Version?.ToString() ?? "unknown");
            return ExitCodes.Ok;
        });
        return command;
    }
}
