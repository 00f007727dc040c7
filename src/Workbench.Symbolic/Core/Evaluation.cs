using System;
using System.Collections.Generic;
using System.Threading;

namespace Workbench.Symbolic
{
    /// <summary>Raised when an expression cannot be evaluated as asked (unbound symbol, inexact value, division by zero).</summary>
    public sealed class EvaluationException : Exception
    {
        public EvaluationException(string message) : base(message) { }
    }

    /// <summary>Evaluation in double and in exact rationals.</summary>
    public static class Evaluation
    {
        public static double Double(Expr expr, Func<Symbol, double> value, CancellationToken cancellation = default)
        {
            var r = new Dictionary<Expr, double>(ExprWalk.ReferenceComparer.Instance);
            foreach (var n in ExprWalk.PostOrder(expr, cancellation))
            {
                var a = n.ArgArray;
                double v;
                switch (n.Kind)
                {
                    case ExprKind.Number: v = n.Value.ToDouble(); break;
                    case ExprKind.Symbol: v = value(n.Symbol!); break;
                    case ExprKind.Add: v = 0; foreach (var t in a) v += r[t]; break;
                    case ExprKind.Mul: v = 1; foreach (var t in a) v *= r[t]; break;
                    case ExprKind.Pow: v = PowDouble(r[a[0]], a[1]); break;
                    default:
                        var x = r[a[0]];
                        v = n.Function == FunctionKind.Exp ? Math.Exp(x) : n.Function == FunctionKind.Log ? Math.Log(x) : Math.Sqrt(x);
                        break;
                }
                r[n] = v;
            }
            return r[expr];
        }

        public static double Double(Expr expr, IReadOnlyDictionary<Symbol, double> values) =>
            Double(expr, s => values.TryGetValue(s, out var v) ? v : throw new EvaluationException($"no value for symbol {s}"));

        internal static double PowDouble(double b, Expr exponent)
        {
            if (exponent.IsNumber && exponent.Value.IsInteger && BigRational.BitLength(exponent.Value.Numerator) < 31)
            {
                int e = (int)exponent.Value.Numerator;
                if (e == -1) return 1 / b;
                if (e == 2) return b * b;
                return Math.Pow(b, e);
            }
            if (exponent.IsNumber && exponent.Value == new BigRational(1, 2)) return Math.Sqrt(b);
            return Math.Pow(b, exponent.IsNumber ? exponent.Value.ToDouble() : double.NaN);
        }

        /// <summary>
        /// Exact evaluation. exp/log/sqrt must have exact values (exp(0), log(1), sqrt of a rational square),
        /// otherwise an <see cref="EvaluationException"/> names the node.
        /// </summary>
        public static BigRational Exact(Expr expr, Func<Symbol, BigRational> value, CancellationToken cancellation = default)
        {
            var r = new Dictionary<Expr, BigRational>(ExprWalk.ReferenceComparer.Instance);
            foreach (var n in ExprWalk.PostOrder(expr, cancellation))
            {
                var a = n.ArgArray;
                BigRational v;
                switch (n.Kind)
                {
                    case ExprKind.Number: v = n.Value; break;
                    case ExprKind.Symbol: v = value(n.Symbol!); break;
                    case ExprKind.Add: v = BigRational.Zero; foreach (var t in a) v += r[t]; break;
                    case ExprKind.Mul: v = BigRational.One; foreach (var t in a) v *= r[t]; break;
                    case ExprKind.Pow:
                    {
                        var b = r[a[0]];
                        var e = r[a[1]];
                        if (e.IsInteger && BigRational.BitLength(e.Numerator) < 20)
                        {
                            if (b.IsZero && e.Sign < 0) throw new EvaluationException($"division by zero in {n}");
                            v = BigRational.Pow(b, (int)e.Numerator);
                        }
                        else if (e.Denominator == 2 && b.TrySqrt() is BigRational s && BigRational.BitLength(e.Numerator) < 20)
                            v = BigRational.Pow(s, (int)e.Numerator);
                        else throw new EvaluationException($"{n} has no exact rational value here");
                        break;
                    }
                    default:
                    {
                        var x = r[a[0]];
                        if (n.Function == FunctionKind.Exp && x.IsZero) v = BigRational.One;
                        else if (n.Function == FunctionKind.Log && x.IsOne) v = BigRational.Zero;
                        else if (n.Function == FunctionKind.Sqrt && x.TrySqrt() is BigRational s) v = s;
                        else throw new EvaluationException($"{n} has no exact rational value here");
                        break;
                    }
                }
                r[n] = v;
            }
            return r[expr];
        }

        public static BigRational Exact(Expr expr, IReadOnlyDictionary<Symbol, BigRational> values) =>
            Exact(expr, s => values.TryGetValue(s, out var v) ? v : throw new EvaluationException($"no value for symbol {s}"));
    }
}
