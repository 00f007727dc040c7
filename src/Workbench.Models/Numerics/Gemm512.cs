using System.Runtime.Intrinsics;

namespace Workbench.Models.Numerics;

/// <summary>
/// y[n × outPad] = x[n × inDim] · Wt[inDim × outPad] in float32 with explicit Vector512 FMAs. The weights are
/// pre-transposed and their columns padded to a multiple of 16 so each input value is broadcast once against whole
/// vectors of outputs: no horizontal sums, and a 4-row × 32-column register tile (8 accumulators) hides FMA latency.
/// </summary>
internal static unsafe class Gemm512
{
    public const int Lanes = 16;

    public static int Pad(int n) => (n + Lanes - 1) / Lanes * Lanes;

    /// <summary>Transposes W (out × in, row-major) into Wt (in × Pad(out)), zero-filling the padding.</summary>
    public static float[] TransposePadded(ReadOnlySpan<float> w, int outDim, int inDim)
    {
        var pad = Pad(outDim);
        var t = GC.AllocateArray<float>(inDim * pad, pinned: true);
        for (var o = 0; o < outDim; o++)
            for (var i = 0; i < inDim; i++) t[i * pad + o] = w[o * inDim + i];
        return t;
    }

    public static void Multiply(float* x, int n, int inDim, int xStride, float* wt, int outPad, float* y, int yStride)
    {
        var b = 0;
        for (; b + 4 <= n; b += 4)
        {
            float* x0 = x + b * xStride, x1 = x0 + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
            float* y0 = y + b * yStride;
            var o = 0;
            for (; o + 32 <= outPad; o += 32)
            {
                Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default,
                                 a20 = default, a21 = default, a30 = default, a31 = default;
                float* w = wt + o;
                for (var i = 0; i < inDim; i++, w += outPad)
                {
                    var w0 = Vector512.Load(w);
                    var w1 = Vector512.Load(w + 16);
                    var v0 = Vector512.Create(x0[i]);
                    var v1 = Vector512.Create(x1[i]);
                    var v2 = Vector512.Create(x2[i]);
                    var v3 = Vector512.Create(x3[i]);
                    a00 = Vector512.FusedMultiplyAdd(w0, v0, a00); a01 = Vector512.FusedMultiplyAdd(w1, v0, a01);
                    a10 = Vector512.FusedMultiplyAdd(w0, v1, a10); a11 = Vector512.FusedMultiplyAdd(w1, v1, a11);
                    a20 = Vector512.FusedMultiplyAdd(w0, v2, a20); a21 = Vector512.FusedMultiplyAdd(w1, v2, a21);
                    a30 = Vector512.FusedMultiplyAdd(w0, v3, a30); a31 = Vector512.FusedMultiplyAdd(w1, v3, a31);
                }
                float* r = y0 + o;
                a00.Store(r); a01.Store(r + 16); r += yStride;
                a10.Store(r); a11.Store(r + 16); r += yStride;
                a20.Store(r); a21.Store(r + 16); r += yStride;
                a30.Store(r); a31.Store(r + 16);
            }
            for (; o < outPad; o += 16)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                float* w = wt + o;
                for (var i = 0; i < inDim; i++, w += outPad)
                {
                    var w0 = Vector512.Load(w);
                    a0 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(x0[i]), a0);
                    a1 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(x1[i]), a1);
                    a2 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(x2[i]), a2);
                    a3 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(x3[i]), a3);
                }
                float* r = y0 + o;
                a0.Store(r); a1.Store(r + yStride); a2.Store(r + 2 * yStride); a3.Store(r + 3 * yStride);
            }
        }
        for (; b < n; b++)
        {
            float* xr = x + b * xStride;
            float* yr = y + b * yStride;
            var o = 0;
            for (; o + 64 <= outPad; o += 64)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                float* w = wt + o;
                for (var i = 0; i < inDim; i++, w += outPad)
                {
                    var v = Vector512.Create(xr[i]);
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Load(w), v, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Load(w + 16), v, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Load(w + 32), v, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.Load(w + 48), v, a3);
                }
                a0.Store(yr + o); a1.Store(yr + o + 16); a2.Store(yr + o + 32); a3.Store(yr + o + 48);
            }
            for (; o < outPad; o += 16)
            {
                Vector512<float> a0 = default;
                float* w = wt + o;
                for (var i = 0; i < inDim; i++, w += outPad) a0 = Vector512.FusedMultiplyAdd(Vector512.Load(w), Vector512.Create(xr[i]), a0);
                a0.Store(yr + o);
            }
        }
    }
}
