using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Protocols.Fisher;

/// <summary>
/// The S.conj-14.1 statistic. P = span of the gradients ∇θ(S_ij − S_ik) of near-tie margins (pattern-switching
/// directions); for the k largest and k smallest Fisher eigen-directions, the mean squared projection onto P.
/// The null is the same statistic for k uniformly random orthonormal directions (seeded draws), whose mean is
/// dim P / dim θ. Two one-sided tail probabilities say whether extreme directions lean toward P (switching) or
/// away from it (preserving). Where F has a kernel of dimension above k (a sampled Fisher from fewer gradients than
/// parameters), the bottom-k directions are any k vectors of that kernel: the bottom figures are then NaN.
/// </summary>
public static class SwitchingAlignment
{
    public sealed record Result(double[] Eigenvalues, int SubspaceRank, int Dimension, int K, double TopOverlap, double BottomOverlap,
        double NullMean, double TopUpperTail, double TopLowerTail, double BottomUpperTail, double BottomLowerTail, double[] NullDraws, int KernelDimension)
    {
        public bool BottomDetermined => KernelDimension <= K;
    }

    /// <summary>Eigenvalues of F in decreasing order with their unit eigenvectors (columns), and the numerical kernel's dimension.</summary>
    public sealed record Spectrum(double[] Values, Matrix<double> Vectors, int KernelDimension)
    {
        public int Dimension => Values.Length;
        public IEnumerable<Vector<double>> Top(int k) => Enumerable.Range(0, k).Select(Vectors.Column);
        public IEnumerable<Vector<double>> Bottom(int k) => Enumerable.Range(Dimension - k, k).Select(Vectors.Column);
    }

    /// <summary>Eigenvalues below this fraction of the largest are taken as the kernel (float64 rounding of a PSD sum).</summary>
    public const double KernelTolerance = 1e-10;

    public static Spectrum Decompose(double[,] fisher)
    {
        var n = fisher.GetLength(0);
        var F = Matrix<double>.Build.DenseOfArray(fisher);
        F = (F + F.Transpose()) * 0.5;
        var evd = F.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        var order = Enumerable.Range(0, n).OrderByDescending(i => values[i]).ToArray();
        var vectors = Matrix<double>.Build.Dense(n, n, (i, j) => evd.EigenVectors[i, order[j]]);
        var sorted = order.Select(i => values[i]).ToArray();
        var kernel = sorted.Count(v => v <= KernelTolerance * Math.Max(sorted[0], double.Epsilon));
        return new Spectrum(sorted, vectors, kernel);
    }

    public static Result Compute(double[,] fisher, IReadOnlyList<double[]> switchingGradients, int k, int nullDraws, ulong seed) =>
        Compute(Decompose(fisher), switchingGradients, k, nullDraws, seed);

    public static Result Compute(Spectrum spectrum, IReadOnlyList<double[]> switchingGradients, int k, int nullDraws, ulong seed)
    {
        var n = spectrum.Dimension;
        var basis = Orthonormal(switchingGradients, n);
        var top = spectrum.Top(k).Average(u => Overlap(basis, u));
        var bottomDetermined = spectrum.KernelDimension <= k;
        var bottom = bottomDetermined ? spectrum.Bottom(k).Average(u => Overlap(basis, u)) : double.NaN;
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var draws = new double[nullDraws];
        for (var d = 0; d < nullDraws; d++)
        {
            var random = Orthonormal(Enumerable.Range(0, k).Select(_ => Enumerable.Range(0, n).Select(_ => N()).ToArray()).ToList(), n);
            draws[d] = random.Average(u => Overlap(basis, u));
        }
        double Upper(double x) => double.IsNaN(x) ? double.NaN : (1 + draws.Count(v => v >= x)) / (double)(nullDraws + 1);
        double Lower(double x) => double.IsNaN(x) ? double.NaN : (1 + draws.Count(v => v <= x)) / (double)(nullDraws + 1);
        return new Result(spectrum.Values, basis.Count, n, k, top, bottom, basis.Count / (double)n,
            Upper(top), Lower(top), Upper(bottom), Lower(bottom), draws, spectrum.KernelDimension);
    }

    /// <summary>‖P u‖² / ‖u‖² for P the projector on the span of an orthonormal basis.</summary>
    public static double Overlap(IReadOnlyList<Vector<double>> basis, Vector<double> u)
    {
        var s = 0.0;
        foreach (var b in basis) { var d = b.DotProduct(u); s += d * d; }
        return s / u.DotProduct(u);
    }

    /// <summary>Gram–Schmidt with re-orthogonalization, dropping directions already in the span.</summary>
    public static List<Vector<double>> Orthonormal(IReadOnlyList<double[]> vectors, int n)
    {
        var basis = new List<Vector<double>>();
        foreach (var v in vectors)
        {
            var x = Vector<double>.Build.DenseOfArray(v);
            var norm0 = x.L2Norm();
            if (norm0 == 0) continue;
            for (var pass = 0; pass < 2; pass++) foreach (var b in basis) x -= b.DotProduct(x) * b;
            var norm = x.L2Norm();
            if (norm > 1e-9 * norm0) basis.Add(x / norm);
        }
        return basis;
    }
}
