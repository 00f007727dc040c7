using Workbench.Algebra.Exact;
using Workbench.Algebra.Hochschild;
using Workbench.Algebra.Operators;

namespace Workbench.Claims.Algebra;

/// <summary>
/// L.obstruction, "the condition typically fails": exactly on M_2 over Q, whether ½[φ,φ]_G of the commutator cochain
/// is a Hochschild coboundary (then δφ_2 = −½[φ,φ]_G is solvable and the second-order condition does not fail).
/// </summary>
public sealed class ObstructionSolvabilityCheck : ClaimCheck
{
    public override string ClaimId => "L.obstruction";
    public override string Name => "is the second-order condition solvable? (exact)";
    public override string Setting => "exact Hochschild complex of M_2 over Q: delta_3 and the image of delta_2";

    public override CheckOutcome Run(ClaimContext context) => Check(useDualNumbers: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the same test on the dual numbers k[x]/(x^2), where HH^3 != 0", _ => Check(useDualNumbers: true)),
    ];

    private static CheckOutcome Check(bool useDualNumbers)
    {
        var algebra = useDualNumbers ? AssociativeAlgebra.DualNumbers() : AssociativeAlgebra.Matrices(2);
        var complex = new HochschildComplex(algebra);
        var phi = complex.CommutatorCochain();
        var half = complex.GerstenhaberBracket(phi, phi).Select(x => x / 2).ToArray();
        var nonzero = half.Count(x => !x.IsZero);
        var cocycle = complex.Delta(3, half).All(x => x.IsZero);
        var coboundary = complex.IsCoboundary(2, half.Select(x => -x).ToArray());
        var evidence = new List<Evidence>
        {
            Evidence.Symbolic($"{algebra.Name}: 1/2[phi,phi]_G has {nonzero} nonzero coordinates; it is {(cocycle ? "" : "not ")}a 3-cocycle; -1/2[phi,phi]_G is {(coboundary ? "" : "not ")}in the image of delta_2; dim HH^3 = {complex.HH(3)}"),
        };
        if (!coboundary || nonzero == 0) return new CheckOutcome(Finding.Inconclusive, [.. evidence, Evidence.Note(nonzero == 0 ? "the commutator vanishes (commutative algebra): no obstruction to test" : "the equation is not solvable here")]);
        evidence.Insert(0, Evidence.Counterexample("in the matrix algebra M_2, 1/2[phi_1,phi_1]_G != 0 yet delta phi_2 + 1/2[phi_1,phi_1]_G = 0 is solvable exactly over Q: a non-zero obstruction norm does not make the condition fail, only a non-zero class in HH^3 does, and HH^3(M_d) = 0 (M_d is separable). Heads that generate all of M_d therefore never obstruct at second order"));
        return new CheckOutcome(Finding.Refutes, evidence);
    }
}

/// <summary>
/// L.obstruction, the note's range. What is computed: φ_1 = the commutator on the orthonormal span basis E_1..E_n of
/// each stories260K layer, ½[φ_1, φ_1]_G(a,b,c) = [[a,b],c] − [a,[b,c]] (values in M_d), and its Frobenius norm over
/// all n³ ordered basis triples, dense.
/// </summary>
public sealed class ObstructionStrengthCheck : ClaimCheck
{
    public override string ClaimId => "L.obstruction";
    public override string Name => "obstruction strength on trained layers";
    public override string Setting => "stories260K span bases (n = 8, d = 64), dense over all 512 ordered triples, float64";

    public override CheckOutcome Run(ClaimContext context) => Check(context, 0.01, 0.1);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("obstruction strength in [0.5, 5] (constants moved to this model's scale)", c => Check(c, 0.5, 5)),
    ];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, double[]> Cache = new();

    private static CheckOutcome Check(ClaimContext context, double lo, double hi)
    {
        var path = AlgebraClaimData.CheckpointPath(context);
        if (path is null) return AlgebraClaimData.Absent();
        var strengths = Cache.GetOrAdd(path, _ => AlgebraClaimData.Stories260K(context)!.Select(l =>
            ObstructionStrength.Dense(ObstructionStrength.DenseBasis(l, LayerReport.Compute(l).Span), l.D)).ToArray());
        var inRange = strengths.Count(s => s >= lo && s <= hi);
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"stories260K ||1/2[phi_1,phi_1]_G||_F on the orthonormal span basis, by layer: {AlgebraClaimData.List(strengths)}; {inRange} of {strengths.Length} in [{Fmt.Sig(lo)}, {Fmt.Sig(hi)}]"),
            Evidence.Note("on an orthonormal basis the figure is scale-free; on the raw heads it would scale as c^6 under W -> cW; the note fixes neither basis nor normalisation"),
        };
        if (inRange == strengths.Length) return new CheckOutcome(Finding.SupportsNumerically, evidence);
        evidence.Insert(0, Evidence.Counterexample($"stories260K's obstruction strengths lie outside [{Fmt.Sig(lo)}, {Fmt.Sig(hi)}] in {strengths.Length - inRange} of {strengths.Length} layers"));
        return new CheckOutcome(Finding.Refutes, evidence);
    }
}

/// <summary>
/// L.mc-estimator: (N_total/N_sample) Σ over uniform samples is an unbiased estimator of the full sum (its expectation
/// is the sum exactly); its normal 95% intervals on a random layer cover the dense value at about their rate.
/// </summary>
public sealed class MonteCarloEstimatorCheck : ClaimCheck
{
    public override string ClaimId => "L.mc-estimator";
    public override string Name => "Monte Carlo obstruction estimator against dense";
    public override string Setting => "random layer d = 8, r = 2, H = 5 (n = 5, 125 triples), N = 200 samples, 100 seeds, float64";

    public override CheckOutcome Run(ClaimContext context) => Check(context, scaled: true);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the estimator without the N_total/N_sample factor (a dropped factor)", c => Check(c, scaled: false)),
    ];

    private static CheckOutcome Check(ClaimContext context, bool scaled)
    {
        var heads = FactoredHeads.Random(8, 2, 5, context.SeedFor("mc-estimator"));
        var e = ObstructionStrength.DenseBasis(heads, LayerReport.Compute(heads).Span);
        var n = e.Length;
        var table = new double[n * n * n];
        for (var t = 0; t < table.Length; t++) table[t] = ObstructionStrength.TripleSquared(e, 8, t / (n * n), t / n % n, t % n);
        var exactSquared = table.Sum();
        var seeds = (int)context.Samples(100);
        var covered = 0;
        double meanRatio = 0;
        for (var s = 0; s < seeds; s++)
        {
            var est = ObstructionStrength.MonteCarlo(n, (i, j, k) => table[(i * n + j) * n + k], 200, context.SeedFor("mc-estimator") + (ulong)s + 1);
            var factor = scaled ? 1.0 : 200.0 / table.Length; // without N_total/N_sample the estimate is Σ over the samples only
            var value = est.Value * est.Value * factor;
            var lo = est.Low * est.Low * factor; var hi = est.High * est.High * factor;
            if (lo <= exactSquared && exactSquared <= hi) covered++;
            meanRatio += value / exactSquared / seeds;
        }
        var rate = covered / (double)seeds;
        var evidence = new List<Evidence>
        {
            Evidence.Symbolic("E[(N_total/N) sum_s v(sample_s)] = (N_total/N) N (1/N_total) sum_t v(t) = sum_t v(t) for uniform sampling with replacement: unbiased for ||.||^2 (the square root is biased low by Jensen)"),
            Evidence.Numeric($"{seeds} seeds, N = 200: mean estimate / dense = {Fmt.Sig(meanRatio, 2)}; 95% intervals covered the dense value in {Fmt.Sig(100 * rate, 2)}% of seeds"),
        };
        var ok = Math.Abs(meanRatio - 1) < 0.1 && rate >= 0.85;
        return new CheckOutcome(ok ? Finding.SupportsNumerically : Finding.Refutes, evidence);
    }
}
