namespace Workbench.Attention;

/// <summary>
/// Input the attention numerics refuse: an impossible shape, a non-finite entry, a fully masked row, a bad
/// temperature. <see cref="Subject"/> names what was wrong (a row, a tensor, a parameter) so callers can report it.
/// </summary>
public sealed class AttentionInputException(string subject, string problem) : Exception($"{subject}: {problem}")
{
    public string Subject { get; } = subject;
    public string Problem { get; } = problem;
}
