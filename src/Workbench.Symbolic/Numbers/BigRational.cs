using System;
using System.Globalization;
using System.Numerics;

namespace Workbench.Symbolic
{
    /// <summary>An exact rational number over BigInteger, always in lowest terms with a positive denominator.</summary>
    public readonly struct BigRational : IEquatable<BigRational>, IComparable<BigRational>
    {
        private readonly BigInteger _den; // stored minus one so default(BigRational) is 0/1

        public BigInteger Numerator { get; }
        public BigInteger Denominator => _den + BigInteger.One;

        private BigRational(BigInteger num, BigInteger den, bool normalized)
        {
            Numerator = num;
            _den = den - BigInteger.One;
        }

        public BigRational(BigInteger num, BigInteger den)
        {
            if (den.IsZero) throw new DivideByZeroException("rational with zero denominator");
            if (den.Sign < 0) { num = -num; den = -den; }
            var g = BigInteger.GreatestCommonDivisor(num, den);
            if (!g.IsOne && !g.IsZero) { num /= g; den /= g; }
            if (num.IsZero) den = BigInteger.One;
            Numerator = num;
            _den = den - BigInteger.One;
        }

        public BigRational(BigInteger integer) : this(integer, BigInteger.One, true) { }

        public static readonly BigRational Zero = new BigRational(BigInteger.Zero);
        public static readonly BigRational One = new BigRational(BigInteger.One);
        public static readonly BigRational MinusOne = new BigRational(BigInteger.MinusOne);

        public bool IsZero => Numerator.IsZero;
        public bool IsOne => Numerator.IsOne && _den.IsZero;
        public bool IsInteger => _den.IsZero;
        public int Sign => Numerator.Sign;

        public static implicit operator BigRational(int v) => new BigRational(new BigInteger(v));
        public static implicit operator BigRational(long v) => new BigRational(new BigInteger(v));
        public static implicit operator BigRational(BigInteger v) => new BigRational(v);

        public static BigRational operator +(BigRational a, BigRational b)
        {
            if (a._den.IsZero && b._den.IsZero) return new BigRational(a.Numerator + b.Numerator);
            return new BigRational(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);
        }
        public static BigRational operator -(BigRational a, BigRational b)
        {
            if (a._den.IsZero && b._den.IsZero) return new BigRational(a.Numerator - b.Numerator);
            return new BigRational(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);
        }
        public static BigRational operator -(BigRational a) => new BigRational(-a.Numerator, a.Denominator, true);
        public static BigRational operator *(BigRational a, BigRational b)
        {
            if (a._den.IsZero && b._den.IsZero) return new BigRational(a.Numerator * b.Numerator);
            return new BigRational(a.Numerator * b.Numerator, a.Denominator * b.Denominator);
        }
        public static BigRational operator /(BigRational a, BigRational b)
        {
            if (b.IsZero) throw new DivideByZeroException("division by the rational zero");
            return new BigRational(a.Numerator * b.Denominator, a.Denominator * b.Numerator);
        }
        public BigRational Reciprocal() => One / this;
        public BigRational Abs() => Sign < 0 ? -this : this;

        public static BigRational Pow(BigRational b, int e)
        {
            if (e == 0) return One;
            if (e < 0) return Pow(b.Reciprocal(), -e);
            return new BigRational(BigInteger.Pow(b.Numerator, e), BigInteger.Pow(b.Denominator, e), true);
        }

        public static bool operator ==(BigRational a, BigRational b) => a.Equals(b);
        public static bool operator !=(BigRational a, BigRational b) => !a.Equals(b);
        public static bool operator <(BigRational a, BigRational b) => a.CompareTo(b) < 0;
        public static bool operator >(BigRational a, BigRational b) => a.CompareTo(b) > 0;
        public static bool operator <=(BigRational a, BigRational b) => a.CompareTo(b) <= 0;
        public static bool operator >=(BigRational a, BigRational b) => a.CompareTo(b) >= 0;

        public bool Equals(BigRational other) => Numerator == other.Numerator && _den == other._den;
        public override bool Equals(object? obj) => obj is BigRational r && Equals(r);
        public override int GetHashCode() => Numerator.GetHashCode() * 31 + _den.GetHashCode();
        public int CompareTo(BigRational other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

        /// <summary>The nearest double (correctly rounded for moderate sizes; scaled for huge numerators/denominators).</summary>
        public double ToDouble()
        {
            if (_den.IsZero) return (double)Numerator;
            var n = Numerator; var d = Denominator;
            // Scale so both fit a double's range without losing the quotient's leading 64 bits.
            long nb = BitLength(n), db = BitLength(d);
            if (nb < 1000 && db < 1000) return (double)n / (double)d;
            long shift = nb - db - 64;
            BigInteger q = shift >= 0 ? BigInteger.Divide(n, d << (int)shift) : BigInteger.Divide(n << (int)(-shift), d);
            return (double)q * Math.Pow(2, shift);
        }

        internal static long BitLength(BigInteger v)
        {
            v = BigInteger.Abs(v);
            if (v.IsZero) return 0;
            return (long)Math.Floor(BigInteger.Log(v, 2)) + 1;
        }

        /// <summary>Exact value of a finite double.</summary>
        public static BigRational FromDouble(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
                throw new ArgumentException("NaN or infinity has no exact rational value", nameof(value));
            long bits = BitConverter.DoubleToInt64Bits(value);
            bool neg = bits < 0;
            int exp = (int)((bits >> 52) & 0x7FF);
            long mant = bits & 0xFFFFFFFFFFFFFL;
            if (exp == 0) exp++; else mant |= 1L << 52;
            exp -= 1075;
            BigInteger num = mant;
            BigRational r = exp >= 0 ? new BigRational(num << exp) : new BigRational(num, BigInteger.One << -exp);
            return neg ? -r : r;
        }

        /// <summary>Exact square root when the rational is a perfect square, else null.</summary>
        public BigRational? TrySqrt()
        {
            if (Sign < 0) return null;
            var n = IntegerSqrt(Numerator); var d = IntegerSqrt(Denominator);
            if (n * n != Numerator || d * d != Denominator) return null;
            return new BigRational(n, d);
        }

        internal static BigInteger IntegerSqrt(BigInteger v)
        {
            if (v.Sign <= 0) return BigInteger.Zero;
            if (v < new BigInteger(1L << 52)) return new BigInteger(Math.Floor(Math.Sqrt((double)v)));
            var x = new BigInteger(Math.Sqrt((double)v));
            while (true)
            {
                var y = (x + v / x) >> 1;
                if (BigInteger.Abs(y - x) <= BigInteger.One)
                {
                    var r = BigInteger.Min(x, y);
                    while (r * r > v) r -= 1;
                    while ((r + 1) * (r + 1) <= v) r += 1;
                    return r;
                }
                x = y;
            }
        }

        public static BigRational Parse(string text)
        {
            text = text.Trim();
            int slash = text.IndexOf('/');
            if (slash >= 0)
                return new BigRational(BigInteger.Parse(text.Substring(0, slash), CultureInfo.InvariantCulture),
                                       BigInteger.Parse(text.Substring(slash + 1), CultureInfo.InvariantCulture));
            int dot = text.IndexOf('.');
            if (dot < 0) return new BigRational(BigInteger.Parse(text, CultureInfo.InvariantCulture));
            var digits = text.Substring(0, dot) + text.Substring(dot + 1);
            return new BigRational(BigInteger.Parse(digits, CultureInfo.InvariantCulture), BigInteger.Pow(10, text.Length - dot - 1));
        }

        public override string ToString() => _den.IsZero
            ? Numerator.ToString(CultureInfo.InvariantCulture)
            : Numerator.ToString(CultureInfo.InvariantCulture) + "/" + Denominator.ToString(CultureInfo.InvariantCulture);
    }
}
