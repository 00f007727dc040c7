using System.Collections.Generic;
using Workbench.Symbolic;

namespace Workbench.Emit
{
    /// <summary>
    /// The kernel mathematics as symbolic expressions, shared by every target language. Scores are polynomials in
    /// the entries of q and k (times the scale symbol); the softmax Jacobian is the symbolic derivative of the
    /// row softmax; the output Jacobians contract it with V and the score derivatives ∂S/∂q = scale·k, ∂S/∂k = scale·q.
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
        public static Symbol A(int i, int j) => new Symbol("a", i, j);

        /// <summary>S_ij = scale · Σ_a q_ia k_ja, summed in increasing a (the reference accumulation order).</summary>
        public static Expr Score(int i, int j, int d)
        {
            var terms = new Expr[d];
            for (int a = 0; a < d; a++) terms[a] = Expr.Mul(Expr.Var(Q(i, a)), Expr.Var(K(j, a)));
            return Expr.Mul(Expr.Var(Scale), Expr.Add(terms));
        }

        /// <summary>
        /// ∂A_ij/∂S_il for row i of softmax(S/τ) over its admissible keys, as (δ_jl·a_ij − a_ij·a_il)/τ in the row's
        /// weights a (symbols <see cref="A"/>, computed by the kernel). The closed form is not assumed: it is proved by
        /// the symbolic core, once per row size r, by differentiating A_0 = exp((S_0 − m)/τ) / Σ_l exp((S_l − m)/τ)
        /// with respect to S_0 and S_1 and deciding equality by canonical forms (<see cref="SoftmaxJacobianProof"/>);
        /// the softmax is symmetric under permutations of the keys, so those two entries cover every (j, l). Should a
        /// proof fail, the row falls back to differentiating every entry (<see cref="SoftmaxJacobianRowByDifferentiation"/>).
        /// </summary>
        public static List<(int J, int L, Expr Derivative)> SoftmaxJacobianRow(KernelConfig c, int i)
        {
            var keys = c.Keys(i);
            if (!SoftmaxJacobianProof.Holds(keys.Count)) return SoftmaxJacobianRowByDifferentiation(c, i);
            var tau = Expr.Var(Tau);
            var result = new List<(int, int, Expr)>();
            foreach (var j in keys)
            {
                var aj = Expr.Var(A(i, j));
                foreach (var l in keys)
                    result.Add((j, l, j == l ? (aj - Expr.Mul(aj, aj)) / tau : Expr.Negate(Expr.Mul(aj, Expr.Var(A(i, l)))) / tau));
            }
            return result;
        }

        /// <summary>
        /// ∂A_ij/∂S_il by symbolic differentiation of every entry: A_ij = exp((S_ij − m_i)/τ) / Σ_l exp((S_il − m_i)/τ),
        /// the row maximum m_i held constant (softmax is shift invariant, so the derivative is exact). O(r³) derivatives
        /// per row: the fallback, and the reference the closed form is proved against.
        /// </summary>
        public static List<(int J, int L, Expr Derivative)> SoftmaxJacobianRowByDifferentiation(KernelConfig c, int i)
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

        /// <summary>∂Y_ic/∂Q_ib = scale · Σ_l G_icl K_lb, with ∂S_il/∂Q_ib taken from the score polynomial.</summary>
        public static Expr OutputByQuery(KernelConfig c, int i, int ch, int b)
        {
            var terms = new List<Expr>();
            foreach (var l in c.Keys(i))
                terms.Add(Expr.Mul(Expr.Var(G(i, ch, l)), ScoreDerivative(c.HeadDim, i, l, b, byKey: false))); // = scale · k_lb
            return Expr.Add(terms);
        }

        /// <summary>∂Y_ic/∂K_lb = G_icl · ∂S_il/∂K_lb = G_icl · scale · Q_ib.</summary>
        public static Expr OutputByKey(KernelConfig c, int i, int ch, int l, int b) =>
            Expr.Mul(Expr.Var(G(i, ch, l)), ScoreDerivative(c.HeadDim, i, l, b, byKey: true));

        // ∂S_il/∂Q_ib and ∂S_il/∂K_lb do not depend on the output channel c: differentiating once per (d_h, i, l, b)
        // instead of once per output entry removes a factor d_h from the generator's derivative work.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int D, int I, int L, int B, bool ByKey), Expr> ScoreDerivatives =
            new System.Collections.Concurrent.ConcurrentDictionary<(int, int, int, int, bool), Expr>();

        private static Expr ScoreDerivative(int d, int i, int l, int b, bool byKey) =>
            ScoreDerivatives.GetOrAdd((d, i, l, b, byKey), key =>
                Derivative.Of(Score(key.I, key.L, key.D), key.ByKey ? K(key.L, key.B) : Q(key.I, key.B)));
    }
}
