namespace Workbench.Claims.Stratification;

/// <summary>
/// The small float64 computations the stratification checks need on toy shapes (n ≤ 6, d_h ≤ 4): scores,
/// tempered softmax, masked argmax with the lowest-index tie rule, margins, outputs Y. Matrices are row-major
/// jagged arrays, rows are queries (0-based indices, as everywhere in the workbench). The batched, SIMD-fast
/// versions live in Workbench.Attention; these toy-size ones keep each check readable and self-contained.
/// </summary>
internal static class Dense
{
    public static double[][] Scores(double[][] q, double[][] k)
    {
        var d = q[0].Length;
        var scale = 1 / Math.Sqrt(d);
        var s = new double[q.Length][];
        for (var i = 0; i < q.Length; i++)
        {
            s[i] = new double[k.Length];
            for (var j = 0; j < k.Length; j++)
            {
                double dot = 0;
                for (var c = 0; c < d; c++) dot += q[i][c] * k[j][c];
                s[i][j] = dot * scale;
            }
        }
        return s;
    }

    /// <summary>Softmax of s/τ over the admissible entries; masked entries are exactly 0.</summary>
    public static double[] Softmax(double[] s, double tau, bool[]? admissible = null)
    {
        var max = double.NegativeInfinity;
        for (var j = 0; j < s.Length; j++) if (Admits(admissible, j)) max = Math.Max(max, s[j]);
        if (double.IsNegativeInfinity(max)) throw new ArgumentException("fully masked row: no admissible key");
        var a = new double[s.Length];
        double sum = 0;
        for (var j = 0; j < s.Length; j++)
        {
            if (!Admits(admissible, j)) continue;
            a[j] = Math.Exp((s[j] - max) / tau);
            sum += a[j];
        }
        for (var j = 0; j < s.Length; j++) a[j] /= sum;
        return a;
    }

    public static double[][] Attention(double[][] q, double[][] k, double tau, bool[][]? mask = null) =>
        Scores(q, k).Select((row, i) => Softmax(row, tau, mask?[i])).ToArray();

    /// <summary>The admissible argmax of a row, lowest index on exact ties.</summary>
    public static int Argmax(double[] s, bool[]? admissible = null)
    {
        var best = -1;
        for (var j = 0; j < s.Length; j++)
            if (Admits(admissible, j) && (best < 0 || s[j] > s[best])) best = j;
        return best;
    }

    /// <summary>m = s_σ − max_{j≠σ} s_j over admissible keys; +∞ when only one key is admissible, 0 on a top tie.</summary>
    public static double Margin(double[] s, bool[]? admissible = null)
    {
        var top = Argmax(s, admissible);
        var second = double.NegativeInfinity;
        for (var j = 0; j < s.Length; j++)
            if (j != top && Admits(admissible, j)) second = Math.Max(second, s[j]);
        return s[top] - second;
    }

    public static int[] Pattern(double[][] q, double[][] k, bool[][]? mask = null) =>
        Scores(q, k).Select((row, i) => Argmax(row, mask?[i])).ToArray();

    public static double MinMargin(double[][] q, double[][] k, bool[][]? mask = null) =>
        Scores(q, k).Select((row, i) => Margin(row, mask?[i])).Min();

    public static double[] Mix(double[] weights, double[][] v)
    {
        var y = new double[v[0].Length];
        for (var j = 0; j < weights.Length; j++)
            for (var c = 0; c < y.Length; c++) y[c] += weights[j] * v[j][c];
        return y;
    }

    public static double Distance(double[] a, double[] b)
    {
        double sum = 0;
        for (var c = 0; c < a.Length; c++) sum += (a[c] - b[c]) * (a[c] - b[c]);
        return Math.Sqrt(sum);
    }

    public static bool[][] Causal(int n) =>
        Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => j <= i).ToArray()).ToArray();

    public static bool[][] Window(int n, int w) =>
        Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => Math.Abs(i - j) <= w).ToArray()).ToArray();

    public static bool[][] Padding(int n, bool[] keyPresent) =>
        Enumerable.Range(0, n).Select(_ => (bool[])keyPresent.Clone()).ToArray();

    public static double[][] Multiply(double[][] a, double[][] b) =>
        a.Select(row => Enumerable.Range(0, b[0].Length).Select(c => row.Select((x, k) => x * b[k][c]).Sum()).ToArray()).ToArray();

    /// <summary>Numerical rank by Gaussian elimination with partial pivoting (toy sizes; relative tolerance 1e-10).</summary>
    public static int Rank(double[][] m)
    {
        var a = Copy(m);
        int rows = a.Length, cols = a[0].Length, rank = 0;
        var scale = Math.Max(1e-300, a.Max(r => r.Max(Math.Abs)));
        for (var c = 0; c < cols && rank < rows; c++)
        {
            var pivot = Enumerable.Range(rank, rows - rank).MaxBy(r => Math.Abs(a[r][c]));
            if (Math.Abs(a[pivot][c]) <= 1e-10 * scale) continue;
            (a[rank], a[pivot]) = (a[pivot], a[rank]);
            for (var r = rank + 1; r < rows; r++)
            {
                var f = a[r][c] / a[rank][c];
                for (var k = c; k < cols; k++) a[r][k] -= f * a[rank][k];
            }
            rank++;
        }
        return rank;
    }

    public static double[][] Copy(double[][] m) => m.Select(r => (double[])r.Clone()).ToArray();

    private static bool Admits(bool[]? admissible, int j) => admissible is null || admissible[j];
}

/// <summary>Seeded Gaussian samples, identical on every machine (System.Random's seeded generator is fixed).</summary>
internal sealed class Gaussian(ulong seed)
{
    private readonly Random _random = new(unchecked((int)(seed ^ (seed >> 32))));

    public double Next()
    {
        // Box–Muller; 1 − U keeps the logarithm finite.
        var u = 1.0 - _random.NextDouble();
        var v = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    public double Uniform(double lo, double hi) => lo + (hi - lo) * _random.NextDouble();

    public int Index(int n) => _random.Next(n);

    public double[][] Matrix(int rows, int cols)
    {
        var m = new double[rows][];
        for (var i = 0; i < rows; i++)
        {
            m[i] = new double[cols];
            for (var c = 0; c < cols; c++) m[i][c] = Next();
        }
        return m;
    }
}

internal static class PatternText
{
    /// <summary>A pattern as the note writes it, σ = (σ(0), …, σ(n−1)), 0-based.</summary>
    public static string Of(IReadOnlyList<int> sigma) => "(" + string.Join(",", sigma) + ")";

    public static string Matrix(double[][] m) => "(" + string.Join("; ", m.Select(r => string.Join(", ", r.Select(x => Fmt.Sig(x, 4))))) + ")";
}
