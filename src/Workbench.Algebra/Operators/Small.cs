using System.Runtime.Intrinsics;

namespace Workbench.Algebra.Operators;

/// <summary>Small square row-major matrices (the r × r Gram blocks): product, Frobenius pairing, block extraction.</summary>
internal static class Small
{
    /// <summary>
    /// C = A B for n × n row-major matrices. When n is a multiple of the vector width, each strip of C's row
    /// (4 vectors wide) is accumulated in registers over k and stored once: the pair loop's r × r products were
    /// store-bound when C was re-read and re-written for every k.
    /// </summary>
    public static unsafe void Mul(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int n)
    {
        if (a.Length < n * n || b.Length < n * n || c.Length < n * n) throw new ArgumentException("matrix buffers smaller than n × n");
        fixed (double* pa = a, pb = b, pc = c)
        {
            if (Wide.Is512 && n % 32 == 0) { Mul512(pa, pb, pc, n); return; }
            if (Vector256.IsHardwareAccelerated && n % 16 == 0) { Mul256(pa, pb, pc, n); return; }
            for (var i = 0; i < n; i++)
            {
                var ci = pc + i * n;
                for (var j = 0; j < n; j++) ci[j] = 0;
                for (var k = 0; k < n; k++)
                {
                    var aik = pa[i * n + k];
                    var bk = pb + k * n;
                    for (var j = 0; j < n; j++) ci[j] += aik * bk[j];
                }
            }
        }
    }

    /// <summary>
    /// Four rows of C by 32 columns per step: 16 accumulators, and per k 4 broadcasts and 4 loads for 16 FMAs, so the
    /// FMA units rather than the load ports and the FMA latency bound the kernel (one row per step did 4 FMAs per 5
    /// loads with 4 dependent chains: ≈ half the rate). Each element is still summed over k in order, so the result
    /// is bit-for-bit the one-row kernel's.
    /// </summary>
    private static unsafe void Mul512(double* pa, double* pb, double* pc, int n)
    {
        var i = 0;
        for (; i + 4 <= n; i += 4)
        for (var j0 = 0; j0 < n; j0 += 32)
        {
            Vector512<double> c00 = default, c01 = default, c02 = default, c03 = default;
            Vector512<double> c10 = default, c11 = default, c12 = default, c13 = default;
            Vector512<double> c20 = default, c21 = default, c22 = default, c23 = default;
            Vector512<double> c30 = default, c31 = default, c32 = default, c33 = default;
            var b = pb + j0;
            double* a0 = pa + i * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
            for (var k = 0; k < n; k++, b += n)
            {
                var b0 = Vector512.Load(b); var b1 = Vector512.Load(b + 8); var b2 = Vector512.Load(b + 16); var b3 = Vector512.Load(b + 24);
                var x = Vector512.Create(a0[k]);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01); c02 = Vector512.FusedMultiplyAdd(x, b2, c02); c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
                x = Vector512.Create(a1[k]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11); c12 = Vector512.FusedMultiplyAdd(x, b2, c12); c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
                x = Vector512.Create(a2[k]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21); c22 = Vector512.FusedMultiplyAdd(x, b2, c22); c23 = Vector512.FusedMultiplyAdd(x, b3, c23);
                x = Vector512.Create(a3[k]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31); c32 = Vector512.FusedMultiplyAdd(x, b2, c32); c33 = Vector512.FusedMultiplyAdd(x, b3, c33);
            }
            var o = pc + i * n + j0;
            c00.Store(o); c01.Store(o + 8); c02.Store(o + 16); c03.Store(o + 24); o += n;
            c10.Store(o); c11.Store(o + 8); c12.Store(o + 16); c13.Store(o + 24); o += n;
            c20.Store(o); c21.Store(o + 8); c22.Store(o + 16); c23.Store(o + 24); o += n;
            c30.Store(o); c31.Store(o + 8); c32.Store(o + 16); c33.Store(o + 24);
        }
        for (; i < n; i++)
        for (var j0 = 0; j0 < n; j0 += 32)
        {
            Vector512<double> c0 = default, c1 = default, c2 = default, c3 = default;
            var b = pb + j0;
            for (var k = 0; k < n; k++, b += n)
            {
                var av = Vector512.Create(pa[i * n + k]);
                c0 = Vector512.FusedMultiplyAdd(av, Vector512.Load(b), c0);
                c1 = Vector512.FusedMultiplyAdd(av, Vector512.Load(b + 8), c1);
                c2 = Vector512.FusedMultiplyAdd(av, Vector512.Load(b + 16), c2);
                c3 = Vector512.FusedMultiplyAdd(av, Vector512.Load(b + 24), c3);
            }
            var o = pc + i * n + j0;
            c0.Store(o); c1.Store(o + 8); c2.Store(o + 16); c3.Store(o + 24);
        }
    }

    private static unsafe void Mul256(double* pa, double* pb, double* pc, int n)
    {
        for (var i = 0; i < n; i++)
        for (var j0 = 0; j0 < n; j0 += 16)
        {
            Vector256<double> c0 = default, c1 = default, c2 = default, c3 = default;
            var b = pb + j0;
            for (var k = 0; k < n; k++, b += n)
            {
                var av = Vector256.Create(pa[i * n + k]);
                c0 = Vector256.FusedMultiplyAdd(av, Vector256.Load(b), c0);
                c1 = Vector256.FusedMultiplyAdd(av, Vector256.Load(b + 4), c1);
                c2 = Vector256.FusedMultiplyAdd(av, Vector256.Load(b + 8), c2);
                c3 = Vector256.FusedMultiplyAdd(av, Vector256.Load(b + 12), c3);
            }
            var o = pc + i * n + j0;
            c0.Store(o); c1.Store(o + 4); c2.Store(o + 8); c3.Store(o + 12);
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
