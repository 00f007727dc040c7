using Workbench.Algebra.Operators;

namespace Workbench.Claims.Algebra;

/// <summary>Measured Jacobi figures of stories260K layers (span-basis triples, relative), shared by the Jacobi-based checks.</summary>
internal static class JacobiFigures
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, double[]> Cache = new();

    public static double[]? Stories(ClaimContext context) =>
        AlgebraClaimData.CheckpointPath(context) is { } path
            ? Cache.GetOrAdd(path, _ => AlgebraClaimData.Stories260K(context)!.Select(l => JacobiProbe.DenseMax(l, LayerReport.Compute(l).Span)).ToArray())
            : null;

    /// <summary>Exact: the Jacobiator of the commutator vanishes on random integer matrices over Q.</summary>
    public static bool ExactZero(int seed, bool dropTerm = false)
    {
        var rng = new Random(seed);
        for (var trial = 0; trial < 5; trial++)
        {
            var a = AlgebraClaimData.IntegerMatrix(rng, 3); var b = AlgebraClaimData.IntegerMatrix(rng, 3); var c = AlgebraClaimData.IntegerMatrix(rng, 3);
            var terms = new List<Workbench.Algebra.Exact.Rational[]>
            {
                AlgebraClaimData.Comm(AlgebraClaimData.Comm(a, b, 3), c, 3),
                AlgebraClaimData.Comm(AlgebraClaimData.Comm(b, c, 3), a, 3),
            };
            if (!dropTerm) terms.Add(AlgebraClaimData.Comm(AlgebraClaimData.Comm(c, a, 3), b, 3));
            if (!AlgebraClaimData.Add([.. terms]).All(x => x.IsZero)) return false;
        }
        return true;
    }
}

/// <summary>
/// L.jacobi: "Jacobi violations of the SVD basis are typically non-zero, ‖J‖ ∈ [0.001, 0.1]". The Jacobiator of a
/// commutator bracket vanishes identically (expand the twelve words); exact over Q on random integer matrices, and on
/// the trained layers the measured relative ‖J‖_F is round-off.
/// </summary>
public sealed class JacobiIdentityCheck : ClaimCheck
{
    public override string ClaimId => "L.jacobi";
    public override string Name => "Jacobi expression of commutators";
    public override string Setting => "exact over Q (5 random integer 3x3 triples); stories260K span bases, all triples, float64 relative to ||E_i|| ||E_j|| ||E_k||";

    public override CheckOutcome Run(ClaimContext context) => Check(context, dropTerm: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("J with its third cyclic term dropped", c => Check(c, dropTerm: true)),
    ];

    private static CheckOutcome Check(ClaimContext context, bool dropTerm)
    {
        var exact = JacobiFigures.ExactZero(11, dropTerm);
        var evidence = new List<Evidence> { Evidence.Symbolic($"J(a,b,c) = 0 exactly over Q on 5 random integer triples: {exact}") };
        if (!exact) return new CheckOutcome(Finding.SupportsNumerically, [.. evidence, Evidence.Note("the expression checked is not the full Jacobiator, so it need not vanish")]);
        if (JacobiFigures.Stories(context) is { } measured)
            evidence.Add(Evidence.Numeric($"stories260K, max over span-basis triples of ||J||_F / (||E_i|| ||E_j|| ||E_k||) by layer: {string.Join(", ", measured.Select(Fmt.Bound))} (float64 round-off)"));
        evidence.Insert(0, Evidence.Counterexample("[[a,b],c] + [[b,c],a] + [[c,a],b] = 0 identically for the commutator of any associative product (the twelve words cancel in pairs); reported non-zero violations of 1e-3..1e-1 cannot be Jacobiators of [A,B] = AB - BA",
            @"[[a,b],c] + [[b,c],a] + [[c,a],b] \equiv 0"));
        return new CheckOutcome(Finding.Refutes, evidence);
    }
}

/// <summary>
/// L.l3-coherence: the relation as written, [ℓ_3(a,b,c), d] + [[a,b],c] + cyclic = 0, adds a 4-argument term to
/// 3-argument ones: not well-formed. The well-formed n = 3 L∞ relation with ℓ_1 = 0 is the Jacobi identity for ℓ_2,
/// which holds exactly; ℓ_3 := −J is then the zero map and "compensates" nothing.
/// </summary>
public sealed class L3CoherenceCheck : ClaimCheck
{
    public override string ClaimId => "L.l3-coherence";
    public override string Name => "the n = 3 coherence relation";
    public override string Setting => "arity of the stated relation; exact Jacobi over Q on random integer 3x3 matrices";

    public override CheckOutcome Run(ClaimContext context) => Check(asWritten: true);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the well-formed reading: sum over unshuffles of l2(l2(a,b),c) (+ l1 l3 = 0) = 0", _ => Check(asWritten: false)),
    ];

    private static CheckOutcome Check(bool asWritten)
    {
        var jacobi = JacobiFigures.ExactZero(13);
        var evidence = new List<Evidence>
        {
            Evidence.Symbolic($"well-formed n = 3 relation with l1 = 0 is the Jacobi identity of l2 = [.,.]: holds exactly over Q ({jacobi}); hence l3 := -J is identically 0"),
        };
        if (!asWritten) return new CheckOutcome(jacobi ? Finding.Proves : Finding.Refutes, evidence);
        evidence.Insert(0, Evidence.Note("as written the relation adds [l3(a,b,c), d] (four inputs) to [[a,b],c] (three inputs): the terms live on different tensor powers, so the equation is not well-formed; the n = 3 relation of an L-infinity algebra involves l1 l3 + l3 l1 and l2 l2 only, and l3 first enters [l3(.,.,.), .] at n = 4"));
        return new CheckOutcome(Finding.IllPosed, evidence);
    }
}

/// <summary>L.coherence-residual: with ℓ_2 the commutator the coherence residual is the Jacobiator, round-off everywhere.</summary>
public sealed class CoherenceResidualCheck : ClaimCheck
{
    public override string ClaimId => "L.coherence-residual";
    public override string Name => "coherence residual on trained layers";
    public override string Setting => "stories260K span bases, all basis triples, float64, residual relative to ||E_i|| ||E_j|| ||E_k||";

    public override CheckOutcome Run(ClaimContext context) => Check(context, 1e-5);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("residuals below 1e-20 (a tolerance under float64 round-off)", c => Check(c, 1e-20)),
    ];

    private static CheckOutcome Check(ClaimContext context, double tolerance)
    {
        var measured = JacobiFigures.Stories(context);
        if (measured is null) return AlgebraClaimData.Absent();
        var worst = measured.Max();
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"max coherence (Jacobi) residual over all layers and basis triples", measured.Length, worst, tolerance),
            Evidence.Note("the residual is the Jacobiator of the commutator, zero identically: its passing says nothing about the layers, only that float64 rounds at 1e-16"),
        };
        return new CheckOutcome(worst < tolerance ? Finding.SupportsNumerically : Finding.Refutes, evidence);
    }
}

/// <summary>
/// L.phases: the note pairs ε bands with Jacobi bands (&lt; 1e-3, 1e-3..1e-1, &gt; 1e-1). Jacobi violations are identically
/// zero, so phases II and III as characterised cannot occur; and stories260K's layers are all phase I by ε.
/// </summary>
public sealed class PhasesCheck : ClaimCheck
{
    public override string ClaimId => "L.phases";
    public override string Name => "phase labels with the note's thresholds";
    public override string Setting => "stories260K, eps thresholds 0.1 / 1.0, Jacobi thresholds 1e-3 / 1e-1, float64";

    public override CheckOutcome Run(ClaimContext context) => Check(context, 1e-3);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("Jacobi violations below 1e-3 in every phase (the Jacobi column reversed)", c => Check(c, double.PositiveInfinity)),
    ];

    private static CheckOutcome Check(ClaimContext context, double phaseTwoJacobiFloor)
    {
        var layers = AlgebraClaimData.Stories260K(context);
        if (layers is null) return AlgebraClaimData.Absent();
        var reports = layers.Select(l => LayerReport.Compute(l)).ToArray();
        var jac = JacobiFigures.Stories(context)!;
        var labels = reports.Select(r => r.Phase).ToArray();
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"stories260K phases by eps (layers 0..4): {string.Join(", ", labels)}; eps {AlgebraClaimData.List(reports.Select(r => r.Eps))}"),
            Evidence.Numeric($"Jacobi violations by layer: {string.Join(", ", jac.Select(Fmt.Bound))}"),
        };
        if (double.IsPositiveInfinity(phaseTwoJacobiFloor))
            return new CheckOutcome(jac.All(j => j < 1e-3) ? Finding.SupportsNumerically : Finding.Refutes, evidence);
        evidence.Insert(0, Evidence.Counterexample($"Jacobi violations vanish identically, so no layer can show the >= {Fmt.Sci(phaseTwoJacobiFloor)} violations the note requires of phases II and III; and every stories260K layer, early or late, falls in phase(s) {string.Join("/", labels.Distinct())} by eps, not I/II/III by depth"));
        return new CheckOutcome(Finding.Refutes, evidence);
    }
}
