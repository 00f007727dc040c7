using Workbench.Symbolic;

namespace Workbench.Claims.Symbolic;

/// <summary>
/// S.jacobian-softmax: differentiate the symbolic softmax with temperature and compare with the stated form
/// A_ij(δ_jl − A_il) by canonical forms. The stated form drops the 1/τ factor, so it holds only at τ = 1.
/// </summary>
public sealed class SoftmaxJacobianCheck : ClaimCheck
{
    public override string ClaimId => "S.jacobian-softmax";
    public override string Name => "symbolic softmax Jacobian, canonical-form equality";
    public override string Setting => "one row of n = 3 scores s_0..s_2, temperature tau > 0, exact over Q(s, tau, exp(s_l/tau))";

    public override CheckOutcome Run(ClaimContext context) => Decide((a, j, l, tau) => a[j] * ((j == l ? 1 : 0) - a[l]), "A_j (delta_jl - A_l)");

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("stated form with the 1/tau factor restored (true for every tau)", _ => Decide((a, j, l, tau) => a[j] * ((j == l ? 1 : 0) - a[l]) / tau, "(1/tau) A_j (delta_jl - A_l)")),
        new("stated form with a doubled second factor A_j (delta_jl - 2 A_l)", _ => Decide((a, j, l, tau) => a[j] * ((j == l ? 1 : 0) - 2 * a[l]), "A_j (delta_jl - 2 A_l)")),
    ];

    internal static CheckOutcome Decide(Func<Expr[], int, int, Expr, Expr> stated, string statedText)
    {
        const int n = 3;
        var tauSym = Symbol.Positive("tau");
        Expr tau = tauSym;
        var s = Enumerable.Range(0, n).Select(i => Expr.Var("s", i)).ToArray();
        var a = Softmax.WithTemperature(s, tau);
        bool allEqual = true, allAtOne = true;
        Evidence? first = null;
        for (int j = 0; j < n && (allEqual || allAtOne); j++)
            for (int l = 0; l < n; l++)
            {
                var d = Derivative.Of(a[j], s[l].Symbol!);
                var st = stated(a, j, l, tau);
                var r = ZeroTest.Equal(d, st);
                if (!r.AreEqual)
                {
                    allEqual = false;
                    first ??= SymbolicSupport.Equality($"dA_{j}/ds_{l} vs {statedText}", d, st, r);
                    var atOne = ZeroTest.Equal(Substitution.Apply(d, tauSym, 1), Substitution.Apply(st, tauSym, 1));
                    allAtOne &= atOne.AreEqual;
                }
            }
        var correct = Canonical.Simplify(Derivative.Of(a[0], s[1].Symbol!) / (a[0] * (0 - a[1]) / tau));
        var latexCorrect = "\\frac{\\partial A^{(\\tau)}_{ij}}{\\partial S_{il}} = \\frac{1}{\\tau} A^{(\\tau)}_{ij}\\left(\\delta_{jl} - A^{(\\tau)}_{il}\\right)";
        var derived = Evidence.Symbolic($"derived: dA_j/ds_l = (1/tau) A_j (delta_jl - A_l) for all j, l (canonical quotient derived/(1/tau form) = {correct})", latexCorrect);
        if (allEqual) return CheckOutcome.Of(Finding.Proves, derived, Evidence.Symbolic($"{statedText} equals the derivative for all j, l (canonical forms agree)"));
        if (allAtOne)
            return CheckOutcome.Of(Finding.Qualifies, first!, derived,
                Evidence.Note($"{statedText} is the derivative only at tau = 1; for general tau the factor 1/tau is missing"));
        return CheckOutcome.Of(Finding.Refutes, first!, derived);
    }
}

/// <summary>S.jacobian-scores: ∂S_il/∂q_i = k_l/√d_h and ∂S_il/∂k_l = q_i/√d_h, entrywise, for d_h = 3.</summary>
public sealed class ScoreJacobianCheck : ClaimCheck
{
    public override string ClaimId => "S.jacobian-scores";
    public override string Name => "symbolic score Jacobian";
    public override string Setting => "n = 2 tokens, d_h = 3, S_il = q_i . k_l / sqrt(3), exact with sqrt(3) as an atom";

    public override CheckOutcome Run(ClaimContext context) => Decide(Expr.Sqrt(3));

    public override IEnumerable<NegativeControl> NegativeControls =>
        [new("scale 1/d_h instead of 1/sqrt(d_h)", _ => Decide(3))];

    private static CheckOutcome Decide(Expr statedScale)
    {
        const int dh = 3;
        var sqrtD = Expr.Sqrt(dh);
        var evidence = new List<Evidence>();
        bool ok = true;
        for (int i = 0; i < 2; i++)
            for (int l = 0; l < 2; l++)
            {
                var s = SymbolicSupport.Score(i, l, dh) / sqrtD;
                for (int c = 0; c < dh; c++)
                {
                    var dq = Derivative.Of(s, new Symbol("q", i, c));
                    var dk = Derivative.Of(s, new Symbol("k", l, c));
                    var rq = ZeroTest.Equal(dq, Expr.Var("k", l, c) / statedScale);
                    var rk = ZeroTest.Equal(dk, Expr.Var("q", i, c) / statedScale);
                    if ((!rq.AreEqual || !rk.AreEqual) && ok)
                    {
                        ok = false;
                        evidence.Add(SymbolicSupport.Equality($"dS_{i}{l}/dq[{i},{c}]", dq, Expr.Var("k", l, c) / statedScale, rq));
                    }
                }
            }
        if (ok)
        {
            evidence.Add(Evidence.Symbolic("dS_il/dq[i,c] = k[l,c]/sqrt(3) and dS_il/dk[l,c] = q[i,c]/sqrt(3) for all i, l, c (canonical zero differences)",
                "\\frac{\\partial S_{il}}{\\partial q_i} = \\frac{k_l}{\\sqrt{d_h}},\\quad \\frac{\\partial S_{il}}{\\partial k_l} = \\frac{q_i}{\\sqrt{d_h}}"));
            evidence.Add(Evidence.Note("when the same token's query and key come from one row X_i, S_ii has both contributions; here Q and K are independent variables as in the note"));
            return new CheckOutcome(Finding.Proves, evidence);
        }
        return new CheckOutcome(Finding.Refutes, evidence);
    }
}
