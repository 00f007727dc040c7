namespace Workbench.Kernels.Sampling;

/// <summary>
/// One sample at a time, in the exact float32 operation order of the kernels: the definition every backend must
/// reproduce bit for bit, and the generic path for configurations without a specialized kernel.
/// Scores: S_ij = fl(Σ_k q_ik k_jk, summed k = 0, 1, ...) · fl(1/√d_h). Row i's argmax scans its admissible keys
/// in index order with strict &gt;, so a tie goes to the lowest index; its margin is top1 − top2 (+inf for a row
/// with one key); the sample's margin is the minimum over rows and heads.
/// </summary>
public sealed class ReferenceSampler
{
    private readonly SamplerConfig _config;
    private readonly float[] _normals;
    private readonly float[] _q, _k, _scores;

    public ReferenceSampler(SamplerConfig config)
    {
        config.Validate();
        _config = config;
        _normals = new float[config.BlocksPerSample * 4];
        _q = new float[config.Tokens * config.HeadDim];
        _k = new float[config.Tokens * config.HeadDim];
        _scores = new float[config.Heads * config.Tokens * config.Tokens];
    }

    /// <summary>The normals of sample s (the first <see cref="SamplerConfig.NormalsPerSample"/> are used).</summary>
    public ReadOnlySpan<float> Normals(ulong seed, ulong sample)
    {
        for (uint b = 0; b < _config.BlocksPerSample; b++) NormalTransform.Block(seed, sample, b, _normals.AsSpan((int)b * 4, 4));
        return _normals;
    }

    /// <summary>The scores of the last sample: head h, row i, key j at [(h·n + i)·n + j]; masked entries are −inf.</summary>
    public ReadOnlySpan<float> Scores => _scores;

    /// <summary>Samples s: the joint pattern code Σ_h code_h·(n^n)^h and the sample margin.</summary>
    public (ulong Code, float Margin) Sample(ulong seed, ulong sample)
    {
        var c = _config;
        int n = c.Tokens, d = c.HeadDim;
        var z = Normals(seed, sample);
        ulong joint = 0, headScale = 1;
        var margin = float.PositiveInfinity;
        for (var h = 0; h < c.Heads; h++)
        {
            FillQK(z, h);
            ulong code = 0, place = 1;
            for (var i = 0; i < n; i++)
            {
                var (lo, hi) = c.Mask.Keys(i, n);
                var row = _scores.AsSpan((h * n + i) * n, n);
                row.Fill(float.NegativeInfinity);
                for (var j = lo; j <= hi; j++)
                {
                    var acc = _q[i * d] * _k[j * d];
                    for (var t = 1; t < d; t++) acc = acc + _q[i * d + t] * _k[j * d + t];
                    row[j] = acc * c.ScoreScale;
                }
                float best = row[lo], second = float.NegativeInfinity;
                var arg = lo;
                for (var j = lo + 1; j <= hi; j++)
                {
                    var s = row[j];
                    if (s > best) { second = best; best = s; arg = j; }
                    else if (s > second) second = s;
                }
                if (hi > lo) margin = MathF.Min(margin, best - second);
                code += (ulong)arg * place;
                place *= (ulong)n;
            }
            joint += code * headScale;
            headScale *= c.HeadCodeSpace;
        }
        return (joint, margin);
    }

    private void FillQK(ReadOnlySpan<float> z, int h)
    {
        var c = _config;
        int n = c.Tokens, d = c.HeadDim;
        if (!c.Distribution.IsProjected)
        {
            z.Slice(h * 2 * n * d, n * d).CopyTo(_q);
            z.Slice(h * 2 * n * d + n * d, n * d).CopyTo(_k);
            return;
        }
        var dm = c.Distribution.ModelDim;
        var wq = c.Distribution.QueryWeights![h];
        var wk = c.Distribution.KeyWeights![h];
        for (var i = 0; i < n; i++)
            for (var t = 0; t < d; t++)
            {
                float aq = z[i * dm] * wq[t], ak = z[i * dm] * wk[t];
                for (var m = 1; m < dm; m++)
                {
                    aq = aq + z[i * dm + m] * wq[m * d + t];
                    ak = ak + z[i * dm + m] * wk[m * d + t];
                }
                _q[i * d + t] = aq;
                _k[i * d + t] = ak;
            }
    }

    /// <summary>Decodes one head's pattern σ from a joint code.</summary>
    public static int[] Decode(ulong joint, int head, SamplerConfig config)
    {
        var space = config.HeadCodeSpace;
        for (var h = 0; h < head; h++) joint /= space;
        var sigma = new int[config.Tokens];
        for (var i = 0; i < config.Tokens; i++) { sigma[i] = (int)(joint % (ulong)config.Tokens); joint /= (ulong)config.Tokens; }
        return sigma;
    }
}
