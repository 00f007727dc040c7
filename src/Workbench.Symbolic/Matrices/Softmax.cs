using System;
using System.Collections.Generic;

namespace Workbench.Symbolic
{
    /// <summary>Softmax with temperature as a construction: A_j = exp(s_j/τ) / Σ_l exp(s_l/τ).</summary>
    public static class Softmax
    {
        public static Expr[] WithTemperature(IReadOnlyList<Expr> scores, Expr temperature)
        {
            if (scores is null || scores.Count == 0) throw new ArgumentException("softmax needs at least one score", nameof(scores));
            if (temperature.IsZero) throw new ArgumentException("temperature must be nonzero", nameof(temperature));
            var e = new Expr[scores.Count];
            for (int i = 0; i < e.Length; i++) e[i] = Expr.Exp(scores[i] / temperature);
            var z = Expr.Add(e);
            var inv = Expr.Pow(z, Expr.MinusOne);
            var a = new Expr[e.Length];
            for (int i = 0; i < a.Length; i++) a[i] = e[i] * inv;
            return a;
        }

        /// <summary>Row-wise softmax of a score matrix.</summary>
        public static ExprMatrix Rows(ExprMatrix scores, Expr temperature)
        {
            var r = new Expr[scores.Rows, scores.Columns];
            for (int i = 0; i < scores.Rows; i++)
            {
                var row = new Expr[scores.Columns];
                for (int j = 0; j < row.Length; j++) row[j] = scores[i, j];
                var a = WithTemperature(row, temperature);
                for (int j = 0; j < row.Length; j++) r[i, j] = a[j];
            }
            return new ExprMatrix(r);
        }
    }
}
