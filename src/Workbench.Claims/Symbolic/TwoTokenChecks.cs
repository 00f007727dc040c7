using Workbench.Symbolic;

namespace Workbench.Claims.Symbolic;

/// <summary>S.two-token: for n = 2, d_h = 1, A_11 = 1/(1 + exp(−Δ/τ)) with Δ = q_1(k_1 − k_2).</summary>
public sealed class TwoTokenCheck : ClaimCheck
{
    public override string ClaimId => "S.two-token";
    public override string Name => "two-token softmax in closed form";
    public override string Setting => "n = 2, d_h = 1, scores q1*k1, q1*k2, temperature tau > 0; exact";

    public override CheckOutcome Run(ClaimContext context) => Decide(1);

    public override IEnumerable<NegativeControl> NegativeControls => [new("Delta/(2 tau) in the exponent", _ => Decide(2))];

    private static CheckOutcome Decide(int factor)
    {
        Expr tau = Symbol.Positive("tau"), q1 = Expr.Var("q1"), k1 = Expr.Var("k1"), k2 = Expr.Var("k2");
        var a = Softmax.WithTemperature([q1 * k1, q1 * k2], tau);
        var delta = q1 * (k1 - k2);
        var stated = 1 / (1 + Expr.Exp(-delta / (factor * tau)));
        var r = ZeroTest.Equal(a[0], stated);
        return CheckOutcome.Of(r.Decision == Decision.ProvedEqual ? Finding.Proves : Finding.Refutes,
            SymbolicSupport.Equality("A_11 vs 1/(1+exp(-Delta/tau))", a[0], stated, r));
    }
}

/// <summary>
/// S.two-token-peak: ∂A_11/∂Δ = (1/τ) A_11 (1 − A_11), maximal at Δ = 0 with height exactly 1/(4τ): 1/(4τ) − ∂A/∂Δ
/// = (1/τ)(A − 1/2)², a square that vanishes only at Δ = 0.
/// </summary>
public sealed class TwoTokenPeakCheck : ClaimCheck
{
    public override string ClaimId => "S.two-token-peak";
    public override string Name => "derivative of the two-token weight, its maximum and height";
    public override string Setting => "A = 1/(1+exp(-Delta/tau)), Delta real, tau > 0; exact";

    public override CheckOutcome Run(ClaimContext context) => Decide(new BigRational(1, 4), withTau: true);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("peak height 1/(2 tau)", _ => Decide(new BigRational(1, 2), withTau: true)),
        new("derivative without the 1/tau factor", _ => Decide(new BigRational(1, 4), withTau: false)),
    ];

    private static CheckOutcome Decide(BigRational height, bool withTau)
    {
        var tauSym = Symbol.Positive("tau");
        Expr tau = tauSym;
        var deltaSym = new Symbol("Delta");
        Expr delta = deltaSym;
        var a = 1 / (1 + Expr.Exp(-delta / tau));
        var d = Derivative.Of(a, deltaSym);
        var stated = withTau ? a * (1 - a) / tau : a * (1 - a);
        var form = ZeroTest.Equal(d, stated);
        var ev = new List<Evidence> { SymbolicSupport.Equality("dA/dDelta vs stated form", d, stated, form) };
        if (!form.AreEqual) return new CheckOutcome(Finding.Refutes, ev);
        var atZero = Canonical.Simplify(Substitution.Apply(d, deltaSym, 0));
        var heightExpr = Expr.Num(height) / tau;
        var peak = ZeroTest.Equal(atZero, heightExpr);
        var square = ZeroTest.Equal(Expr.Num(new BigRational(1, 4)) / tau - d, Expr.Pow(a - Expr.Half, 2) / tau);
        var slope = Canonical.Simplify(Substitution.Apply(Derivative.Of(d, deltaSym), deltaSym, 0));
        ev.Add(Evidence.Symbolic($"at Delta = 0: dA/dDelta = {atZero}; second derivative there = {slope}",
            "\\left.\\frac{\\partial A_{11}}{\\partial \\Delta}\\right|_{\\Delta=0} = " + LatexPrinter.Print(atZero)));
        ev.Add(SymbolicSupport.Equality("1/(4 tau) - dA/dDelta vs (A - 1/2)^2 / tau (so the maximum is at A = 1/2, i.e. Delta = 0)",
            Expr.Num(new BigRational(1, 4)) / tau - d, Expr.Pow(a - Expr.Half, 2) / tau, square));
        if (peak.AreEqual && square.AreEqual && slope.IsZero)
        {
            ev.Add(Evidence.Note("the height is exactly 1/(4 tau), not only asymptotically; away from Delta = 0 the derivative is (1/tau) A(1-A) -> 0 as tau -> 0"));
            return new CheckOutcome(Finding.Proves, ev);
        }
        ev.Add(SymbolicSupport.Equality("peak height vs stated", atZero, heightExpr, peak));
        return new CheckOutcome(Finding.Refutes, ev);
    }
}

/// <summary>S.three-token: with u = s1 − s3, v = s2 − s3 the three comparisons become u − v, u, v (exact linear identities).</summary>
public sealed class ThreeTokenCheck : ClaimCheck
{
    public override string ClaimId => "S.three-token";
    public override string Name => "three-token comparisons in (u, v) coordinates";
    public override string Setting => "scores s1, s2, s3; u = s1 - s3, v = s2 - s3; exact";

    public override CheckOutcome Run(ClaimContext context) => Decide(Expr.Var("u") - Expr.Var("v"));

    public override IEnumerable<NegativeControl> NegativeControls => [new("s1 - s2 = u + v", _ => Decide(Expr.Var("u") + Expr.Var("v")))];

    private static CheckOutcome Decide(Expr statedS1MinusS2)
    {
        Expr s1 = Expr.Var("s1"), s2 = Expr.Var("s2"), s3 = Expr.Var("s3");
        var map = new Dictionary<Symbol, Expr> { [new Symbol("u")] = s1 - s3, [new Symbol("v")] = s2 - s3 };
        var r12 = ZeroTest.Equal(s1 - s2, Substitution.Apply(statedS1MinusS2, map));
        var r13 = ZeroTest.Equal(s1 - s3, Substitution.Apply(Expr.Var("u"), map));
        var r23 = ZeroTest.Equal(s2 - s3, Substitution.Apply(Expr.Var("v"), map));
        var ev = new List<Evidence>
        {
            SymbolicSupport.Equality("s1 - s2 vs stated", s1 - s2, statedS1MinusS2, r12),
            Evidence.Symbolic("s1 - s3 = u and s2 - s3 = v exactly; the three lines u = v, u = 0, v = 0 pass through the origin of the (u, v) plane and cut it into six open wedges, one per strict order of (s1, s2, s3); the note's \"three wedge regions\" counts the argmax regions (s1, s2 or s3 largest), each a union of two wedges",
                "s_1 - s_2 = u - v,\\; s_1 - s_3 = u,\\; s_2 - s_3 = v"),
        };
        bool ok = r12.AreEqual && r13.AreEqual && r23.AreEqual;
        return new CheckOutcome(ok ? Finding.Proves : Finding.Refutes, ev);
    }
}
