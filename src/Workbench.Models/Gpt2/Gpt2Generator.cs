using System.Numerics.Tensors;
using Workbench.Models.Llama;

namespace Workbench.Models.Gpt2;

/// <summary>
/// Text generation with <see cref="Gpt2Fast"/>. It has no KV cache, so each step reruns the whole sequence (cost
/// quadratic in length; fine for the short runs the workbench makes). Greedy at temperature 0 (ties → lowest id),
/// else seeded sampling of softmax(logits/τ) as <see cref="LlamaGenerator"/> samples. Stops after
/// <paramref name="steps"/> new tokens, at <paramref name="stop"/> (GPT-2's &lt;|endoftext|&gt;) or at the context end.
/// </summary>
public static class Gpt2Generator
{
    public static int[] Generate(Gpt2Fast model, int[] prompt, int steps, double temperature = 0, ulong seed = 0, int? stop = null, Action<int, int>? onToken = null)
    {
        var c = model.Config;
        if (prompt.Length == 0) throw new ModelFormatException("prompt", "is empty: GPT-2 needs at least one token (e.g. <|endoftext|>)");
        if (prompt.Length > c.Positions) throw new ModelFormatException("prompt", $"{prompt.Length} tokens is longer than the context of {c.Positions}");
        if (steps < 0) throw new ModelFormatException($"steps {steps}", "must be ≥ 0");
        if (!(temperature >= 0) || double.IsInfinity(temperature)) throw new ModelFormatException($"temperature {temperature}", "must be a finite number ≥ 0");
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var tokens = prompt.ToList();
        var output = new List<int>();
        var probs = new float[c.VocabSize];
        while (output.Count < steps && tokens.Count < c.Positions)
        {
            var logits = model.Logits(tokens.ToArray());
            var row = logits.AsSpan((tokens.Count - 1) * c.VocabSize, c.VocabSize);
            var next = temperature == 0 ? TensorPrimitives.IndexOfMax(row) : LlamaGenerator.Sample(row, (float)temperature, probs, rng);
            if (next == stop) break;
            onToken?.Invoke(tokens[^1], next);
            tokens.Add(next);
            output.Add(next);
        }
        return output.ToArray();
    }
}
