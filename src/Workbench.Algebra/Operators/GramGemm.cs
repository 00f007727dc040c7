using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Workbench.Algebra.Operators;

/// <summary>
/// C = Aᵀ B for tall row-major A (d × m) and B (d × n): the Gram blocks of the factored heads. BLIS-style blocking
/// around an 8 × 24 Vector512 register kernel (24 accumulators, 3 loads + 8 broadcasts per 24 FMAs):
/// both operands are packed once, slab by slab of <see cref="Kc"/> rows of d, into 8-wide (A) and 24-wide (B)
/// k-major micro-panels; the work is split into Mc × Nc blocks of C, each block owned by one thread for all slabs
/// (no barrier per slab, no tile copy: the kernel adds its accumulators into C with vector loads and stores).
/// Inside a block the 24-wide B micro-panel (Kc·24·8 B = 24 KB, L1) is reused across the Mc/8 A micro-panels, whose
/// block (Mc·Kc·8 B = 128 KB) stays in L2. When A and B are the same matrix only tiles touching the upper triangle
/// are computed and mirrored. The summation order per element is the previous code's (each 128-row slab's k in
/// order in registers from zero, slabs added to C in order of k0), so results are bit-for-bit the same; on the
/// loaded 2-vCPU machine Kc = 256 and other Mc/Nc/loop orders measured no better within the noise.
/// </summary>
public static class GramGemm
{
    private const int Mr = 8, Nr = 24, Kc = 128, Mc = 128, Nc = 192;

    public static double[] TransposeTimes(double[] a, double[] b, int d, int m, int n) => TransposeTimes(a, b, d, m, n, Wide.Is512);

    /// <summary>As above with the kernel width chosen by the caller (tests run the Vector256 path on AVX-512 CPUs).</summary>
    internal static double[] TransposeTimes(double[] a, double[] b, int d, int m, int n, bool use512)
    {
        if (a.Length != d * m || b.Length != d * n) throw new ArgumentException("GEMM operand sizes do not match d × m, d × n");
        return Product(new Columns(a, m, null, 0), new Columns(b, n, null, 0), d, ReferenceEquals(a, b) && m == n, use512, new double[m * n]);
    }

    /// <summary>
    /// The Gram matrix of the stacked columns [A B] (A, B both d × m, row-major), 2m × 2m and symmetric:
    /// [[AᵀA, AᵀB], [BᵀA, BᵀB]]. One packing pass and one symmetric product instead of AᵀA, BᵀB and BᵀA apart
    /// (the same upper-triangle tiles, so the same FLOPs, but a third of the packing traffic and one work queue for
    /// both threads). Every entry is summed in the same order as by <see cref="TransposeTimes(double[], double[], int, int, int)"/>,
    /// so the blocks are bit-for-bit the separate products.
    /// </summary>
    public static double[] StackedGram(double[] a, double[] b, int d, int m) => StackedGram(a, b, d, m, Wide.Is512);

    internal static double[] StackedGram(double[] a, double[] b, int d, int m, bool use512)
    {
        if (a.Length != d * m || b.Length != d * m) throw new ArgumentException("stacked Gram operands must both be d × m");
        var cols = new Columns(a, m, b, m);
        return Product(cols, cols, d, true, use512, new double[4 * m * m]);
    }

    /// <summary>
    /// <see cref="StackedGram(double[], double[], int, int)"/> into a reused buffer (length ≥ 4m², row stride 2m) that
    /// the caller hands back with <see cref="Release"/> once done with it.
    /// </summary>
    internal static double[] StackedGramScratch(double[] a, double[] b, int d, int m)
    {
        if (a.Length != d * m || b.Length != d * m) throw new ArgumentException("stacked Gram operands must both be d × m");
        var c = Scratch.Rent(4 * m * m);
        Array.Clear(c, 0, 4 * m * m);
        var cols = new Columns(a, m, b, m);
        return Product(cols, cols, d, true, Wide.Is512, c);
    }

    internal static void Release(double[] gram) => Scratch.Return(gram);

    /// <summary>The columns of an operand: those of <c>First</c> (d × FirstCols), then those of an optional <c>Second</c>.</summary>
    private readonly record struct Columns(double[] First, int FirstCols, double[]? Second, int SecondCols)
    {
        public int Count => FirstCols + SecondCols;
    }

    /// <summary>C (zeroed, row stride n) += the product; returns C.</summary>
    private static double[] Product(Columns ca, Columns cb, int d, bool symmetric, bool use512, double[] c)
    {
        if (use512 && !Wide.Is512) throw new PlatformNotSupportedException("512-bit kernel requested without AVX-512");
        int m = ca.Count, n = cb.Count;
        if (d == 0 || m == 0 || n == 0) return c;
        var mPanels = (m + Mr - 1) / Mr;
        var nPanels = (n + Nr - 1) / Nr;
        var slabs = (d + Kc - 1) / Kc;
        var (ap, aOff) = Pack(ca, d, Mr, mPanels, slabs);
        var (bp, bOff) = Pack(cb, d, Nr, nPanels, slabs);

        // Work items: Mc × Nc blocks of C (only those touching the upper triangle when symmetric), costliest first.
        var items = new List<(int I0, int J0, long Cost)>();
        for (var i0 = 0; i0 < m; i0 += Mc)
        for (var j0 = 0; j0 < n; j0 += Nc)
        {
            long tiles = 0;
            for (var ip = i0 / Mr; ip < Math.Min(mPanels, (i0 + Mc) / Mr); ip++)
            for (var jp = j0 / Nr; jp < Math.Min(nPanels, (j0 + Nc) / Nr); jp++)
                if (!symmetric || jp * Nr + Nr > ip * Mr) tiles++;
            if (tiles > 0) items.Add((i0, j0, tiles));
        }
        items.Sort((x, y) => y.Cost.CompareTo(x.Cost));
        var next = -1;
        var workers = Math.Min(Environment.ProcessorCount, items.Count);
        Parallel.For(0, workers, _ =>
        {
            int it;
            while ((it = Interlocked.Increment(ref next)) < items.Count)
                Block(ap, aOff, bp, bOff, c, d, m, n, items[it].I0, items[it].J0, symmetric, mPanels, nPanels, use512);
        });
        Scratch.Return(ap);
        Scratch.Return(bp);
        if (symmetric) MirrorUpper(c, n);
        return c;
    }

    private static unsafe void Block(double[] ap, int aOff, double[] bp, int bOff, double[] c, int d, int m, int n, int i0, int j0,
        bool symmetric, int mPanels, int nPanels, bool use512)
    {
        var ipEnd = Math.Min(mPanels, (i0 + Mc) / Mr);
        var jpEnd = Math.Min(nPanels, (j0 + Nc) / Nr);
        Span<double> tile = stackalloc double[Mr * Nr];
        fixed (double* pa0 = ap, pb0 = bp, pc = c, pt = tile)
        {
            double* pa = pa0 + aOff, pb = pb0 + bOff;
            for (var s = 0; s * Kc < d; s++)
            {
                var kc = Math.Min(Kc, d - s * Kc);
                var aSlab = pa + (long)s * mPanels * Mr * Kc;
                var bSlab = pb + (long)s * nPanels * Nr * Kc;
                for (var jp = j0 / Nr; jp < jpEnd; jp++)
                {
                    var jj = jp * Nr;
                    var cols = Math.Min(Nr, n - jj);
                    var bPanel = bSlab + (long)jp * Nr * Kc;
                    for (var ip = i0 / Mr; ip < ipEnd; ip++)
                    {
                        var ii = ip * Mr;
                        if (symmetric && jj + Nr <= ii) continue;
                        var rows = Math.Min(Mr, m - ii);
                        var aPanel = aSlab + (long)ip * Mr * Kc;
                        if (use512 && rows == Mr && cols == Nr) Kernel(aPanel, bPanel, kc, pc + (long)ii * n + jj, n);
                        else
                        {
                            if (use512)
                            {
                                tile.Clear();
                                Kernel(aPanel, bPanel, kc, pt, Nr);
                            }
                            else Kernel256(aPanel, bPanel, kc, pt);
                            for (var r = 0; r < rows; r++)
                            for (var q = 0; q < cols; q++) pc[(long)(ii + r) * n + jj + q] += pt[r * Nr + q];
                        }
                    }
                }
            }
        }
    }

    /// <summary>Copies the lower triangle from the upper, in 64 × 64 blocks so both sides stay in cache.</summary>
    private static void MirrorUpper(double[] c, int n)
    {
        const int B = 64;
        for (var i0 = 0; i0 < n; i0 += B)
        for (var j0 = 0; j0 <= i0; j0 += B)
        {
            var iEnd = Math.Min(n, i0 + B);
            for (var i = i0; i < iEnd; i++)
            {
                var jEnd = Math.Min(i, j0 + B);
                for (var j = j0; j < jEnd; j++) c[i * n + j] = c[j * n + i];
            }
        }
    }

    /// <summary>
    /// Packs columns into panels of width w, slab by slab of Kc rows: slab s, panel p holds rows s·Kc.. of columns
    /// p·w..p·w+w−1, k-major, zero-padded past the last column. The array is pinned and the panels start at
    /// element <c>off</c>, a 64-byte boundary, so no 512-bit load of the kernel straddles two cache lines (a plain
    /// array is only guaranteed 8-byte alignment, so a kernel load could split; at load average ≈ 30–40 no
    /// difference was measurable, kept as the standard practice at no cost).
    /// </summary>
    private static unsafe (double[] Data, int Off) Pack(Columns src, int d, int w, int panels, int slabs)
    {
        var cols = src.Count;
        // Reused (not cleared): the zero padding past the last column is written below; what a reused buffer holds
        // beyond this product's panels is never read.
        var dst = Scratch.Rent(slabs * panels * w * Kc + 8);
        int off;
        fixed (double* p = dst) off = (int)((64 - ((nuint)p & 63)) & 63) / sizeof(double);
        Parallel.For(0, slabs, s =>
        {
            var k0 = s * Kc;
            var kc = Math.Min(Kc, d - k0);
            var slabBase = (long)s * panels * w * Kc;
            for (var k = 0; k < kc; k++)
            {
                var first = src.First.AsSpan((k0 + k) * src.FirstCols, src.FirstCols);
                var second = src.Second is null ? default : src.Second.AsSpan((k0 + k) * src.SecondCols, src.SecondCols);
                for (var p = 0; p < panels; p++)
                {
                    var c0 = p * w;
                    var width = Math.Min(w, cols - c0);
                    var at = dst.AsSpan((int)(off + slabBase + (long)p * w * Kc + k * w), w);
                    if (width < w) at.Slice(width).Clear();
                    // A panel may straddle the two sources' boundary.
                    var fromFirst = Math.Clamp(src.FirstCols - c0, 0, width);
                    if (fromFirst > 0) first.Slice(c0, fromFirst).CopyTo(at);
                    if (fromFirst < width) second.Slice(c0 + fromFirst - src.FirstCols, width - fromFirst).CopyTo(at.Slice(fromFirst));
                }
            }
        });
        return (dst, off);
    }

    /// <summary>
    /// The same tile with Vector256, for CPUs without AVX-512: four 4 × 12 quarters, 12 accumulators each, so the
    /// tile never spills the 16 ymm registers; writes (not adds) the 8 × 24 tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel256(double* pa, double* pb, int kc, double* pt)
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

    /// <summary>C[0..8, 0..24] (row stride ldc) += the 8 × 24 product of a packed A micro-panel and B micro-panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel(double* pa, double* pb, int kc, double* pc, int ldc)
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
        Add(pc, c00, c01, c02); Add(pc + ldc, c10, c11, c12); Add(pc + 2 * ldc, c20, c21, c22); Add(pc + 3 * ldc, c30, c31, c32);
        Add(pc + 4 * ldc, c40, c41, c42); Add(pc + 5 * ldc, c50, c51, c52); Add(pc + 6 * ldc, c60, c61, c62); Add(pc + 7 * ldc, c70, c71, c72);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Add(double* row, Vector512<double> x, Vector512<double> y, Vector512<double> z)
    {
        (Vector512.Load(row) + x).Store(row);
        (Vector512.Load(row + 8) + y).Store(row + 8);
        (Vector512.Load(row + 16) + z).Store(row + 16);
    }
}
