using Workbench.Kernels.Backends;
using Workbench.Kernels.Sampling;

namespace Workbench.Kernels.Tests.Sampling;

internal static class SamplerTestConfigs
{
    public static SamplerConfig Gaussian(int n, int d, SamplerMask? mask = null, int heads = 1) => BackendAgreement.Gaussian(n, d, mask, heads);

    public static SamplerConfig Projected(int n, int d, int dm, ulong seed, int heads = 1) => BackendAgreement.Projected(n, d, dm, (int)seed, heads);

    /// <summary>The backend-agreement grid (what `workbench sample-check` runs).</summary>
    public static IEnumerable<(string Name, SamplerConfig Config)> Grid() => BackendAgreement.Grid;

    public static SampleTally Reference(SamplerConfig c, ulong seed, ulong first, ulong count)
    {
        var r = new ReferenceSampler(c);
        var t = new SampleTally(c.Epsilons.Length);
        var eps = c.Epsilons.Select(e => (float)e).ToArray();
        for (var s = first; s < first + count; s++) { var (code, m) = r.Sample(seed, s); t.Add(code, m, eps); }
        return t;
    }
}
