using System.Numerics.Tensors;
using Workbench.Models.Numerics;

namespace Workbench.Models.Gpt2;

/// <summary>
/// The float32 GPT-2 forward pass over a whole sequence (prefill), with <see cref="Gemm512"/> products on
/// column-padded Conv1D weights. Tested against <see cref="Gpt2Reference"/> and against PyTorch.
/// </summary>
public sealed unsafe class Gpt2Fast
{
    public Gpt2Config Config { get; }
    readonly Gpt2Weights _w;
    readonly float[][] _attnW, _projW, _fcW, _fcProjW;
    readonly float[] _wteT;
    readonly int _dPad, _qkvPad, _innerPad, _vocabPad;

    public Gpt2Fast(Gpt2Weights w)
    {
        _w = w;
        var c = Config = w.Config;
        int d = c.Dim;
        _dPad = Gemm512.Pad(d); _qkvPad = Gemm512.Pad(3 * d); _innerPad = Gemm512.Pad(c.Inner); _vocabPad = Gemm512.Pad(c.VocabSize);
        _attnW = w.AttnW.Select(a => PadColumns(a, d, 3 * d)).ToArray();
        _projW = w.ProjW.Select(a => PadColumns(a, d, d)).ToArray();
        _fcW = w.FcW.Select(a => PadColumns(a, d, c.Inner)).ToArray();
        _fcProjW = w.FcProjW.Select(a => PadColumns(a, c.Inner, d)).ToArray();
        _wteT = Gemm512.TransposePadded(w.Wte, c.VocabSize, d);
    }

    /// <summary>Conv1D weights are already [in × out]: only the columns need padding to whole vectors.</summary>
    static float[] PadColumns(float[] w, int inDim, int outDim)
    {
        var pad = Gemm512.Pad(outDim);
        var t = GC.AllocateArray<float>(inDim * pad, pinned: true);
        for (var i = 0; i < inDim; i++) w.AsSpan(i * outDim, outDim).CopyTo(t.AsSpan(i * pad));
        return t;
    }

    /// <summary>Logits [pos × vocab] for every position.</summary>
    public float[] Logits(int[] tokens)
    {
        var c = Config;
        if (tokens.Length == 0) throw new ModelFormatException("prompt", "is empty: at least one token is needed");
        if (tokens.Length > c.Positions) throw new ModelFormatException("prompt", $"{tokens.Length} tokens is longer than the context of {c.Positions}");
        foreach (var t in tokens)
            if ((uint)t >= (uint)c.VocabSize) throw new ModelFormatException($"token {t}", $"outside the vocabulary 0..{c.VocabSize - 1}");
        int T = tokens.Length, d = c.Dim, H = c.Heads, r = c.HeadDim, inner = c.Inner;
        var x = new float[T * _dPad];
        var xn = new float[T * _dPad];
        var qkv = new float[T * _qkvPad];
        var z = new float[T * _dPad];
        var proj = new float[T * _dPad];
        var hid = new float[T * _innerPad];
        var logits = new float[T * _vocabPad];
        var att = new float[T];
        var scale = 1 / MathF.Sqrt(r);
        for (var t = 0; t < T; t++)
            TensorPrimitives.Add(_w.Wte.AsSpan(tokens[t] * d, d), _w.Wpe.AsSpan(t * d, d), x.AsSpan(t * _dPad, d));
        fixed (float* px = x, pxn = xn, pqkv = qkv, pz = z, pproj = proj, phid = hid, plog = logits)
        {
            for (var l = 0; l < c.Layers; l++)
            {
                LayerNorm(x, xn, T, _w.Ln1G[l], _w.Ln1B[l]);
                fixed (float* w = _attnW[l]) Gemm512.Multiply(pxn, T, d, _dPad, w, _qkvPad, pqkv, _qkvPad);
                for (var t = 0; t < T; t++) TensorPrimitives.Add(qkv.AsSpan(t * _qkvPad, 3 * d), _w.AttnB[l], qkv.AsSpan(t * _qkvPad, 3 * d));
                for (var h = 0; h < H; h++)
                    for (var t = 0; t < T; t++)
                    {
                        var q = qkv.AsSpan(t * _qkvPad + h * r, r);
                        var a = att.AsSpan(0, t + 1);
                        for (var s = 0; s <= t; s++) a[s] = TensorPrimitives.Dot(q, qkv.AsSpan(s * _qkvPad + d + h * r, r)) * scale;
                        TensorPrimitives.SoftMax(a, a);
                        var zr = z.AsSpan(t * _dPad + h * r, r);
                        zr.Clear();
                        for (var s = 0; s <= t; s++) TensorPrimitives.MultiplyAdd(qkv.AsSpan(s * _qkvPad + 2 * d + h * r, r), a[s], zr, zr);
                    }
                fixed (float* w = _projW[l]) Gemm512.Multiply(pz, T, d, _dPad, w, _dPad, pproj, _dPad);
                for (var t = 0; t < T; t++)
                {
                    var xr = x.AsSpan(t * _dPad, d);
                    TensorPrimitives.Add(xr, proj.AsSpan(t * _dPad, d), xr);
                    TensorPrimitives.Add(xr, _w.ProjB[l], xr);
                }
                LayerNorm(x, xn, T, _w.Ln2G[l], _w.Ln2B[l]);
                fixed (float* w = _fcW[l]) Gemm512.Multiply(pxn, T, d, _dPad, w, _innerPad, phid, _innerPad);
                for (var t = 0; t < T; t++)
                {
                    var hr = hid.AsSpan(t * _innerPad, inner);
                    TensorPrimitives.Add(hr, _w.FcB[l], hr);
                    for (var i = 0; i < hr.Length; i++)
                    {
                        var v = hr[i];
                        hr[i] = 0.5f * v * (1 + MathF.Tanh(0.7978845608f * (v + 0.044715f * v * v * v)));
                    }
                }
                fixed (float* w = _fcProjW[l]) Gemm512.Multiply(phid, T, inner, _innerPad, w, _dPad, pproj, _dPad);
                for (var t = 0; t < T; t++)
                {
                    var xr = x.AsSpan(t * _dPad, d);
                    TensorPrimitives.Add(xr, proj.AsSpan(t * _dPad, d), xr);
                    TensorPrimitives.Add(xr, _w.FcProjB[l], xr);
                }
            }
            LayerNorm(x, xn, T, _w.LnFG, _w.LnFB);
            fixed (float* w = _wteT) Gemm512.Multiply(pxn, T, d, _dPad, w, _vocabPad, plog, _vocabPad);
        }
        var result = new float[T * c.VocabSize];
        for (var t = 0; t < T; t++) logits.AsSpan(t * _vocabPad, c.VocabSize).CopyTo(result.AsSpan(t * c.VocabSize));
        return result;
    }

    void LayerNorm(float[] x, float[] y, int rows, float[] g, float[] b)
    {
        var d = Config.Dim;
        for (var t = 0; t < rows; t++)
        {
            var xr = x.AsSpan(t * _dPad, d);
            var yr = y.AsSpan(t * _dPad, d);
            var mean = TensorPrimitives.Sum(xr) / d;
            TensorPrimitives.Subtract(xr, mean, yr);
            var inv = 1 / MathF.Sqrt(TensorPrimitives.SumOfSquares(yr) / d + (float)Config.LayerNormEps);
            TensorPrimitives.Multiply(yr, inv, yr);
            TensorPrimitives.Multiply(yr, g, yr);
            TensorPrimitives.Add(yr, b, yr);
        }
    }
}
