using System.Buffers.Binary;
using Workbench.Models.Llama;

namespace Workbench.Models.Tests;

public class Llama2cLoaderTests
{
    static readonly LlamaConfig Tiny = new(Dim: 16, HiddenDim: 24, Layers: 2, Heads: 4, KvHeads: 2, VocabSize: 11, SeqLen: 8, SharedClassifier: true);

    static byte[] Bytes(LlamaWeights w)
    {
        using var ms = new MemoryStream();
        Llama2cLoader.Write(w, ms);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Round_trips_shared_and_unshared_classifier(bool shared)
    {
        var w = LlamaRandom.Create(Tiny with { SharedClassifier = shared }, 7);
        var bytes = Bytes(w);
        // A negative vocab_size in the header is what marks the unshared classifier.
        Assert.Equal(shared ? 11 : -11, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20)));
        var back = Llama2cLoader.Parse(bytes, "tiny.bin");
        Assert.Equal(w.Config, back.Config);
        Assert.Equal(w.Wk[1], back.Wk[1]);
        Assert.Equal(w.W2[0], back.W2[0]);
        Assert.Equal(w.FreqCisImag, back.FreqCisImag);
        Assert.Equal(w.Classifier, back.Classifier);
        Assert.Equal(shared, ReferenceEquals(back.Classifier, back.TokenEmbedding));
    }

    [Theory]
    [InlineData(-4)]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(8)]
    public void Refuses_a_file_whose_sizes_do_not_add_up(int delta)
    {
        var bytes = Bytes(LlamaRandom.Create(Tiny, 1));
        var changed = new byte[bytes.Length + delta];
        Array.Copy(bytes, changed, Math.Min(bytes.Length, changed.Length));
        var ex = Assert.Throws<ModelFormatException>(() => Llama2cLoader.Parse(changed, "bad.bin"));
        Assert.Equal("bad.bin", ex.Input);
        Assert.Contains("size mismatch", ex.Problem);
        Assert.Contains(delta > 0 ? "trailing" : "missing", ex.Problem);
    }

    [Theory]
    [InlineData(0, 0, "dim")]
    [InlineData(3, 3, "n_heads must divide dim")]
    [InlineData(4, 3, "n_kv_heads must divide n_heads")]
    [InlineData(2, 0, "n_layers")]
    [InlineData(6, -5, "seq_len")]
    public void Refuses_impossible_headers(int field, int value, string expected)
    {
        var bytes = Bytes(LlamaRandom.Create(Tiny, 1));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * field), value);
        var ex = Assert.Throws<ModelFormatException>(() => Llama2cLoader.Parse(bytes, "bad.bin"));
        Assert.Contains(expected, ex.Problem);
    }

    [Fact]
    public void Refuses_a_short_file() =>
        Assert.Contains("header", Assert.Throws<ModelFormatException>(() => Llama2cLoader.Parse(new byte[10], "x")).Problem);

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Refuses_non_finite_weights_naming_the_tensor(float value)
    {
        var w = LlamaRandom.Create(Tiny, 3);
        w.W3[1][5] = value;
        var ex = Assert.Throws<ModelFormatException>(() => Llama2cLoader.Parse(Bytes(w), "nan.bin"));
        Assert.Contains("tensor w3", ex.Problem);
        Assert.Contains($"flat index {Tiny.HiddenDim * Tiny.Dim + 5}", ex.Problem);
    }

    [Fact]
    public void Missing_file_is_a_clear_error() =>
        Assert.Contains("no such file", Assert.Throws<ModelFormatException>(() => Llama2cLoader.Load("/nonexistent/m.bin")).Problem);

    [StoriesFact]
    public void Loads_stories260K()
    {
        var w = Llama2cLoader.Load(SharedModels.Stories260KCheckpoint()!);
        Assert.Equal(new LlamaConfig(64, 172, 5, 8, 4, 512, 512, true), w.Config);
        Assert.Equal(8, w.Config.HeadDim);
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3], Enumerable.Range(0, 8).Select(w.Config.KvHeadOf));
        // The file's RoPE table is the standard one (base 10000 on adjacent pairs).
        var (re, im) = LlamaRandom.RopeTable(512, 8);
        for (var i = 0; i < re.Length; i++)
        {
            Assert.Equal(re[i], w.FreqCisReal[i], 1e-5f);
            Assert.Equal(im[i], w.FreqCisImag[i], 1e-5f);
        }
        Assert.Same(w.TokenEmbedding, w.Classifier);
    }
}
