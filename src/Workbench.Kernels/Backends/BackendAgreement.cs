using Workbench.Kernels.Sampling;

namespace Workbench.Kernels.Backends;

/// <summary>
/// Does this machine's backend give the CPU's bits? Runs a fixed grid of configurations (unrolled and looped score
/// code, masks, several heads, d_h = 1, a dictionary histogram, the projected law) on the backend and on the CPU
/// backend, and compares the whole tallies for equality; the CPU tally is also compared with the scalar reference.
/// The same grid is the test suite's (OpenCL on PoCL in CI, CUDA where a GPU is present), so a user on new hardware
/// runs exactly what the tests run: `workbench sample-check --backend cuda`.
/// </summary>
public static class BackendAgreement
{
    /// <summary>Seed and first sample of the check: the counter's low word wraps past 2^32 inside the run.</summary>
    public const ulong Seed = 77, First = 0xFFFFF000UL, DefaultCount = 20_011;

    public static IReadOnlyList<(string Name, SamplerConfig Config)> Grid { get; } =
    [
        ("n=4 d=8 none", Gaussian(4, 8)),
        ("n=8 d=16 causal", Gaussian(8, 16, SamplerMask.Causal)),
        ("n=5 d=3 window:2", Gaussian(5, 3, new SamplerMask(MaskKind.Window, 2))),
        ("n=3 d=2 heads=2", Gaussian(3, 2, heads: 2)),
        ("n=3 d=1 none", Gaussian(3, 1)),
        ("n=9 d=4 none (dictionary histogram)", Gaussian(9, 4)),
        ("n=4 d=2 projected d_model=3 heads=2", Projected(4, 2, 3, 7, heads: 2)),
        ("n=16 d=32 causal (score loops, sparse histogram)", Gaussian(16, 32, SamplerMask.Causal)),
    ];

    public sealed record Outcome(string Configuration, ulong Samples, bool EqualsCpu, bool CpuEqualsReference, string Detail)
    {
        public bool Passed => EqualsCpu && CpuEqualsReference;
    }

    /// <summary>Checks every grid configuration; throws <see cref="BackendUnavailableException"/> if the backend cannot open.</summary>
    public static IEnumerable<Outcome> Run(string backend, ulong count, CancellationToken cancel)
    {
        foreach (var (name, config) in Grid)
        {
            cancel.ThrowIfCancellationRequested();
            using var other = Backend.Open(backend, config);
            var tally = other.Run(Seed, First, count, null, cancel);
            var cpu = new CpuBackend(config).Run(Seed, First, count, null, cancel);
            var reference = Reference(config, Math.Min(count, 2048), cancel);
            var cpuPrefix = new CpuBackend(config).Run(Seed, First, Math.Min(count, 2048), null, cancel);
            var equal = cpu.SameCounts(tally);
            var referenceEqual = cpuPrefix.SameCounts(reference);
            var detail = equal ? $"{tally.Patterns.Count} patterns, {tally.ExactTies} exact ties, near ties {string.Join(" / ", tally.NearTies)}" : Difference(cpu, tally);
            if (!referenceEqual) detail += "; the CPU backend differs from the scalar reference: " + Difference(reference, cpuPrefix);
            yield return new Outcome(name, count, equal, referenceEqual, detail);
        }
    }

    /// <summary>The first way two tallies differ, in words.</summary>
    public static string Difference(SampleTally expected, SampleTally actual)
    {
        if (expected.Samples != actual.Samples) return $"samples {actual.Samples}, expected {expected.Samples}";
        if (expected.ExactTies != actual.ExactTies) return $"exact ties {actual.ExactTies}, expected {expected.ExactTies}";
        for (var e = 0; e < expected.NearTies.Length; e++)
            if (expected.NearTies[e] != actual.NearTies[e]) return $"near ties (ε #{e}) {actual.NearTies[e]}, expected {expected.NearTies[e]}";
        for (var b = 0; b < expected.MarginBins.Length; b++)
            if (expected.MarginBins[b] != actual.MarginBins[b]) return $"margin bin {b}: {actual.MarginBins[b]}, expected {expected.MarginBins[b]}";
        foreach (var (code, n) in expected.Patterns.OrderBy(p => p.Key))
            if (!actual.Patterns.TryGetValue(code, out var m) || m != n) return $"pattern {code}: {m} samples, expected {n}";
        if (expected.Patterns.Count != actual.Patterns.Count) return $"{actual.Patterns.Count} patterns, expected {expected.Patterns.Count}";
        return "equal";
    }

    private static SampleTally Reference(SamplerConfig c, ulong count, CancellationToken cancel)
    {
        var r = new ReferenceSampler(c);
        var t = new SampleTally(c.Epsilons.Length);
        var eps = c.Epsilons.Select(e => (float)e).ToArray();
        for (var s = First; s < First + count; s++)
        {
            if ((s & 1023) == 0) cancel.ThrowIfCancellationRequested();
            var (code, m) = r.Sample(Seed, s);
            t.Add(code, m, eps);
        }
        return t;
    }

    internal static SamplerConfig Gaussian(int n, int d, SamplerMask? mask = null, int heads = 1) =>
        new() { Tokens = n, HeadDim = d, Heads = heads, Mask = mask ?? SamplerMask.None };

    internal static SamplerConfig Projected(int n, int d, int dm, int seed, int heads)
    {
        // System.Random(int) is the seeded legacy generator: the same weights on every .NET version.
        var rng = new Random(seed);
        float[] W() => Enumerable.Range(0, dm * d).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        return new SamplerConfig
        {
            Tokens = n, HeadDim = d, Heads = heads,
            Distribution = SamplerDistribution.Projected(dm, Enumerable.Range(0, heads).Select(_ => W()).ToArray(), Enumerable.Range(0, heads).Select(_ => W()).ToArray()),
        };
    }
}
