namespace Workbench.Claims.Stratification;

/// <summary>
/// Plain float64 linear algebra for building toy inputs (X W, the rank of a projection, distances). None of it is
/// attention, and the numeric libraries have no jagged toy-size versions, so it stays here, beside the checks that
/// build their data with it; attention itself goes through <see cref="ToyHead"/>.
/// </summary>
internal static class ToyMatrix
{
    public static double[][] Multiply(double[][] a, double[][] b) =>
        a.Select(row => Enumerable.Range(0, b[0].Length).Select(c => row.Select((x, k) => x * b[k][c]).Sum()).ToArray()).ToArray();

    public static double Distance(double[] a, double[] b)
    {
        double sum = 0;
        for (var c = 0; c < a.Length; c++) sum += (a[c] - b[c]) * (a[c] - b[c]);
        return Math.Sqrt(sum);
    }

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
}

/// <summary>
/// Seeded Gaussian samples, identical on every machine (System.Random's seeded generator is fixed). Seeded from the
/// 64-bit <see cref="ClaimContext.SeedFor"/>, which Workbench.Attention's int-seeded sampler does not take, and
/// the pinned catalog evidence depends on this exact stream.
/// </summary>
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
