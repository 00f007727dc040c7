using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector512<uint>;
using F = System.Runtime.Intrinsics.Vector512<float>;

namespace Workbench.Kernels.Sampling;

/// <summary>
/// Philox and the normal transform with one sample per Vector512 lane: the same operations, in the same order, as
/// <see cref="Philox"/> and <see cref="NormalTransform"/> (tests compare them bit for bit). No Vector512.Log/Sin/Cos.
/// </summary>
internal static class VectorKernels
{
    // Not Vector512.IsHardwareAccelerated: .NET reports false on Skylake-X (a down-clocking heuristic) although every
    // Vector512 operation still compiles to AVX-512; measured, the 512-bit kernel is the fast one here.
    // Without AVX-512 the same code runs on AVX2: the JIT splits each Vector512 operation into two 256-bit halves, and
    // the two AVX-512-only instructions below have AVX2 twins applied per half. The lanes see the same operations, so
    // the bits are the same (tested by running the sampler with DOTNET_EnableAVX512=0).
    public static bool IsSupported => (Avx512F.IsSupported && Avx512DQ.IsSupported) || Avx2.IsSupported;

    /// <summary>vpmuludq: the 64-bit products of the even 32-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> MultiplyEven(V a, V b) => Avx512F.IsSupported
        ? Avx512F.Multiply(a, b)
        : Vector512.Create(Avx2.Multiply(a.GetLower(), b.GetLower()), Avx2.Multiply(a.GetUpper(), b.GetUpper()));

    /// <summary>vcvttps2dq: truncation toward zero (inputs are in [0, 4), so no saturation case arises).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Truncate(F t) => Avx512F.IsSupported
        ? Avx512F.ConvertToVector512Int32WithTruncation(t)
        : Vector512.Create(Avx.ConvertToVector256Int32WithTruncation(t.GetLower()), Avx.ConvertToVector256Int32WithTruncation(t.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulHiLo(uint m, V a, out V hi, out V lo)
    {
        // Two vpmuludq (even and odd lanes) give all sixteen 64-bit products; hi and lo are blended from them,
        // which is shorter in latency than vpmulld for lo (Philox rounds are a dependency chain).
        var mv = Vector512.Create((ulong)m).AsUInt32();
        var even = MultiplyEven(a, mv);
        var odd = MultiplyEven((a.AsUInt64() >> 32).AsUInt32(), mv);
        var high = Vector512.Create(0xFFFFFFFF00000000UL);
        hi = Vector512.ConditionalSelect(high, odd, even >> 32).AsUInt32();
        lo = Vector512.ConditionalSelect(high, odd << 32, even).AsUInt32();
    }

    /// <summary>Philox4x32-10 on 16 counters at once (key shared by all lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Philox(ref V c0, ref V c1, ref V c2, ref V c3, uint k0, uint k1)
    {
        for (var r = 0; r < Sampling.Philox.Rounds; r++)
        {
            if (r > 0) { k0 += Sampling.Philox.W0; k1 += Sampling.Philox.W1; }
            MulHiLo(Sampling.Philox.M0, c0, out var hi0, out var lo0);
            MulHiLo(Sampling.Philox.M1, c2, out var hi1, out var lo1);
            var n0 = hi1 ^ c1 ^ Vector512.Create(k0);
            var n2 = hi0 ^ c3 ^ Vector512.Create(k1);
            c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
        }
    }

    // The series below are NormalTransform's, written out so the JIT keeps them in registers; the bit-for-bit
    // test against the scalar transform fails if they ever differ.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F Log(F u)
    {
        var bits = u.AsUInt32();
        var e = (bits >> 23).AsInt32() - Vector512.Create(127);
        var m = ((bits & Vector512.Create(0x007FFFFFu)) | Vector512.Create(0x3F800000u)).AsSingle();
        var big = Vector512.GreaterThan(m, Vector512.Create(NormalTransform.Sqrt2));
        m = Vector512.ConditionalSelect(big, m * Vector512.Create(0.5f), m);
        e = e - big.AsInt32(); // the mask is −1 where m was halved
        var f = m - Vector512.Create(1f);
        var s = f / (Vector512.Create(2f) + f);
        var z = s * s;
        var p = Vector512.Create(2f / 11f);
        p = Vector512.Create(2f / 9f) + z * p;
        p = Vector512.Create(2f / 7f) + z * p;
        p = Vector512.Create(2f / 5f) + z * p;
        p = Vector512.Create(2f / 3f) + z * p;
        p = Vector512.Create(2f) + z * p;
        return Vector512.ConvertToSingle(e) * Vector512.Create(NormalTransform.Ln2) + s * p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CosSinTurn(F v, out F cos, out F sin)
    {
        var t = v * Vector512.Create(4f);
        // t ∈ [0, 4): plain truncation (vcvttps2dq), like the scalar (int) cast; Vector512.ConvertToInt32 adds saturation fix-ups.
        var q = Truncate(t);
        var x = (t - Vector512.ConvertToSingle(q)) * Vector512.Create(NormalTransform.HalfPi);
        var x2 = x * x;
        var sp = Vector512.Create(1f / 6227020800f);
        sp = Vector512.Create(-1f / 39916800f) + x2 * sp;
        sp = Vector512.Create(1f / 362880f) + x2 * sp;
        sp = Vector512.Create(-1f / 5040f) + x2 * sp;
        sp = Vector512.Create(1f / 120f) + x2 * sp;
        sp = Vector512.Create(-1f / 6f) + x2 * sp;
        sp = Vector512.Create(1f) + x2 * sp;
        var s = x * sp;
        var c = Vector512.Create(-1f / 87178291200f);
        c = Vector512.Create(1f / 479001600f) + x2 * c;
        c = Vector512.Create(-1f / 3628800f) + x2 * c;
        c = Vector512.Create(1f / 40320f) + x2 * c;
        c = Vector512.Create(-1f / 720f) + x2 * c;
        c = Vector512.Create(1f / 24f) + x2 * c;
        c = Vector512.Create(-1f / 2f) + x2 * c;
        c = Vector512.Create(1f) + x2 * c;
        var odd = Vector512.Equals(q & Vector512.Create(1), Vector512.Create(1)).AsSingle();
        var signBit = Vector512.Create(0x80000000u);
        // cos is negated in quadrants 1 and 2, sin in 2 and 3: sign flips are exact, like scalar negation.
        var cosNeg = Vector512.Equals(((q + Vector512.Create(1)) >> 1) & Vector512.Create(1), Vector512.Create(1)).AsUInt32() & signBit;
        var sinNeg = Vector512.Equals((q >> 1) & Vector512.Create(1), Vector512.Create(1)).AsUInt32() & signBit;
        cos = (Vector512.ConditionalSelect(odd, s, c).AsUInt32() ^ cosNeg).AsSingle();
        sin = (Vector512.ConditionalSelect(odd, c, s).AsUInt32() ^ sinNeg).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pair(V a, V b, out F z0, out F z1)
    {
        var u = Vector512.ConvertToSingle((a >> 8).AsInt32()) * Vector512.Create(NormalTransform.TwoPowMinus24) + Vector512.Create(NormalTransform.TwoPowMinus25);
        var r = Vector512.Sqrt(Log(u) * Vector512.Create(-2f));
        var v = Vector512.ConvertToSingle((b >> 8).AsInt32()) * Vector512.Create(NormalTransform.TwoPowMinus24);
        CosSinTurn(v, out var c, out var s);
        z0 = r * c;
        z1 = r * s;
    }

    /// <summary>All normals of 16 consecutive samples (lane l is sample lo/hi[l]); z holds 4 × blocks vectors.</summary>
    // Fully optimised from the first call: the tier-0 version of this hot loop (and of the helpers it inlines) showed up
    // as ≈ 6% of a 2-second run's profile before the tier-up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Normals(V sampleLo, V sampleHi, ulong seed, int blocks, Span<F> z)
    {
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        ref var dst = ref z[0];
        var b = 0;
        // Two blocks per pass: Philox rounds are a latency chain, and two independent chains fill the pipeline.
        for (; b + 1 < blocks; b += 2)
        {
            V a0 = Vector512.Create((uint)b), a1 = V.Zero, a2 = sampleLo, a3 = sampleHi;
            V b0 = Vector512.Create((uint)b + 1), b1 = V.Zero, b2 = sampleLo, b3 = sampleHi;
            uint r0 = k0, r1 = k1;
            for (var r = 0; r < Sampling.Philox.Rounds; r++)
            {
                if (r > 0) { r0 += Sampling.Philox.W0; r1 += Sampling.Philox.W1; }
                var kk0 = Vector512.Create(r0); var kk1 = Vector512.Create(r1);
                MulHiLo(Sampling.Philox.M0, a0, out var ahi0, out var alo0);
                MulHiLo(Sampling.Philox.M0, b0, out var bhi0, out var blo0);
                MulHiLo(Sampling.Philox.M1, a2, out var ahi1, out var alo1);
                MulHiLo(Sampling.Philox.M1, b2, out var bhi1, out var blo1);
                a0 = ahi1 ^ a1 ^ kk0; a1 = alo1; a2 = ahi0 ^ a3 ^ kk1; a3 = alo0;
                b0 = bhi1 ^ b1 ^ kk0; b1 = blo1; b2 = bhi0 ^ b3 ^ kk1; b3 = blo0;
            }
            Pair(a0, a1, out Unsafe.Add(ref dst, 4 * b), out Unsafe.Add(ref dst, 4 * b + 1));
            Pair(a2, a3, out Unsafe.Add(ref dst, 4 * b + 2), out Unsafe.Add(ref dst, 4 * b + 3));
            Pair(b0, b1, out Unsafe.Add(ref dst, 4 * b + 4), out Unsafe.Add(ref dst, 4 * b + 5));
            Pair(b2, b3, out Unsafe.Add(ref dst, 4 * b + 6), out Unsafe.Add(ref dst, 4 * b + 7));
        }
        for (; b < blocks; b++)
        {
            var c0 = Vector512.Create((uint)b);
            var c1 = V.Zero;
            var c2 = sampleLo;
            var c3 = sampleHi;
            Philox(ref c0, ref c1, ref c2, ref c3, k0, k1);
            Pair(c0, c1, out Unsafe.Add(ref dst, 4 * b), out Unsafe.Add(ref dst, 4 * b + 1));
            Pair(c2, c3, out Unsafe.Add(ref dst, 4 * b + 2), out Unsafe.Add(ref dst, 4 * b + 3));
        }
    }
}
