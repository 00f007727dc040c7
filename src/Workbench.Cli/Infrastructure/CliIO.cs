namespace Workbench.Cli.Infrastructure;

/// <summary>
/// Where a command writes. Results go to <see cref="Out"/> (machine-readable with --json); every error goes to
/// <see cref="Error"/> as one line "workbench: {input}: {problem}" with a non-zero exit code.
/// </summary>
public sealed class CliIO(TextWriter @out, TextWriter error)
{
    public TextWriter Out { get; } = @out;
    public TextWriter Error { get; } = error;

    /// <summary>True when stdout is a terminal (progress bars and colour only then).</summary>
    public bool Interactive => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;

    public int Fail(string input, string problem, int exitCode = ExitCodes.BadInput)
    {
        Error.WriteLine($"workbench: {input}: {problem}");
        return exitCode;
    }
}

public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A check ran and reported a failure (for example a claim regressed).</summary>
    public const int CheckFailed = 1;
    /// <summary>The input was refused: a bad file, an absurd shape, an impossible configuration.</summary>
    public const int BadInput = 2;
    /// <summary>A resource the command needs is unavailable (a backend, a model file).</summary>
    public const int Unavailable = 3;
    public const int Internal = 70;
}

/// <summary>Thrown by command code for input it refuses; <see cref="CommandLine"/> turns it into one stderr line and exit 2.</summary>
public sealed class InputException(string input, string problem) : Exception($"{input}: {problem}")
{
    public string Input { get; } = input;
    public string Problem { get; } = problem;
}
