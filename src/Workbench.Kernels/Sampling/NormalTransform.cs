namespace Workbench.Kernels.Sampling;

/// <summary>
/// Box–Muller with its own polynomial log and sin/cos, in float32, with every operation written out in the order
/// the vector and device kernels use (no fma, no platform math). Division and sqrt are IEEE correctly rounded on
/// every backend (OpenCL built with -cl-fp32-correctly-rounded-divide-sqrt, CUDA with IEEE div/sqrt), so the same
/// words give the same normals, bit for bit. This scalar form is the reference.
/// </summary>
public static class NormalTransform
{
    // Constants are float values; the emitter prints them with round-trip precision so C sources parse them exactly.
    public const float TwoPowMinus24 = 5.9604644775390625e-8f;  // 2^-24
    public const float TwoPowMinus25 = 2.98023223876953125e-8f; // 2^-25
    public const float Sqrt2 = 1.41421354f;
    public const float Ln2 = 0.693147182f;
    public const float HalfPi = 1.57079637f;
    // log(1+f) = 2 atanh(s), s = f/(2+f): odd series 2(s + s^3/3 + ...), |s| <= 0.172 so six terms reach float32 precision.
    public static readonly float[] LogSeries = [2f, 2f / 3f, 2f / 5f, 2f / 7f, 2f / 9f, 2f / 11f];
    // Taylor series on [0, pi/2): truncation error below 1e-9.
    public static readonly float[] SinSeries = [1f, -1f / 6f, 1f / 120f, -1f / 5040f, 1f / 362880f, -1f / 39916800f, 1f / 6227020800f];
    public static readonly float[] CosSeries = [1f, -1f / 2f, 1f / 24f, -1f / 720f, 1f / 40320f, -1f / 3628800f, 1f / 479001600f, -1f / 87178291200f];

    /// <summary>A uniform in (0, 1] from the top 24 bits: never 0, so the log is finite.</summary>
    public static float UniformOpen(uint x) => (float)(x >> 8) * TwoPowMinus24 + TwoPowMinus25;

    /// <summary>A uniform in [0, 1) from the top 24 bits (the angle).</summary>
    public static float UniformHalfOpen(uint x) => (float)(x >> 8) * TwoPowMinus24;

    /// <summary>Natural log of a positive normal float32 (the only inputs Box–Muller gives it).</summary>
    public static float Log(float u)
    {
        var bits = BitConverter.SingleToUInt32Bits(u);
        var e = (int)(bits >> 23) - 127;
        var m = BitConverter.UInt32BitsToSingle((bits & 0x007FFFFFu) | 0x3F800000u);
        if (m > Sqrt2) { m = m * 0.5f; e = e + 1; }
        var f = m - 1f;
        var s = f / (2f + f);
        var z = s * s;
        var p = LogSeries[^1];
        for (var i = LogSeries.Length - 2; i >= 0; i--) p = LogSeries[i] + z * p;
        return (float)e * Ln2 + s * p;
    }

    /// <summary>(cos 2πv, sin 2πv) for v in [0, 1): exact quadrant split (v·4 is exact), Taylor on [0, π/2).</summary>
    public static (float Cos, float Sin) CosSinTurn(float v)
    {
        var t = v * 4f;
        var q = (int)t;
        var x = (t - (float)q) * HalfPi;
        var x2 = x * x;
        var sp = SinSeries[^1];
        for (var i = SinSeries.Length - 2; i >= 0; i--) sp = SinSeries[i] + x2 * sp;
        var s = x * sp;
        var c = CosSeries[^1];
        for (var i = CosSeries.Length - 2; i >= 0; i--) c = CosSeries[i] + x2 * c;
        return q switch
        {
            0 => (c, s),
            1 => (-s, c),
            2 => (-c, -s),
            _ => (s, -c),
        };
    }

    /// <summary>Two standard normals from two words: radius from the first, angle from the second.</summary>
    public static (float, float) Pair(uint a, uint b)
    {
        var r = MathF.Sqrt(Log(UniformOpen(a)) * -2f);
        var (c, s) = CosSinTurn(UniformHalfOpen(b));
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
