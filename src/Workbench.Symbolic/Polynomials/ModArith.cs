using System.Numerics;

namespace Workbench.Symbolic
{
    /// <summary>Arithmetic modulo a prime below 2^63 (used by Schwartz–Zippel zero tests).</summary>
    public static class ModArith
    {
        /// <summary>The prime 2^61 − 1.</summary>
        public const ulong Prime = 2305843009213693951UL;

        public static ulong Add(ulong a, ulong b, ulong p) { var s = a + b; return s >= p ? s - p : s; }
        public static ulong Sub(ulong a, ulong b, ulong p) => a >= b ? a - b : a + (p - b);
        public static ulong Mul(ulong a, ulong b, ulong p) => (ulong)(new BigInteger(a) * b % p);

        public static ulong Pow(ulong b, ulong e, ulong p)
        {
            ulong r = 1 % p;
            b %= p;
            while (e > 0) { if ((e & 1) != 0) r = Mul(r, b, p); b = Mul(b, b, p); e >>= 1; }
            return r;
        }

        public static ulong Inverse(ulong a, ulong p) => Pow(a, p - 2, p);

        public static ulong Reduce(BigRational v, ulong p)
        {
            var n = BigInteger.Remainder(v.Numerator, p); if (n.Sign < 0) n += p;
            var d = BigInteger.Remainder(v.Denominator, p);
            return Mul((ulong)n, Inverse((ulong)d, p), p);
        }
    }
}
