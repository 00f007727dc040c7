using System.CommandLine;

namespace Workbench.Cli.Infrastructure;

/// <summary>
/// A top-level `workbench` command. Each lives in its own file under Commands/ and is found by reflection, so
/// adding a command touches no shared file. Implementations need a public parameterless constructor.
/// </summary>
public interface ICliCommand
{
    /// <summary>Builds the System.CommandLine command; its action writes through <paramref name="io"/>.</summary>
    Command Build(CliIO io);
}
