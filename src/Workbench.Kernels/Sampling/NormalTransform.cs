namespace Workbench.Kernels.Sampling;

/// <summary>
/// Box–Muller with its own polynomial log and sin/cos, in float32, with every operation written out in the order
/// the vector and device kernels use. fma appears only where it is written (<see cref="MathF.FusedMultiplyAdd"/>,
/// OpenCL's fma, CUDA's fmaf: one rounding everywhere, IEEE 754); nothing else may be contracted. Division and sqrt
/// are IEEE correctly rounded on every backend (OpenCL built with -cl-fp32-correctly-rounded-divide-sqrt, CUDA with
/// __fdiv_rn/__fsqrt_rn), so the same words give the same normals, bit for bit. This scalar form is the reference.
/// </summary>
/// <remarks>
/// Version 2 (2026-12-08): explicit fma in the polynomials, sin/cos reduced to [−π/4, π/4] straight from the
/// angle word's bits (four fewer terms, no float quadrant split), and the −2 of −2 log u folded into the series.
/// About 1.7× faster on AVX-512 than version 1 for the same accuracy (docs/kernels.md).
/// </remarks>
public static class NormalTransform
{
    // Constants are float values; the emitter prints them with round-trip precision so C sources parse them exactly.
    public const float TwoPowMinus24 = 5.9604644775390625e-8f;  // 2^-24
    public const float TwoPowMinus25 = 2.98023223876953125e-8f; // 2^-25
    public const float Ln2 = 0.693147182f;
    public const float MinusTwoLn2 = -2f * Ln2; // exact: a power-of-two multiple of fl32(ln 2)

    /// <summary>
    /// Adding this to u's bits puts the mantissa split at √2/2 (bits 0x3F3504F3) and biases the exponent by 64 so
    /// that the word stays non-negative: e = (t &gt;&gt; 23) − 64, m = bits((t &amp; 0x7FFFFF) + 0x3F3504F3) ∈ [√2/2, √2).
    /// Unsigned arithmetic only, so C's implementation-defined signed shifts never enter.
    /// </summary>
    public const uint LogSplit = unchecked((ExponentBias << 23) - SqrtHalfBits);
    public const uint SqrtHalfBits = 0x3F3504F3;
    public const uint ExponentBias = 64;

    /// <summary>
    /// −2 log(1+f) = −4 atanh(s), s = f/(2+f), |s| ≤ 0.1716: −4 (1 + s²/3 + s⁴/5 + s⁶/7 + s⁸/9) s, with the
    /// five coefficients −4/(2i+1); the first omitted term is below 2e-9 relative.
    /// </summary>
    public static readonly float[] MinusTwoLogSeries = [-4f, -4f / 3f, -4f / 5f, -4f / 7f, -4f / 9f];

    /// <summary>
    /// The angle word b is the turn b/2^32. Rounded to the nearest quarter turn q = (b + 2^29) &gt;&gt; 30 (mod 4), the
    /// residual (b &lt;&lt; 2) read as a signed int is 4·2^32/(2π) times an angle in [−π/4, π/4): x = (int)(b &lt;&lt; 2)·π·2^-33.
    /// </summary>
    public const float AngleScale = 3.14159274f / 8589934592f; // fl32(π)·2^-33, exact

    /// <summary>sin x = x + x³(S1 + x²(S2 + x² S3)) on [−π/4, π/4] (Cephes sinf's minimax coefficients).</summary>
    public static readonly float[] SinSeries = [-1.6666654611E-1f, 8.3321608736E-3f, -1.9515295891E-4f];

    /// <summary>cos x = 1 + x²(−1/2 + x²(C1 + x²(C2 + x² C3))) on [−π/4, π/4] (Cephes cosf's coefficients).</summary>
    public static readonly float[] CosSeries = [-0.5f, 4.166664568298827E-2f, -1.388731625493765E-3f, 2.443315711809948E-5f];

    /// <summary>A uniform in (0, 1] from the top 24 bits: never 0, so the log is finite.</summary>
    public static float UniformOpen(uint x) => (float)(x >> 8) * TwoPowMinus24 + TwoPowMinus25;

    /// <summary>−2 ln u for a positive normal float32 u (the only inputs Box–Muller gives it).</summary>
    public static float MinusTwoLog(float u)
    {
        var t = BitConverter.SingleToUInt32Bits(u) + LogSplit;
        var e = (int)(t >> 23) - (int)ExponentBias;
        var m = BitConverter.UInt32BitsToSingle((t & 0x007FFFFFu) + SqrtHalfBits);
        var f = m - 1f;
        var s = f / (2f + f);
        var z = s * s;
        var c = MinusTwoLogSeries;
        var p = c[^1];
        for (var i = c.Length - 2; i >= 0; i--) p = MathF.FusedMultiplyAdd(z, p, c[i]);
        return MathF.FusedMultiplyAdd((float)e, MinusTwoLn2, s * p);
    }

    /// <summary>(cos, sin) of the turn b/2^32: quadrant and residual from the word's bits, polynomials on [−π/4, π/4].</summary>
    public static (float Cos, float Sin) CosSinTurn(uint b)
    {
        var w = b + 0x20000000u;  // bits 31..30 of w: the quadrant q
        var x = (float)(int)(b << 2) * AngleScale;
        var x2 = x * x;
        var sp = MathF.FusedMultiplyAdd(x2, SinSeries[2], SinSeries[1]);
        sp = MathF.FusedMultiplyAdd(x2, sp, SinSeries[0]);
        var sin = MathF.FusedMultiplyAdd(x * x2, sp, x);
        var cp = MathF.FusedMultiplyAdd(x2, CosSeries[3], CosSeries[2]);
        cp = MathF.FusedMultiplyAdd(x2, cp, CosSeries[1]);
        cp = MathF.FusedMultiplyAdd(x2, cp, CosSeries[0]);
        var cos = MathF.FusedMultiplyAdd(x2, cp, 1f);
        // Quadrant q: cos(qπ/2 + x) is (cos, −sin, −cos, sin)[q], sin(qπ/2 + x) is (sin, cos, −sin, −cos)[q].
        // Odd q swaps the two; cos is negated for q ∈ {1, 2} (bit 31 of w + 2^30), sin for q ∈ {2, 3} (bit 31 of w).
        var odd = (w & 0x40000000u) != 0;
        var cosBits = BitConverter.SingleToUInt32Bits(odd ? sin : cos) ^ ((w + 0x40000000u) & 0x80000000u);
        var sinBits = BitConverter.SingleToUInt32Bits(odd ? cos : sin) ^ (w & 0x80000000u);
        return (BitConverter.UInt32BitsToSingle(cosBits), BitConverter.UInt32BitsToSingle(sinBits));
    }

    /// <summary>Two standard normals from two words: radius from the first, angle from the second.</summary>
    public static (float, float) Pair(uint a, uint b)
    {
        var r = MathF.Sqrt(MinusTwoLog(UniformOpen(a)));
        var (c, s) = CosSinTurn(b);
        return (r * c, r * s);
    }

    /// <summary>Normals 4b..4b+3 of a sample: one Philox block gives two Box–Muller pairs.</summary>
    public static void Block(ulong seed, ulong sample, uint block, Span<float> four)
    {
        var (x0, x1, x2, x3) = Philox.SampleBlock(seed, sample, block);
        (four[0], four[1]) = Pair(x0, x1);
        (four[2], four[3]) = Pair(x2, x3);
    }
}
