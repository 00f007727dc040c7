using Workbench.Cli.Infrastructure;

namespace Workbench.Cli.Tests;

/// <summary>Runs the CLI in this process, as `workbench args…` would, capturing stdout and stderr.</summary>
internal static class Cli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
