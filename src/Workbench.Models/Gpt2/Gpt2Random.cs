using Workbench.Models.Safetensors;

namespace Workbench.Models.Gpt2;

/// <summary>Seeded random GPT-2 weights, and writing any GPT-2 weights as safetensors in the Hugging Face layout.</summary>
public static class Gpt2Random
{
    public static Gpt2Weights Create(Gpt2Config c, ulong seed)
    {
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        float[] Fill(int n, double mean, double std)
        {
            var a = new float[n];
            for (var i = 0; i < n; i++) a[i] = (float)(mean + std * Gauss());
            return a;
        }
        float[][] PerLayer(int n, double mean, double std) => Enumerable.Range(0, c.Layers).Select(_ => Fill(n, mean, std)).ToArray();
        int d = c.Dim, inner = c.Inner;
        return new Gpt2Weights
        {
            Config = c, Wte = Fill(c.VocabSize * d, 0, 0.5), Wpe = Fill(c.Positions * d, 0, 0.2),
            Ln1G = PerLayer(d, 1, 0.2), Ln1B = PerLayer(d, 0, 0.1),
            AttnW = PerLayer(d * 3 * d, 0, 1 / Math.Sqrt(d)), AttnB = PerLayer(3 * d, 0, 0.1),
            ProjW = PerLayer(d * d, 0, 1 / Math.Sqrt(d)), ProjB = PerLayer(d, 0, 0.1),
            Ln2G = PerLayer(d, 1, 0.2), Ln2B = PerLayer(d, 0, 0.1),
            FcW = PerLayer(d * inner, 0, 1 / Math.Sqrt(d)), FcB = PerLayer(inner, 0, 0.1),
            FcProjW = PerLayer(inner * d, 0, 1 / Math.Sqrt(inner)), FcProjB = PerLayer(d, 0, 0.1),
            LnFG = Fill(d, 1, 0.2), LnFB = Fill(d, 0, 0.1),
            Source = $"random gpt2 (seed {seed})",
        };
    }

    /// <summary>The weights as a safetensors writer (F32), names as Hugging Face's GPT2Model, n_head in __metadata__.</summary>
    public static SafetensorsWriter ToSafetensors(Gpt2Weights w)
    {
        var c = w.Config;
        int d = c.Dim, inner = c.Inner;
        var s = new SafetensorsWriter().Metadata("n_head", c.Heads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        s.Add("wte.weight", w.Wte, c.VocabSize, d).Add("wpe.weight", w.Wpe, c.Positions, d);
        for (var l = 0; l < c.Layers; l++)
        {
            s.Add($"h.{l}.ln_1.weight", w.Ln1G[l], d).Add($"h.{l}.ln_1.bias", w.Ln1B[l], d)
             .Add($"h.{l}.attn.c_attn.weight", w.AttnW[l], d, 3 * d).Add($"h.{l}.attn.c_attn.bias", w.AttnB[l], 3 * d)
             .Add($"h.{l}.attn.c_proj.weight", w.ProjW[l], d, d).Add($"h.{l}.attn.c_proj.bias", w.ProjB[l], d)
             .Add($"h.{l}.ln_2.weight", w.Ln2G[l], d).Add($"h.{l}.ln_2.bias", w.Ln2B[l], d)
             .Add($"h.{l}.mlp.c_fc.weight", w.FcW[l], d, inner).Add($"h.{l}.mlp.c_fc.bias", w.FcB[l], inner)
             .Add($"h.{l}.mlp.c_proj.weight", w.FcProjW[l], inner, d).Add($"h.{l}.mlp.c_proj.bias", w.FcProjB[l], d);
        }
        s.Add("ln_f.weight", w.LnFG, d).Add("ln_f.bias", w.LnFB, d);
        return s;
    }
}
