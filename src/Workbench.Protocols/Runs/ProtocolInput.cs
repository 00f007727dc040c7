using Workbench.Protocols.Probe;

namespace Workbench.Protocols.Runs;

/// <summary>
/// What every protocol gets: the model, the prompts (token ids, BOS first), an optional layer/head focus, a seed,
/// a way to show tokens, and a progress sink (the CLI prints it on stderr).
/// </summary>
public sealed record ProtocolInput
{
    public required IAttentionModelProbe Model { get; init; }
    public required IReadOnlyList<int[]> Prompts { get; init; }
    public int? Layer { get; init; }
    public int? Head { get; init; }
    public ulong Seed { get; init; } = 20261122;
    public Func<int, string> Piece { get; init; } = t => t.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public Action<string>? Progress { get; init; }

    /// <summary>Refuses what no protocol can run: no prompts, empty or over-long prompts, a layer or head out of range, tokens outside the vocabulary.</summary>
    public void Validate()
    {
        var s = Model.Shape;
        if (Prompts.Count == 0) throw new ProtocolInputException("prompts", "no prompts to run");
        for (var p = 0; p < Prompts.Count; p++)
        {
            if (Prompts[p].Length < 2) throw new ProtocolInputException($"prompt {p + 1}", "needs at least 2 tokens (a next-token loss needs a target)");
            if (Prompts[p].Length > s.ContextLength) throw new ProtocolInputException($"prompt {p + 1}", $"{Prompts[p].Length} tokens exceed the model's context length {s.ContextLength}");
            foreach (var t in Prompts[p])
                if ((uint)t >= (uint)s.Vocab) throw new ProtocolInputException($"prompt {p + 1}", $"token {t} is outside the vocabulary (size {s.Vocab})");
        }
        if (Layer is { } l && (l < 0 || l >= s.Layers)) throw new ProtocolInputException("--layer", $"{l} is out of range: the model has layers 0..{s.Layers - 1}");
        if (Head is { } h && (h < 0 || h >= s.Heads)) throw new ProtocolInputException("--head", $"{h} is out of range: the model has heads 0..{s.Heads - 1}");
    }

    public IEnumerable<int> LayersInFocus => Layer is { } l ? [l] : Enumerable.Range(0, Model.Shape.Layers);
    public IEnumerable<int> HeadsInFocus => Head is { } h ? [h] : Enumerable.Range(0, Model.Shape.Heads);
    public void Report(string message) => Progress?.Invoke(message);
}

/// <summary>Input a protocol refuses; <see cref="Input"/> names what was wrong (a flag, a prompt, a file).</summary>
public sealed class ProtocolInputException(string input, string problem) : Exception($"{input}: {problem}")
{
    public string Input { get; } = input;
    public string Problem { get; } = problem;
}
