namespace Workbench.Protocols.Model;

/// <summary>
/// Hand-built models whose answers are known in closed form, for planted-structure tests of the protocols.
/// None normalizes (RMSNorm is the identity), so scores are exactly linear in the residual and in W_Q.
/// </summary>
public static class PlantedModels
{
    /// <summary>
    /// Two layers, one head each, d = 4, tokens 0, 1, 2. Layer 0, row 2 scores keys (0, 1, 2) as (1, 0, −40) and
    /// writes m = A₂₀ − A₂₁ into coordinate 3. Layer 1, row 2 scores (m, ½, −10): its arg-max is key 1 while
    /// m &lt; ½ and key 0 once m &gt; ½. Since m(τ) = (e^{1/τ} − 1)/(e^{1/τ} + 1 + e^{−40/τ}) falls with τ, the pattern
    /// switches at τ* ≈ 1/ln 3 (see <see cref="SwitchTemperature"/>), and at τ = 1 the row sits near a tie.
    /// </summary>
    public static TransformerWeights TemperatureSwitch()
    {
        const int D = 4;
        double[] Zero(int n) => new double[n];
        double[] Identity() { var m = new double[D * D]; for (var i = 0; i < D; i++) m[i * D + i] = 1; return m; }
        // Matrices are (out, in): entry [o * D + i].
        var wq0 = Zero(D * D); wq0[0 * D + 2] = 2; wq0[2 * D + 2] = -80;           // q(e2) = (2, 0, −80, 0): scores (1, 0, −40) / after ÷√4
        var wv0 = Zero(D * D); wv0[3 * D + 0] = 1; wv0[3 * D + 1] = -1;            // v(e0) = e3, v(e1) = −e3
        var wq1 = Zero(D * D); wq1[1 * D + 2] = 1; wq1[2 * D + 2] = -20; wq1[0 * D + 3] = 2; // q = w + m u, w = (0, 1, −20, 0), u = (2, 0, 0, 0)
        var layer0 = new LayerWeights { RmsAtt = Ones(D), Wq = wq0, Wk = Identity(), Wv = wv0, Wo = Identity(), RmsFfn = Ones(D) };
        var layer1 = new LayerWeights { RmsAtt = Ones(D), Wq = wq1, Wk = Identity(), Wv = Zero(D * D), Wo = Identity(), RmsFfn = Ones(D) };
        var emb = new double[3 * D]; emb[0] = 1; emb[D + 1] = 1; emb[2 * D + 2] = 1;
        return new TransformerWeights
        {
            DModel = D, DHidden = 1, Layers = 2, Heads = 1, KvHeads = 1, Vocab = 3, ContextLength = 8, Mlp = MlpKind.None,
            Normalize = false, Rope = false, Embedding = emb, Classifier = emb, RmsFinal = Ones(D), Layer = [layer0, layer1],
        };
    }

    public static readonly int[] TemperatureSwitchTokens = [0, 1, 2];

    /// <summary>m(τ) of <see cref="TemperatureSwitch"/> in closed form.</summary>
    public static double TemperatureSwitchM(double tau) => (Math.Exp(1 / tau) - 1) / (Math.Exp(1 / tau) + 1 + Math.Exp(-40 / tau));

    /// <summary>τ* with m(τ*) = ½, by bisection on the closed form (independent of the forward pass).</summary>
    public static double SwitchTemperature()
    {
        double lo = 0.1, hi = 10;
        for (var i = 0; i < 200; i++) { var mid = 0.5 * (lo + hi); if (TemperatureSwitchM(mid) > 0.5) lo = mid; else hi = mid; }
        return 0.5 * (lo + hi);
    }

    /// <summary>
    /// One head that attends to the previous token at every row: q and k are constant before RoPE, with k's
    /// phase advanced by one position on both frequency pairs (ω = 1 and ω = 0.3), so S_ij = 2[cos(1 + (j−i)) +
    /// cos(0.3(1 + j − i))] peaks at j = i − 1.
    /// </summary>
    public static TransformerWeights PreviousToken(int vocab = 5)
    {
        const int D = 4;
        var omega1 = 0.3;
        var ropeBase = Math.Pow(omega1, -2.0);   // ω_p = base^(−2p/4): ω₀ = 1, ω₁ = base^(−1/2) = 0.3
        var wq = new double[D * D]; var wk = new double[D * D];
        double[] q = [2, 0, 2, 0];
        double[] k = [2 * Math.Cos(1), 2 * Math.Sin(1), 2 * Math.Cos(omega1), 2 * Math.Sin(omega1)];
        for (var o = 0; o < D; o++) { wq[o * D + 0] = q[o]; wk[o * D + 0] = k[o]; }
        var emb = new double[vocab * D];
        for (var v = 0; v < vocab; v++) { emb[v * D] = 1; emb[v * D + 1 + v % 3] += 0.5; }
        var wv = new double[D * D]; for (var i = 0; i < D; i++) wv[i * D + i] = 1;
        var layer = new LayerWeights { RmsAtt = Ones(D), Wq = wq, Wk = wk, Wv = wv, Wo = (double[])wv.Clone(), RmsFfn = Ones(D) };
        return new TransformerWeights
        {
            DModel = D, DHidden = 1, Layers = 1, Heads = 1, KvHeads = 1, Vocab = vocab, ContextLength = 16, Mlp = MlpKind.None,
            Normalize = false, Rope = true, RopeBase = ropeBase, Embedding = emb, Classifier = emb, RmsFinal = Ones(D), Layer = [layer],
        };
    }

    private static double[] Ones(int n) => Enumerable.Repeat(1.0, n).ToArray();
}
