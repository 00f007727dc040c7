using Workbench.Models.Gpt2;
using Workbench.Models.Heads;
using Workbench.Models.Llama;
using Workbench.Models.Safetensors;

namespace Workbench.Models.Tests;

public class HeadOperatorTests
{
    static double[] RandomVector(Random rng, int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();

    static double Bilinear(double[,] a, double[] x, double[] y)
    {
        var s = 0.0;
        for (var i = 0; i < x.Length; i++)
            for (var j = 0; j < y.Length; j++) s += x[i] * a[i, j] * y[j];
        return s;
    }

    /// <summary>q_h·k_h computed the way the llama forward pass computes them (Wq·x, Wk·y, rows of the head).</summary>
    static double LlamaScore(LlamaWeights w, int l, int h, double[] x, double[] y)
    {
        var c = w.Config;
        var kv = c.KvHeadOf(h);
        var s = 0.0;
        for (var j = 0; j < c.HeadDim; j++)
        {
            double q = 0, k = 0;
            for (var i = 0; i < c.Dim; i++)
            {
                q += w.Wq[l][(h * c.HeadDim + j) * c.Dim + i] * x[i];
                k += w.Wk[l][(kv * c.HeadDim + j) * c.Dim + i] * y[i];
            }
            s += q * k;
        }
        return s;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Llama_head_operator_reproduces_the_score(bool fold)
    {
        var w = LlamaRandom.Create(new LlamaConfig(12, 16, 2, 6, 3, 9, 4, true), 11);
        var set = HeadOperatorSet.FromLlama(w, fold);
        var rng = new Random(5);
        for (var l = 0; l < 2; l++)
            for (var h = 0; h < 6; h++)
            {
                var f = set.Get(l, h);
                Assert.Equal(h / 2, f.KvHead);
                var x = RandomVector(rng, 12);
                var y = RandomVector(rng, 12);
                // Folding means A_h acts on the unscaled normalised vector: score(g⊙x, g⊙y) = xᵀ A_h^fold y.
                var gx = fold ? x.Select((v, i) => v * w.RmsAtt[l][i]).ToArray() : x;
                var gy = fold ? y.Select((v, i) => v * w.RmsAtt[l][i]).ToArray() : y;
                var expected = LlamaScore(w, l, h, gx, gy);
                Assert.Equal(expected, Bilinear(f.Dense(), x, y), 1e-12);
            }
        Assert.True(set.UsesRope);
        Assert.Contains("RoPE", set.Note);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gpt2_head_operator_splits_c_attn_by_columns(bool fold)
    {
        var c = new Gpt2Config(Dim: 12, Layers: 2, Heads: 3, VocabSize: 7, Positions: 5, Inner: 20);
        var w = Gpt2Random.Create(c, 4);
        var file = SafetensorsFile.Parse(Gpt2Random.ToSafetensors(w).ToBytes(), "g.safetensors");
        var set = HeadOperatorSet.FromGpt2(file, fold);
        Assert.Equal(3, set.Heads);
        Assert.Equal(4, set.DHead);
        var rng = new Random(9);
        for (var l = 0; l < 2; l++)
            for (var h = 0; h < 3; h++)
            {
                var x = RandomVector(rng, 12);
                var y = RandomVector(rng, 12);
                var gx = fold ? x.Select((v, i) => v * w.Ln1G[l][i]).ToArray() : x;
                var gy = fold ? y.Select((v, i) => v * w.Ln1G[l][i]).ToArray() : y;
                // Conv1D: q = x·W[:, 0:d], k = x·W[:, d:2d], head h owning columns h·d_head….
                var s = 0.0;
                for (var j = 0; j < 4; j++)
                {
                    double q = 0, k = 0;
                    for (var i = 0; i < 12; i++)
                    {
                        q += gx[i] * w.AttnW[l][i * 36 + h * 4 + j];
                        k += gy[i] * w.AttnW[l][i * 36 + 12 + h * 4 + j];
                    }
                    s += q * k;
                }
                Assert.Equal(s, Bilinear(set.Get(l, h).Dense(), x, y), 1e-5);
            }
    }

    [Fact]
    public void Out_of_range_layer_and_head_are_named()
    {
        var set = HeadOperatorSet.FromLlama(LlamaRandom.Create(new LlamaConfig(8, 8, 2, 2, 1, 5, 4, true), 1));
        Assert.Equal("layer 2", Assert.Throws<ModelFormatException>(() => set.Get(2, 0)).Input);
        Assert.Equal("head -1", Assert.Throws<ModelFormatException>(() => set.Get(0, -1)).Input);
    }

    [StoriesFact]
    public void Stories260K_head_operators_follow_the_gqa_mapping()
    {
        var set = HeadOperatorSet.Load(SharedModels.Stories260KCheckpoint()!, ModelFormat.Llama2c, foldNorm: true);
        Assert.Equal((5, 8, 4, 64, 8), (set.Layers, set.Heads, set.KvHeads, set.DModel, set.DHead));
        // Query heads 2h and 2h+1 share kv head h: identical K factors, different Q factors.
        var a = set.Get(3, 4);
        var b = set.Get(3, 5);
        Assert.Equal(2, a.KvHead);
        Assert.Equal(a.WK, b.WK);
        Assert.NotEqual(a.WQ, b.WQ);
    }
}
