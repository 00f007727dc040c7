using System.Numerics;

namespace Workbench.Algebra.Exact;

/// <summary>An exact rational number in lowest terms with a positive denominator (the algebra's own; no Symbolic).</summary>
public readonly struct Rational : IEquatable<Rational>
{
    public BigInteger Num { get; }
    public BigInteger Den { get; }

    public Rational(BigInteger num, BigInteger den)
    {
        if (den.IsZero) throw new DivideByZeroException("rational with zero denominator");
        if (den.Sign < 0) { num = -num; den = -den; }
        var g = BigInteger.GreatestCommonDivisor(num, den);
        if (!g.IsOne && !g.IsZero) { num /= g; den /= g; }
        Num = num;
        Den = num.IsZero ? BigInteger.One : den;
    }

    public static Rational Zero => new(0, 1);
    public static Rational One => new(1, 1);
    public bool IsZero => Num.IsZero;

    public static implicit operator Rational(long n) => new(n, 1);
    public static Rational operator +(Rational a, Rational b) =>
        a.Den == b.Den ? new(a.Num + b.Num, a.Den) : new(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den);
    public static Rational operator -(Rational a, Rational b) => a + (-b);
    public static Rational operator -(Rational a) => new(-a.Num, a.Den == 0 ? 1 : a.Den);
    public static Rational operator *(Rational a, Rational b) => new(a.Num * b.Num, a.Den * b.Den);
    public static Rational operator /(Rational a, Rational b) => new(a.Num * b.Den, a.Den * b.Num);
    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);

    public bool Equals(Rational other) => Num == other.Num && Den == other.Den;
    public override bool Equals(object? obj) => obj is Rational r && Equals(r);
    public override int GetHashCode() => HashCode.Combine(Num, Den);
    public override string ToString() => Den.IsOne ? Num.ToString() : $"{Num}/{Den}";
    public double ToDouble() => (double)Num / (double)Den;
}
