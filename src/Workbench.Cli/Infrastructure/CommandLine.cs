using System.CommandLine;

namespace Workbench.Cli.Infrastructure;

public static class CommandLine
{
    /// <summary>Builds the root command from every <see cref="ICliCommand"/> in this assembly.</summary>
    public static RootCommand BuildRoot(CliIO io)
    {
        var root = new RootCommand("workbench: derive, test and pin claims about transformer attention");
        var commands = typeof(CommandLine).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(ICliCommand).IsAssignableFrom(t))
            .Select(t => ((ICliCommand)Activator.CreateInstance(t)!).Build(io))
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var command in commands) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Parses and runs; no exception ever escapes as a stack trace.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var io = new CliIO(stdout, stderr);
        try
        {
            var parse = BuildRoot(io).Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors) stderr.WriteLine($"workbench: {error.Message}");
                return ExitCodes.BadInput;
            }
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (InputException ex)
        {
            return io.Fail(ex.Input, ex.Problem);
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("workbench: cancelled");
            return 130;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"workbench: internal error: {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.Internal;
        }
    }
}
