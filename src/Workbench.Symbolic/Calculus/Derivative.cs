using System;
using System.Collections.Generic;
using System.Threading;

namespace Workbench.Symbolic
{
    /// <summary>Symbolic differentiation of every node kind, bottom-up and iterative.</summary>
    public static class Derivative
    {
        /// <summary>d(expr)/d(variable). The result is not simplified; use <see cref="Canonical"/> to normalise it.</summary>
        public static Expr Of(Expr expr, Symbol variable, CancellationToken cancellation = default)
        {
            if (expr is null) throw new ArgumentNullException(nameof(expr));
            if (variable is null) throw new ArgumentNullException(nameof(variable));
            var d = new Dictionary<Expr, Expr>(ExprWalk.ReferenceComparer.Instance);
            foreach (var n in ExprWalk.PostOrder(expr, cancellation))
            {
                var a = n.ArgArray;
                Expr r;
                switch (n.Kind)
                {
                    case ExprKind.Number: r = Expr.Zero; break;
                    case ExprKind.Symbol: r = n.Symbol!.Equals(variable) ? Expr.One : Expr.Zero; break;
                    case ExprKind.Add:
                    {
                        var terms = new List<Expr>(a.Length);
                        foreach (var t in a) terms.Add(d[t]);
                        r = Expr.Add(terms);
                        break;
                    }
                    case ExprKind.Mul:
                    {
                        var terms = new List<Expr>();
                        for (int i = 0; i < a.Length; i++)
                        {
                            var di = d[a[i]];
                            if (di.IsZero) continue;
                            var f = new Expr[a.Length];
                            for (int j = 0; j < a.Length; j++) f[j] = j == i ? di : a[j];
                            terms.Add(Expr.Mul(f));
                        }
                        r = Expr.Add(terms);
                        break;
                    }
                    case ExprKind.Pow:
                    {
                        Expr b = a[0], e = a[1], db = d[b], de = d[e];
                        if (de.IsZero)
                            r = db.IsZero ? Expr.Zero : Expr.Mul(e, Expr.Pow(b, e - Expr.One), db);
                        else // b^e = exp(e log b): valid where b > 0, the only place a non-constant exponent is real.
                            r = Expr.Mul(n, Expr.Add(Expr.Mul(de, Expr.Log(b)), Expr.Mul(e, db, Expr.Pow(b, Expr.MinusOne))));
                        break;
                    }
                    default:
                    {
                        var arg = a[0]; var da = d[arg];
                        if (da.IsZero) { r = Expr.Zero; break; }
                        switch (n.Function)
                        {
                            case FunctionKind.Exp: r = Expr.Mul(n, da); break;
                            case FunctionKind.Log: r = Expr.Mul(da, Expr.Pow(arg, Expr.MinusOne)); break;
                            default: r = Expr.Mul(Expr.Half, da, Expr.Pow(n, Expr.MinusOne)); break;
                        }
                        break;
                    }
                }
                d[n] = r;
            }
            return d[expr];
        }

        public static Expr Of(Expr expr, Symbol variable, int order, CancellationToken cancellation = default)
        {
            if (order < 0) throw new ArgumentOutOfRangeException(nameof(order), "derivative order must be non-negative");
            for (int i = 0; i < order; i++) expr = Of(expr, variable, cancellation);
            return expr;
        }

        /// <summary>Gradient with respect to the given variables.</summary>
        public static Expr[] Gradient(Expr expr, IReadOnlyList<Symbol> variables, CancellationToken cancellation = default)
        {
            var g = new Expr[variables.Count];
            for (int i = 0; i < g.Length; i++) g[i] = Of(expr, variables[i], cancellation);
            return g;
        }
    }
}
