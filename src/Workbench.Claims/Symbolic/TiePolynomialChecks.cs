using Workbench.Symbolic;

namespace Workbench.Claims.Symbolic;

/// <summary>
/// S.prop-3.2: the tie polynomial S_ij − S_ik = Σ_c q_ic (k_jc − k_kc) is bilinear: degree 1 in Q, degree 1 in K,
/// total degree 2. So each inequality is linear in Q for fixed K (and vice versa), not linear in (Q, K) jointly.
/// </summary>
public sealed class TiePolynomialLinearityCheck : ClaimCheck
{
    public override string ClaimId => "S.prop-3.2";
    public override string Name => "degree of the tie polynomials in Q and K";
    public override string Setting => "n = 3, d_h = 2, S_ij = sum_c q[i,c] k[j,c]; exact polynomials";

    public override CheckOutcome Run(ClaimContext context) => Decide(statedJointDegree: 1);

    public override IEnumerable<NegativeControl> NegativeControls =>
        [new("statement corrected to 'quadratic (bilinear) in (Q, K) jointly'", _ => Decide(statedJointDegree: 2))];

    internal static CheckOutcome Decide(int statedJointDegree)
    {
        var g = SymbolicSupport.Score(0, 1, 2) - SymbolicSupport.Score(0, 2, 2);
        var canon = Canonical.Simplify(g);
        var (dq, total) = SymbolicSupport.Degrees(g, "q");
        var (dk, _) = SymbolicSupport.Degrees(g, "k");
        var ev = new List<Evidence>
        {
            Evidence.Symbolic($"g_012 = S_01 - S_02 = {canon}: degree {dq} in Q, {dk} in K, total degree {total}",
                "g_{0,1,2} = S_{01} - S_{02} = " + LatexPrinter.Print(canon)),
        };
        if (total == statedJointDegree) return new CheckOutcome(Finding.Proves, ev);
        if (dq == 1 && dk == 1)
        {
            ev.Add(Evidence.Note("each tie inequality is linear in Q for fixed K and in K for fixed Q, but bilinear in (Q, K) jointly: a pattern region is a polyhedral cone in Q for each fixed K, not a polyhedron in (Q, K)"));
            return new CheckOutcome(Finding.Qualifies, ev);
        }
        return new CheckOutcome(Finding.Refutes, ev);
    }
}

/// <summary>
/// S.prop-9.1: the tie polynomial is not the zero polynomial (so its zero set has measure zero), but its zero set is a
/// quadric in (Q, K), not a linear subspace: g = q·(k_j − k_k) vanishes on the union of {q = 0}-type pieces.
/// </summary>
public sealed class TieSetShapeCheck : ClaimCheck
{
    public override string ClaimId => "S.prop-9.1";
    public override string Name => "tie set as the zero set of a nonzero bilinear polynomial";
    public override string Setting => "n = 3, d_h = 2, tie H_{0,1,2} = {S_01 = S_02}; exact";

    public override CheckOutcome Run(ClaimContext context) => Decide(linearClaimed: true);

    public override IEnumerable<NegativeControl> NegativeControls =>
        [new("statement: a codimension-1 quadric cone (zero set of a nonzero bilinear form)", _ => Decide(linearClaimed: false))];

    private static CheckOutcome Decide(bool linearClaimed)
    {
        var g = SymbolicSupport.Score(0, 1, 2) - SymbolicSupport.Score(0, 2, 2);
        var zero = ZeroTest.IsZero(g);
        var (_, total) = SymbolicSupport.Degrees(g, "q");
        // A linear subspace is closed under addition: two tie points whose sum is not a tie point refute it.
        var p1 = new Dictionary<string, BigRational> { ["q00"] = 1, ["q01"] = 0, ["k10"] = 0, ["k11"] = 1, ["k20"] = 0, ["k21"] = 0 };
        var p2 = new Dictionary<string, BigRational> { ["q00"] = 0, ["q01"] = 1, ["k10"] = 1, ["k11"] = 0, ["k20"] = 0, ["k21"] = 0 };
        BigRational At(Dictionary<string, BigRational> p) => Evaluation.Exact(g, s => p.TryGetValue(s.Name + string.Join("", s.Indices), out var v) ? v : BigRational.Zero);
        var sum = p1.ToDictionary(kv => kv.Key, kv => kv.Value + p2[kv.Key]);
        var ev = new List<Evidence>
        {
            Evidence.Symbolic($"g = {Canonical.Simplify(g)} is {(zero.AreEqual ? "" : "not ")}the zero polynomial ({zero.Method}), so the tie set has Lebesgue measure zero in (Q, K)"),
            Evidence.Counterexample($"g(P1) = {At(p1)}, g(P2) = {At(p2)} but g(P1 + P2) = {At(sum)} with P1: q[0,0] = 1, k[1,1] = 1; P2: q[0,1] = 1, k[1,0] = 1 (others 0): the tie set is not closed under addition, so not a linear subspace of QK; it is a quadric (total degree {total}); it is a hyperplane in Q only for each fixed K with k_1 != k_2",
                "g(P_1) = g(P_2) = 0,\\; g(P_1 + P_2) = " + At(sum)),
        };
        bool linearRefuted = At(p1).IsZero && At(p2).IsZero && !At(sum).IsZero;
        if (!zero.AreEqual && linearRefuted)
            return new CheckOutcome(linearClaimed ? Finding.Qualifies : Finding.Proves, ev);
        return new CheckOutcome(Finding.Inconclusive, ev);
    }
}

/// <summary>
/// S.remark-10.2 (parameter-space side of S §10): scores X W_Q (X W_K)^T are unchanged by (W_Q, W_K) → (W_Q M, W_K M^{−T})
/// for every invertible M, at every parameter point: non-identifiability is global, not special to the parameter tie set.
/// </summary>
public sealed class ScoreInvarianceCheck : ClaimCheck
{
    public override string ClaimId => "S.remark-10.2";
    public override string Name => "GL(d_h) invariance of the scores in (W_Q, W_K)";
    public override string Setting => "n = 2 tokens, d_model = 2, d_h = 2, generic symbolic X, W_Q, W_K, M; exact rational functions";

    public override CheckOutcome Run(ClaimContext context) => Decide(inverseTranspose: true);

    public override IEnumerable<NegativeControl> NegativeControls =>
        [new("transform W_K by M instead of M^{-T}", _ => Decide(inverseTranspose: false))];

    private static CheckOutcome Decide(bool inverseTranspose)
    {
        var x = ExprMatrix.Symbols("x", 2, 2);
        var wq = ExprMatrix.Symbols("wq", 2, 2);
        var wk = ExprMatrix.Symbols("wk", 2, 2);
        var m = ExprMatrix.Symbols("m", 2, 2);
        var det = m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0];
        var invT = new ExprMatrix(new Expr[,] { { m[1, 1] / det, -m[1, 0] / det }, { -m[0, 1] / det, m[0, 0] / det } });
        var scores = x * wq * (x * wk).Transpose();
        var moved = x * (wq * m) * (x * (wk * (inverseTranspose ? invT : m))).Transpose();
        var (equal, proved, row, col, failure) = scores.EqualTo(moved);
        if (equal && proved)
            return CheckOutcome.Of(Finding.Qualifies,
                Evidence.Symbolic("X (W_Q M)(X W_K M^{-T})^T = X W_Q (X W_K)^T for every invertible M, entrywise by canonical rational forms",
                    "X W_Q M \\left(X W_K M^{-T}\\right)^{\\top} = X W_Q W_K^{\\top} X^{\\top}"),
                Evidence.Note("so every (W_Q, W_K) lies on a d_h^2-dimensional orbit of parameters inducing the same scores: non-identifiability holds everywhere, not only on the parameter tie set; the tie set adds singularities of the pattern map, not of identifiability"));
        return CheckOutcome.Of(Finding.Refutes,
            SymbolicSupport.Equality($"score entry ({row},{col}) after the transformation", moved[row, col], scores[row, col], failure!));
    }
}

/// <summary>S.sec-10.2: W_Q = 0 gives zero scores and exactly uniform attention; rank-1 W_Q factors every tie polynomial.</summary>
public sealed class DegenerateHeadCheck : ClaimCheck
{
    public override string ClaimId => "S.sec-10.2";
    public override string Name => "degenerate heads: W_Q = 0 and rank-1 W_Q";
    public override string Setting => "n = 3 tokens, d_model = 2, d_h = 2, tau > 0; exact";

    public override CheckOutcome Run(ClaimContext context) => Decide(new BigRational(1, 3));

    public override IEnumerable<NegativeControl> NegativeControls => [new("uniform weight 1/(n+1)", _ => Decide(new BigRational(1, 4)))];

    private static CheckOutcome Decide(BigRational uniform)
    {
        var x = ExprMatrix.Symbols("x", 3, 2);
        var wk = ExprMatrix.Symbols("wk", 2, 2);
        var zero = new ExprMatrix(new Expr[,] { { 0, 0 }, { 0, 0 } });
        var tau = Expr.Var(Symbol.Positive("tau"));
        var a = Softmax.Rows(x * zero * (x * wk).Transpose(), tau);
        bool uniformOk = true;
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) uniformOk &= ZeroTest.Equal(a[i, j], Expr.Num(uniform)).Decision == Decision.ProvedEqual;
        // Rank-1 W_Q = u v^T: S_ij = (x_i . u)(v^T W_K^T x_j), so g_ijk = (x_i . u) * (b_j - b_k) factors.
        var u = new ExprMatrix(new Expr[,] { { Expr.Var("u", 0) }, { Expr.Var("u", 1) } });
        var v = new ExprMatrix(new Expr[,] { { Expr.Var("v", 0), Expr.Var("v", 1) } });
        var s = x * (u * v) * (x * wk).Transpose();
        var g = s[0, 1] - s[0, 2];
        var xu = (x * u)[0, 0];
        var quotient = Canonical.Of(g).Numerator;
        var factor = Canonical.Of(xu).Numerator;
        var q = Poly.TryDivide(quotient, factor);
        var ev = new List<Evidence>
        {
            Evidence.Symbolic($"W_Q = 0: every score is 0 and every attention weight equals {(uniformOk ? uniform.ToString() : "something else than " + uniform)} exactly"),
            Evidence.Symbolic(q is null ? "rank-1 W_Q: the tie polynomial does not factor" :
                $"rank-1 W_Q = u v^T: g_012 = (x_0 . u) * ({Canonical.ToExpr(q)}): the sign of x_i . u alone flips the whole row's order, so each row's pattern is one of two (argmax or argmin of b_j = v^T W_K^T x_j)",
                "g_{0,1,2} = (x_0 \\cdot u)\\,\\left(" + (q is null ? "?" : LatexPrinter.Print(Canonical.ToExpr(q))) + "\\right)"),
        };
        return new CheckOutcome(uniformOk && q is not null ? Finding.Proves : Finding.Refutes, ev);
    }
}
