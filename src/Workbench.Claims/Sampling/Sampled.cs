using Workbench.Kernels.Backends;
using Workbench.Kernels.Sampling;

namespace Workbench.Claims.Sampling;

/// <summary>
/// Shared plumbing of the sampling checks: runs on the CPU backend only (so evidence never depends on a GPU),
/// with seeds from the context; counts are identical on any thread count, so evidence text is stable.
/// </summary>
internal static class Sampled
{
    public static SampleTally Run(SamplerConfig config, ClaimContext context, string seedName, long samples)
    {
        using var backend = new CpuBackend(config);
        return backend.Run(context.SeedFor(seedName), 0, (ulong)context.Samples(samples), null, context.Cancellation);
    }

    public static SamplerConfig Gaussian(int n, int d, SamplerMask? mask = null, int heads = 1) =>
        new() { Tokens = n, HeadDim = d, Heads = heads, Mask = mask ?? SamplerMask.None };

    /// <summary>Weights with small integer entries drawn from a named seed (exact in float32; ranks decided exactly).</summary>
    public static float[] IntegerWeights(ClaimContext context, string name, int rows, int cols)
    {
        var rng = new Random((int)(context.SeedFor(name) & 0x7FFFFFFF));
        var w = new float[rows * cols];
        for (var i = 0; i < w.Length; i++) w[i] = rng.Next(-3, 4);
        return w;
    }

    /// <summary>Exact rank of a small integer matrix (fraction-free Gaussian elimination in 128-bit integers).</summary>
    public static int Rank(float[] m, int rows, int cols)
    {
        var a = new Int128[rows, cols];
        for (var i = 0; i < rows; i++) for (var j = 0; j < cols; j++) a[i, j] = (Int128)m[i * cols + j];
        int rank = 0;
        for (var col = 0; col < cols && rank < rows; col++)
        {
            var pivot = -1;
            for (var r = rank; r < rows; r++) if (a[r, col] != 0) { pivot = r; break; }
            if (pivot < 0) continue;
            for (var j = 0; j < cols; j++) (a[rank, j], a[pivot, j]) = (a[pivot, j], a[rank, j]);
            for (var r = rank + 1; r < rows; r++)
            {
                var f = a[r, col]; var p = a[rank, col];
                for (var j = 0; j < cols; j++) a[r, j] = a[r, j] * p - a[rank, j] * f;
                // Keep entries small: divide the row by the gcd of its entries.
                Int128 g = 0;
                for (var j = 0; j < cols; j++) g = Gcd(g, a[r, j] < 0 ? -a[r, j] : a[r, j]);
                if (g > 1) for (var j = 0; j < cols; j++) a[r, j] /= g;
            }
            rank++;
        }
        return rank;
    }

    private static Int128 Gcd(Int128 a, Int128 b) { while (b != 0) (a, b) = (b, a % b); return a; }

    /// <summary>[W_Q W_K] side by side: d_model × 2d_h.</summary>
    public static float[] SideBySide(float[] wq, float[] wk, int dm, int dh)
    {
        var m = new float[dm * 2 * dh];
        for (var r = 0; r < dm; r++)
            for (var c = 0; c < dh; c++) { m[r * 2 * dh + c] = wq[r * dh + c]; m[r * 2 * dh + dh + c] = wk[r * dh + c]; }
        return m;
    }

    /// <summary>Patterns of n rows that use at most two distinct keys: n + C(n,2)(2^n − 2), the d_h = 1 (or rank-1) reachable set.</summary>
    public static long TwoKeyPatternCount(int n) => n + (long)n * (n - 1) / 2 * ((1L << n) - 2);

    public static int DistinctKeys(ulong code, SamplerConfig config, int head = 0) =>
        ReferenceSampler.Decode(code, head, config).Distinct().Count();
}
