using Workbench.Models.Capture;

namespace Workbench.Models.Heads;

/// <summary>
/// What the float64 reference passes of every architecture (llama2.c, GPT-2) offer a caller that studies one head:
/// its factors (read and replace, to move the head along a path θ(t)), the log-likelihood, and the reverse-mode
/// gradient of the log-likelihood with respect to the head's W_Q and W_K, all in the <see cref="HeadFactors"/>
/// orientation, so a caller treats both architectures alike.
/// </summary>
public interface IHeadGradientModel
{
    string Source { get; }
    int Layers { get; }
    int Heads { get; }
    int VocabSize { get; }

    HeadFactors GetHead(int layer, int head);
    void SetQueryFactor(int layer, int head, double[,] wq);
    void SetKeyFactor(int layer, int head, double[,] wk);

    /// <summary>Σ_t log p(tokens[t+1] | tokens[0..t]) in nats.</summary>
    double LogLikelihood(int[] tokens, ForwardHooks? hooks = null, AttentionMask? mask = null);

    /// <summary>
    /// Reverse-mode gradient of Σ_t log p(targets[t] | tokens[0..t]) (targets[t] &lt; 0 skipped; default: the next
    /// token) with respect to the head's query and key factors. Refuses a layer or head out of range, bad tokens and
    /// targets with <see cref="ModelFormatException"/>.
    /// </summary>
    HeadGradient Gradient(int[] tokens, int layer, int head, int[]? targets = null, AttentionMask? mask = null);
}
