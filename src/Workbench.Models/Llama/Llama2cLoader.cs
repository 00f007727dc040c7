using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Workbench.Models.Llama;

/// <summary>
/// Reads llama2.c checkpoints (version 0: 7 little-endian int32, then float32 tensors). The file must hold exactly
/// the bytes the header implies; every weight must be finite. Failures are <see cref="ModelFormatException"/>s that
/// name the file and the tensor.
/// </summary>
public static class Llama2cLoader
{
    public const int HeaderBytes = 7 * sizeof(int);

    /// <summary>Largest accepted header values: beyond these a header is garbage, not a model.</summary>
    const int MaxDim = 1 << 16, MaxVocab = 1 << 20, MaxLayers = 1024, MaxSeqLen = 1 << 20;

    public static LlamaWeights Load(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException(path, "no such file");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            throw new ModelFormatException(path, $"cannot read: {ex.Message}");
        }
        return Parse(bytes, path);
    }

    public static LlamaConfig ParseHeader(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < HeaderBytes)
            throw new ModelFormatException(source, $"{bytes.Length} bytes is shorter than the 28-byte llama2.c header");
        Span<int> h = stackalloc int[7];
        for (var i = 0; i < 7; i++) h[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * i)..]);
        int dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kvHeads = h[4], vocab = h[5], seqLen = h[6];
        void Require(bool ok, string problem)
        {
            if (!ok) throw new ModelFormatException(source, $"bad llama2.c header (dim {dim}, hidden_dim {hidden}, n_layers {layers}, n_heads {heads}, n_kv_heads {kvHeads}, vocab_size {vocab}, seq_len {seqLen}): {problem}");
        }
        Require(dim is > 0 and <= MaxDim, "dim must be in 1..65536");
        Require(hidden is > 0 and <= 16 * MaxDim, "hidden_dim must be in 1..1048576");
        Require(layers is > 0 and <= MaxLayers, "n_layers must be in 1..1024");
        Require(heads > 0 && dim % heads == 0, "n_heads must divide dim");
        Require(kvHeads > 0 && heads % kvHeads == 0, "n_kv_heads must divide n_heads");
        Require(dim / heads % 2 == 0, "d_head = dim/n_heads must be even for RoPE");
        Require(vocab != 0 && vocab != int.MinValue && Math.Abs(vocab) <= MaxVocab, "|vocab_size| must be in 1..1048576");
        Require(seqLen is > 0 and <= MaxSeqLen, "seq_len must be in 1..1048576");
        return new LlamaConfig(dim, hidden, layers, heads, kvHeads, Math.Abs(vocab), seqLen, SharedClassifier: vocab > 0);
    }

    /// <summary>The tensors in file order with their float counts; their sum times 4 plus the header is the file length.</summary>
    public static IReadOnlyList<(string Name, long Count)> Layout(LlamaConfig c)
    {
        long d = c.Dim, L = c.Layers, kv = c.KvDim, hd = c.HiddenDim, half = c.HeadDim / 2;
        var list = new List<(string, long)>
        {
            ("token_embedding", c.VocabSize * d), ("rms_att", L * d), ("wq", L * d * d), ("wk", L * kv * d),
            ("wv", L * kv * d), ("wo", L * d * d), ("rms_ffn", L * d), ("w1", L * hd * d), ("w2", L * d * hd),
            ("w3", L * hd * d), ("rms_final", d), ("freq_cis_real", c.SeqLen * half), ("freq_cis_imag", c.SeqLen * half),
        };
        if (!c.SharedClassifier) list.Add(("wcls", c.VocabSize * d));
        return list;
    }

    public static LlamaWeights Parse(byte[] bytes, string source)
    {
        var c = ParseHeader(bytes, source);
        var layout = Layout(c);
        var expected = HeaderBytes + layout.Sum(t => t.Count) * sizeof(float);
        if (expected != bytes.Length)
        {
            var detail = string.Join(", ", layout.Select(t => $"{t.Name} {t.Count}"));
            throw new ModelFormatException(source,
                $"size mismatch: the header implies {expected} bytes (28 header + 4 × floats: {detail}) but the file has {bytes.Length} bytes ({(bytes.Length > expected ? "trailing" : "missing")} {Math.Abs(bytes.Length - expected)} bytes)");
        }
        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(HeaderBytes)).ToArray();
        var offset = 0;
        float[] Take(string name, long count)
        {
            var span = floats.AsSpan(offset, checked((int)count));
            for (var i = 0; i < span.Length; i++)
                if (!float.IsFinite(span[i]))
                    throw new ModelFormatException(source, $"tensor {name} holds a non-finite weight ({span[i]}) at flat index {i}");
            offset += span.Length;
            return span.ToArray();
        }
        float[][] PerLayer(string name, long perLayer)
        {
            var all = Take(name, perLayer * c.Layers);
            var result = new float[c.Layers][];
            for (var l = 0; l < c.Layers; l++) result[l] = all.AsSpan(checked((int)(l * perLayer)), (int)perLayer).ToArray();
            return result;
        }
        long d = c.Dim, kv = c.KvDim, hd = c.HiddenDim, half = c.HeadDim / 2;
        var emb = Take("token_embedding", c.VocabSize * d);
        var rmsAtt = PerLayer("rms_att", d);
        var wq = PerLayer("wq", d * d);
        var wk = PerLayer("wk", kv * d);
        var wv = PerLayer("wv", kv * d);
        var wo = PerLayer("wo", d * d);
        var rmsFfn = PerLayer("rms_ffn", d);
        var w1 = PerLayer("w1", hd * d);
        var w2 = PerLayer("w2", d * hd);
        var w3 = PerLayer("w3", hd * d);
        var rmsFinal = Take("rms_final", d);
        var fr = Take("freq_cis_real", c.SeqLen * half);
        var fi = Take("freq_cis_imag", c.SeqLen * half);
        var cls = c.SharedClassifier ? emb : Take("wcls", c.VocabSize * d);
        return new LlamaWeights
        {
            Config = c, TokenEmbedding = emb, RmsAtt = rmsAtt, Wq = wq, Wk = wk, Wv = wv, Wo = wo, RmsFfn = rmsFfn,
            W1 = w1, W2 = w2, W3 = w3, RmsFinal = rmsFinal, FreqCisReal = fr, FreqCisImag = fi, Classifier = cls,
            Source = source,
        };
    }

    /// <summary>Writes weights in the llama2.c format (tests and tools build small checkpoints with it).</summary>
    public static void Write(LlamaWeights w, Stream stream)
    {
        var c = w.Config;
        using var bw = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        foreach (var v in new[] { c.Dim, c.HiddenDim, c.Layers, c.Heads, c.KvHeads, c.SharedClassifier ? c.VocabSize : -c.VocabSize, c.SeqLen })
            bw.Write(v);
        void Put(float[] a) => bw.Write(MemoryMarshal.AsBytes(a.AsSpan()));
        void PutAll(float[][] a) { foreach (var x in a) Put(x); }
        Put(w.TokenEmbedding); PutAll(w.RmsAtt); PutAll(w.Wq); PutAll(w.Wk); PutAll(w.Wv); PutAll(w.Wo); PutAll(w.RmsFfn);
        PutAll(w.W1); PutAll(w.W2); PutAll(w.W3); Put(w.RmsFinal); Put(w.FreqCisReal); Put(w.FreqCisImag);
        if (!c.SharedClassifier) Put(w.Classifier);
    }
}
