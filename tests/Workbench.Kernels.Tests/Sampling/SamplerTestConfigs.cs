using Workbench.Kernels.Sampling;

namespace Workbench.Kernels.Tests.Sampling;

internal static class SamplerTestConfigs
{
    public static SamplerConfig Gaussian(int n, int d, SamplerMask? mask = null, int heads = 1) =>
        new() { Tokens = n, HeadDim = d, Heads = heads, Mask = mask ?? SamplerMask.None };

    public static SamplerConfig Projected(int n, int d, int dm, ulong seed, int heads = 1)
    {
        var rng = new Random((int)seed);
        float[] W() => Enumerable.Range(0, dm * d).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        return new SamplerConfig
        {
            Tokens = n, HeadDim = d, Heads = heads,
            Distribution = SamplerDistribution.Projected(dm, Enumerable.Range(0, heads).Select(_ => W()).ToArray(), Enumerable.Range(0, heads).Select(_ => W()).ToArray()),
        };
    }

    public static IEnumerable<(string Name, SamplerConfig Config)> Grid() =>
    [
        ("n=4 d=8 none", Gaussian(4, 8)),
        ("n=8 d=16 causal", Gaussian(8, 16, SamplerMask.Causal)),
        ("n=5 d=3 window:2", Gaussian(5, 3, new SamplerMask(MaskKind.Window, 2))),
        ("n=3 d=2 heads=2", Gaussian(3, 2, heads: 2)),
        ("n=3 d=1 none", Gaussian(3, 1)),
        ("n=9 d=4 none (dictionary histogram)", Gaussian(9, 4)),
        ("n=4 d=2 projected d_model=3 heads=2", Projected(4, 2, 3, 7, heads: 2)),
    ];

    public static SampleTally Reference(SamplerConfig c, ulong seed, ulong first, ulong count)
    {
        var r = new ReferenceSampler(c);
        var t = new SampleTally(c.Epsilons.Length);
        var eps = c.Epsilons.Select(e => (float)e).ToArray();
        for (var s = first; s < first + count; s++) { var (code, m) = r.Sample(seed, s); t.Add(code, m, eps); }
        return t;
    }
}
