using System.Collections.Concurrent;
using System.Collections.Generic;
using Workbench.Symbolic;

namespace Workbench.Emit
{
    /// <summary>
    /// Proves, once per row size r and per process, that the derivative of the row softmax with temperature is
    /// (δ_jl·a_j − a_j·a_l)/τ: the symbolic core differentiates a_0 = e_0 / Σ_l e_l, e_l = exp((s_l − m)/τ), with
    /// respect to s_0 and (for r ≥ 2) s_1 and decides each difference from the closed form by canonical forms. Only a
    /// proof counts (a numerical agreement does not). Permuting the keys permutes both sides, so the two entries
    /// cover the whole r × r Jacobian. The generator runs many configurations with the same row sizes; the cache
    /// makes the proof O(n) per build instead of O(n³) derivatives per row.
    /// </summary>
    public static class SoftmaxJacobianProof
    {
        private static readonly ConcurrentDictionary<int, bool> Proved = new ConcurrentDictionary<int, bool>();

        public static bool Holds(int rowSize) => Proved.GetOrAdd(rowSize, Prove);

        private static bool Prove(int r)
        {
            var tau = Expr.Var(KernelExpressions.Tau);
            var m = Expr.Var(new Symbol("m"));
            var e = new List<Expr>();
            for (int l = 0; l < r; l++) e.Add(Expr.Exp((Expr.Var(new Symbol("s", l)) - m) / tau));
            var sum = Expr.Add(e.ToArray());
            Expr Weight(int j) => e[j] / sum;
            var a0 = Weight(0);
            var diagonal = ZeroTest.Equal(Derivative.Of(a0, new Symbol("s", 0)), (a0 - Expr.Mul(a0, a0)) / tau);
            if (diagonal.Decision != Decision.ProvedEqual) return false;
            if (r < 2) return true;
            var offDiagonal = ZeroTest.Equal(Derivative.Of(a0, new Symbol("s", 1)), Expr.Negate(Expr.Mul(a0, Weight(1))) / tau);
            return offDiagonal.Decision == Decision.ProvedEqual;
        }
    }
}
