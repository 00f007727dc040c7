using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Workbench.Symbolic
{
    /// <summary>
    /// A sparse multivariate polynomial over ℚ: a map from <see cref="Monomial"/> to nonzero coefficient. The map
    /// is the canonical form (two polynomials are equal iff their maps are). Variables are generator ids.
    /// </summary>
    public sealed class Poly : IEquatable<Poly>
    {
        /// <summary>Size guard: no polynomial may exceed this many terms.</summary>
        public static int MaxTerms = 5_000_000;

        private readonly Dictionary<Monomial, BigRational> _terms;

        public IReadOnlyDictionary<Monomial, BigRational> Terms => _terms;
        public int Count => _terms.Count;
        public bool IsZero => _terms.Count == 0;

        private Poly(Dictionary<Monomial, BigRational> terms) { _terms = terms; }

        public static readonly Poly Zero = new Poly(new Dictionary<Monomial, BigRational>());
        public static readonly Poly One = Constant(BigRational.One);

        public static Poly Constant(BigRational c)
        {
            var d = new Dictionary<Monomial, BigRational>();
            if (!c.IsZero) d[Monomial.One] = c;
            return new Poly(d);
        }

        public static Poly Variable(int id, int exponent = 1) => Term(BigRational.One, Monomial.Of(id, exponent));

        public static Poly Term(BigRational c, Monomial m)
        {
            var d = new Dictionary<Monomial, BigRational>();
            if (!c.IsZero) d[m] = c;
            return new Poly(d);
        }

        internal static Poly FromTerms(Dictionary<Monomial, BigRational> terms)
        {
            if (terms.Count > MaxTerms) throw new SymbolicLimitException($"a polynomial would have {terms.Count} terms; the limit is {MaxTerms}");
            return new Poly(terms);
        }

        public bool IsConstant => _terms.Count == 0 || (_terms.Count == 1 && _terms.ContainsKey(Monomial.One));
        public BigRational ConstantTerm => _terms.TryGetValue(Monomial.One, out var c) ? c : BigRational.Zero;
        public bool IsMonomial => _terms.Count == 1;

        public static Poly operator +(Poly a, Poly b)
        {
            if (a.Count < b.Count) { var t = a; a = b; b = t; }
            if (b.IsZero) return a;
            var d = new Dictionary<Monomial, BigRational>(a._terms);
            foreach (var kv in b._terms) Accumulate(d, kv.Key, kv.Value);
            return FromTerms(d);
        }

        public static Poly operator -(Poly a) => a.Scale(BigRational.MinusOne);
        public static Poly operator -(Poly a, Poly b) => a + (-b);

        public Poly Scale(BigRational c)
        {
            if (c.IsZero) return Zero;
            if (c.IsOne) return this;
            var d = new Dictionary<Monomial, BigRational>(_terms.Count);
            foreach (var kv in _terms) d[kv.Key] = kv.Value * c;
            return new Poly(d);
        }

        public Poly MulTerm(BigRational c, Monomial m)
        {
            if (c.IsZero) return Zero;
            var d = new Dictionary<Monomial, BigRational>(_terms.Count);
            foreach (var kv in _terms) d[kv.Key * m] = kv.Value * c;
            return new Poly(d);
        }

        public static Poly operator *(Poly a, Poly b) => Multiply(a, b, default);

        public static Poly Multiply(Poly a, Poly b, CancellationToken cancellation)
        {
            if (a.IsZero || b.IsZero) return Zero;
            if (a.Count < b.Count) { var t = a; a = b; b = t; }
            if (b.IsMonomial) { var kv = b._terms.First(); return a.MulTerm(kv.Value, kv.Key); }
            if ((long)a.Count * b.Count > 400_000_000L)
                throw new SymbolicLimitException($"multiplying polynomials of {a.Count} and {b.Count} terms exceeds the work limit");
            var d = new Dictionary<Monomial, BigRational>();
            int tick = 0;
            foreach (var x in b._terms)
            {
                if ((++tick & 63) == 0) cancellation.ThrowIfCancellationRequested();
                foreach (var y in a._terms) Accumulate(d, x.Key * y.Key, x.Value * y.Value);
            }
            return FromTerms(d);
        }

        public Poly Pow(int n, CancellationToken cancellation = default)
        {
            if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), "polynomial powers must be non-negative");
            Poly result = One, b = this;
            // Multiply by the base repeatedly: for sparse inputs this beats squaring (the square is the big product).
            if (IsMonomial)
            {
                var kv = _terms.First();
                return Term(BigRational.Pow(kv.Value, n), kv.Key.Pow(n));
            }
            for (int i = 0; i < n; i++) result = Multiply(result, b, cancellation);
            return result;
        }

        private static void Accumulate(Dictionary<Monomial, BigRational> d, Monomial m, BigRational c)
        {
            if (d.TryGetValue(m, out var old))
            {
                var s = old + c;
                if (s.IsZero) d.Remove(m); else d[m] = s;
            }
            else if (!c.IsZero) d[m] = c;
        }

        public KeyValuePair<Monomial, BigRational> LeadingTerm()
        {
            if (IsZero) throw new InvalidOperationException("the zero polynomial has no leading term");
            KeyValuePair<Monomial, BigRational> best = default;
            bool first = true;
            foreach (var kv in _terms)
                if (first || Monomial.CompareLex(kv.Key, best.Key) > 0) { best = kv; first = false; }
            return best;
        }

        public BigRational LeadingCoefficient => LeadingTerm().Value;

        /// <summary>Scaled so the leading coefficient (lex) is 1; zero stays zero.</summary>
        public Poly Monic() => IsZero ? this : Scale(LeadingCoefficient.Reciprocal());

        public SortedSet<int> Variables()
        {
            var s = new SortedSet<int>();
            foreach (var m in _terms.Keys) for (int i = 0; i < m.Count; i++) s.Add(m.Variable(i));
            return s;
        }

        public int Degree(int variable)
        {
            int d = 0;
            foreach (var m in _terms.Keys) d = Math.Max(d, m.ExponentOf(variable));
            return d;
        }

        public int TotalDegree
        {
            get { int d = 0; foreach (var m in _terms.Keys) d = Math.Max(d, m.TotalDegree); return d; }
        }

        /// <summary>The coefficients of this polynomial as a polynomial in <paramref name="variable"/>.</summary>
        public Dictionary<int, Poly> CoefficientsIn(int variable)
        {
            var parts = new Dictionary<int, Dictionary<Monomial, BigRational>>();
            foreach (var kv in _terms)
            {
                var rest = kv.Key.Without(variable, out var e);
                if (!parts.TryGetValue(e, out var p)) parts[e] = p = new Dictionary<Monomial, BigRational>();
                p[rest] = kv.Value;
            }
            var r = new Dictionary<int, Poly>();
            foreach (var kv in parts) r[kv.Key] = new Poly(kv.Value);
            return r;
        }

        /// <summary>Exact quotient a / b, or null when b does not divide a.</summary>
        public static Poly? TryDivide(Poly a, Poly b, CancellationToken cancellation = default)
        {
            if (b.IsZero) throw new DivideByZeroException("division by the zero polynomial");
            if (a.IsZero) return Zero;
            if (b.IsConstant) return a.Scale(b.ConstantTerm.Reciprocal());
            if (b.IsMonomial)
            {
                var bt = b._terms.First();
                var d = new Dictionary<Monomial, BigRational>(a.Count);
                var inv = bt.Value.Reciprocal();
                foreach (var kv in a._terms)
                {
                    var q = Monomial.TryDivide(kv.Key, bt.Key);
                    if (q is null) return null;
                    d[q.Value] = kv.Value * inv;
                }
                return new Poly(d);
            }
            var lb = b.LeadingTerm();
            var rem = new Dictionary<Monomial, BigRational>(a._terms);
            var quot = new Dictionary<Monomial, BigRational>();
            var rPoly = new Poly(rem);
            int tick = 0;
            while (rem.Count > 0)
            {
                if ((++tick & 15) == 0) cancellation.ThrowIfCancellationRequested();
                var lr = rPoly.LeadingTerm();
                var qm = Monomial.TryDivide(lr.Key, lb.Key);
                if (qm is null) return null;
                var qc = lr.Value / lb.Value;
                quot[qm.Value] = qc;
                foreach (var kv in b._terms) Accumulate(rem, kv.Key * qm.Value, -(kv.Value * qc));
            }
            return new Poly(quot);
        }

        public Poly Derivative(int variable)
        {
            var d = new Dictionary<Monomial, BigRational>();
            foreach (var kv in _terms)
            {
                var rest = kv.Key.Without(variable, out var e);
                if (e == 0) continue;
                d[rest * Monomial.Of(variable, e - 1)] = kv.Value * e;
            }
            return new Poly(d);
        }

        /// <summary>Value with every variable mapped to a residue modulo the prime p (coefficients reduced mod p).</summary>
        public ulong EvaluateMod(Func<int, ulong> value, ulong p)
        {
            ulong s = 0;
            foreach (var kv in _terms)
            {
                ulong t = ModArith.Reduce(kv.Value, p);
                var m = kv.Key;
                for (int i = 0; i < m.Count; i++) t = ModArith.Mul(t, ModArith.Pow(value(m.Variable(i)), (ulong)m.Exponent(i), p), p);
                s = ModArith.Add(s, t, p);
            }
            return s;
        }

        public bool Equals(Poly? other)
        {
            if (other is null || other.Count != Count) return false;
            foreach (var kv in _terms) if (!other._terms.TryGetValue(kv.Key, out var c) || c != kv.Value) return false;
            return true;
        }

        public override bool Equals(object? obj) => obj is Poly p && Equals(p);

        public override int GetHashCode()
        {
            int h = Count;
            foreach (var kv in _terms) h ^= kv.Key.GetHashCode() * 31 + kv.Value.GetHashCode();
            return h;
        }
    }
}
