using System.Numerics;

namespace Workbench.Claims.Stratification;

/// <summary>S.pattern-count read as a statement about maps: Σ_n = {1..n}^{1..n} has n^n elements.</summary>
public sealed class PatternCountEnumeration : ClaimCheck
{
    public override string ClaimId => "S.pattern-count";
    public override string Name => "enumeration of all maps";
    public override string Setting => "Σ_n as the set of all maps {0..n−1} → {0..n−1}, walked exhaustively for n = 1..5";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(n => Reachability.AllMaps(n), "n^n");

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("|Σ_n| = n! (counting only bijections)", _ => Evaluate(Factorial, "n!")),
        new("|Σ_n| = n^(n−1) (an exponent changed)", _ => Evaluate(n => BigInteger.Pow(n, n - 1), "n^(n-1)")),
    ];

    internal static BigInteger Factorial(int n) => Enumerable.Range(1, n).Aggregate(BigInteger.One, (a, b) => a * b);

    private static CheckOutcome Evaluate(Func<int, BigInteger> claimed, string formula)
    {
        var counts = Enumerable.Range(1, 5).Select(n => (n, counted: Reachability.EnumerateMaps(n))).ToList();
        var table = string.Join(", ", counts.Select(c => $"n={c.n}: {c.counted}"));
        var wrong = counts.FirstOrDefault(c => claimed(c.n) != c.counted);
        if (wrong.n != 0)
            return CheckOutcome.Of(Finding.Refutes,
                Evidence.Counterexample($"n = {wrong.n}: enumeration counts {wrong.counted} maps, the statement's {formula} gives {claimed(wrong.n)}"),
                Evidence.Numeric($"maps counted by enumeration: {table}"));
        return CheckOutcome.Of(Finding.Proves,
            Evidence.Symbolic($"maps counted by enumeration equal {formula} for n = 1..5 ({table}); in general |A^B| = |A|^|B|", @"|\Sigma_n| = n^n"));
    }
}

/// <summary>
/// S.pattern-count read as a statement about attention: are all n^n maps argmax patterns of some (Q, K)? Only
/// when d_h ≥ 2. With d_h = 1 each row's winner is the largest or the smallest key.
/// </summary>
public sealed class PatternCountReachable : ClaimCheck
{
    public override string ClaimId => "S.pattern-count";
    public override string Name => "patterns attention can realise";
    public override string Setting => "n = 2..4; d_h = 1: Gaussian (Q, K) sampled; d_h = 2: keys on the unit circle, q_i = k_σ(i), every map built and classified";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, Reachability.AllMaps, "n^n");

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("attention realises n! patterns (bijections only)", c => Evaluate(c, PatternCountEnumeration.Factorial, "n!")),
    ];

    private CheckOutcome Evaluate(ClaimContext context, Func<int, BigInteger> claimed, string formula)
    {
        var random = new Gaussian(context.SeedFor(ClaimId + "/scalar"));
        var samples = context.Samples(20_000);
        var evidence = new List<Evidence>();
        bool matchesScalar = true, matchesPlanar = true;
        foreach (var n in new[] { 2, 3, 4 })
        {
            var outside = 0;
            var seen = Reachability.Sample(n, 1, samples, random, sigma => { if (!Reachability.IsScalarReachable(sigma)) outside++; });
            var exact = Reachability.ScalarReachable(n);
            if (outside > 0 || seen.Count != exact)
                return CheckOutcome.Of(Finding.Inconclusive, Evidence.Note(
                    $"d_h = 1, n = {n}: {seen.Count} distinct patterns sampled ({outside} with more than two values), characterisation predicts {exact}"));
            var planar = Reachability.PlanarRealised(n);
            evidence.Add(Evidence.Numeric($"n = {n}: d_h = 1 realises {exact} of {Reachability.AllMaps(n)} maps ({samples} samples found exactly the {exact} two-valued maps); d_h = 2 realises {planar}"));
            matchesScalar &= claimed(n) == exact;
            matchesPlanar &= claimed(n) == planar;
        }

        var reason = Evidence.Symbolic("d_h = 1: S_ij = q_i k_j, so row i's winner is argmax_j k_j when q_i > 0 and argmin_j k_j when q_i < 0: at most two distinct winners, n + C(n,2)(2^n − 2) patterns",
            @"|\{\sigma\ \text{reachable}\}|_{d_h=1} = n + \binom{n}{2}(2^n-2)");
        var counterexample = Evidence.Counterexample("n = 3, d_h = 1: σ = (0,1,2) (each token attends to itself) is no argmax pattern of any (Q, K): it needs three distinct winners");
        if (matchesScalar && matchesPlanar)
            return new CheckOutcome(Finding.SupportsNumerically, evidence);
        if (matchesPlanar)
            return new CheckOutcome(Finding.Qualifies, [Evidence.Note($"{formula} counts the maps; attention realises all of them only when d_h ≥ 2"), counterexample, reason, .. evidence]);
        if (matchesScalar)
            return new CheckOutcome(Finding.Qualifies, [Evidence.Note($"{formula} is the count for d_h = 1 only"), reason, .. evidence]);
        return new CheckOutcome(Finding.Refutes, [Evidence.Counterexample($"{formula} matches neither the d_h = 1 nor the d_h ≥ 2 count"), .. evidence]);
    }
}
