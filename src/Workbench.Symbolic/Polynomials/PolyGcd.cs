using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Workbench.Symbolic
{
    /// <summary>
    /// Multivariate gcd over ℚ by the recursive primitive polynomial remainder sequence: content and primitive
    /// part with respect to the most significant variable, pseudo-remainders made primitive at every step. Sound
    /// (every step stays in the ideal and removes only content), not the fastest; the result is monic (lex).
    /// </summary>
    public static class PolyGcd
    {
        public static Poly Gcd(Poly a, Poly b, CancellationToken cancellation = default)
        {
            cancellation.ThrowIfCancellationRequested();
            if (a.IsZero) return b.Monic();
            if (b.IsZero) return a.Monic();
            if (a.IsConstant || b.IsConstant) return Poly.One;
            if (a.IsMonomial || b.IsMonomial) return MonomialGcd(a, b);
            if (a.Equals(b)) return a.Monic();

            var va = a.Variables(); var vb = b.Variables();
            // A variable in only one of them cannot divide the gcd: reduce that one to its content in it.
            foreach (var v in va) if (!vb.Contains(v)) return Gcd(Content(a, v, cancellation), b, cancellation);
            foreach (var v in vb) if (!va.Contains(v)) return Gcd(a, Content(b, v, cancellation), cancellation);

            int x = va.Min;
            var ca = Content(a, x, cancellation);
            var cb = Content(b, x, cancellation);
            var pa = Divide(a, ca, cancellation);
            var pb = Divide(b, cb, cancellation);
            var g = PrimitivePrs(pa, pb, x, cancellation);
            var c = Gcd(ca, cb, cancellation);
            return (c * g).Monic();
        }

        private static Poly MonomialGcd(Poly a, Poly b)
        {
            Monomial? m = null;
            foreach (var k in a.Terms.Keys) m = m is null ? k : Monomial.Gcd(m.Value, k);
            foreach (var k in b.Terms.Keys) m = Monomial.Gcd(m!.Value, k);
            return Poly.Term(BigRational.One, m!.Value);
        }

        /// <summary>Gcd of the coefficients of <paramref name="p"/> viewed as a polynomial in <paramref name="x"/>.</summary>
        public static Poly Content(Poly p, int x, CancellationToken cancellation = default)
        {
            var coeffs = p.CoefficientsIn(x).Values.OrderBy(c => c.Count).ToList();
            Poly g = Poly.Zero;
            foreach (var c in coeffs)
            {
                g = Gcd(g, c, cancellation);
                if (g.IsConstant) return Poly.One;
            }
            return g;
        }

        public static Poly PrimitivePart(Poly p, int x, CancellationToken cancellation = default) =>
            p.IsZero ? p : Divide(p, Content(p, x, cancellation), cancellation);

        private static Poly Divide(Poly a, Poly b, CancellationToken cancellation) =>
            Poly.TryDivide(a, b, cancellation) ?? throw new InvalidOperationException("internal error: content does not divide its polynomial");

        private static Poly PrimitivePrs(Poly a, Poly b, int x, CancellationToken cancellation)
        {
            if (a.Degree(x) < b.Degree(x)) { var t = a; a = b; b = t; }
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                if (b.Degree(x) == 0) return b.IsZero ? a : Poly.One; // b primitive of degree 0 in x is a unit here
                var r = PseudoRemainder(a, b, x, cancellation);
                if (r.IsZero) return b;
                a = b;
                b = PrimitivePart(r, x, cancellation);
            }
        }

        /// <summary>lc(b)^k · a − q · b with deg_x smaller than deg_x b.</summary>
        public static Poly PseudoRemainder(Poly a, Poly b, int x, CancellationToken cancellation = default)
        {
            int db = b.Degree(x);
            var bc = b.CoefficientsIn(x);
            var lc = bc[db];
            var r = a;
            int dr;
            while (!r.IsZero && (dr = r.Degree(x)) >= db)
            {
                cancellation.ThrowIfCancellationRequested();
                var lr = r.CoefficientsIn(x)[dr];
                r = r * lc - (lr * b).MulTerm(BigRational.One, Monomial.Of(x, dr - db));
            }
            return r;
        }
    }
}
