using System.Numerics.Tensors;

namespace Workbench.Models.Numerics;

/// <summary>Row-major float64 helpers for the reference paths: plain, exact-order-independent enough, and short.</summary>
internal static class Dense64
{
    /// <summary>y[t, o] = Σ_i x[t, i]·W[o, i] for W stored (out, in).</summary>
    public static double[] MulT(double[] x, int rows, int inDim, double[] w, int outDim)
    {
        var y = new double[rows * outDim];
        for (var t = 0; t < rows; t++)
        {
            var xr = x.AsSpan(t * inDim, inDim);
            for (var o = 0; o < outDim; o++) y[t * outDim + o] = TensorPrimitives.Dot(xr, w.AsSpan(o * inDim, inDim));
        }
        return y;
    }

    /// <summary>dx[t, i] = Σ_o dy[t, o]·W[o, i]: the input gradient of <see cref="MulT"/>.</summary>
    public static double[] Mul(double[] dy, int rows, int outDim, double[] w, int inDim)
    {
        var dx = new double[rows * inDim];
        for (var t = 0; t < rows; t++)
            for (var o = 0; o < outDim; o++)
            {
                var g = dy[t * outDim + o];
                if (g != 0) TensorPrimitives.MultiplyAdd(w.AsSpan(o * inDim, inDim), g, dx.AsSpan(t * inDim, inDim), dx.AsSpan(t * inDim, inDim));
            }
        return dx;
    }

    public static double[] ToDouble(float[] a)
    {
        var d = new double[a.Length];
        for (var i = 0; i < a.Length; i++) d[i] = a[i];
        return d;
    }

    /// <summary>RMSNorm over each row: y = g ⊙ x / √(mean(x²) + eps); returns y and the per-row 1/rms.</summary>
    public static (double[] Y, double[] InvRms) RmsNorm(double[] x, int rows, int dim, double[] g, double eps)
    {
        var y = new double[x.Length];
        var inv = new double[rows];
        for (var t = 0; t < rows; t++)
        {
            var xr = x.AsSpan(t * dim, dim);
            var r = 1 / Math.Sqrt(TensorPrimitives.SumOfSquares(xr) / dim + eps);
            inv[t] = r;
            for (var i = 0; i < dim; i++) y[t * dim + i] = g[i] * xr[i] * r;
        }
        return (y, inv);
    }

    /// <summary>dx of RMSNorm: r·(g⊙dy) − r³/dim · x · Σ_i g_i dy_i x_i.</summary>
    public static double[] RmsNormBackward(double[] dy, double[] x, double[] inv, int rows, int dim, double[] g)
    {
        var dx = new double[x.Length];
        for (var t = 0; t < rows; t++)
        {
            var r = inv[t];
            var s = 0.0;
            for (var i = 0; i < dim; i++) s += g[i] * dy[t * dim + i] * x[t * dim + i];
            var c = r * r * r * s / dim;
            for (var i = 0; i < dim; i++) dx[t * dim + i] = r * g[i] * dy[t * dim + i] - c * x[t * dim + i];
        }
        return dx;
    }

    /// <summary>Log-softmax of one row, stable.</summary>
    public static void LogSoftmax(ReadOnlySpan<double> x, Span<double> y)
    {
        var m = TensorPrimitives.Max(x);
        var s = 0.0;
        for (var i = 0; i < x.Length; i++) s += Math.Exp(x[i] - m);
        var lse = m + Math.Log(s);
        for (var i = 0; i < x.Length; i++) y[i] = x[i] - lse;
    }
}
