namespace Workbench.Models;

/// <summary>
/// A model or tokenizer file, a shape, or a request that the workbench refuses. <see cref="Input"/> names what was
/// given (a path, a tensor, a layer index); <see cref="Problem"/> says what is wrong with it, in one line, so the CLI
/// can print "workbench: {input}: {problem}" and exit non-zero.
/// </summary>
public sealed class ModelFormatException(string input, string problem) : Exception($"{input}: {problem}")
{
    public string Input { get; } = input;
    public string Problem { get; } = problem;
}
