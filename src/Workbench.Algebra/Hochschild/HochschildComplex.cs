using Workbench.Algebra.Exact;

namespace Workbench.Algebra.Hochschild;

/// <summary>
/// The Hochschild cochain complex C^n(A, A) = Hom(A^⊗n, A), exact over Q. A cochain is a dense vector of length
/// m^(n+1) (m = dim A), coordinate (i_1..i_n; l) at ((i_1·m + i_2)·m + … + i_n)·m + l. The differential
/// (δf)(a_1..a_{n+1}) = a_1 f(a_2..) + Σ_{t=1..n} (−1)^t f(.., a_t a_{t+1}, ..) + (−1)^{n+1} f(a_1..a_n) a_{n+1}
/// is assembled column by column as sparse vectors; ranks come from exact sparse elimination, and
/// dim HH^n = dim C^n − rank δ_n − rank δ_{n−1}.
/// </summary>
public sealed class HochschildComplex
{
    public AssociativeAlgebra Algebra { get; }
    private readonly Dictionary<int, SparseEchelon> _images = new();

    public HochschildComplex(AssociativeAlgebra algebra) => Algebra = algebra;

    public long CochainDim(int n) => (long)Math.Pow(Algebra.Dim, n + 1);

    /// <summary>δ_n applied to the basis cochain with coordinate <paramref name="index"/>, as a sparse vector in C^{n+1}.</summary>
    public Dictionary<int, Rational> DeltaOfBasis(int n, int index)
    {
        var m = Algebra.Dim;
        var k = index % m;
        var tuple = Digits(index / m, n, m);
        var result = new Dictionary<int, Rational>();
        void Add(int[] t, int l, Rational v)
        {
            var key = Index(t, m) * m + l;
            var s = (result.TryGetValue(key, out var old) ? old : Rational.Zero) + v;
            if (s.IsZero) result.Remove(key); else result[key] = s;
        }
        // a_1 f(a_2..a_{n+1}): b_{j1} b_k = Σ_l c[j1, k, l] b_l.
        for (var j1 = 0; j1 < m; j1++)
        for (var l = 0; l < m; l++)
        {
            var c = Algebra.C(j1, k, l);
            if (!c.IsZero) Add([j1, .. tuple], l, c);
        }
        // (−1)^t f(a_1, .., a_t a_{t+1}, .., a_{n+1}): the product must land on i_t.
        for (var t = 1; t <= n; t++)
        {
            var sign = t % 2 == 0 ? Rational.One : -Rational.One;
            foreach (var (a, b, c) in Algebra.Preimages[tuple[t - 1]])
            {
                int[] j = [.. tuple[..(t - 1)], a, b, .. tuple[t..]];
                Add(j, k, sign * c);
            }
        }
        // (−1)^{n+1} f(a_1..a_n) a_{n+1}.
        var lastSign = (n + 1) % 2 == 0 ? Rational.One : -Rational.One;
        for (var jl = 0; jl < m; jl++)
        for (var l = 0; l < m; l++)
        {
            var c = Algebra.C(k, jl, l);
            if (!c.IsZero) Add([.. tuple, jl], l, lastSign * c);
        }
        return result;
    }

    /// <summary>δ_n of an arbitrary cochain.</summary>
    public Rational[] Delta(int n, Rational[] cochain)
    {
        if (cochain.Length != CochainDim(n)) throw new ArgumentException($"a {n}-cochain has {CochainDim(n)} coordinates, got {cochain.Length}");
        var result = Enumerable.Repeat(Rational.Zero, checked((int)CochainDim(n + 1))).ToArray();
        for (var idx = 0; idx < cochain.Length; idx++)
        {
            if (cochain[idx].IsZero) continue;
            foreach (var (key, v) in DeltaOfBasis(n, idx)) result[key] += cochain[idx] * v;
        }
        return result;
    }

    /// <summary>rank δ_n (δ_{−1} = 0).</summary>
    public int RankDelta(int n) => n < 0 ? 0 : Image(n).Rank;

    /// <summary>dim HH^n(A, A).</summary>
    public long HH(int n) => CochainDim(n) - RankDelta(n) - RankDelta(n - 1);

    /// <summary>True when the (n+1)-cochain is a coboundary δ_n g.</summary>
    public bool IsCoboundary(int n, Rational[] cochain)
    {
        var v = new Dictionary<int, Rational>();
        for (var i = 0; i < cochain.Length; i++) if (!cochain[i].IsZero) v[i] = cochain[i];
        return Image(n).Contains(v);
    }

    private SparseEchelon Image(int n)
    {
        if (_images.TryGetValue(n, out var e)) return e;
        e = new SparseEchelon();
        var cols = checked((int)CochainDim(n));
        for (var idx = 0; idx < cols; idx++) e.Add(DeltaOfBasis(n, idx));
        _images[n] = e;
        return e;
    }

    /// <summary>The commutator 2-cochain φ(a, b) = ab − ba.</summary>
    public Rational[] CommutatorCochain()
    {
        var m = Algebra.Dim;
        var phi = new Rational[m * m * m];
        for (var i = 0; i < m; i++)
        for (var j = 0; j < m; j++)
        for (var l = 0; l < m; l++)
            phi[(i * m + j) * m + l] = Algebra.C(i, j, l) - Algebra.C(j, i, l);
        return phi;
    }

    /// <summary>Gerstenhaber composition of 2-cochains: (f∘g)(a,b,c) = f(g(a,b), c) − f(a, g(b,c)).</summary>
    public Rational[] Circle(Rational[] f, Rational[] g)
    {
        var m = Algebra.Dim;
        var r = Enumerable.Repeat(Rational.Zero, m * m * m * m).ToArray();
        for (var a = 0; a < m; a++)
        for (var b = 0; b < m; b++)
        for (var c = 0; c < m; c++)
        for (var p = 0; p < m; p++)
        {
            var gab = g[(a * m + b) * m + p];
            var gbc = g[(b * m + c) * m + p];
            for (var l = 0; l < m; l++)
            {
                var v = Rational.Zero;
                if (!gab.IsZero) v += gab * f[(p * m + c) * m + l];
                if (!gbc.IsZero) v -= gbc * f[(a * m + p) * m + l];
                if (!v.IsZero) r[((a * m + b) * m + c) * m + l] += v;
            }
        }
        return r;
    }

    /// <summary>[f, g]_G for 2-cochains: f∘g − (−1)^{(2−1)(2−1)} g∘f = f∘g + g∘f.</summary>
    public Rational[] GerstenhaberBracket(Rational[] f, Rational[] g)
    {
        var fg = Circle(f, g);
        var gf = Circle(g, f);
        return fg.Select((x, i) => x + gf[i]).ToArray();
    }

    private static int[] Digits(int value, int n, int m)
    {
        var d = new int[n];
        for (var t = n - 1; t >= 0; t--) { d[t] = value % m; value /= m; }
        return d;
    }

    private static int Index(int[] t, int m)
    {
        var x = 0;
        foreach (var v in t) x = x * m + v;
        return x;
    }
}
