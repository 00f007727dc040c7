using System.Runtime.Intrinsics;

namespace Workbench.Algebra.Operators;

/// <summary>Small square row-major matrices (the r × r Gram blocks): product, Frobenius pairing, block extraction.</summary>
internal static class Small
{
    /// <summary>C = A B for n × n row-major matrices; Vector512 over the columns of B when n is a multiple of 8.</summary>
    public static void Mul(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int n)
    {
        c[..(n * n)].Clear();
        var vec = n % 8 == 0 && Vector512.IsHardwareAccelerated;
        var vec256 = n % 4 == 0 && !vec;
        for (var i = 0; i < n; i++)
        {
            var ci = c.Slice(i * n, n);
            for (var k = 0; k < n; k++)
            {
                var aik = a[i * n + k];
                var bk = b.Slice(k * n, n);
                if (vec)
                {
                    var av = Vector512.Create(aik);
                    for (var j = 0; j < n; j += 8)
                        Vector512.FusedMultiplyAdd(av, Vector512.Create(bk.Slice(j, 8)), Vector512.Create((ReadOnlySpan<double>)ci.Slice(j, 8))).CopyTo(ci.Slice(j, 8));
                }
                else if (vec256)
                {
                    var av = Vector256.Create(aik);
                    for (var j = 0; j < n; j += 4)
                        Vector256.FusedMultiplyAdd(av, Vector256.Create(bk.Slice(j, 4)), Vector256.Create((ReadOnlySpan<double>)ci.Slice(j, 4))).CopyTo(ci.Slice(j, 4));
                }
                else
                {
                    for (var j = 0; j < n; j++) ci[j] += aik * bk[j];
                }
            }
        }
    }

    /// <summary>⟨A, B⟩_F = Σ A∘B.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>⟨A, Bᵀ⟩_F = Tr(A B).</summary>
    public static double TraceOfProduct(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int n)
    {
        double s = 0;
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++) s += a[i * n + j] * b[j * n + i];
        return s;
    }

    /// <summary>Copies block (bi, bj) of size r × r out of a (H·r) × (H·r) row-major matrix.</summary>
    public static void Block(double[] g, int width, int r, int bi, int bj, Span<double> dst)
    {
        for (var i = 0; i < r; i++) g.AsSpan((bi * r + i) * width + bj * r, r).CopyTo(dst.Slice(i * r, r));
    }
}
