using Workbench.Protocols.Model;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Runs;

namespace Workbench.Protocols.Prompts;

/// <summary>
/// The built-in prompt set: a few fixed texts kept in the repository, plus stories the model writes itself from
/// seeded openings (sampling at temperature 0.8 with a seed per story, so the set is reproducible), and the
/// reader for a user's prompts file (one prompt per line, blank lines and lines starting with # ignored). A model
/// without a tokenizer (a GPT-2 safetensors file with no vocab.json) gets <see cref="SeededIds"/> instead: no text,
/// only stories the model writes from seeded token ids.
/// </summary>
public static class PromptSet
{
    public static IReadOnlyList<string> FixedTexts { get; } =
    [
        "Once upon a time, there was a little girl named Lily. She loved to play outside in the park.",
        "Tom had a big red ball. He threw the ball to his dog, and the dog ran after it.",
        "The sun was hot, so Sue and her mom went to the beach. They saw a crab in the sand.",
    ];

    public static IReadOnlyList<string> StoryOpenings { get; } = ["Once upon a time", "One day, a little boy", "The cat"];

    /// <summary>Fixed texts then generated stories, each capped at <paramref name="maxTokens"/> tokens.</summary>
    public static List<int[]> BuiltIn(IAttentionModelProbe model, PromptTokenizer tokenizer, ulong seed, int stories = 3, int maxTokens = 48)
    {
        var prompts = FixedTexts.Select(t => Cap(tokenizer.Encode(t), maxTokens)).ToList();
        for (var s = 0; s < Math.Min(stories, StoryOpenings.Count); s++)
        {
            var opening = tokenizer.Encode(StoryOpenings[s]);
            prompts.Add(Sampler.Generate(model, opening, Math.Max(0, maxTokens - opening.Length), 0.8, seed + (ulong)s));
        }
        return prompts;
    }

    public static List<int[]> FromFile(string path, PromptTokenizer tokenizer, int contextLength)
    {
        if (!File.Exists(path)) throw new ProtocolInputException(path, "prompts file not found");
        var prompts = new List<int[]>();
        var lines = File.ReadAllLines(path);
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var tokens = tokenizer.Encode(line);
            if (tokens.Length > contextLength) throw new ProtocolInputException($"{path}:{n + 1}", $"prompt is {tokens.Length} tokens, longer than the model's context length {contextLength}");
            if (tokens.Length < 2) throw new ProtocolInputException($"{path}:{n + 1}", "prompt has no tokens");
            prompts.Add(tokens);
        }
        if (prompts.Count == 0) throw new ProtocolInputException(path, "no prompts in the file (one prompt per line)");
        return prompts;
    }

    /// <summary>
    /// <paramref name="stories"/> stories of <paramref name="maxTokens"/> tokens, each opened by one token id drawn
    /// uniformly from the vocabulary with the story's seed and continued by the model at temperature 0.8 (as
    /// <see cref="BuiltIn"/>'s stories). What the model is studied on is then its own distribution, which needs no text.
    /// </summary>
    public static List<int[]> SeededIds(IAttentionModelProbe model, ulong seed, int stories = 3, int maxTokens = 48)
    {
        var prompts = new List<int[]>();
        for (var s = 0; s < stories; s++)
        {
            var story = seed + (ulong)s;
            var opening = new Random(unchecked((int)(story ^ (story >> 32)))).Next(model.Shape.Vocab);
            prompts.Add(Sampler.Generate(model, [opening], maxTokens - 1, 0.8, story));
        }
        return prompts;
    }

    private static int[] Cap(int[] tokens, int max) => tokens.Length <= max ? tokens : tokens[..max];
}
