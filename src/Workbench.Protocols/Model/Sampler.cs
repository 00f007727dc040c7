using Workbench.Protocols.Probe;

namespace Workbench.Protocols.Model;

/// <summary>Seeded generation, so the built-in prompt set (stories the model writes itself) is reproducible.</summary>
public static class Sampler
{
    public static int[] Generate(IAttentionModelProbe model, IReadOnlyList<int> prefix, int steps, double temperature, ulong seed)
    {
        var tokens = prefix.ToList();
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        for (var s = 0; s < steps && tokens.Count < model.Shape.ContextLength; s++)
        {
            var run = model.Run(tokens, ProbeOptions.Default);
            var logits = run.LogitsAt(tokens.Count - 1);
            int next;
            if (temperature <= 0) next = run.Predicted(tokens.Count - 1);
            else
            {
                var max = double.NegativeInfinity;
                foreach (var v in logits) max = Math.Max(max, v);
                var probs = new double[logits.Length];
                var sum = 0.0;
                for (var v = 0; v < probs.Length; v++) { probs[v] = Math.Exp((logits[v] - max) / temperature); sum += probs[v]; }
                var u = rng.NextDouble() * sum;
                next = probs.Length - 1;
                for (var v = 0; v < probs.Length; v++) { u -= probs[v]; if (u <= 0) { next = v; break; } }
            }
            tokens.Add(next);
        }
        return tokens.ToArray();
    }
}
