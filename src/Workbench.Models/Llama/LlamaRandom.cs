namespace Workbench.Models.Llama;

/// <summary>
/// Seeded random llama2.c-architecture weights (Gaussian, std 1/√fan_in; norm gains near 1) with the standard RoPE
/// table, for tests and planted-structure experiments. The same seed gives the same weights on every machine.
/// </summary>
public static class LlamaRandom
{
    public static LlamaWeights Create(LlamaConfig c, ulong seed)
    {
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        float[] Matrix(int rows, int cols)
        {
            var a = new float[rows * cols];
            var s = 1 / Math.Sqrt(cols);
            for (var i = 0; i < a.Length; i++) a[i] = (float)(s * Gauss());
            return a;
        }
        float[] Gain(int n)
        {
            var a = new float[n];
            for (var i = 0; i < n; i++) a[i] = (float)(1 + 0.2 * Gauss());
            return a;
        }
        float[][] PerLayer(Func<float[]> make) => Enumerable.Range(0, c.Layers).Select(_ => make()).ToArray();
        var emb = Matrix(c.VocabSize, c.Dim);
        var (re, im) = RopeTable(c.SeqLen, c.HeadDim);
        return new LlamaWeights
        {
            Config = c, TokenEmbedding = emb,
            RmsAtt = PerLayer(() => Gain(c.Dim)),
            Wq = PerLayer(() => Matrix(c.Dim, c.Dim)), Wk = PerLayer(() => Matrix(c.KvDim, c.Dim)),
            Wv = PerLayer(() => Matrix(c.KvDim, c.Dim)), Wo = PerLayer(() => Matrix(c.Dim, c.Dim)),
            RmsFfn = PerLayer(() => Gain(c.Dim)),
            W1 = PerLayer(() => Matrix(c.HiddenDim, c.Dim)), W2 = PerLayer(() => Matrix(c.Dim, c.HiddenDim)),
            W3 = PerLayer(() => Matrix(c.HiddenDim, c.Dim)),
            RmsFinal = Gain(c.Dim), FreqCisReal = re, FreqCisImag = im,
            Classifier = c.SharedClassifier ? emb : Matrix(c.VocabSize, c.Dim),
            Source = $"random llama (seed {seed})",
        };
    }

    /// <summary>cos and sin of pos·base^(−2i/d_head), [seq_len × d_head/2], as llama2.c's export writes them.</summary>
    public static (float[] Re, float[] Im) RopeTable(int seqLen, int headDim)
    {
        var half = headDim / 2;
        var re = new float[seqLen * half];
        var im = new float[seqLen * half];
        for (var p = 0; p < seqLen; p++)
            for (var i = 0; i < half; i++)
            {
                var freq = 1.0 / Math.Pow(LlamaConfig.RopeBase, 2.0 * i / headDim);
                re[p * half + i] = (float)Math.Cos(p * freq);
                im[p * half + i] = (float)Math.Sin(p * freq);
            }
        return (re, im);
    }
}
