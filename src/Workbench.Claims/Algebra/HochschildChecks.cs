using Workbench.Algebra.Exact;
using Workbench.Algebra.Hochschild;

namespace Workbench.Claims.Algebra;

/// <summary>
/// L.hochschild-vanish: exact Hochschild cohomology over Q. The dual numbers k[x]/(x²) have dim HH^n = 1 for every
/// n ≥ 1 (computed to n = 8): finite dimension does not make higher Hochschild cohomology vanish. Separable
/// algebras (M_2, M_3) do have HH^n = 0 for n ≥ 1, which is the true, restricted statement.
/// </summary>
public sealed class HochschildVanishingCheck : ClaimCheck
{
    public override string ClaimId => "L.hochschild-vanish";
    public override string Name => "exact HH^n of small algebras";
    public override string Setting => "exact rational sparse elimination: k[x]/(x^2) n <= 8, M_2 and upper-triangular 2x2 n <= 3, M_3 n <= 2";

    public override CheckOutcome Run(ClaimContext context) => Check(claimNonVanishing: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("reversed: HH^n(k[x]/(x^2)) != 0 for 1 <= n <= 8", _ => Check(claimNonVanishing: true)),
    ];

    private static CheckOutcome Check(bool claimNonVanishing)
    {
        var dual = new HochschildComplex(AssociativeAlgebra.DualNumbers());
        var dualHH = Enumerable.Range(0, 9).Select(dual.HH).ToArray();
        var m2 = new HochschildComplex(AssociativeAlgebra.Matrices(2));
        var m2HH = Enumerable.Range(0, 4).Select(m2.HH).ToArray();
        var tri = new HochschildComplex(AssociativeAlgebra.UpperTriangular2());
        var triHH = Enumerable.Range(0, 4).Select(tri.HH).ToArray();
        var m3 = new HochschildComplex(AssociativeAlgebra.Matrices(3));
        var m3HH = Enumerable.Range(0, 3).Select(m3.HH).ToArray();
        var evidence = new List<Evidence>
        {
            Evidence.Symbolic($"dim HH^n(k[x]/(x^2)), n = 0..8: {string.Join(", ", dualHH)}"),
            Evidence.Symbolic($"dim HH^n(M_2), n = 0..3: {string.Join(", ", m2HH)}; upper-triangular 2x2: {string.Join(", ", triHH)}; M_3, n = 0..2: {string.Join(", ", m3HH)}"),
            Evidence.Note("separable algebras (M_n) have HH^n = 0 for n >= 1; the vanishing is a property of the algebra, not of finite dimension"),
        };
        var nonVanishing = dualHH.Skip(1).All(x => x > 0);
        if (claimNonVanishing) return new CheckOutcome(nonVanishing ? Finding.Proves : Finding.Refutes, evidence);
        if (!nonVanishing) return new CheckOutcome(Finding.Inconclusive, evidence);
        evidence.Insert(0, Evidence.Counterexample($"the dual numbers (dimension 2) have HH^n = {dualHH[8]}-dimensional for n = 1..8 (exact over Q; in characteristic 0 HH^n = k for every n >= 1)", @"HH^n(k[x]/(x^2)) \cong k \quad (n \ge 1)"));
        return new CheckOutcome(Finding.Refutes, evidence);
    }
}

/// <summary>
/// L.poisson: the commutator φ(a,b) = ab − ba on M_2, exactly. It satisfies Leibniz and Jacobi (a Poisson-type
/// bracket for the matrix product), but it is not a Hochschild 2-cocycle (δφ ≠ 0), so μ + tφ is not associative to
/// first order: φ is not the first-order term of an associative deformation (star product) of the matrix product.
/// </summary>
public sealed class CommutatorCocycleCheck : ClaimCheck
{
    public override string ClaimId => "L.poisson";
    public override string Name => "is the commutator a first-order deformation term?";
    public override string Setting => "M_2 over Q, exact Hochschild differential";

    public override CheckOutcome Run(ClaimContext context) => Check(useProduct: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("first-order term = the product mu itself (a trivial rescaling deformation)", _ => Check(useProduct: true)),
    ];

    private static CheckOutcome Check(bool useProduct)
    {
        var algebra = AssociativeAlgebra.Matrices(2);
        var c = new HochschildComplex(algebra);
        var m = algebra.Dim;
        var cochain = useProduct
            ? Enumerable.Range(0, m * m * m).Select(t => algebra.C(t / (m * m), t / m % m, t % m)).ToArray()
            : c.CommutatorCochain();
        var delta = c.Delta(2, cochain);
        var nonzero = delta.Count(x => !x.IsZero);
        var name = useProduct ? "mu" : "phi = [.,.]";
        var evidence = new List<Evidence> { Evidence.Symbolic($"delta({name}) on M_2 has {nonzero} nonzero coordinates of {delta.Length}") };
        if (nonzero == 0) return new CheckOutcome(Finding.Proves, evidence);
        // Leibniz and Jacobi hold exactly: the commutator is a Poisson-type bracket for the (noncommutative) product.
        var rng = new Random(7);
        var a = AlgebraClaimData.IntegerMatrix(rng, 3); var b = AlgebraClaimData.IntegerMatrix(rng, 3); var e = AlgebraClaimData.IntegerMatrix(rng, 3);
        var leibniz = AlgebraClaimData.Add(AlgebraClaimData.Comm(a, AlgebraClaimData.Mul(b, e, 3), 3),
            AlgebraClaimData.Mul(AlgebraClaimData.Comm(a, b, 3), e, 3).Select(x => -x).ToArray(),
            AlgebraClaimData.Mul(b, AlgebraClaimData.Comm(a, e, 3), 3).Select(x => -x).ToArray()).All(x => x.IsZero);
        evidence.Insert(0, Evidence.Counterexample("(delta phi)(E11, E12, E21) = E22 - E11 != 0 in M_2: the commutator is not a Hochschild 2-cocycle, so mu + t phi is not associative to first order and phi is not the first-order term of a star product deforming the matrix product",
            @"(\delta\varphi)(a,b,c) = bac - acb + cab - bca"));
        evidence.Add(Evidence.Symbolic($"what does hold: Leibniz [a, bc] = [a,b]c + b[a,c] exactly on random integer 3x3 matrices ({leibniz}) and Jacobi identically, so the commutator is a Poisson-type bracket of the matrix product (not a Poisson structure on a commutative algebra)"));
        return new CheckOutcome(leibniz ? Finding.Qualifies : Finding.Refutes, evidence);
    }
}
