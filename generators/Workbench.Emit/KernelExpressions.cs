using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Workbench.Symbolic;

namespace Workbench.Emit
{
    /// <summary>
    /// The kernel mathematics as symbolic expressions, shared by every target language. Scores are polynomials in
    /// the entries of q and k (times the scale symbol). The derivatives are emitted from closed forms that the
    /// symbolic core proves once per row size m (softmax Jacobian, its contraction with V) and once per d_h (score
    /// derivatives), instead of differentiating every entry of every configuration: see the lemma methods below.
    /// A lemma that does not prove throws, and the emitter's caller turns that into WB0009.
    /// </summary>
    public static class KernelExpressions
    {
        public static readonly Symbol Scale = new Symbol("scale");
        public static readonly Symbol Tau = Symbol.Positive("tau");

        public static Symbol Q(int i, int a) => new Symbol("q", i, a);
        public static Symbol K(int j, int a) => new Symbol("k", j, a);
        public static Symbol V(int j, int c) => new Symbol("v", j, c);
        public static Symbol S(int i, int j) => new Symbol("s", i, j);
        public static Symbol RowMax(int i) => new Symbol("m", i);
        public static Symbol J(int i, int j, int l) => new Symbol("J", i, j, l);
        public static Symbol G(int i, int c, int l) => new Symbol("G", i, c, l);
        /// <summary>The softmax weight A_ij (already computed by the kernel's Softmax).</summary>
        public static Symbol A(int i, int j) => new Symbol("a", i, j);
        /// <summary>Y_ic = Σ_j A_ij V_jc.</summary>
        public static Symbol Y(int i, int c) => new Symbol("y", i, c);

        private static readonly ConcurrentDictionary<int, bool> SoftmaxLemmas = new ConcurrentDictionary<int, bool>();
        private static readonly ConcurrentDictionary<int, bool> ContractionLemmas = new ConcurrentDictionary<int, bool>();
        private static readonly ConcurrentDictionary<int, bool> ScoreLemmas = new ConcurrentDictionary<int, bool>();

        private static void Require(EqualityResult r, string lemma)
        {
            if (r.Decision != Decision.ProvedEqual)
                throw new InvalidOperationException("the symbolic core did not prove " + lemma + ": " + r);
        }

        /// <summary>
        /// Lemma, proved by the symbolic core with a shift m_0 held constant: for a_j = e_j/Σ_l e_l,
        /// e_j = exp((s_j − m_0)/τ), ∂a_0/∂s_0 = (1/τ)·a_0·(1 − a_0) and (m ≥ 2) ∂a_0/∂s_1 = −(1/τ)·a_0·a_1, by
        /// Derivative.Of and a canonical-form zero test. It is proved once for every row size m ≥ 2: the row sum is
        /// written e_0 + R (diagonal case) and e_0 + e_1 + R' (off-diagonal case) with R = Σ_{l≥1} e_l and
        /// R' = Σ_{l≥2} e_l free symbols, which is exact because R does not depend on s_0, nor R' on s_0 or s_1, so
        /// differentiating treats them as constants and the proved rational identity holds after substituting them
        /// (R' = 0 when m = 2; no denominator vanishes there). m = 1 (a_0 = 1) is proved directly. The row softmax is
        /// equivariant under relabelling the keys, so the two cases give ∂a_j/∂s_l = (1/τ)·a_j·(δ_jl − a_l) for all
        /// j, l. Proving per m instead cost ≈ 1.3 s at m = 16 (16 exp atoms) in every build.
        /// </summary>
        public static void ProveSoftmaxJacobian(int m)
        {
            var key = m >= 2 ? 2 : 1;
            if (SoftmaxLemmas.ContainsKey(key)) return;
            var shift = Expr.Var(new Symbol("m", 0));
            var tau = Expr.Var(Tau);
            Expr E(int j) => Expr.Exp((Expr.Var(S(0, j)) - shift) / tau);
            if (key == 1)
            {
                var only = E(0) / E(0);
                Require(ZeroTest.Equal(Derivative.Of(only, S(0, 0)), only * (Expr.One - only) / tau), "∂a_0/∂s_0 = a_0(1 − a_0)/τ (m = 1)");
            }
            else
            {
                var rest = Expr.Var(new Symbol("R"));
                var a0 = E(0) / (E(0) + rest);
                Require(ZeroTest.Equal(Derivative.Of(a0, S(0, 0)), a0 * (Expr.One - a0) / tau), "∂a_0/∂s_0 = a_0(1 − a_0)/τ (row sum e_0 + R)");
                var rest2 = Expr.Var(new Symbol("R", 2));
                var sum = E(0) + E(1) + rest2;
                var b0 = E(0) / sum;
                var b1 = E(1) / sum;
                Require(ZeroTest.Equal(Derivative.Of(b0, S(0, 1)), -(b0 * b1) / tau), "∂a_0/∂s_1 = −a_0·a_1/τ (row sum e_0 + e_1 + R')");
            }
            SoftmaxLemmas[key] = true;
        }

        /// <summary>
        /// Lemma (a polynomial identity in independent a_j, v_j, τ⁻¹, proved by canonical form) for a row of m keys:
        /// Σ_j v_j·(1/τ)·a_j·(δ_jl − a_l) = (1/τ)·a_l·(v_l − Σ_j a_j v_j), checked at l = 0 (every l by relabelling).
        /// It turns G = Vᵀ·J_i (O(n³·d_h) terms in all) into O(n²·d_h). Cached per m.
        /// </summary>
        public static void ProveContraction(int m)
        {
            if (ContractionLemmas.ContainsKey(m)) return;
            var tau = Expr.Var(Tau);
            var a = new Expr[m];
            var v = new Expr[m];
            for (int j = 0; j < m; j++) { a[j] = Expr.Var(A(0, j)); v[j] = Expr.Var(V(j, 0)); }
            var lhs = new List<Expr>();
            var y = new List<Expr>();
            for (int j = 0; j < m; j++)
            {
                lhs.Add(v[j] * a[j] * ((j == 0 ? Expr.One : Expr.Zero) - a[0]) / tau);
                y.Add(a[j] * v[j]);
            }
            Require(ZeroTest.Equal(Expr.Add(lhs), a[0] * (v[0] - Expr.Add(y)) / tau), $"Vᵀ·J = a_l(v_l − y)/τ (m = {m})");
            ContractionLemmas[m] = true;
        }

        /// <summary>
        /// Lemma: ∂S_il/∂Q_ib = scale·K_lb and ∂S_il/∂K_lb = scale·Q_ib for every b &lt; d (and ∂S_il/∂Q_i'b = 0 for
        /// i' ≠ i, which is why the emitted sums skip them), by Derivative.Of of the score polynomial. Cached per d.
        /// </summary>
        public static void ProveScoreDerivatives(int d)
        {
            if (ScoreLemmas.ContainsKey(d)) return;
            var score = Score(0, 1, d);
            for (int b = 0; b < d; b++)
            {
                Require(ZeroTest.Equal(Derivative.Of(score, Q(0, b)), Expr.Var(Scale) * Expr.Var(K(1, b))), $"∂S_01/∂q_0{b} = scale·k_1{b} (d_h = {d})");
                Require(ZeroTest.Equal(Derivative.Of(score, K(1, b)), Expr.Var(Scale) * Expr.Var(Q(0, b))), $"∂S_01/∂k_1{b} = scale·q_0{b} (d_h = {d})");
                if (!Derivative.Of(score, Q(1, b)).IsZero || !Derivative.Of(score, K(0, b)).IsZero)
                    throw new InvalidOperationException($"the symbolic core did not prove ∂S_01/∂q_1{b} = ∂S_01/∂k_0{b} = 0 (d_h = {d})");
            }
            ScoreLemmas[d] = true;
        }

        /// <summary>J_ijl = (1/τ)·A_ij·(δ_jl − A_il), the closed form of <see cref="ProveSoftmaxJacobian"/>.</summary>
        public static Expr SoftmaxJacobianEntry(int i, int j, int l)
        {
            var a = Expr.Var(A(i, j));
            var tau = Expr.Var(Tau);
            return j == l ? a * (Expr.One - a) / tau : -(a * Expr.Var(A(i, l))) / tau;
        }

        /// <summary>Y_ic = Σ_j A_ij V_jc in increasing j.</summary>
        public static Expr Output(KernelConfig c, int i, int ch)
        {
            var terms = new List<Expr>();
            foreach (var j in c.Keys(i)) terms.Add(Expr.Mul(Expr.Var(A(i, j)), Expr.Var(V(j, ch))));
            return Expr.Add(terms);
        }

        /// <summary>G_icl = (Vᵀ J_i)[c, l] = (1/τ)·A_il·(V_lc − Y_ic), the closed form of <see cref="ProveContraction"/>.</summary>
        public static Expr ContractedJacobian(int i, int ch, int l) =>
            Expr.Var(A(i, l)) * (Expr.Var(V(l, ch)) - Expr.Var(Y(i, ch))) / Expr.Var(Tau);

        /// <summary>S_ij = scale · Σ_a q_ia k_ja, summed in increasing a (the reference accumulation order).</summary>
        public static Expr Score(int i, int j, int d)
        {
            var terms = new Expr[d];
            for (int a = 0; a < d; a++) terms[a] = Expr.Mul(Expr.Var(Q(i, a)), Expr.Var(K(j, a)));
            return Expr.Mul(Expr.Var(Scale), Expr.Add(terms));
        }

        /// <summary>
        /// ∂A_ij/∂S_il for row i of softmax(S/τ) over its admissible keys, by symbolic differentiation of
        /// A_ij = exp((S_ij − m_i)/τ) / Σ_l exp((S_il − m_i)/τ). The row maximum m_i is held constant: softmax is
        /// shift invariant, so the derivative is exact, and the shift keeps exp from overflowing.
        /// Not used by the emitters any more (they use the closed form of <see cref="ProveSoftmaxJacobian"/>);
        /// kept as the per-entry reference derivation.
        /// </summary>
        public static List<(int J, int L, Expr Derivative)> SoftmaxJacobianRow(KernelConfig c, int i)
        {
            var keys = c.Keys(i);
            var m = Expr.Var(RowMax(i));
            var tau = Expr.Var(Tau);
            var e = new Dictionary<int, Expr>();
            var sum = new List<Expr>();
            foreach (var j in keys)
            {
                e[j] = Expr.Exp((Expr.Var(S(i, j)) - m) / tau);
                sum.Add(e[j]);
            }
            var denominator = Expr.Add(sum);
            var result = new List<(int, int, Expr)>();
            foreach (var j in keys)
            {
                var a = e[j] / denominator;
                foreach (var l in keys) result.Add((j, l, Derivative.Of(a, S(i, l))));
            }
            return result;
        }

        /// <summary>G_icl = Σ_j V_jc J_ijl = (Vᵀ J_i)[c, l].</summary>
        public static Expr VTransposeJ(KernelConfig c, int i, int ch, int l)
        {
            var terms = new List<Expr>();
            foreach (var j in c.Keys(i)) terms.Add(Expr.Mul(Expr.Var(V(j, ch)), Expr.Var(J(i, j, l))));
            return Expr.Add(terms);
        }

        /// <summary>∂Y_ic/∂Q_ib = Σ_l G_icl·scale·K_lb (chain rule through S; ∂S/∂Q from <see cref="ProveScoreDerivatives"/>).</summary>
        public static Expr OutputByQuery(KernelConfig c, int i, int ch, int b)
        {
            var terms = new List<Expr>();
            foreach (var l in c.Keys(i))
            {
                // ∂S_il/∂Q_ib = scale · k_lb (ProveScoreDerivatives)
                terms.Add(Expr.Mul(Expr.Var(G(i, ch, l)), Expr.Var(Scale), Expr.Var(K(l, b))));
            }
            return Expr.Add(terms);
        }

        /// <summary>∂Y_ic/∂K_lb = G_icl · ∂S_il/∂K_lb = G_icl · scale · Q_ib.</summary>
        public static Expr OutputByKey(KernelConfig c, int i, int ch, int l, int b) =>
            Expr.Mul(Expr.Var(G(i, ch, l)), Expr.Var(Scale), Expr.Var(Q(i, b))); // ProveScoreDerivatives
    }
}
