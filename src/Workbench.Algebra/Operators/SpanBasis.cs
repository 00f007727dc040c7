using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Algebra.Operators;

/// <summary>
/// The orthonormal basis E_1..E_n of span{A_h} that the note extracts by SVD. The singular values of the d² × H
/// matrix [vec A_1 … vec A_H] are the square roots of the eigenvalues of the H × H Gram matrix ⟨A_i, A_j⟩_F, and
/// E_k = Σ_h V_hk A_h / σ_k, so the basis is kept as coefficients over the heads (never as d×d matrices).
/// κ = σ_max / σ_min over the retained σ_k > threshold · σ_max (the note's threshold 1e-8). The E_k themselves are
/// Frobenius-orthonormal, so κ describes the heads' conditioning, not the basis's.
/// </summary>
public sealed record SpanBasis(double[] SingularValues, int Rank, double Kappa, double[] Coefficients, int Heads, double Threshold)
{
    public const double NoteThreshold = 1e-8;

    /// <summary>Coefficient of head h in E_k.</summary>
    public double Coefficient(int h, int k) => Coefficients[h * Rank + k];

    public static SpanBasis FromGram(double[] gram, int heads, double threshold = NoteThreshold)
    {
        var g = Matrix<double>.Build.Dense(heads, heads, (i, j) => 0.5 * (gram[i * heads + j] + gram[j * heads + i]));
        var evd = g.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, heads).OrderByDescending(k => evd.EigenValues[k].Real).ToArray();
        var sigma = order.Select(k => Math.Sqrt(Math.Max(evd.EigenValues[k].Real, 0))).ToArray();
        var smax = sigma.Length > 0 ? sigma[0] : 0;
        var rank = smax == 0 ? 0 : sigma.Count(s => s > threshold * smax);
        var coeff = new double[heads * rank];
        for (var k = 0; k < rank; k++)
        for (var h = 0; h < heads; h++) coeff[h * rank + k] = evd.EigenVectors[h, order[k]] / sigma[k];
        var kappa = rank == 0 ? double.NaN : sigma[0] / sigma[rank - 1];
        return new SpanBasis(sigma, rank, kappa, coeff, heads, threshold);
    }

    /// <summary>E_k as a dense d×d matrix from the dense head operators.</summary>
    public double[] Dense(IReadOnlyList<double[]> denseHeads, int k)
    {
        var e = new double[denseHeads[0].Length];
        for (var h = 0; h < Heads; h++)
        {
            var c = Coefficient(h, k);
            var a = denseHeads[h];
            for (var t = 0; t < e.Length; t++) e[t] += c * a[t];
        }
        return e;
    }
}
