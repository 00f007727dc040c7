namespace Workbench.Protocols.Probe;

/// <summary>
/// What one forward pass exposes. Scores are the raw S_ij = q_i·k_j/√d_head (after RoPE, before temperature and
/// mask); masked entries are NaN. Weights are the softmax rows actually used. Arrays are row-major [T × T] per
/// (layer, head); logits are [T × vocab].
/// </summary>
public sealed class ProbeRun
{
    public required int[] Tokens { get; init; }
    public required AttentionMask Mask { get; init; }
    public required double[][][] Scores { get; init; }     // [layer][head][T*T]
    public required double[][][] Weights { get; init; }    // [layer][head][T*T]
    public required double[] Logits { get; init; }         // [T*V]
    public required int Vocab { get; init; }
    public LayerInternals[]? Internals { get; init; }

    public int Length => Tokens.Length;
    public int Layers => Scores.Length;
    public int Heads => Scores[0].Length;

    public double Score(int layer, int head, int row, int key) => Scores[layer][head][row * Length + key];
    public double Weight(int layer, int head, int row, int key) => Weights[layer][head][row * Length + key];

    public ReadOnlySpan<double> LogitsAt(int position) => Logits.AsSpan(position * Vocab, Vocab);

    /// <summary>log p(token | prefix up to position) under the model's output at <paramref name="position"/>.</summary>
    public double LogProb(int position, int token)
    {
        var row = LogitsAt(position);
        var max = double.NegativeInfinity;
        foreach (var v in row) max = Math.Max(max, v);
        var sum = 0.0;
        foreach (var v in row) sum += Math.Exp(v - max);
        return row[token] - max - Math.Log(sum);
    }

    /// <summary>Next-token cross-entropy at each position 0..T-2 (predicting token t+1).</summary>
    public double[] TokenLosses()
    {
        var losses = new double[Math.Max(0, Length - 1)];
        for (var t = 0; t + 1 < Length; t++) losses[t] = -LogProb(t, Tokens[t + 1]);
        return losses;
    }

    public double MeanLoss() { var l = TokenLosses(); return l.Length == 0 ? 0 : l.Average(); }

    public int Predicted(int position)
    {
        var row = LogitsAt(position);
        var best = 0;
        for (var v = 1; v < row.Length; v++) if (row[v] > row[best]) best = v;
        return best;
    }
}

/// <summary>Captured per-layer quantities (only with <see cref="ProbeOptions.CaptureInternals"/>).</summary>
public sealed class LayerInternals
{
    public required double[] ResidPre { get; init; }    // [T × D]
    public required double[] Normed { get; init; }      // [T × D] the attention input after RMSNorm
    public required double[] Q { get; init; }           // [T × D] after RoPE, heads side by side
    public required double[] K { get; init; }           // [T × KvDim] after RoPE
    public required double[] V { get; init; }           // [T × KvDim]
    public required double[] HeadOutputs { get; init; } // [T × D] Σ_j A_ij V_j per head, before W_O
    /// <summary>[T × hidden] the MLP's first pre-activation (W₁x̃: the ReLU input, or SwiGLU's SiLU-gate input); empty without an MLP.</summary>
    public double[] MlpPre { get; set; } = [];
}
