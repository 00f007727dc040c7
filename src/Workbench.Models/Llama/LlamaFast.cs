using System.Numerics.Tensors;
using Workbench.Models.Numerics;

namespace Workbench.Models.Llama;

/// <summary>
/// The float32 fast forward pass of the llama2.c architecture, one token per sequence per step with a KV cache, for
/// a batch of sequences at independent positions. Matrix products use <see cref="Gemm512"/> on pre-transposed,
/// padded weights; RoPE uses the checkpoint's own freq_cis table, as llama2.c does. Tested against
/// <see cref="LlamaReference"/>. Sequences are independent, so <c>threads</c> workers each take a contiguous slice
/// of the batch for the whole step with no synchronisation inside it.
/// </summary>
public sealed unsafe class LlamaFast
{
    public LlamaConfig Config { get; }
    public string Source { get; }
    readonly float[] _emb, _rmsFinal, _clsT, _cos, _sin;
    readonly float[][] _rmsAtt, _rmsFfn, _qkvT, _oT, _w13T, _w2T;
    readonly int _qkvPad, _dPad, _hidPad, _vocabPad;

    public LlamaFast(LlamaWeights w)
    {
        var c = Config = w.Config;
        Source = w.Source;
        int d = c.Dim, kvd = c.KvDim, hid = c.HiddenDim;
        _emb = w.TokenEmbedding;
        _rmsFinal = w.RmsFinal;
        _rmsAtt = w.RmsAtt;
        _rmsFfn = w.RmsFfn;
        _cos = w.FreqCisReal;
        _sin = w.FreqCisImag;
        _qkvPad = Gemm512.Pad(d + 2 * kvd);
        _dPad = Gemm512.Pad(d);
        _hidPad = Gemm512.Pad(hid);
        _vocabPad = Gemm512.Pad(c.VocabSize);
        _qkvT = new float[c.Layers][];
        _oT = new float[c.Layers][];
        _w13T = new float[c.Layers][];
        _w2T = new float[c.Layers][];
        for (var l = 0; l < c.Layers; l++)
        {
            // Q | K | V stacked as one (d + 2·kv_dim) × d matrix: one product per step instead of three.
            var qkv = new float[(d + 2 * kvd) * d];
            w.Wq[l].CopyTo(qkv, 0);
            w.Wk[l].CopyTo(qkv, d * d);
            w.Wv[l].CopyTo(qkv, d * d + kvd * d);
            _qkvT[l] = Gemm512.TransposePadded(qkv, d + 2 * kvd, d);
            _oT[l] = Gemm512.TransposePadded(w.Wo[l], d, d);
            // Gate in columns [0, hid), up in [hidPad, hidPad + hid).
            var w13 = new float[2 * _hidPad * d];
            w.W1[l].CopyTo(w13, 0);
            w.W3[l].CopyTo(w13, _hidPad * d);
            _w13T[l] = Gemm512.TransposePadded(w13, 2 * _hidPad, d);
            _w2T[l] = Gemm512.TransposePadded(w.W2[l], d, hid);
        }
        _clsT = Gemm512.TransposePadded(w.Classifier, c.VocabSize, d);
    }

    public LlamaKvCache NewCache(int batch) => new(Config, batch);

    /// <summary>
    /// Runs one position for each sequence b: token <paramref name="tokens"/>[b] at position
    /// <paramref name="positions"/>[b] (its earlier positions must already be in the cache), and writes logits
    /// [batch × vocab] into <paramref name="logits"/>.
    /// </summary>
    public void Step(LlamaKvCache cache, ReadOnlySpan<int> tokens, ReadOnlySpan<int> positions, Span<float> logits, int threads = 1)
    {
        var c = Config;
        var n = cache.Batch;
        if (tokens.Length != n || positions.Length != n)
            throw new ModelFormatException("batch", $"{tokens.Length} tokens and {positions.Length} positions for a cache of batch {n}");
        if (logits.Length < n * c.VocabSize) throw new ModelFormatException("logits", $"buffer of {logits.Length} < batch × vocab = {n * c.VocabSize}");
        for (var b = 0; b < n; b++)
        {
            if ((uint)tokens[b] >= (uint)c.VocabSize) throw new ModelFormatException($"token {tokens[b]}", $"outside the vocabulary 0..{c.VocabSize - 1}");
            if ((uint)positions[b] >= (uint)c.SeqLen) throw new ModelFormatException($"position {positions[b]}", $"beyond the context of {c.SeqLen} tokens");
        }
        var tok = tokens.ToArray();
        var pos = positions.ToArray();
        var outBuf = new float[n * c.VocabSize];
        threads = Math.Clamp(threads, 1, n);
        if (threads == 1) Slice(cache, tok, pos, 0, n, outBuf);
        else
        {
            var per = (n + threads - 1) / threads;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, w =>
            {
                int b0 = w * per, b1 = Math.Min(n, b0 + per);
                if (b0 < b1) Slice(cache, tok, pos, b0, b1, outBuf);
            });
        }
        outBuf.CopyTo(logits);
    }

    [ThreadStatic] static Scratch? t_scratch;

    sealed class Scratch
    {
        public readonly int Rows;
        public readonly float[] X, Xn, Qkv, Z, Proj, H13, Act, Att, Logits;
        public Scratch(LlamaFast m, int rows)
        {
            Rows = rows;
            var c = m.Config;
            X = GC.AllocateArray<float>(rows * m._dPad, pinned: true);
            Xn = GC.AllocateArray<float>(rows * m._dPad, pinned: true);
            Qkv = GC.AllocateArray<float>(rows * m._qkvPad, pinned: true);
            Z = GC.AllocateArray<float>(rows * m._dPad, pinned: true);
            Proj = GC.AllocateArray<float>(rows * m._dPad, pinned: true);
            H13 = GC.AllocateArray<float>(rows * 2 * m._hidPad, pinned: true);
            Act = GC.AllocateArray<float>(rows * m._hidPad, pinned: true);
            Att = GC.AllocateArray<float>(c.SeqLen, pinned: true);
            Logits = GC.AllocateArray<float>(rows * m._vocabPad, pinned: true);
        }
    }

    void Slice(LlamaKvCache cache, int[] tok, int[] pos, int b0, int b1, float[] logitsOut)
    {
        var c = Config;
        int n = b1 - b0, d = c.Dim, kvd = c.KvDim, r = c.HeadDim, half = r / 2, hid = c.HiddenDim;
        int H = c.Heads, group = c.QueriesPerKv;
        var s = t_scratch;
        if (s is null || s.Rows < n || s.Att.Length != c.SeqLen || s.Logits.Length < n * _vocabPad) t_scratch = s = new Scratch(this, n);
        var scale = 1 / MathF.Sqrt(r);
        fixed (float* x = s.X, xn = s.Xn, qkv = s.Qkv, z = s.Z, proj = s.Proj, h13 = s.H13, act = s.Act, lg = s.Logits)
        {
            for (var i = 0; i < n; i++) _emb.AsSpan(tok[b0 + i] * d, d).CopyTo(s.X.AsSpan(i * _dPad, d));
            for (var l = 0; l < c.Layers; l++)
            {
                RmsNorm(s.X, s.Xn, n, _rmsAtt[l]);
                fixed (float* wt = _qkvT[l]) Gemm512.Multiply(xn, n, d, _dPad, wt, _qkvPad, qkv, _qkvPad);
                var keys = cache.Keys[l];
                var values = cache.Values[l];
                for (var i = 0; i < n; i++)
                {
                    var b = b0 + i;
                    var p = pos[b];
                    var row = s.Qkv.AsSpan(i * _qkvPad, _qkvPad);
                    // RoPE on q (all heads) and k (all kv heads), adjacent pairs, the file's table.
                    for (var j = 0; j < d + kvd; j += 2)
                    {
                        var f = p * half + (j % r) / 2;
                        float cs = _cos[f], sn = _sin[f], a = row[j], bb = row[j + 1];
                        row[j] = a * cs - bb * sn;
                        row[j + 1] = a * sn + bb * cs;
                    }
                    var seqBase = b * cache.SequenceStride;
                    for (var g = 0; g < c.KvHeads; g++)
                        for (var j = 0; j < r; j++)
                        {
                            keys[seqBase + g * cache.HeadStride + j * c.SeqLen + p] = row[d + g * r + j];
                            values[seqBase + g * cache.HeadStride + j * c.SeqLen + p] = row[d + kvd + g * r + j];
                        }
                    var len = p + 1;
                    var att = s.Att.AsSpan(0, len);
                    var zRow = s.Z.AsSpan(i * _dPad, d);
                    for (var h = 0; h < H; h++)
                    {
                        var g = h / group;
                        var kBase = seqBase + g * cache.HeadStride;
                        TensorPrimitives.Multiply(keys.AsSpan(kBase, len), row[h * r], att);
                        for (var j = 1; j < r; j++)
                            TensorPrimitives.MultiplyAdd(keys.AsSpan(kBase + j * c.SeqLen, len), row[h * r + j], att, att);
                        TensorPrimitives.Multiply(att, scale, att);
                        var m = TensorPrimitives.Max(att);
                        TensorPrimitives.Subtract(att, m, att);
                        TensorPrimitives.Exp(att, att);
                        TensorPrimitives.Multiply(att, 1 / TensorPrimitives.Sum(att), att);
                        for (var j = 0; j < r; j++)
                            zRow[h * r + j] = TensorPrimitives.Dot(att, values.AsSpan(kBase + j * c.SeqLen, len));
                    }
                }
                fixed (float* wt = _oT[l]) Gemm512.Multiply(z, n, d, _dPad, wt, _dPad, proj, _dPad);
                for (var i = 0; i < n; i++) TensorPrimitives.Add(s.X.AsSpan(i * _dPad, d), s.Proj.AsSpan(i * _dPad, d), s.X.AsSpan(i * _dPad, d));
                RmsNorm(s.X, s.Xn, n, _rmsFfn[l]);
                fixed (float* wt = _w13T[l]) Gemm512.Multiply(xn, n, d, _dPad, wt, 2 * _hidPad, h13, 2 * _hidPad);
                for (var i = 0; i < n; i++)
                {
                    var gate = s.H13.AsSpan(i * 2 * _hidPad, hid);
                    var up = s.H13.AsSpan(i * 2 * _hidPad + _hidPad, hid);
                    var a = s.Act.AsSpan(i * _hidPad, hid);
                    TensorPrimitives.Sigmoid(gate, a);
                    TensorPrimitives.Multiply(a, gate, a);
                    TensorPrimitives.Multiply(a, up, a);
                }
                fixed (float* wt = _w2T[l]) Gemm512.Multiply(act, n, hid, _hidPad, wt, _dPad, proj, _dPad);
                for (var i = 0; i < n; i++) TensorPrimitives.Add(s.X.AsSpan(i * _dPad, d), s.Proj.AsSpan(i * _dPad, d), s.X.AsSpan(i * _dPad, d));
            }
            RmsNorm(s.X, s.Xn, n, _rmsFinal);
            fixed (float* wt = _clsT) Gemm512.Multiply(xn, n, d, _dPad, wt, _vocabPad, lg, _vocabPad);
        }
        for (var i = 0; i < n; i++)
            s.Logits.AsSpan(i * _vocabPad, c.VocabSize).CopyTo(logitsOut.AsSpan((b0 + i) * c.VocabSize, c.VocabSize));
    }

    void RmsNorm(float[] x, float[] y, int n, float[] g)
    {
        var d = Config.Dim;
        for (var i = 0; i < n; i++)
        {
            var xr = x.AsSpan(i * _dPad, d);
            var inv = 1 / MathF.Sqrt(TensorPrimitives.SumOfSquares(xr) / d + LlamaConfig.RmsEps);
            var yr = y.AsSpan(i * _dPad, d);
            TensorPrimitives.Multiply(xr, g, yr);
            TensorPrimitives.Multiply(yr, inv, yr);
        }
    }
}
