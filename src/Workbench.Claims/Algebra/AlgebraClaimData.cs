using System.Collections.Concurrent;
using Workbench.Algebra.Exact;
using Workbench.Algebra.Operators;
using Workbench.Models.Heads;

namespace Workbench.Claims.Algebra;

/// <summary>Shared inputs of the L.* checks: the stories260K layers (when the shared folder has them) and seeded random layers.</summary>
internal static class AlgebraClaimData
{
    private static readonly ConcurrentDictionary<(string, bool), IReadOnlyList<FactoredHeads>> Cache = new();

    public static string? CheckpointPath(ClaimContext context) =>
        context.SharedDirectory is { } dir && File.Exists(Path.Combine(dir, "models", "stories260K", "stories260K.bin"))
            ? Path.Combine(dir, "models", "stories260K", "stories260K.bin")
            : null;

    /// <summary>The five stories260K layers as factored heads (8 query heads, GQA key heads), or null when absent.</summary>
    public static IReadOnlyList<FactoredHeads>? Stories260K(ClaimContext context, bool foldNorm = false)
    {
        var path = CheckpointPath(context);
        if (path is null) return null;
        return Cache.GetOrAdd((path, foldNorm), key => CheckpointHeads.Layers(HeadOperatorSet.Load(key.Item1, foldNorm: key.Item2)));
    }

    public static CheckOutcome Absent() =>
        CheckOutcome.Of(Finding.Unverifiable, Evidence.Note("shared/models/stories260K/stories260K.bin not found (set WORKBENCH_SHARED): the trained-layer measurement needs it"));

    public static string List(IEnumerable<double> xs, int digits = 3) => string.Join(", ", xs.Select(x => Fmt.Sig(x, digits)));

    /// <summary>A seeded random integer n×n matrix with entries in [−3, 3], as exact rationals.</summary>
    public static Rational[] IntegerMatrix(Random rng, int n) => Enumerable.Range(0, n * n).Select(_ => (Rational)rng.Next(-3, 4)).ToArray();

    public static Rational[] Mul(Rational[] a, Rational[] b, int n)
    {
        var c = Enumerable.Repeat(Rational.Zero, n * n).ToArray();
        for (var i = 0; i < n; i++)
        for (var k = 0; k < n; k++)
        for (var j = 0; j < n; j++) c[i * n + j] += a[i * n + k] * b[k * n + j];
        return c;
    }

    public static Rational[] Comm(Rational[] a, Rational[] b, int n)
    {
        var ab = Mul(a, b, n);
        var ba = Mul(b, a, n);
        return ab.Select((x, i) => x - ba[i]).ToArray();
    }

    public static Rational[] Add(params Rational[][] xs) => xs[0].Select((_, i) => xs.Aggregate(Rational.Zero, (s, x) => s + x[i])).ToArray();

    public static ulong Seed(ClaimContext context, string name) => context.SeedFor(name);
}
