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

internal static class Conv1D64
{
    /// <summary>GPT-2's Conv1D: y[t, o] = b[o] + Σ_i x[t, i]·W[i, o], W stored [in × out].</summary>
    public static double[] Apply(double[] x, int rows, int inDim, double[] w, double[] bias, int outDim)
    {
        var y = new double[rows * outDim];
        for (var t = 0; t < rows; t++)
        {
            var yr = y.AsSpan(t * outDim, outDim);
            bias.CopyTo(yr);
            for (var i = 0; i < inDim; i++)
            {
                var xi = x[t * inDim + i];
                if (xi != 0) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(w.AsSpan(i * outDim, outDim), xi, yr, yr);
            }
        }
        return y;
    }

    /// <summary>LayerNorm over each row: g ⊙ (x − mean)/√(var + eps) + b.</summary>
    public static double[] LayerNorm(double[] x, int rows, int dim, double[] g, double[] b, double eps) =>
        LayerNormTraced(x, rows, dim, g, b, eps).Y;

    /// <summary>LayerNorm, also returning each row's mean and 1/√(var + eps), which the backward pass needs.</summary>
    public static (double[] Y, double[] Mean, double[] Inv) LayerNormTraced(double[] x, int rows, int dim, double[] g, double[] b, double eps)
    {
        var y = new double[x.Length];
        var means = new double[rows];
        var invs = new double[rows];
        for (var t = 0; t < rows; t++)
        {
            var mean = 0.0;
            for (var i = 0; i < dim; i++) mean += x[t * dim + i];
            mean /= dim;
            var variance = 0.0;
            for (var i = 0; i < dim; i++) { var dv = x[t * dim + i] - mean; variance += dv * dv; }
            var inv = 1 / Math.Sqrt(variance / dim + eps);
            means[t] = mean; invs[t] = inv;
            for (var i = 0; i < dim; i++) y[t * dim + i] = g[i] * (x[t * dim + i] - mean) * inv + b[i];
        }
        return (y, means, invs);
    }

    /// <summary>
    /// dx of LayerNorm: with x̂ = (x − μ)·inv and ĝ = g ⊙ dy, dx = inv · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂))
    /// (the two subtracted terms are the mean's and the variance's dependence on x).
    /// </summary>
    public static double[] LayerNormBackward(double[] dy, double[] x, double[] mean, double[] inv, int rows, int dim, double[] g)
    {
        var dx = new double[x.Length];
        for (var t = 0; t < rows; t++)
        {
            double sumG = 0, sumGX = 0;
            for (var i = 0; i < dim; i++)
            {
                var gi = g[i] * dy[t * dim + i];
                sumG += gi;
                sumGX += gi * (x[t * dim + i] - mean[t]) * inv[t];
            }
            sumG /= dim; sumGX /= dim;
            for (var i = 0; i < dim; i++)
            {
                var xhat = (x[t * dim + i] - mean[t]) * inv[t];
                dx[t * dim + i] = inv[t] * (g[i] * dy[t * dim + i] - sumG - xhat * sumGX);
            }
        }
        return dx;
    }

    /// <summary>dx[t, i] = Σ_o dy[t, o]·W[i, o]: the input gradient of <see cref="Apply"/> (W stored [in × out]).</summary>
    public static double[] InputGradient(double[] dy, int rows, int outDim, double[] w, int inDim) => Dense64.MulT(dy, rows, outDim, w, inDim);

    /// <summary>GELU, tanh approximation (GPT-2's "gelu_new").</summary>
    public static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    /// <summary>d GELU/dx for the tanh approximation: ½(1 + tanh u) + ½x(1 − tanh²u)·c(1 + 3·0.044715x²), u = c(x + 0.044715x³).</summary>
    public static double GeluDerivative(double x)
    {
        var c = Math.Sqrt(2 / Math.PI);
        var th = Math.Tanh(c * (x + 0.044715 * x * x * x));
        return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * c * (1 + 3 * 0.044715 * x * x);
    }
}
