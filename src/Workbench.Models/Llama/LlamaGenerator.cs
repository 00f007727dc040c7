using System.Numerics.Tensors;

namespace Workbench.Models.Llama;

/// <summary>
/// Autoregressive generation on the float32 fast path: the prompt is fed one position at a time through the KV
/// cache (as llama2.c does), then tokens are chosen greedily (temperature 0) or sampled from softmax(logits/τ) with a
/// seeded generator. Generation stops at BOS or EOS (llama2.c's delimiters), after <c>steps</c> new tokens, or at the
/// end of the context.
/// </summary>
public static class LlamaGenerator
{
    /// <summary>Generates for one prompt; returns only the new tokens.</summary>
    public static int[] Generate(LlamaFast model, int[] prompt, int steps, double temperature = 0, ulong seed = 0, Action<int, int>? onToken = null) =>
        GenerateBatch(model, [prompt], steps, temperature, seed, onToken is null ? null : (_, prev, next) => onToken(prev, next), threads: 1)[0];

    /// <summary>
    /// Generates for a batch of prompts at once (one KV cache, independent positions): the throughput path.
    /// <paramref name="onToken"/> receives (sequence, previous token, new token).
    /// </summary>
    public static int[][] GenerateBatch(LlamaFast model, int[][] prompts, int steps, double temperature = 0, ulong seed = 0,
        Action<int, int, int>? onToken = null, int threads = 1)
    {
        var c = model.Config;
        if (prompts.Length == 0) throw new ModelFormatException("prompts", "none given");
        if (steps < 0) throw new ModelFormatException($"steps {steps}", "must be ≥ 0");
        if (!(temperature >= 0) || double.IsInfinity(temperature)) throw new ModelFormatException($"temperature {temperature}", "must be a finite number ≥ 0");
        for (var b = 0; b < prompts.Length; b++)
        {
            if (prompts[b].Length == 0) throw new ModelFormatException($"prompt {b}", "is empty: start it with BOS (token 1)");
            if (prompts[b].Length > c.SeqLen)
                throw new ModelFormatException($"prompt {b}", $"{prompts[b].Length} tokens is longer than the context of {c.SeqLen}");
        }
        var n = prompts.Length;
        var cache = model.NewCache(n, (int)Math.Min(c.SeqLen, (long)prompts.Max(p => p.Length) + steps));
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var outputs = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        var done = new bool[n];
        var token = prompts.Select(p => p[0]).ToArray();
        var pos = new int[n];
        var logits = new float[n * c.VocabSize];
        var probs = new float[c.VocabSize];
        while (true)
        {
            var active = 0;
            for (var b = 0; b < n; b++)
                if (!done[b] && (pos[b] >= c.SeqLen || outputs[b].Count >= steps)) done[b] = true;
                else if (!done[b]) active++;
            if (active == 0) break;
            // Finished sequences keep stepping at their last position (wasted work, but the batch stays rectangular).
            var stepPos = pos.Select(p => Math.Min(p, cache.Capacity - 1)).ToArray();
            model.Step(cache, token, stepPos, logits, threads);
            for (var b = 0; b < n; b++)
            {
                if (done[b]) continue;
                var p = pos[b];
                int next;
                if (p + 1 < prompts[b].Length) next = prompts[b][p + 1];
                else
                {
                    var row = logits.AsSpan(b * c.VocabSize, c.VocabSize);
                    next = temperature == 0 ? TensorPrimitives.IndexOfMax(row) : Sample(row, (float)temperature, probs, rng);
                    if (next is Tokenizer.Llama2cTokenizer.Bos or Tokenizer.Llama2cTokenizer.Eos) { done[b] = true; continue; }
                    outputs[b].Add(next);
                    onToken?.Invoke(b, token[b], next);
                }
                token[b] = next;
                pos[b] = p + 1;
            }
        }
        return outputs.Select(o => o.ToArray()).ToArray();
    }

    internal static int Sample(ReadOnlySpan<float> logits, float temperature, float[] probs, Random rng)
    {
        var p = probs.AsSpan(0, logits.Length);
        TensorPrimitives.Divide(logits, temperature, p);
        TensorPrimitives.SoftMax(p, p);
        var u = (float)rng.NextDouble();
        var cdf = 0f;
        for (var i = 0; i < p.Length; i++)
        {
            cdf += p[i];
            if (u < cdf) return i;
        }
        return p.Length - 1;
    }
}
