namespace Workbench.Protocols.Cells;

/// <summary>
/// S §11's block as a map of (Q, K): Y = softmax(QKᵀ/(τ√d)) V with V fixed, then a ReLU MLP per row,
/// F(Q, K)_i = W₂ ReLU(W₁ Y_i + b₁). A block cell C_{σ,a} fixes the hard pattern σ (row arg-max of QKᵀ) and the
/// ReLU activation pattern a. τ = 0 means the hard limit (one-hot rows). Weights are seeded Gaussians.
/// </summary>
public sealed class ReluAttentionBlock
{
    public int Tokens { get; }
    public int Dim { get; }
    public int Hidden { get; }
    private readonly double[] _v, _w1, _b1, _w2;

    public ReluAttentionBlock(int tokens, int dim, int hidden, ulong seed)
    {
        Tokens = tokens; Dim = dim; Hidden = hidden;
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        _v = Enumerable.Range(0, tokens * dim).Select(_ => N()).ToArray();
        _w1 = Enumerable.Range(0, hidden * dim).Select(_ => N() / Math.Sqrt(dim)).ToArray();
        _b1 = Enumerable.Range(0, hidden).Select(_ => 0.1 * N()).ToArray();
        _w2 = Enumerable.Range(0, dim * hidden).Select(_ => N() / Math.Sqrt(hidden)).ToArray();
    }

    public int InputSize => 2 * Tokens * Dim;

    /// <summary>(Q, K) packed as one vector: Q rows then K rows.</summary>
    public double[] Evaluate(double[] qk, double tau) => Forward(qk, tau, out _, out _);

    /// <summary>The cell of a point: the hard pattern σ and the ReLU activation bits, as one key.</summary>
    public string Cell(double[] qk)
    {
        Forward(qk, 1, out var sigma, out var active);
        return string.Join(",", sigma) + "|" + new string(active.Select(b => b ? '1' : '0').ToArray());
    }

    /// <summary>The smallest score margin over rows: the distance of σ to its tie set.</summary>
    public double MinMargin(double[] qk)
    {
        var s = Scores(qk);
        var min = double.PositiveInfinity;
        for (var i = 0; i < Tokens; i++)
        {
            var row = s.AsSpan(i * Tokens, Tokens).ToArray().OrderDescending().ToArray();
            min = Math.Min(min, row[0] - row[1]);
        }
        return min;
    }

    private double[] Scores(double[] qk)
    {
        var s = new double[Tokens * Tokens];
        var inv = 1 / Math.Sqrt(Dim);
        for (var i = 0; i < Tokens; i++)
            for (var j = 0; j < Tokens; j++)
            {
                var dot = 0.0;
                for (var c = 0; c < Dim; c++) dot += qk[i * Dim + c] * qk[(Tokens + j) * Dim + c];
                s[i * Tokens + j] = dot * inv;
            }
        return s;
    }

    private double[] Forward(double[] qk, double tau, out int[] sigma, out bool[] active)
    {
        if (qk.Length != InputSize) throw new ArgumentException($"(Q, K) must have {InputSize} entries, got {qk.Length}");
        var s = Scores(qk);
        sigma = new int[Tokens];
        active = new bool[Tokens * Hidden];
        var output = new double[Tokens * Dim];
        for (var i = 0; i < Tokens; i++)
        {
            var best = 0;
            for (var j = 1; j < Tokens; j++) if (s[i * Tokens + j] > s[i * Tokens + best]) best = j;
            sigma[i] = best;
            var a = new double[Tokens];
            if (tau == 0) a[best] = 1;
            else
            {
                var sum = 0.0;
                for (var j = 0; j < Tokens; j++) { a[j] = Math.Exp((s[i * Tokens + j] - s[i * Tokens + best]) / tau); sum += a[j]; }
                for (var j = 0; j < Tokens; j++) a[j] /= sum;
            }
            var y = new double[Dim];
            for (var j = 0; j < Tokens; j++) for (var c = 0; c < Dim; c++) y[c] += a[j] * _v[j * Dim + c];
            var hid = new double[Hidden];
            for (var u = 0; u < Hidden; u++)
            {
                var z = _b1[u];
                for (var c = 0; c < Dim; c++) z += _w1[u * Dim + c] * y[c];
                active[i * Hidden + u] = z > 0;
                hid[u] = Math.Max(0, z);
            }
            for (var c = 0; c < Dim; c++) { var o = 0.0; for (var u = 0; u < Hidden; u++) o += _w2[c * Hidden + u] * hid[u]; output[i * Dim + c] = o; }
        }
        return output;
    }
}
