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

/// <summary>The one check of a layer or head index against a model, with the message every loader and view uses.</summary>
public static class ModelIndex
{
    /// <param name="what">"layer", "head" or "query head": the noun of the index and of the range in the message.</param>
    public static void Require(int index, int count, string what, string model)
    {
        if ((uint)index >= (uint)count)
            throw new ModelFormatException($"{what.Split(' ')[^1]} {index}", $"out of range: {model} has {what}s 0..{count - 1}");
    }
}
