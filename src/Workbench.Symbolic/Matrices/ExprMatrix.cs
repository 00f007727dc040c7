using System;
using System.Collections.Generic;
using System.Threading;

namespace Workbench.Symbolic
{
    /// <summary>A dense matrix of expressions. Zero tests on entries go through <see cref="ZeroTest"/>, never tree shape.</summary>
    public sealed class ExprMatrix
    {
        private readonly Expr[,] _e;
        public int Rows { get; }
        public int Columns { get; }

        public ExprMatrix(Expr[,] entries)
        {
            _e = (Expr[,])entries.Clone();
            Rows = entries.GetLength(0); Columns = entries.GetLength(1);
            foreach (var x in _e) if (x is null) throw new ArgumentException("matrix entries must not be null", nameof(entries));
        }

        public Expr this[int i, int j] => _e[i, j];

        /// <summary>A matrix of symbols name[i,j] (0-based indices).</summary>
        public static ExprMatrix Symbols(string name, int rows, int columns)
        {
            if (rows <= 0 || columns <= 0 || (long)rows * columns > 1_000_000) throw new SymbolicLimitException($"matrix shape {rows}x{columns} is not allowed (positive, at most 10^6 entries)");
            var e = new Expr[rows, columns];
            for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) e[i, j] = Expr.Var(name, i, j);
            return new ExprMatrix(e);
        }

        public static ExprMatrix operator *(ExprMatrix a, ExprMatrix b)
        {
            if (a.Columns != b.Rows) throw new ArgumentException($"cannot multiply {a.Rows}x{a.Columns} by {b.Rows}x{b.Columns}");
            var r = new Expr[a.Rows, b.Columns];
            for (int i = 0; i < a.Rows; i++)
                for (int j = 0; j < b.Columns; j++)
                {
                    var t = new List<Expr>(a.Columns);
                    for (int k = 0; k < a.Columns; k++) t.Add(a[i, k] * b[k, j]);
                    r[i, j] = Expr.Add(t);
                }
            return new ExprMatrix(r);
        }

        public ExprMatrix Transpose()
        {
            var r = new Expr[Columns, Rows];
            for (int i = 0; i < Rows; i++) for (int j = 0; j < Columns; j++) r[j, i] = _e[i, j];
            return new ExprMatrix(r);
        }

        public ExprMatrix Map(Func<Expr, Expr> f)
        {
            var r = new Expr[Rows, Columns];
            for (int i = 0; i < Rows; i++) for (int j = 0; j < Columns; j++) r[i, j] = f(_e[i, j]);
            return new ExprMatrix(r);
        }

        public ExprMatrix Scale(Expr s) => Map(x => s * x);

        /// <summary>J[i,j] = ∂f_i/∂x_j.</summary>
        public static ExprMatrix Jacobian(IReadOnlyList<Expr> f, IReadOnlyList<Symbol> x, CancellationToken cancellation = default)
        {
            var r = new Expr[f.Count, x.Count];
            for (int i = 0; i < f.Count; i++) for (int j = 0; j < x.Count; j++) r[i, j] = Derivative.Of(f[i], x[j], cancellation);
            return new ExprMatrix(r);
        }

        /// <summary>Entry-wise decision that this matrix equals <paramref name="other"/>; the first failing entry is returned.</summary>
        public (bool equal, bool proved, int row, int column, EqualityResult? failure) EqualTo(ExprMatrix other, CancellationToken cancellation = default)
        {
            if (Rows != other.Rows || Columns != other.Columns) throw new ArgumentException("shapes differ");
            bool proved = true;
            for (int i = 0; i < Rows; i++)
                for (int j = 0; j < Columns; j++)
                {
                    var r = ZeroTest.Equal(_e[i, j], other[i, j], cancellation);
                    if (!r.AreEqual) return (false, r.IsProof, i, j, r);
                    proved &= r.IsProof;
                }
            return (true, proved, -1, -1, null);
        }

        public Expr[] Row(int i) { var r = new Expr[Columns]; for (int j = 0; j < Columns; j++) r[j] = _e[i, j]; return r; }
    }
}
