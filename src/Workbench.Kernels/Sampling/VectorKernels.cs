using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector512<uint>;
using F = System.Runtime.Intrinsics.Vector512<float>;

namespace Workbench.Kernels.Sampling;

/// <summary>
/// Philox and the normal transform with one sample per Vector512 lane: the same operations, in the same order, as
/// <see cref="Philox"/> and <see cref="NormalTransform"/> (tests compare them bit for bit). No Vector512.Log/Sin/Cos;
/// fma only where the reference writes it.
/// </summary>
internal static class VectorKernels
{
    // Not Vector512.IsHardwareAccelerated: .NET reports false on Skylake-X (a down-clocking heuristic) although every
    // Vector512 operation still compiles to AVX-512; measured, the 512-bit kernel is the fast one here.
    // Without AVX-512 the same code runs on AVX2: the JIT splits each Vector512 operation into two 256-bit halves, the
    // AVX-512 instructions named below (vpmuludq, vpshufd, vpermt2d) have AVX2 twins applied per half, and
    // Vector512.FusedMultiplyAdd becomes two 256-bit vfmadd (one rounding either way). The lanes see the same
    // operations, so the bits are the same (tested by running the sampler with DOTNET_EnableAVX512=0).
    public static bool IsSupported => (Avx512F.IsSupported && Avx512DQ.IsSupported) || Avx2.IsSupported;

    // Philox state layout: the 16 samples' words split into two vectors of 64-bit lanes (samples 0–7 and 8–15), each
    // word in the low half of its lane. vpmuludq then yields the whole 64-bit product in place: lo is the product itself
    // (its high half is don't-care, since vpmuludq reads only low halves and the outputs are packed from low halves),
    // hi is one in-lane shuffle. Per round that is 2 multiplies, 2 shuffles and 2 three-way xors per vector, against
    // the 16-lane form's extra shifts and blends to split hi from lo (measured: ≈ 59 against ≈ 75 cycles per block).

    /// <summary>vpmuludq: the 64-bit products of the even 32-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V MultiplyEven(V a, V b) => (Avx512F.IsSupported
        ? Avx512F.Multiply(a, b)
        : Vector512.Create(Avx2.Multiply(a.GetLower(), b.GetLower()), Avx2.Multiply(a.GetUpper(), b.GetUpper()))).AsUInt32();

    /// <summary>vpshufd 0xF5: each 64-bit lane's high word copied into its low word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V HighWords(V p) => Avx512F.IsSupported
        ? Avx512F.Shuffle(p, 0xF5)
        : Vector512.Create(Avx2.Shuffle(p.GetLower(), 0xF5), Avx2.Shuffle(p.GetUpper(), 0xF5));

    private static readonly V PackIndices = Vector512.Create(0u, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);

    /// <summary>The low words of two 64-bit-lane vectors as one 16-lane vector (x's samples first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Pack(V x, V y) => Avx512F.IsSupported
        ? Avx512F.PermuteVar16x32x2(x, PackIndices, y)
        : Vector512.Create(LowWords(x), LowWords(y));

    /// <summary>AVX2: the eight low words of a 64-bit-lane vector (vpshufd 0x88, then vpermq gathers qwords 0 and 2).</summary>
    private static Vector256<uint> LowWords(V x) => Vector256.Create(
        Avx2.Permute4x64(Avx2.Shuffle(x.GetLower(), 0x88).AsUInt64(), 0x08).AsUInt32().GetLower(),
        Avx2.Permute4x64(Avx2.Shuffle(x.GetUpper(), 0x88).AsUInt64(), 0x08).AsUInt32().GetLower());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(V k0, V k1, ref V x0, ref V x1, ref V x2, ref V x3)
    {
        var p0 = MultiplyEven(x0, Vector512.Create((ulong)Sampling.Philox.M0).AsUInt32());
        var p1 = MultiplyEven(x2, Vector512.Create((ulong)Sampling.Philox.M1).AsUInt32());
        x0 = HighWords(p1) ^ x1 ^ k0; x1 = p1; x2 = HighWords(p0) ^ x3 ^ k1; x3 = p0;
    }

    /// <summary>The ten round keys of a seed, each broadcast to all lanes: (k0, k1) of round r at [2r], [2r + 1].</summary>
    public static void RoundKeys(ulong seed, Span<V> keys)
    {
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        for (var r = 0; r < Sampling.Philox.Rounds; r++)
        {
            if (r > 0) { k0 += Sampling.Philox.W0; k1 += Sampling.Philox.W1; }
            keys[2 * r] = Vector512.Create(k0);
            keys[2 * r + 1] = Vector512.Create(k1);
        }
    }

    /// <summary>Philox4x32-10 on 16 counters at once (key shared by all lanes).</summary>
    public static void Philox(ref V c0, ref V c1, ref V c2, ref V c3, uint k0, uint k1)
    {
        Span<V> keys = stackalloc V[2 * Sampling.Philox.Rounds];
        RoundKeys(k0 | ((ulong)k1 << 32), keys);
        V x0 = Vector512.WidenLower(c0).AsUInt32(), x1 = Vector512.WidenLower(c1).AsUInt32(), x2 = Vector512.WidenLower(c2).AsUInt32(), x3 = Vector512.WidenLower(c3).AsUInt32();
        V y0 = Vector512.WidenUpper(c0).AsUInt32(), y1 = Vector512.WidenUpper(c1).AsUInt32(), y2 = Vector512.WidenUpper(c2).AsUInt32(), y3 = Vector512.WidenUpper(c3).AsUInt32();
        for (var r = 0; r < Sampling.Philox.Rounds; r++)
        {
            Round(keys[2 * r], keys[2 * r + 1], ref x0, ref x1, ref x2, ref x3);
            Round(keys[2 * r], keys[2 * r + 1], ref y0, ref y1, ref y2, ref y3);
        }
        c0 = Pack(x0, y0); c1 = Pack(x1, y1); c2 = Pack(x2, y2); c3 = Pack(x3, y3);
    }

    // The series below are NormalTransform's, written out so the JIT keeps them in registers; the bit-for-bit
    // test against the scalar transform fails if they ever differ.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F MinusTwoLog(F u)
    {
        var t = u.AsUInt32() + Vector512.Create(NormalTransform.LogSplit);
        var e = (t >> 23).AsInt32() - Vector512.Create((int)NormalTransform.ExponentBias);
        var m = ((t & Vector512.Create(0x007FFFFFu)) + Vector512.Create(NormalTransform.SqrtHalfBits)).AsSingle();
        var f = m - Vector512.Create(1f);
        var s = f / (Vector512.Create(2f) + f);
        var z = s * s;
        var c = NormalTransform.MinusTwoLogSeries;
        var p = Vector512.FusedMultiplyAdd(z, Vector512.Create(c[4]), Vector512.Create(c[3]));
        p = Vector512.FusedMultiplyAdd(z, p, Vector512.Create(c[2]));
        p = Vector512.FusedMultiplyAdd(z, p, Vector512.Create(c[1]));
        p = Vector512.FusedMultiplyAdd(z, p, Vector512.Create(c[0]));
        return Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(e), Vector512.Create(NormalTransform.MinusTwoLn2), s * p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CosSinTurn(V b, out F cos, out F sin)
    {
        var w = b + Vector512.Create(0x20000000u);
        var x = Vector512.ConvertToSingle((b << 2).AsInt32()) * Vector512.Create(NormalTransform.AngleScale);
        var x2 = x * x;
        var sc = NormalTransform.SinSeries;
        var sp = Vector512.FusedMultiplyAdd(x2, Vector512.Create(sc[2]), Vector512.Create(sc[1]));
        sp = Vector512.FusedMultiplyAdd(x2, sp, Vector512.Create(sc[0]));
        var sn = Vector512.FusedMultiplyAdd(x * x2, sp, x).AsUInt32();
        var cc = NormalTransform.CosSeries;
        var cp = Vector512.FusedMultiplyAdd(x2, Vector512.Create(cc[3]), Vector512.Create(cc[2]));
        cp = Vector512.FusedMultiplyAdd(x2, cp, Vector512.Create(cc[1]));
        cp = Vector512.FusedMultiplyAdd(x2, cp, Vector512.Create(cc[0]));
        var cs = Vector512.FusedMultiplyAdd(x2, cp, Vector512.Create(1f)).AsUInt32();
        // Sign flips are exact bit operations, like the scalar reference's.
        var even = Vector512.Equals(w & Vector512.Create(0x40000000u), V.Zero);
        var sign = Vector512.Create(0x80000000u);
        cos = (Vector512.ConditionalSelect(even, cs, sn) ^ ((w + Vector512.Create(0x40000000u)) & sign)).AsSingle();
        sin = (Vector512.ConditionalSelect(even, sn, cs) ^ (w & sign)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair(V a, V b, out F z0, out F z1)
    {
        var u = Vector512.ConvertToSingle((a >> 8).AsInt32()) * Vector512.Create(NormalTransform.TwoPowMinus24) + Vector512.Create(NormalTransform.TwoPowMinus25);
        var r = Vector512.Sqrt(MinusTwoLog(u));
        CosSinTurn(b, out var c, out var s);
        z0 = r * c;
        z1 = r * s;
    }

    /// <summary>All normals of 16 consecutive samples (lane l is sample lo/hi[l]); z holds 4 × blocks vectors.</summary>
    /// <param name="keys">The seed's <see cref="RoundKeys"/>.</param>
    // Fully optimised from the first call: the tier-0 version of this hot loop (and of the helpers it inlines) showed up
    // as ≈ 6% of a 2-second run's profile before the tier-up. The rounds are written out: as a loop, the JIT kept the
    // chained state vectors on the stack across its back edge.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Normals(V sampleLo, V sampleHi, ReadOnlySpan<V> keys, int blocks, Span<F> z)
    {
        V lo0 = Vector512.WidenLower(sampleLo).AsUInt32(), lo1 = Vector512.WidenUpper(sampleLo).AsUInt32();
        V hi0 = Vector512.WidenLower(sampleHi).AsUInt32(), hi1 = Vector512.WidenUpper(sampleHi).AsUInt32();
        ref var dst = ref z[0];
        var b = 0;
        if (!Avx512F.IsSupported)
        {
            // AVX2: each Vector512 operation is a small managed method here, and the written-out loop below exceeds the
            // JIT's inlining budget (its helpers stayed calls: 2× slower). One block per call keeps every helper inlined.
            for (; b < blocks; b++) Block(b, lo0, lo1, hi0, hi1, keys, ref dst);
            return;
        }
        // Two blocks per pass, four independent chains: a round's multiply–shuffle–xor chain is ≈ 7 cycles long.
        for (; b + 1 < blocks; b += 2)
        {
            V first = Vector512.Create((uint)b), second = Vector512.Create((uint)b + 1);
            V a0 = first, a1 = V.Zero, a2 = lo0, a3 = hi0;   // block b, samples 0–7
            V b0 = first, b1 = V.Zero, b2 = lo1, b3 = hi1;   // block b, samples 8–15
            V c0 = second, c1 = V.Zero, c2 = lo0, c3 = hi0;  // block b + 1
            V d0 = second, d1 = V.Zero, d2 = lo1, d3 = hi1;
            Round4(keys[0], keys[1], ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref c0, ref c1, ref c2, ref c3, ref d0, ref d1, ref d2, ref d3);
            Round4(keys[2], keys[3], ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref c0, ref c1, ref c2, ref c3, ref d0, ref d1, ref d2, ref d3);
            Round4(keys[4], keys[5], ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref c0, ref c1, ref c2, ref c3, ref d0, ref d1, ref d2, ref d3);
            Round4(keys[6], keys[7], ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref c0, ref c1, ref c2, ref c3, ref d0, ref d1, ref d2, ref d3);
            Round4(keys[8], keys[9], ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref c0, ref c1, ref c2, ref c3, ref d0, ref d1, ref d2, ref d3);
            Round4(keys[10], keys[11], ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref c0, ref c1, ref c2, ref c3, ref d0, ref d1, ref d2, ref d3);
            Round4(keys[12], keys[13], ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref c0, ref c1, ref c2, ref c3, ref d0, ref d1, ref d2, ref d3);
            Round4(keys[14], keys[15], ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref c0, ref c1, ref c2, ref c3, ref d0, ref d1, ref d2, ref d3);
            Round4(keys[16], keys[17], ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref c0, ref c1, ref c2, ref c3, ref d0, ref d1, ref d2, ref d3);
            Round4(keys[18], keys[19], ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref c0, ref c1, ref c2, ref c3, ref d0, ref d1, ref d2, ref d3);
            Pair(Pack(a0, b0), Pack(a1, b1), out Unsafe.Add(ref dst, 4 * b), out Unsafe.Add(ref dst, 4 * b + 1));
            Pair(Pack(a2, b2), Pack(a3, b3), out Unsafe.Add(ref dst, 4 * b + 2), out Unsafe.Add(ref dst, 4 * b + 3));
            Pair(Pack(c0, d0), Pack(c1, d1), out Unsafe.Add(ref dst, 4 * b + 4), out Unsafe.Add(ref dst, 4 * b + 5));
            Pair(Pack(c2, d2), Pack(c3, d3), out Unsafe.Add(ref dst, 4 * b + 6), out Unsafe.Add(ref dst, 4 * b + 7));
        }
        if (b < blocks) Block(b, lo0, lo1, hi0, hi1, keys, ref dst);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Block(int b, V lo0, V lo1, V hi0, V hi1, ReadOnlySpan<V> keys, ref F dst)
    {
        var block = Vector512.Create((uint)b);
        V a0 = block, a1 = V.Zero, a2 = lo0, a3 = hi0;
        V b0 = block, b1 = V.Zero, b2 = lo1, b3 = hi1;
        for (var r = 0; r < Sampling.Philox.Rounds; r++)
        {
            Round(keys[2 * r], keys[2 * r + 1], ref a0, ref a1, ref a2, ref a3);
            Round(keys[2 * r], keys[2 * r + 1], ref b0, ref b1, ref b2, ref b3);
        }
        Pair(Pack(a0, b0), Pack(a1, b1), out Unsafe.Add(ref dst, 4 * b), out Unsafe.Add(ref dst, 4 * b + 1));
        Pair(Pack(a2, b2), Pack(a3, b3), out Unsafe.Add(ref dst, 4 * b + 2), out Unsafe.Add(ref dst, 4 * b + 3));
    }

    /// <summary>One round on four independent chains (two blocks × two sample halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round4(V k0, V k1, ref V a0, ref V a1, ref V a2, ref V a3, ref V b0, ref V b1, ref V b2, ref V b3,
        ref V c0, ref V c1, ref V c2, ref V c3, ref V d0, ref V d1, ref V d2, ref V d3)
    {
        Round(k0, k1, ref a0, ref a1, ref a2, ref a3);
        Round(k0, k1, ref b0, ref b1, ref b2, ref b3);
        Round(k0, k1, ref c0, ref c1, ref c2, ref c3);
        Round(k0, k1, ref d0, ref d1, ref d2, ref d3);
    }
}
