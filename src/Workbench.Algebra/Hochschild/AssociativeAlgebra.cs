using Workbench.Algebra.Exact;

namespace Workbench.Algebra.Hochschild;

/// <summary>
/// A finite-dimensional associative algebra over Q by its structure constants: b_i b_j = Σ_l c[i, j, l] b_l.
/// Associativity is checked on construction, so every complex built on it is a complex.
/// </summary>
public sealed class AssociativeAlgebra
{
    public string Name { get; }
    public int Dim { get; }
    private readonly Rational[] _c;
    /// <summary>For each l, the pairs (i, j) with c[i, j, l] ≠ 0 and that constant.</summary>
    internal IReadOnlyList<(int I, int J, Rational C)>[] Preimages { get; }

    public AssociativeAlgebra(string name, int dim, Rational[] structureConstants)
    {
        if (dim <= 0) throw new ArgumentException($"algebra '{name}': dimension must be positive, got {dim}");
        if (structureConstants.Length != dim * dim * dim)
            throw new ArgumentException($"algebra '{name}': need dim³ = {dim * dim * dim} structure constants, got {structureConstants.Length}");
        (Name, Dim, _c) = (name, dim, structureConstants);
        var pre = Enumerable.Range(0, dim).Select(_ => new List<(int, int, Rational)>()).ToArray();
        for (var i = 0; i < dim; i++)
        for (var j = 0; j < dim; j++)
        for (var l = 0; l < dim; l++)
            if (!C(i, j, l).IsZero) pre[l].Add((i, j, C(i, j, l)));
        Preimages = pre;
        var bad = FirstNonAssociativeTriple();
        if (bad is { } t) throw new ArgumentException($"algebra '{name}': structure constants are not associative at basis triple ({t.Item1}, {t.Item2}, {t.Item3})");
    }

    public Rational C(int i, int j, int l) => _c[(i * Dim + j) * Dim + l];

    /// <summary>Product of two elements given in coordinates.</summary>
    public Rational[] Mul(Rational[] x, Rational[] y)
    {
        var z = new Rational[Dim];
        for (var l = 0; l < Dim; l++) z[l] = Rational.Zero;
        for (var l = 0; l < Dim; l++)
            foreach (var (i, j, c) in Preimages[l])
                if (!x[i].IsZero && !y[j].IsZero) z[l] += x[i] * y[j] * c;
        return z;
    }

    public Rational[] Basis(int i) => Enumerable.Range(0, Dim).Select(k => k == i ? Rational.One : Rational.Zero).ToArray();

    private (int, int, int)? FirstNonAssociativeTriple()
    {
        for (var i = 0; i < Dim; i++)
        for (var j = 0; j < Dim; j++)
        for (var k = 0; k < Dim; k++)
        {
            var left = Mul(Mul(Basis(i), Basis(j)), Basis(k));
            var right = Mul(Basis(i), Mul(Basis(j), Basis(k)));
            if (!left.SequenceEqual(right)) return (i, j, k);
        }
        return null;
    }

    /// <summary>The full matrix algebra M_n, basis E_ab (index a·n + b), E_ab E_cd = δ_bc E_ad.</summary>
    public static AssociativeAlgebra Matrices(int n)
    {
        var m = n * n;
        var c = Zeros(m);
        for (var a = 0; a < n; a++)
        for (var b = 0; b < n; b++)
        for (var d = 0; d < n; d++)
            c[((a * n + b) * m + (b * n + d)) * m + (a * n + d)] = Rational.One;
        return new AssociativeAlgebra($"M_{n}", m, c);
    }

    /// <summary>Upper-triangular 2×2 matrices, basis E11, E12, E22.</summary>
    public static AssociativeAlgebra UpperTriangular2()
    {
        var c = Zeros(3);
        void Set(int i, int j, int l) => c[(i * 3 + j) * 3 + l] = Rational.One;
        Set(0, 0, 0); Set(0, 1, 1); Set(1, 2, 1); Set(2, 2, 2);
        return new AssociativeAlgebra("upper-triangular 2x2", 3, c);
    }

    /// <summary>The dual numbers k[x]/(x²), basis 1, x.</summary>
    public static AssociativeAlgebra DualNumbers()
    {
        var c = Zeros(2);
        c[(0 * 2 + 0) * 2 + 0] = Rational.One;
        c[(0 * 2 + 1) * 2 + 1] = Rational.One;
        c[(1 * 2 + 0) * 2 + 1] = Rational.One;
        return new AssociativeAlgebra("k[x]/(x^2)", 2, c);
    }

    private static Rational[] Zeros(int m) => Enumerable.Repeat(Rational.Zero, m * m * m).ToArray();
}
