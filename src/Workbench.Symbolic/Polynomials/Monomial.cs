using System;
using System.Collections.Generic;

namespace Workbench.Symbolic
{
    /// <summary>
    /// A power product of variables (generator ids), stored sparsely as (variable, exponent) pairs sorted by
    /// variable id. Immutable; hash cached.
    /// </summary>
    public readonly struct Monomial : IEquatable<Monomial>
    {
        private static readonly int[] Empty = new int[0];
        private readonly int[]? _data; // v0, e0, v1, e1, ... with v ascending and e > 0
        private readonly int _hash;

        public static readonly Monomial One = default;

        internal Monomial(int[] data)
        {
            _data = data;
            unchecked
            {
                int h = 0; // the empty monomial must hash like default(Monomial)
                foreach (var x in data) h = (h + x + 1) * 486187739;
                _hash = h;
            }
        }

        private int[] Data => _data ?? Empty;
        public int Count => Data.Length / 2;
        public int Variable(int i) => Data[2 * i];
        public int Exponent(int i) => Data[2 * i + 1];
        public bool IsOne => Data.Length == 0;

        public static Monomial Of(int variable, int exponent)
        {
            if (exponent < 0) throw new ArgumentOutOfRangeException(nameof(exponent));
            return exponent == 0 ? One : new Monomial(new[] { variable, exponent });
        }

        public int ExponentOf(int variable)
        {
            var d = Data;
            for (int i = 0; i < d.Length; i += 2) if (d[i] == variable) return d[i + 1];
            return 0;
        }

        public int TotalDegree
        {
            get { int s = 0; var d = Data; for (int i = 1; i < d.Length; i += 2) s += d[i]; return s; }
        }

        public static Monomial operator *(Monomial a, Monomial b)
        {
            var x = a.Data; var y = b.Data;
            if (x.Length == 0) return b;
            if (y.Length == 0) return a;
            var r = new int[x.Length + y.Length];
            int i = 0, j = 0, k = 0;
            while (i < x.Length && j < y.Length)
            {
                if (x[i] == y[j])
                {
                    long e = (long)x[i + 1] + y[j + 1];
                    if (e > int.MaxValue) throw new SymbolicLimitException("a monomial exponent exceeds 2^31");
                    r[k++] = x[i]; r[k++] = (int)e; i += 2; j += 2;
                }
                else if (x[i] < y[j]) { r[k++] = x[i]; r[k++] = x[i + 1]; i += 2; }
                else { r[k++] = y[j]; r[k++] = y[j + 1]; j += 2; }
            }
            while (i < x.Length) { r[k++] = x[i++]; }
            while (j < y.Length) { r[k++] = y[j++]; }
            if (k != r.Length) Array.Resize(ref r, k);
            return new Monomial(r);
        }

        /// <summary>a / b when b divides a, else null.</summary>
        public static Monomial? TryDivide(Monomial a, Monomial b)
        {
            var x = a.Data; var y = b.Data;
            var r = new List<int>(x.Length);
            int i = 0, j = 0;
            while (i < x.Length)
            {
                if (j < y.Length && y[j] < x[i]) return null;
                if (j < y.Length && y[j] == x[i])
                {
                    int e = x[i + 1] - y[j + 1];
                    if (e < 0) return null;
                    if (e > 0) { r.Add(x[i]); r.Add(e); }
                    i += 2; j += 2;
                }
                else { r.Add(x[i]); r.Add(x[i + 1]); i += 2; }
            }
            if (j < y.Length) return null;
            return new Monomial(r.ToArray());
        }

        /// <summary>Componentwise minimum (the gcd of two monomials).</summary>
        public static Monomial Gcd(Monomial a, Monomial b)
        {
            var x = a.Data; var y = b.Data;
            var r = new List<int>();
            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (x[i] == y[j]) { r.Add(x[i]); r.Add(Math.Min(x[i + 1], y[j + 1])); i += 2; j += 2; }
                else if (x[i] < y[j]) i += 2; else j += 2;
            }
            return new Monomial(r.ToArray());
        }

        public Monomial Pow(int n)
        {
            if (n == 0) return One;
            var d = (int[])Data.Clone();
            for (int i = 1; i < d.Length; i += 2)
            {
                long e = (long)d[i] * n;
                if (e > int.MaxValue) throw new SymbolicLimitException("a monomial exponent exceeds 2^31");
                d[i] = (int)e;
            }
            return new Monomial(d);
        }

        /// <summary>This monomial with the given variable removed (its exponent returned).</summary>
        public Monomial Without(int variable, out int exponent)
        {
            exponent = ExponentOf(variable);
            if (exponent == 0) return this;
            var d = Data;
            var r = new int[d.Length - 2];
            int k = 0;
            for (int i = 0; i < d.Length; i += 2) if (d[i] != variable) { r[k++] = d[i]; r[k++] = d[i + 1]; }
            return new Monomial(r);
        }

        /// <summary>Lexicographic order with smaller variable ids more significant.</summary>
        public static int CompareLex(Monomial a, Monomial b)
        {
            var x = a.Data; var y = b.Data;
            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (x[i] != y[j]) return x[i] < y[j] ? 1 : -1; // a has a more significant variable
                if (x[i + 1] != y[j + 1]) return x[i + 1].CompareTo(y[j + 1]);
                i += 2; j += 2;
            }
            if (i < x.Length) return 1;
            if (j < y.Length) return -1;
            return 0;
        }

        public bool Equals(Monomial other)
        {
            if (_hash != other._hash) return false;
            var x = Data; var y = other.Data;
            if (x.Length != y.Length) return false;
            for (int i = 0; i < x.Length; i++) if (x[i] != y[i]) return false;
            return true;
        }

        public override bool Equals(object? obj) => obj is Monomial m && Equals(m);
        public override int GetHashCode() => _hash;
    }

    /// <summary>An operation would exceed a size guard (terms, degree, exponent); the message says which.</summary>
    public sealed class SymbolicLimitException : Exception
    {
        public SymbolicLimitException(string message) : base(message) { }
    }
}
