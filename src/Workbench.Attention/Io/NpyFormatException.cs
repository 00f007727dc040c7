namespace Workbench.Attention.Io;

/// <summary>A .npy file refused: <see cref="File"/> names it, <see cref="Problem"/> says what is wrong.</summary>
public sealed class NpyFormatException(string file, string problem) : Exception($"{file}: {problem}")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;
}
