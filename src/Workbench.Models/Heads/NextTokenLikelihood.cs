using Workbench.Models.Numerics;

namespace Workbench.Models.Heads;

/// <summary>
/// The next-token log-likelihood Σ_t log softmax(logits_t)[y_t] and its gradient with respect to the logits, shared by
/// every architecture's float64 reference (targets &lt; 0 are skipped: the last position has no next token).
/// </summary>
public static class NextTokenLikelihood
{
    /// <summary>The targets of teacher forcing: token t+1 for position t, −1 for the last position.</summary>
    public static int[] Shift(int[] tokens)
    {
        var t = new int[tokens.Length];
        for (var i = 0; i < tokens.Length; i++) t[i] = i + 1 < tokens.Length ? tokens[i + 1] : -1;
        return t;
    }

    public static void RequireTargets(int[] targets, int tokens, int vocab)
    {
        if (targets.Length != tokens)
            throw new ModelFormatException("targets", $"{targets.Length} targets for {tokens} tokens");
        foreach (var y in targets)
            if (y >= vocab) throw new ModelFormatException($"target {y}", $"outside the vocabulary 0..{vocab - 1}");
    }

    /// <summary>Σ over positions with a target ≥ 0 of log softmax(logits[t])[target[t]].</summary>
    public static double Of(double[] logits, int[] targets, int vocab)
    {
        var lp = new double[vocab];
        var sum = 0.0;
        for (var t = 0; t < targets.Length; t++)
        {
            if (targets[t] < 0) continue;
            Dense64.LogSoftmax(logits.AsSpan(t * vocab, vocab), lp);
            sum += lp[targets[t]];
        }
        return sum;
    }

    /// <summary>d(log p_y)/d logits = onehot(y) − softmax(logits) per position (zero rows where the target is &lt; 0).</summary>
    public static double[] LogitGradient(double[] logits, int[] targets, int vocab, out double logLikelihood)
    {
        var grad = new double[targets.Length * vocab];
        var lp = new double[vocab];
        logLikelihood = 0.0;
        for (var t = 0; t < targets.Length; t++)
        {
            if (targets[t] < 0) continue;
            Dense64.LogSoftmax(logits.AsSpan(t * vocab, vocab), lp);
            logLikelihood += lp[targets[t]];
            for (var i = 0; i < vocab; i++) grad[t * vocab + i] = -Math.Exp(lp[i]);
            grad[t * vocab + targets[t]] += 1;
        }
        return grad;
    }
}
