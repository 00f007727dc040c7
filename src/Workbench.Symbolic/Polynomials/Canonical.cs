using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Threading;

namespace Workbench.Symbolic
{
    /// <summary>
    /// The canonical form of an expression: a <see cref="RationalFunction"/> over generators (symbols and
    /// normalised exp/log/sqrt atoms). Sound rules only: exp(a)·exp(b) = exp(a+b) holds because every exp is split
    /// into exp(unit)^k over the terms of its normalised argument; sqrt(p)² = p; exp(0) = 1, log(1) = 0. There is
    /// no log(a) + log(b) → log(ab) and no sqrt(x²) → x.
    /// </summary>
    public static class Canonical
    {
        /// <summary>Largest integer power expanded exactly.</summary>
        public static int MaxPower = 100_000;

        public static RationalFunction Of(Expr expr, CancellationToken cancellation = default)
        {
            if (expr is null) throw new ArgumentNullException(nameof(expr));
            var r = new Dictionary<Expr, RationalFunction>(ExprWalk.ReferenceComparer.Instance);
            foreach (var n in ExprWalk.PostOrder(expr, cancellation))
            {
                cancellation.ThrowIfCancellationRequested();
                var a = n.ArgArray;
                RationalFunction v;
                switch (n.Kind)
                {
                    case ExprKind.Number: v = RationalFunction.Constant(n.Value); break;
                    case ExprKind.Symbol: v = RationalFunction.FromPoly(Poly.Variable(Generator.ForSymbol(n.Symbol!).Id)); break;
                    case ExprKind.Add:
                        v = RationalFunction.Zero;
                        foreach (var t in a) v = v.Add(r[t], cancellation);
                        break;
                    case ExprKind.Mul:
                        v = RationalFunction.One;
                        foreach (var t in a) v = v.Multiply(r[t], cancellation);
                        v = ReduceSqrt(v, cancellation);
                        break;
                    case ExprKind.Pow: v = Power(r[a[0]], a[0], a[1], r[a[1]], cancellation); break;
                    default: v = Function(n.Function, r[a[0]], cancellation); break;
                }
                r[n] = v;
            }
            return r[expr];
        }

        private static RationalFunction Power(RationalFunction b, Expr bExpr, Expr eExpr, RationalFunction e, CancellationToken c)
        {
            if (e.IsConstant)
            {
                var k = e.ConstantValue;
                if (k.IsInteger)
                {
                    if (BigInteger.Abs(k.Numerator) > MaxPower) throw new SymbolicLimitException($"power {k} exceeds the limit {MaxPower} for exact expansion");
                    if (b.IsZero && k.Sign < 0) throw new DivideByZeroException("division by zero (the base is identically 0 and the power is negative)");
                    return ReduceSqrt(b.Pow((int)k.Numerator, c), c);
                }
                if (k.Denominator == 2 && BigInteger.Abs(k.Numerator) <= MaxPower)
                    return ReduceSqrt(Function(FunctionKind.Sqrt, b, c).Pow((int)k.Numerator, c), c);
            }
            if (b.IsConstant && b.ConstantValue.IsOne) return RationalFunction.One;
            var g = Generator.ForPower(ToExpr(b), ToExpr(e));
            return RationalFunction.FromPoly(Poly.Variable(g.Id));
        }

        private static RationalFunction Function(FunctionKind f, RationalFunction a, CancellationToken c)
        {
            switch (f)
            {
                case FunctionKind.Exp:
                {
                    if (a.IsZero) return RationalFunction.One;
                    var result = RationalFunction.One;
                    foreach (var term in a.Numerator.Terms)
                    {
                        var coeff = term.Value;
                        BigInteger k = coeff.Numerator;
                        RationalFunction unit;
                        if (BigInteger.Abs(k) > 64) { unit = RationalFunction.Create(Poly.Term(coeff, term.Key), a.Denominator, c); k = BigInteger.One; }
                        else unit = RationalFunction.Create(Poly.Term(new BigRational(BigInteger.One, coeff.Denominator), term.Key), a.Denominator, c);
                        var g = Generator.ForFunction(GeneratorKind.Exp, unit);
                        result = result.Multiply(RationalFunction.FromPoly(Poly.Variable(g.Id)).Pow((int)k, c), c);
                    }
                    return result;
                }
                case FunctionKind.Log:
                    if (a.IsConstant && a.ConstantValue.IsOne) return RationalFunction.Zero;
                    return RationalFunction.FromPoly(Poly.Variable(Generator.ForFunction(GeneratorKind.Log, a).Id));
                default:
                    if (a.IsZero) return RationalFunction.Zero;
                    if (a.IsConstant && a.ConstantValue.TrySqrt() is BigRational s) return RationalFunction.Constant(s);
                    return RationalFunction.FromPoly(Poly.Variable(Generator.ForFunction(GeneratorKind.Sqrt, a).Id));
            }
        }

        /// <summary>Rewrites sqrt(p)^e with e ≥ 2 as p^(e div 2)·sqrt(p)^(e mod 2) until none is left.</summary>
        internal static RationalFunction ReduceSqrt(RationalFunction v, CancellationToken c)
        {
            for (int round = 0; round < 16; round++)
            {
                if (!HasReducible(v.Numerator) && !HasReducible(v.Denominator)) return v;
                v = Reduce(v.Numerator, c).Divide(Reduce(v.Denominator, c), c);
            }
            return v;
        }

        private static bool HasReducible(Poly p)
        {
            foreach (var m in p.Terms.Keys)
                for (int i = 0; i < m.Count; i++)
                    if (m.Exponent(i) >= 2 && Generator.Get(m.Variable(i)).Kind == GeneratorKind.Sqrt) return true;
            return false;
        }

        private static RationalFunction Reduce(Poly p, CancellationToken c)
        {
            if (!HasReducible(p)) return RationalFunction.FromPoly(p);
            var sum = RationalFunction.Zero;
            foreach (var kv in p.Terms)
            {
                var m = kv.Key;
                var rest = new List<int>();
                var t = RationalFunction.Constant(kv.Value);
                for (int i = 0; i < m.Count; i++)
                {
                    var g = Generator.Get(m.Variable(i));
                    int e = m.Exponent(i);
                    if (g.Kind == GeneratorKind.Sqrt && e >= 2)
                    {
                        t = t.Multiply(g.Argument!.Pow(e / 2, c), c);
                        e %= 2;
                    }
                    if (e > 0) t = t.Multiply(RationalFunction.FromPoly(Poly.Variable(g.Id, e)), c);
                }
                sum = sum.Add(t, c);
            }
            return sum;
        }

        /// <summary>The canonical form as an expression: terms in a fixed order, p/q with q monic.</summary>
        public static Expr Simplify(Expr expr, CancellationToken cancellation = default) => ToExpr(Of(expr, cancellation));

        /// <summary>Expanded form: the same as <see cref="Simplify"/> (the canonical numerator and denominator are expanded).</summary>
        public static Expr Expand(Expr expr, CancellationToken cancellation = default) => Simplify(expr, cancellation);

        public static Expr ToExpr(RationalFunction r)
        {
            var num = ToExpr(r.Numerator);
            if (r.Denominator.IsConstant) return num;
            return Expr.Mul(num, Expr.Pow(ToExpr(r.Denominator), Expr.MinusOne));
        }

        public static Expr ToExpr(Poly p)
        {
            if (p.IsZero) return Expr.Zero;
            var terms = p.Terms.Keys.ToList();
            terms.Sort(CompareForPrinting);
            var list = new List<Expr>(terms.Count);
            foreach (var m in terms)
            {
                var factors = new List<Expr> { Expr.Num(p.Terms[m]) };
                var vars = new List<(int v, int e)>();
                for (int i = 0; i < m.Count; i++) vars.Add((m.Variable(i), m.Exponent(i)));
                vars.Sort((x, y) => Generator.CompareKeys(x.v, y.v));
                foreach (var (v, e) in vars) factors.Add(Expr.Pow(Generator.Get(v).Expr, e));
                list.Add(Expr.Mul(factors));
            }
            return Expr.Add(list);
        }

        /// <summary>Higher total degree first, then lexicographic in key order.</summary>
        public static int CompareForPrinting(Monomial a, Monomial b)
        {
            int c = b.TotalDegree.CompareTo(a.TotalDegree);
            if (c != 0) return c;
            var x = Sorted(a); var y = Sorted(b);
            for (int i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                c = Generator.CompareKeys(x[i].v, y[i].v);
                if (c != 0) return c; // the one with the earlier generator comes first
                c = y[i].e.CompareTo(x[i].e);
                if (c != 0) return c;
            }
            return y.Count.CompareTo(x.Count);
        }

        private static List<(int v, int e)> Sorted(Monomial m)
        {
            var l = new List<(int v, int e)>();
            for (int i = 0; i < m.Count; i++) l.Add((m.Variable(i), m.Exponent(i)));
            l.Sort((p, q) => Generator.CompareKeys(p.v, q.v));
            return l;
        }

        /// <summary>The first term in printing order: its coefficient normalises denominators independently of generator ids.</summary>
        internal static BigRational NormalisingCoefficient(Poly p)
        {
            Monomial? best = null;
            foreach (var m in p.Terms.Keys) if (best is null || CompareForPrinting(m, best.Value) < 0) best = m;
            return p.Terms[best!.Value];
        }

        /// <summary>Every non-symbol generator occurring in the form, including inside atom arguments.</summary>
        public static List<Generator> Atoms(RationalFunction r)
        {
            var seen = new HashSet<int>();
            var list = new List<Generator>();
            var stack = new Stack<RationalFunction>();
            stack.Push(r);
            while (stack.Count > 0)
            {
                var f = stack.Pop();
                foreach (var p in new[] { f.Numerator, f.Denominator })
                    foreach (var m in p.Terms.Keys)
                        for (int i = 0; i < m.Count; i++)
                        {
                            var g = Generator.Get(m.Variable(i));
                            if (g.Kind == GeneratorKind.Symbol || !seen.Add(g.Id)) continue;
                            list.Add(g);
                            if (g.Argument != null) stack.Push(g.Argument);
                        }
            }
            return list;
        }
    }
}
