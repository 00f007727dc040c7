using Workbench.Symbolic;

namespace Workbench.Claims.Symbolic;

internal static class FreeAlgebra
{
    public static readonly NcPolynomial A = NcPolynomial.Letter("a"), B = NcPolynomial.Letter("b"), C = NcPolynomial.Letter("c"), D = NcPolynomial.Letter("d");

    public static NcPolynomial Jacobi(Func<NcPolynomial, NcPolynomial, NcPolynomial> br) =>
        br(br(A, B), C) + br(br(B, C), A) + br(br(C, A), B);

    public static NcPolynomial Commutator(NcPolynomial x, NcPolynomial y) => NcPolynomial.Commutator(x, y);
}

/// <summary>L.jacobi: the Jacobi identity for the commutator holds identically in the free algebra, so J ≡ 0 exactly.</summary>
public sealed class JacobiIdentityCheck : ClaimCheck
{
    public override string ClaimId => "L.jacobi";
    public override string Name => "Jacobi identity for the commutator in the free associative algebra";
    public override string Setting => "Q<a, b, c>, exact";

    public override CheckOutcome Run(ClaimContext context) => Decide(FreeAlgebra.Commutator, "[x,y] = xy - yx");

    public override IEnumerable<NegativeControl> NegativeControls =>
        [new("bracket xy - 2yx instead of the commutator", _ => Decide((x, y) => x * y - (y * x).Scale(2), "xy - 2yx"))];

    private static CheckOutcome Decide(Func<NcPolynomial, NcPolynomial, NcPolynomial> br, string bracket)
    {
        var j = FreeAlgebra.Jacobi(br);
        if (j.IsZero)
            return CheckOutcome.Of(Finding.Qualifies,
                Evidence.Symbolic($"J(a,b,c) = [[a,b],c] + [[b,c],a] + [[c,a],b] = 0 identically in Q<a,b,c> for {bracket}",
                    "[[a,b],c] + [[b,c],a] + [[c,a],b] = 0"),
                Evidence.Note("so for any matrices E_i, E_j, E_k and the matrix commutator, J is exactly zero: nonzero measured values are round-off (relative size ~ machine epsilon), or come from a different bracket (e.g. one projected onto a truncated SVD basis), which the note must then define"));
        return CheckOutcome.Of(Finding.Proves, Evidence.Symbolic($"J(a,b,c) = {j} for {bracket}: nonzero identically", j.ToLatex()));
    }
}

/// <summary>L.l3-coherence: with ℓ₃ := −J and J ≡ 0, the relation [ℓ₃(a,b,c), d] + Jacobi sum = 0 holds (trivially).</summary>
public sealed class L3CoherenceCheck : ClaimCheck
{
    public override string ClaimId => "L.l3-coherence";
    public override string Name => "n = 3 L-infinity relation with l3 = -J, exact in the free algebra";
    public override string Setting => "Q<a, b, c, d>, l2 = commutator, l3 = -J; exact";

    public override CheckOutcome Run(ClaimContext context) => Decide(FreeAlgebra.Commutator);

    public override IEnumerable<NegativeControl> NegativeControls =>
        [new("l2 = anticommutator xy + yx", _ => Decide((x, y) => x * y + y * x))];

    private static CheckOutcome Decide(Func<NcPolynomial, NcPolynomial, NcPolynomial> br)
    {
        var j = FreeAlgebra.Jacobi(br);
        var l3 = -j;
        var relation = br(l3, FreeAlgebra.D) + j;
        if (relation.IsZero)
            return CheckOutcome.Of(Finding.Proves,
                Evidence.Symbolic("[l3(a,b,c), d] + [[a,b],c] + cyclic = 0 identically; it holds trivially because J = 0 for the commutator, so l3 = 0",
                    "[\\ell_3(a,b,c), d] + [[a,b],c] + [[b,c],a] + [[c,a],b] = 0"));
        return CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample($"relation = {relation}", relation.ToLatex()));
    }
}

/// <summary>
/// L.poisson: the first-order term φ₁ of an associative star product a ⋆ b = ab + t φ₁(a,b) + … must be a Hochschild
/// 2-cocycle (δφ₁ = 0). For φ(a,b) = [a,b] in a noncommutative algebra it is not: δφ is computed exactly.
/// </summary>
public sealed class CommutatorCocycleCheck : ClaimCheck
{
    public override string ClaimId => "L.poisson";
    public override string Name => "is the commutator a Hochschild 2-cocycle";
    public override string Setting => "Hochschild complex of Q<a, b, c> with coefficients in itself; exact, plus integer 2x2 matrices";

    public override CheckOutcome Run(ClaimContext context) => Decide(Cochain.Commutator(), "phi(a,b) = ab - ba");

    public override IEnumerable<NegativeControl> NegativeControls =>
        [new("phi(a,b) = ab (the product itself, a cocycle)", _ => Decide(Cochain.Product(), "phi(a,b) = ab"))];

    private static CheckOutcome Decide(Cochain phi, string text)
    {
        var d = phi.Coboundary().Named("a", "b", "c");
        if (d.IsZero)
            return CheckOutcome.Of(Finding.Proves, Evidence.Symbolic($"delta phi = 0 for {text}: a 2-cocycle"));
        var m = new Dictionary<string, BigRational[,]>
        {
            ["a"] = new BigRational[,] { { 0, 1 }, { 0, 0 } },
            ["b"] = new BigRational[,] { { 1, 0 }, { 0, 0 } },
            ["c"] = new BigRational[,] { { 0, 0 }, { 1, 0 } },
        };
        var v = d.Evaluate(m, 2);
        return CheckOutcome.Of(Finding.Refutes,
            Evidence.Counterexample($"(delta phi)(a,b,c) = {d} for {text}: not a 2-cocycle, so phi cannot be the first-order term of an associative deformation of the matrix product",
                "(\\delta\\varphi)(a,b,c) = " + d.ToLatex()),
            Evidence.Counterexample($"at a = E12, b = E11, c = E21 (2x2): delta phi = [[{v[0, 0]}, {v[0, 1]}], [{v[1, 0]}, {v[1, 1]}]]"),
            Evidence.Note("the commutator is a Poisson-like bracket (it satisfies Jacobi and Leibniz), but it is the first-order term of a star product only on a commutative algebra, where it vanishes"));
    }
}

/// <summary>
/// L.obstruction: ½[φ₁, φ₁]_G for the commutator equals δ(m^op) exactly (m^op(a,b) = ba), so δφ₂ + ½[φ₁, φ₁]_G = 0 is
/// solved by φ₂ = −m^op: the second-order condition is not obstructed algebraically; its failure for a given layer
/// measures the chosen φ₂, not an obstruction class.
/// </summary>
public sealed class GerstenhaberObstructionCheck : ClaimCheck
{
    public override string ClaimId => "L.obstruction";
    public override string Name => "Gerstenhaber square of the commutator cochain";
    public override string Setting => "Hochschild cochains of Q<a, b, c> given as NC polynomials; exact";

    public override CheckOutcome Run(ClaimContext context) => Decide(Cochain.OppositeProduct().Scale(BigRational.MinusOne), "-ba");

    public override IEnumerable<NegativeControl> NegativeControls =>
        [new("candidate phi_2(a,b) = +ba", _ => Decide(Cochain.OppositeProduct(), "+ba"))];

    private static CheckOutcome Decide(Cochain phi2, string text)
    {
        var phi1 = Cochain.Commutator();
        var half = Cochain.GerstenhaberBracket(phi1, phi1).Scale(new BigRational(1, 2));
        var condition = (phi2.Coboundary() + half).Named("a", "b", "c");
        var h = half.Named("a", "b", "c");
        var ev = new List<Evidence>
        {
            Evidence.Symbolic($"1/2 [phi_1, phi_1]_G (a,b,c) = {h} = [b,[c,a]]: nonzero", "\\tfrac12[\\varphi_1,\\varphi_1]_G(a,b,c) = " + h.ToLatex()),
        };
        if (condition.IsZero)
        {
            ev.Add(Evidence.Symbolic($"delta phi_2 + 1/2 [phi_1, phi_1]_G = 0 exactly with phi_2(a,b) = {text}",
                "\\delta\\varphi_2 + \\tfrac12[\\varphi_1,\\varphi_1]_G = 0 \\text{ for } \\varphi_2(a,b) = " + text));
            ev.Add(Evidence.Note("the order-2 equation is solvable, so no cohomological obstruction arises there; 'typically fails' can only refer to a layer's own phi_2, and the range [0.01, 0.1] is a numeric statement this check does not address"));
            return new CheckOutcome(Finding.Qualifies, ev);
        }
        ev.Add(Evidence.Counterexample($"with phi_2(a,b) = {text}: delta phi_2 + 1/2 [phi_1, phi_1]_G = {condition}"));
        return new CheckOutcome(Finding.Refutes, ev);
    }
}
