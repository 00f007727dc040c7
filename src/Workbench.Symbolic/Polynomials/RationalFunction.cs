using System;
using System.Threading;

namespace Workbench.Symbolic
{
    /// <summary>
    /// p / q over ℚ with gcd(p, q) = 1 and q normalised (its first term in printing order has coefficient 1): a canonical form, so two rational
    /// functions are equal iff their numerators and denominators are equal.
    /// </summary>
    public sealed class RationalFunction : IEquatable<RationalFunction>
    {
        public Poly Numerator { get; }
        public Poly Denominator { get; }

        private RationalFunction(Poly num, Poly den) { Numerator = num; Denominator = den; }

        public static readonly RationalFunction Zero = new RationalFunction(Poly.Zero, Poly.One);
        public static readonly RationalFunction One = new RationalFunction(Poly.One, Poly.One);

        public static RationalFunction FromPoly(Poly p) => new RationalFunction(p, Poly.One);
        public static RationalFunction Constant(BigRational c) => FromPoly(Poly.Constant(c));

        public static RationalFunction Create(Poly num, Poly den, CancellationToken cancellation = default)
        {
            if (den.IsZero) throw new DivideByZeroException("rational function with zero denominator");
            if (num.IsZero) return Zero;
            var g = PolyGcd.Gcd(num, den, cancellation);
            if (!g.IsConstant)
            {
                num = Poly.TryDivide(num, g, cancellation)!;
                den = Poly.TryDivide(den, g, cancellation)!;
            }
            var lc = Canonical.NormalisingCoefficient(den);
            if (!lc.IsOne) { num = num.Scale(lc.Reciprocal()); den = den.Scale(lc.Reciprocal()); }
            return new RationalFunction(num, den);
        }

        public bool IsZero => Numerator.IsZero;
        public bool IsPolynomial => Denominator.IsConstant;
        public bool IsConstant => Numerator.IsConstant && Denominator.IsConstant;
        public BigRational ConstantValue => Numerator.ConstantTerm / Denominator.ConstantTerm;

        public RationalFunction Add(RationalFunction o, CancellationToken c = default)
        {
            if (IsZero) return o;
            if (o.IsZero) return this;
            if (Denominator.Equals(o.Denominator)) return Create(Numerator + o.Numerator, Denominator, c);
            if (o.IsPolynomial) return new RationalFunction(Numerator + o.Numerator * Denominator, Denominator);
            if (IsPolynomial) return new RationalFunction(Numerator * o.Denominator + o.Numerator, o.Denominator);
            var g = PolyGcd.Gcd(Denominator, o.Denominator, c);
            var da = Poly.TryDivide(Denominator, g, c)!;
            var db = Poly.TryDivide(o.Denominator, g, c)!;
            return Create(Numerator * db + o.Numerator * da, da * o.Denominator, c);
        }

        public RationalFunction Negate() => new RationalFunction(-Numerator, Denominator);
        public RationalFunction Subtract(RationalFunction o, CancellationToken c = default) => Add(o.Negate(), c);

        public RationalFunction Multiply(RationalFunction o, CancellationToken c = default)
        {
            if (IsZero || o.IsZero) return Zero;
            if (IsPolynomial && o.IsPolynomial) return new RationalFunction(Numerator * o.Numerator, Poly.One);
            // Cross-cancel first so the products stay small; the result is then already reduced.
            var g1 = PolyGcd.Gcd(Numerator, o.Denominator, c);
            var g2 = PolyGcd.Gcd(o.Numerator, Denominator, c);
            var n = Poly.TryDivide(Numerator, g1, c)! * Poly.TryDivide(o.Numerator, g2, c)!;
            var d = Poly.TryDivide(Denominator, g2, c)! * Poly.TryDivide(o.Denominator, g1, c)!;
            var lc = Canonical.NormalisingCoefficient(d);
            return new RationalFunction(n.Scale(lc.Reciprocal()), d.Scale(lc.Reciprocal()));
        }

        public RationalFunction Reciprocal()
        {
            if (IsZero) throw new DivideByZeroException("division by a rational function that is identically zero");
            var lc = Canonical.NormalisingCoefficient(Numerator);
            return new RationalFunction(Denominator.Scale(lc.Reciprocal()), Numerator.Scale(lc.Reciprocal()));
        }

        public RationalFunction Divide(RationalFunction o, CancellationToken c = default) => Multiply(o.Reciprocal(), c);

        public RationalFunction Pow(int n, CancellationToken c = default)
        {
            if (n == 0) return One;
            if (n < 0) return Reciprocal().Pow(-n, c);
            // gcd(p,q) = 1 implies gcd(p^n, q^n) = 1, so no further reduction is needed.
            return new RationalFunction(Numerator.Pow(n, c), Denominator.Pow(n, c));
        }

        public RationalFunction Derivative(int variable, CancellationToken c = default)
        {
            var num = Numerator.Derivative(variable) * Denominator - Numerator * Denominator.Derivative(variable);
            return Create(num, Denominator * Denominator, c);
        }

        public bool Equals(RationalFunction? o) => o is not null && Numerator.Equals(o.Numerator) && Denominator.Equals(o.Denominator);
        public override bool Equals(object? obj) => obj is RationalFunction r && Equals(r);
        public override int GetHashCode() => Numerator.GetHashCode() * 31 + Denominator.GetHashCode();
    }
}
