using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Workbench.Algebra.Operators;

/// <summary>
/// C = Aᵀ B for tall row-major A (d × m) and B (d × n): the Gram blocks of the factored heads. Packed panels and an
/// 8 × 24 Vector512 register kernel (24 accumulators, 3 loads + 8 broadcasts per 24 FMAs: half the B-panel traffic
/// per FMA of a 4 × 24 tile, which left the kernel bound by L2 bandwidth); parallel over row panels.
/// When A and B are the same matrix only the panels on or above the diagonal are computed and mirrored.
/// </summary>
public static class GramGemm
{
    private const int Mr = 8, Nr = 24, Kc = 128;

    public static double[] TransposeTimes(double[] a, double[] b, int d, int m, int n)
    {
        if (a.Length != d * m || b.Length != d * n) throw new ArgumentException("GEMM operand sizes do not match d × m, d × n");
        var symmetric = ReferenceEquals(a, b) && m == n;
        var c = new double[m * n];
        var mPanels = (m + Mr - 1) / Mr;
        var nPanels = (n + Nr - 1) / Nr;
        var ap = new double[mPanels * Mr * Kc];
        var bp = new double[nPanels * Nr * Kc];
        for (var k0 = 0; k0 < d; k0 += Kc)
        {
            var kc = Math.Min(Kc, d - k0);
            Pack(a, m, k0, kc, Mr, mPanels, ap);
            Pack(b, n, k0, kc, Nr, nPanels, bp);
            Parallel.For(0, mPanels, ip =>
            {
                Span<double> tile = stackalloc double[Mr * Nr];
                var i0 = ip * Mr;
                var jStart = symmetric ? i0 / Nr : 0;
                for (var jp = jStart; jp < nPanels; jp++)
                {
                    if (Wide.Is512) Kernel(ap.AsSpan(ip * Mr * Kc), bp.AsSpan(jp * Nr * Kc), kc, tile);
                    else Kernel256(ap.AsSpan(ip * Mr * Kc), bp.AsSpan(jp * Nr * Kc), kc, tile);
                    var j0 = jp * Nr;
                    var rows = Math.Min(Mr, m - i0);
                    var cols = Math.Min(Nr, n - j0);
                    for (var r = 0; r < rows; r++)
                    for (var q = 0; q < cols; q++) c[(i0 + r) * n + j0 + q] += tile[r * Nr + q];
                }
            });
        }
        if (symmetric)
        {
            for (var i = 0; i < m; i++)
            for (var j = 0; j < i; j++) c[i * n + j] = c[j * n + i];
        }
        return c;
    }

    /// <summary>Copies columns of rows k0..k0+kc into panels of width w, k-major inside a panel, zero-padded.</summary>
    private static void Pack(double[] src, int cols, int k0, int kc, int w, int panels, double[] dst)
    {
        Array.Clear(dst);
        for (var p = 0; p < panels; p++)
        {
            var c0 = p * w;
            var width = Math.Min(w, cols - c0);
            var baseIdx = p * w * Kc;
            for (var k = 0; k < kc; k++)
            {
                var row = (k0 + k) * cols + c0;
                src.AsSpan(row, width).CopyTo(dst.AsSpan(baseIdx + k * w, width));
            }
        }
    }

    /// <summary>
    /// The same tile with Vector256, for CPUs where the runtime leaves Vector512 unaccelerated (it does so by
    /// default on Xeons that down-clock under 512-bit load; DOTNET_PreferredVectorBitWidth=512 turns it on):
    /// four 4 × 12 quarters, 12 accumulators each, so the tile never spills the 16 ymm registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel256(ReadOnlySpan<double> aPanel, ReadOnlySpan<double> bPanel, int kc, Span<double> tile)
    {
        fixed (double* pa = aPanel, pb = bPanel, pt = tile)
        {
            for (var quarter = 0; quarter < 4; quarter++)
            {
                var half = quarter & 1;
                var rows4 = quarter >> 1;
                Vector256<double> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
                Vector256<double> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
                var a = pa + rows4 * 4;
                var b = pb + half * 12;
                for (var k = 0; k < kc; k++, a += Mr, b += Nr)
                {
                    var b0 = Vector256.Load(b);
                    var b1 = Vector256.Load(b + 4);
                    var b2 = Vector256.Load(b + 8);
                    var a0 = Vector256.Create(a[0]);
                    c00 = Vector256.FusedMultiplyAdd(a0, b0, c00); c01 = Vector256.FusedMultiplyAdd(a0, b1, c01); c02 = Vector256.FusedMultiplyAdd(a0, b2, c02);
                    var a1 = Vector256.Create(a[1]);
                    c10 = Vector256.FusedMultiplyAdd(a1, b0, c10); c11 = Vector256.FusedMultiplyAdd(a1, b1, c11); c12 = Vector256.FusedMultiplyAdd(a1, b2, c12);
                    var a2 = Vector256.Create(a[2]);
                    c20 = Vector256.FusedMultiplyAdd(a2, b0, c20); c21 = Vector256.FusedMultiplyAdd(a2, b1, c21); c22 = Vector256.FusedMultiplyAdd(a2, b2, c22);
                    var a3 = Vector256.Create(a[3]);
                    c30 = Vector256.FusedMultiplyAdd(a3, b0, c30); c31 = Vector256.FusedMultiplyAdd(a3, b1, c31); c32 = Vector256.FusedMultiplyAdd(a3, b2, c32);
                }
                var t = pt + rows4 * 4 * Nr + half * 12;
                c00.Store(t); c01.Store(t + 4); c02.Store(t + 8);
                c10.Store(t + 24); c11.Store(t + 28); c12.Store(t + 32);
                c20.Store(t + 48); c21.Store(t + 52); c22.Store(t + 56);
                c30.Store(t + 72); c31.Store(t + 76); c32.Store(t + 80);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel(ReadOnlySpan<double> aPanel, ReadOnlySpan<double> bPanel, int kc, Span<double> tile)
    {
        fixed (double* pa = aPanel, pb = bPanel, pt = tile)
        {
            Vector512<double> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
            Vector512<double> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
            Vector512<double> c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default;
            Vector512<double> c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
            var a = pa;
            var b = pb;
            for (var k = 0; k < kc; k++, a += Mr, b += Nr)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 8);
                var b2 = Vector512.Load(b + 16);
                var a0 = Vector512.Create(a[0]);
                c00 = Vector512.FusedMultiplyAdd(a0, b0, c00); c01 = Vector512.FusedMultiplyAdd(a0, b1, c01); c02 = Vector512.FusedMultiplyAdd(a0, b2, c02);
                var a1 = Vector512.Create(a[1]);
                c10 = Vector512.FusedMultiplyAdd(a1, b0, c10); c11 = Vector512.FusedMultiplyAdd(a1, b1, c11); c12 = Vector512.FusedMultiplyAdd(a1, b2, c12);
                var a2 = Vector512.Create(a[2]);
                c20 = Vector512.FusedMultiplyAdd(a2, b0, c20); c21 = Vector512.FusedMultiplyAdd(a2, b1, c21); c22 = Vector512.FusedMultiplyAdd(a2, b2, c22);
                var a3 = Vector512.Create(a[3]);
                c30 = Vector512.FusedMultiplyAdd(a3, b0, c30); c31 = Vector512.FusedMultiplyAdd(a3, b1, c31); c32 = Vector512.FusedMultiplyAdd(a3, b2, c32);
                var a4 = Vector512.Create(a[4]);
                c40 = Vector512.FusedMultiplyAdd(a4, b0, c40); c41 = Vector512.FusedMultiplyAdd(a4, b1, c41); c42 = Vector512.FusedMultiplyAdd(a4, b2, c42);
                var a5 = Vector512.Create(a[5]);
                c50 = Vector512.FusedMultiplyAdd(a5, b0, c50); c51 = Vector512.FusedMultiplyAdd(a5, b1, c51); c52 = Vector512.FusedMultiplyAdd(a5, b2, c52);
                var a6 = Vector512.Create(a[6]);
                c60 = Vector512.FusedMultiplyAdd(a6, b0, c60); c61 = Vector512.FusedMultiplyAdd(a6, b1, c61); c62 = Vector512.FusedMultiplyAdd(a6, b2, c62);
                var a7 = Vector512.Create(a[7]);
                c70 = Vector512.FusedMultiplyAdd(a7, b0, c70); c71 = Vector512.FusedMultiplyAdd(a7, b1, c71); c72 = Vector512.FusedMultiplyAdd(a7, b2, c72);
            }
            c00.Store(pt); c01.Store(pt + 8); c02.Store(pt + 16);
            c10.Store(pt + 24); c11.Store(pt + 32); c12.Store(pt + 40);
            c20.Store(pt + 48); c21.Store(pt + 56); c22.Store(pt + 64);
            c30.Store(pt + 72); c31.Store(pt + 80); c32.Store(pt + 88);
            c40.Store(pt + 96); c41.Store(pt + 104); c42.Store(pt + 112);
            c50.Store(pt + 120); c51.Store(pt + 128); c52.Store(pt + 136);
            c60.Store(pt + 144); c61.Store(pt + 152); c62.Store(pt + 160);
            c70.Store(pt + 168); c71.Store(pt + 176); c72.Store(pt + 184);
        }
    }
}
