using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Workbench.Attention;

/// <summary>
/// The fused float32 strata kernel: scores and the running top-2 per row in one pass, never an n×n buffer. Per head
/// K is packed key-block-major (64 keys × d, each dimension's 64 keys contiguous) so one Vector512 holds 16 keys of one
/// dimension; a micro-kernel of 4 query rows × 64 keys accumulates with FMA, then each row's lanes keep their own
/// top-1/top-2/argmax by compare-and-blend, reduced across the 16 lanes at the end of the row block. Keys stream in
/// increasing index inside each lane, so a strict comparison keeps the lowest index on ties, as the reference does.
/// Scores are scaled by 1/√d only in the margin (a positive scale does not change the argmax).
/// </summary>
public static class StrataFast
{
    private const int Rows = 4, Tile = 16, Block = 64, Panel = 32;

    public static StrataResult Compute(float[] q, float[] k, HeadShape shape, AttentionMask mask, int threads = 2)
    {
        shape.Require(q.LongLength, "Q");
        shape.Require(k.LongLength, "K");
        mask.RequireNoEmptyRow(shape.N);
        Scores.RequireFinite(q, "Q", shape.D);
        Scores.RequireFinite(k, "K", shape.D);
        if (threads < 1) throw new AttentionInputException($"threads {threads}", "must be ≥ 1");
        int n = shape.N;
        var pattern = new int[shape.HeadCount * n];
        var margin = new double[shape.HeadCount * n];
        var bias = BuildBias(mask, n);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        // Work items are heads; with few heads, split each head's rows so both threads stay busy.
        int splits = shape.HeadCount >= 2 * threads ? 1 : Math.Max(1, Math.Min(2 * threads, (n + Rows - 1) / Rows));
        Parallel.For(0, shape.HeadCount * splits, options, () => (float[]?)null, (item, _, packed) =>
        {
            int head = item / splits, part = item % splits;
            packed = Pack(k, head, shape, packed);
            int blocks = (n + Rows - 1) / Rows;
            int from = (int)((long)blocks * part / splits), to = (int)((long)blocks * (part + 1) / splits);
            RunHead(q, packed, head, shape, mask, bias, from * Rows, Math.Min(n, to * Rows), pattern, margin);
            return packed;
        }, _ => { });
        return new StrataResult(shape, pattern, margin);
    }

    /// <summary>For masks that are not one contiguous key range per row, an n×n additive 0/−∞ bias shared by all heads.</summary>
    private static float[]? BuildBias(AttentionMask mask, int n)
    {
        if (mask.ContiguousRange(0, n) is not null) return null;
        var bias = new float[(long)n * PaddedN(n)];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < PaddedN(n); j++)
                bias[(long)i * PaddedN(n) + j] = j < n && mask.Admits(i, j, n) ? 0f : float.NegativeInfinity;
        return bias;
    }

    private static int PaddedN(int n) => (n + Block - 1) / Block * Block;

    private static float[] Pack(float[] k, int head, HeadShape shape, float[]? buffer)
    {
        int n = shape.N, d = shape.D, np = PaddedN(n);
        long size = (long)np * d;
        if (buffer is null || buffer.Length != size) buffer = new float[size];
        else Array.Clear(buffer);
        long offset = (long)head * n * d;
        for (int j = 0; j < n; j++)
        {
            int b = j / Block, lane = j % Block;
            long dst = (long)b * Block * d + lane;
            for (int c = 0; c < d; c++) buffer[dst + c * Block] = k[offset + (long)j * d + c];
        }
        return buffer;
    }

    /// <summary>
    /// Rows are taken a panel of <see cref="Panel"/> at a time with key blocks in the outer loop, so each packed
    /// 64-key block (16 KiB at d = 64) is loaded from L2 once and reused from L1 by all the panel's row quads;
    /// with quads outermost, K streamed from L2 for every 4 rows and bounded the kernel by L2 bandwidth.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunHead(float[] q, float[] packed, int head, HeadShape shape, AttentionMask mask, float[]? bias,
        int rowFrom, int rowTo, int[] pattern, double[] margin)
    {
        int n = shape.N, d = shape.D, np = PaddedN(n);
        float scale = (float)Scores.Scale(d);
        var qPanel = new float[Panel * d];
        var top1 = new Vector512<float>[Panel];
        var top2 = new Vector512<float>[Panel];
        var arg = new Vector512<int>[Panel];
        var lo = new int[Panel];
        var hi = new int[Panel];
        var quadLo = new int[Panel / Rows];
        var quadHi = new int[Panel / Rows];
        var laneIndex = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var sixteen = Vector512.Create(16);
        long qOffset = (long)head * n * d;
        float* tile = stackalloc float[Rows * Block];
        fixed (float* qp = qPanel, kp = packed, bp = bias)
        {
            for (int p0 = rowFrom; p0 < rowTo; p0 += Panel)
            {
                int quads = (Math.Min(Panel, rowTo - p0) + Rows - 1) / Rows;
                int keyHi = 0, keyLo = n;
                for (int r = 0; r < quads * Rows; r++)
                {
                    int i = Math.Min(p0 + r, rowTo - 1); // a short last quad repeats its last row; only real rows are stored
                    Array.Copy(q, qOffset + (long)i * d, qPanel, r * d, d);
                    (lo[r], hi[r]) = mask.ContiguousRange(i, n) ?? (0, n - 1);
                    if (r % Rows == 0) { quadLo[r / Rows] = lo[r]; quadHi[r / Rows] = hi[r]; }
                    quadLo[r / Rows] = Math.Min(quadLo[r / Rows], lo[r]);
                    quadHi[r / Rows] = Math.Max(quadHi[r / Rows], hi[r]);
                    keyLo = Math.Min(keyLo, lo[r]);
                    keyHi = Math.Max(keyHi, hi[r]);
                    top1[r] = top2[r] = Vector512.Create(float.NegativeInfinity);
                    arg[r] = Vector512<int>.Zero;
                }
                for (int b = keyLo / Block; b <= keyHi / Block; b++)
                {
                    int j0 = b * Block;
                    float* kb = kp + (long)b * Block * d;
                    for (int quad = 0; quad < quads; quad++)
                    {
                        if (j0 > quadHi[quad] || j0 + Block - 1 < quadLo[quad]) continue;
                        ScoreTile(qp + quad * Rows * d, kb, d, tile);
                        for (int t = 0; t < Rows; t++)
                        {
                            int r = quad * Rows + t;
                            float* sr = tile + t * Block;
                            var s0 = Vector512.Load(sr); var s1 = Vector512.Load(sr + 16);
                            var s2 = Vector512.Load(sr + 32); var s3 = Vector512.Load(sr + 48);
                            var j = laneIndex + Vector512.Create(j0);
                            if (bp is not null || j0 < lo[r] || j0 + Block - 1 > hi[r])
                            {
                                // A block straddling the row's admissible range: masked keys become −∞ and never win.
                                float* br = bp is null ? null : bp + (long)Math.Min(p0 + r, rowTo - 1) * np + j0;
                                s0 = Admit(s0, j, lo[r], hi[r], br);
                                s1 = Admit(s1, j + sixteen, lo[r], hi[r], br is null ? null : br + 16);
                                s2 = Admit(s2, j + sixteen + sixteen, lo[r], hi[r], br is null ? null : br + 32);
                                s3 = Admit(s3, j + sixteen + sixteen + sixteen, lo[r], hi[r], br is null ? null : br + 48);
                            }
                            Step(ref top1[r], ref top2[r], ref arg[r], s0, j);
                            j += sixteen;
                            Step(ref top1[r], ref top2[r], ref arg[r], s1, j);
                            j += sixteen;
                            Step(ref top1[r], ref top2[r], ref arg[r], s2, j);
                            j += sixteen;
                            Step(ref top1[r], ref top2[r], ref arg[r], s3, j);
                        }
                    }
                }
                for (int r = 0; r < Panel && p0 + r < rowTo; r++)
                {
                    var (p, m) = Reduce(top1[r], top2[r], arg[r]);
                    long at = (long)head * n + p0 + r;
                    pattern[at] = p;
                    margin[at] = lo[r] == hi[r] && bias is null ? double.PositiveInfinity
                        : float.IsNegativeInfinity(m) ? double.PositiveInfinity : (double)(m * scale);
                }
            }
        }
    }

    /// <summary>
    /// The 4 query rows × 64 keys score tile: 16 accumulators stay in registers because this method makes no calls
    /// (in the caller, the calls for the top-2 update forced them onto the stack on every FMA). Fully optimized from
    /// the first call, as it only runs hot.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ScoreTile(float* qp, float* kb, int d, float* tile)
    {
        var a00 = Vector512<float>.Zero; var a01 = a00; var a02 = a00; var a03 = a00;
        var a10 = a00; var a11 = a00; var a12 = a00; var a13 = a00;
        var a20 = a00; var a21 = a00; var a22 = a00; var a23 = a00;
        var a30 = a00; var a31 = a00; var a32 = a00; var a33 = a00;
        float* q1 = qp + d, q2 = qp + 2 * d, q3 = qp + 3 * d;
        for (int c = 0; c < d; c++)
        {
            float* kc = kb + c * Block;
            var k0 = Vector512.Load(kc); var k1 = Vector512.Load(kc + 16);
            var k2 = Vector512.Load(kc + 32); var k3 = Vector512.Load(kc + 48);
            var x = Vector512.Create(qp[c]);
            a00 = Vector512.FusedMultiplyAdd(x, k0, a00); a01 = Vector512.FusedMultiplyAdd(x, k1, a01);
            a02 = Vector512.FusedMultiplyAdd(x, k2, a02); a03 = Vector512.FusedMultiplyAdd(x, k3, a03);
            x = Vector512.Create(q1[c]);
            a10 = Vector512.FusedMultiplyAdd(x, k0, a10); a11 = Vector512.FusedMultiplyAdd(x, k1, a11);
            a12 = Vector512.FusedMultiplyAdd(x, k2, a12); a13 = Vector512.FusedMultiplyAdd(x, k3, a13);
            x = Vector512.Create(q2[c]);
            a20 = Vector512.FusedMultiplyAdd(x, k0, a20); a21 = Vector512.FusedMultiplyAdd(x, k1, a21);
            a22 = Vector512.FusedMultiplyAdd(x, k2, a22); a23 = Vector512.FusedMultiplyAdd(x, k3, a23);
            x = Vector512.Create(q3[c]);
            a30 = Vector512.FusedMultiplyAdd(x, k0, a30); a31 = Vector512.FusedMultiplyAdd(x, k1, a31);
            a32 = Vector512.FusedMultiplyAdd(x, k2, a32); a33 = Vector512.FusedMultiplyAdd(x, k3, a33);
        }
        a00.Store(tile); a01.Store(tile + 16); a02.Store(tile + 32); a03.Store(tile + 48);
        a10.Store(tile + 64); a11.Store(tile + 80); a12.Store(tile + 96); a13.Store(tile + 112);
        a20.Store(tile + 128); a21.Store(tile + 144); a22.Store(tile + 160); a23.Store(tile + 176);
        a30.Store(tile + 192); a31.Store(tile + 208); a32.Store(tile + 224); a33.Store(tile + 240);
    }

    /// <summary>Scores of keys j outside [lo, hi], or with a −∞ bias entry, become −∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<float> Admit(Vector512<float> s, Vector512<int> j, int lo, int hi, float* bias)
    {
        if (bias is not null) return s + Vector512.Load(bias);
        var ok = Vector512.GreaterThanOrEqual(j, Vector512.Create(lo)) & Vector512.LessThanOrEqual(j, Vector512.Create(hi));
        return Vector512.ConditionalSelect(ok.AsSingle(), s, Vector512.Create(float.NegativeInfinity));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref Vector512<float> top1, ref Vector512<float> top2, ref Vector512<int> arg, Vector512<float> s, Vector512<int> index)
    {
        var better = Vector512.GreaterThan(s, top1);
        top2 = Vector512.Max(top2, Vector512.Min(s, top1));
        top1 = Vector512.ConditionalSelect(better, s, top1);
        arg = Vector512.ConditionalSelect(better.AsInt32(), index, arg);
    }

    /// <summary>Across lanes: the winner is the largest top-1 (lowest index among equal ones); top-2 is the best of
    /// every lane's top-2 and every other lane's top-1. Returns (σ(i), top1 − top2 unscaled).</summary>
    private static (int Pattern, float Gap) Reduce(Vector512<float> top1, Vector512<float> top2, Vector512<int> arg)
    {
        float best = float.NegativeInfinity;
        int bestLane = -1;
        for (int l = 0; l < Tile; l++)
        {
            float t = top1[l];
            if (t > best || (t == best && bestLane >= 0 && arg[l] < arg[bestLane])) { best = t; bestLane = l; }
        }
        float second = float.NegativeInfinity;
        for (int l = 0; l < Tile; l++)
        {
            second = Math.Max(second, top2[l]);
            if (l != bestLane) second = Math.Max(second, top1[l]);
        }
        return (arg[bestLane], float.IsNegativeInfinity(second) ? float.NegativeInfinity : best - second);
    }
}
