using System.Runtime.Intrinsics;
using Workbench.Kernels.Sampling;

namespace Workbench.Kernels.Tests.Sampling;

public class NormalTransformTests
{
    [Fact]
    public void Polynomial_log_is_accurate_to_float32_on_every_radius_word()
    {
        // All 2^24 uniforms the radius can take: −2 ln u to within 2 ulp-ish relative error (float32 ulp ≈ 1.2e-7).
        var worst = 0.0;
        for (var k = 0u; k < (1u << 24); k++)
        {
            var u = NormalTransform.UniformOpen(k << 8);
            var exact = -2 * Math.Log(u);
            if (exact == 0) { Assert.Equal(0f, NormalTransform.MinusTwoLog(u)); continue; }
            worst = Math.Max(worst, Math.Abs(NormalTransform.MinusTwoLog(u) - exact) / exact);
        }
        Assert.True(worst < 2.5e-7, $"worst relative error of −2 ln u {worst}");
    }

    [Fact]
    public void Polynomial_cos_sin_are_accurate_in_every_quadrant()
    {
        // Words around every quadrant and octant boundary, and a stride through all the others.
        var words = new List<uint>();
        for (var k = 0u; k < 8; k++) for (var dw = -3; dw <= 3; dw++) words.Add(unchecked(k * 0x20000000u + (uint)dw));
        for (var w = 17ul; w < (1ul << 32); w += 65_521) words.Add((uint)w);
        var worst = 0.0;
        foreach (var b in words)
        {
            var (c, s) = NormalTransform.CosSinTurn(b);
            var angle = 2 * Math.PI * b / 4294967296.0;
            worst = Math.Max(worst, Math.Max(Math.Abs(c - Math.Cos(angle)), Math.Abs(s - Math.Sin(angle))));
            var norm = (double)c * c + (double)s * s;
            Assert.True(Math.Abs(norm - 1) < 5e-7, $"word {b:x8}: cos² + sin² = {norm}");
        }
        Assert.True(worst < 2e-7, $"worst cos/sin error {worst}");
    }

    [Fact]
    public void Normals_have_standard_moments_and_pass_Kolmogorov_Smirnov()
    {
        const int n = 200_000;
        var z = new double[n];
        Span<float> four = stackalloc float[4];
        for (var i = 0; i < n / 4; i++)
        {
            NormalTransform.Block(42, (ulong)i, 0, four);
            for (var j = 0; j < 4; j++) z[4 * i + j] = four[j];
        }
        double m1 = z.Average(), m2 = z.Average(x => x * x), m3 = z.Average(x => x * x * x), m4 = z.Average(x => x * x * x * x);
        // Standard errors at n = 2e5: mean 0.0022, E z^2 0.0032, E z^3 0.0055, E z^4 0.022; bounds are ~5 sigma.
        Assert.InRange(m1, -0.011, 0.011);
        Assert.InRange(m2, 0.984, 1.016);
        Assert.InRange(m3, -0.028, 0.028);
        Assert.InRange(m4, 2.89, 3.11);
        Array.Sort(z);
        var d = 0.0;
        for (var i = 0; i < n; i++)
        {
            var f = NormalCdf(z[i]);
            d = Math.Max(d, Math.Max(f - (double)i / n, (double)(i + 1) / n - f));
        }
        // KS critical value at alpha = 0.001: 1.95 / sqrt(n).
        Assert.True(d < 1.95 / Math.Sqrt(n), $"KS statistic {d}");
    }

    [Fact]
    public void KS_test_rejects_a_wrong_distribution()
    {
        // The negative control of the test above: the same statistic on normals scaled by 1.02 must fail it.
        const int n = 200_000;
        var z = new double[n];
        Span<float> four = stackalloc float[4];
        for (var i = 0; i < n / 4; i++)
        {
            NormalTransform.Block(42, (ulong)i, 0, four);
            for (var j = 0; j < 4; j++) z[4 * i + j] = 1.02 * four[j];
        }
        Array.Sort(z);
        var d = 0.0;
        for (var i = 0; i < n; i++) { var f = NormalCdf(z[i]); d = Math.Max(d, Math.Max(f - (double)i / n, (double)(i + 1) / n - f)); }
        Assert.True(d > 1.95 / Math.Sqrt(n), $"KS statistic {d}");
    }

    [Avx512Fact]
    public void Vector_normals_equal_scalar_normals_bit_for_bit()
    {
        const int blocks = 63; // odd: the two-block loop and the one-block tail both run
        var z = new Vector512<float>[blocks * 4];
        Span<float> four = stackalloc float[4];
        var keys = new Vector512<uint>[2 * Philox.Rounds];
        VectorKernels.RoundKeys(99, keys);
        for (ulong start = 0; start < 4096; start += 16)
        {
            var lo = new uint[16]; var hi = new uint[16];
            for (var l = 0; l < 16; l++) { var s = start + (ulong)l + 0xFFFFFF00UL; lo[l] = (uint)s; hi[l] = (uint)(s >> 32); }
            VectorKernels.Normals(Vector512.Create<uint>(lo), Vector512.Create<uint>(hi), keys, blocks, z);
            for (var l = 0; l < 16; l++)
                for (uint b = 0; b < blocks; b++)
                {
                    NormalTransform.Block(99, start + (ulong)l + 0xFFFFFF00UL, b, four);
                    for (var j = 0; j < 4; j++)
                        Assert.Equal(BitConverter.SingleToUInt32Bits(four[j]), BitConverter.SingleToUInt32Bits(z[4 * b + j][l]));
                }
        }
    }

    internal static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    // Numerical Recipes erfc (Chebyshev), relative error < 1.2e-7: ample for a KS test at n = 2e5.
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
            t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
