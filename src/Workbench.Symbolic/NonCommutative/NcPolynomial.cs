using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Workbench.Symbolic
{
    /// <summary>A word in the free monoid on named letters (the empty word is 1).</summary>
    public sealed class NcWord : IEquatable<NcWord>, IComparable<NcWord>
    {
        private readonly string[] _letters;
        private readonly int _hash;
        public IReadOnlyList<string> Letters => _letters;
        public int Length => _letters.Length;
        public static readonly NcWord Empty = new NcWord(new string[0]);

        public NcWord(params string[] letters)
        {
            foreach (var l in letters) if (!Symbol.IsIdentifier(l)) throw new ArgumentException($"letter '{l}' is not an identifier");
            _letters = (string[])letters.Clone();
            unchecked { int h = 19; foreach (var l in _letters) h = h * 31 + StringComparer.Ordinal.GetHashCode(l); _hash = h; }
        }

        public static NcWord operator *(NcWord a, NcWord b) => new NcWord(a._letters.Concat(b._letters).ToArray());
        public bool Equals(NcWord? o) => o is not null && o._hash == _hash && _letters.SequenceEqual(o._letters);
        public override bool Equals(object? obj) => obj is NcWord w && Equals(w);
        public override int GetHashCode() => _hash;

        /// <summary>Degree-lexicographic.</summary>
        public int CompareTo(NcWord? o)
        {
            if (o is null) return 1;
            int c = Length.CompareTo(o.Length);
            if (c != 0) return c;
            for (int i = 0; i < Length; i++) { c = string.CompareOrdinal(_letters[i], o._letters[i]); if (c != 0) return c; }
            return 0;
        }

        public override string ToString() => Length == 0 ? "1" : string.Join("*", _letters);
    }

    /// <summary>
    /// An element of the free associative algebra ℚ⟨letters⟩: a map from word to nonzero coefficient, which is its
    /// canonical form (so operator identities are decided exactly: an identity holds in every associative algebra
    /// iff it is zero here).
    /// </summary>
    public sealed class NcPolynomial : IEquatable<NcPolynomial>
    {
        public static int MaxTerms = 2_000_000;
        private readonly Dictionary<NcWord, BigRational> _terms;
        public IReadOnlyDictionary<NcWord, BigRational> Terms => _terms;
        public bool IsZero => _terms.Count == 0;
        public int Count => _terms.Count;

        private NcPolynomial(Dictionary<NcWord, BigRational> t)
        {
            if (t.Count > MaxTerms) throw new SymbolicLimitException($"a non-commutative polynomial would have {t.Count} terms; the limit is {MaxTerms}");
            _terms = t;
        }

        public static readonly NcPolynomial Zero = new NcPolynomial(new Dictionary<NcWord, BigRational>());
        public static NcPolynomial Constant(BigRational c) => Term(c, NcWord.Empty);
        public static NcPolynomial Letter(string name) => Term(BigRational.One, new NcWord(name));
        public static NcPolynomial Term(BigRational c, NcWord w)
        {
            var d = new Dictionary<NcWord, BigRational>();
            if (!c.IsZero) d[w] = c;
            return new NcPolynomial(d);
        }

        private static void Acc(Dictionary<NcWord, BigRational> d, NcWord w, BigRational c)
        {
            if (c.IsZero) return;
            if (d.TryGetValue(w, out var o)) { var s = o + c; if (s.IsZero) d.Remove(w); else d[w] = s; }
            else d[w] = c;
        }

        public static NcPolynomial operator +(NcPolynomial a, NcPolynomial b)
        {
            var d = new Dictionary<NcWord, BigRational>(a._terms);
            foreach (var kv in b._terms) Acc(d, kv.Key, kv.Value);
            return new NcPolynomial(d);
        }

        public static NcPolynomial operator -(NcPolynomial a) => a.Scale(BigRational.MinusOne);
        public static NcPolynomial operator -(NcPolynomial a, NcPolynomial b) => a + (-b);
        public static NcPolynomial operator *(BigRational c, NcPolynomial a) => a.Scale(c);

        public NcPolynomial Scale(BigRational c)
        {
            var d = new Dictionary<NcWord, BigRational>();
            if (c.IsZero) return new NcPolynomial(d);
            foreach (var kv in _terms) d[kv.Key] = kv.Value * c;
            return new NcPolynomial(d);
        }

        public static NcPolynomial operator *(NcPolynomial a, NcPolynomial b)
        {
            if ((long)a.Count * b.Count > 50_000_000) throw new SymbolicLimitException($"product of {a.Count} and {b.Count} terms exceeds the work limit");
            var d = new Dictionary<NcWord, BigRational>();
            foreach (var x in a._terms) foreach (var y in b._terms) Acc(d, x.Key * y.Key, x.Value * y.Value);
            return new NcPolynomial(d);
        }

        /// <summary>[a, b] = ab − ba.</summary>
        public static NcPolynomial Commutator(NcPolynomial a, NcPolynomial b) => a * b - b * a;

        /// <summary>Replaces letters by polynomials (letters not in the map stay).</summary>
        public NcPolynomial Substitute(IReadOnlyDictionary<string, NcPolynomial> map)
        {
            var result = Zero;
            foreach (var kv in _terms)
            {
                var t = Constant(kv.Value);
                foreach (var l in kv.Key.Letters) t = t * (map.TryGetValue(l, out var p) ? p : Letter(l));
                result += t;
            }
            return result;
        }

        /// <summary>Exact value with letters mapped to square rational matrices (row-major arrays).</summary>
        public BigRational[,] Evaluate(IReadOnlyDictionary<string, BigRational[,]> matrices, int n)
        {
            var r = new BigRational[n, n];
            foreach (var kv in _terms)
            {
                var m = Identity(n);
                foreach (var l in kv.Key.Letters)
                {
                    if (!matrices.TryGetValue(l, out var x)) throw new EvaluationException($"no matrix for letter {l}");
                    m = MatMul(m, x, n);
                }
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) r[i, j] += kv.Value * m[i, j];
            }
            return r;
        }

        private static BigRational[,] Identity(int n) { var m = new BigRational[n, n]; for (int i = 0; i < n; i++) m[i, i] = BigRational.One; return m; }

        private static BigRational[,] MatMul(BigRational[,] a, BigRational[,] b, int n)
        {
            var r = new BigRational[n, n];
            for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) { var x = a[i, k]; if (x.IsZero) continue; for (int j = 0; j < n; j++) r[i, j] += x * b[k, j]; }
            return r;
        }

        public bool Equals(NcPolynomial? o)
        {
            if (o is null || o.Count != Count) return false;
            foreach (var kv in _terms) if (!o._terms.TryGetValue(kv.Key, out var c) || c != kv.Value) return false;
            return true;
        }
        public override bool Equals(object? obj) => obj is NcPolynomial p && Equals(p);
        public override int GetHashCode() => Count;

        private IEnumerable<KeyValuePair<NcWord, BigRational>> Ordered() => _terms.OrderByDescending(kv => kv.Key.Length).ThenBy(kv => kv.Key.ToString(), StringComparer.Ordinal);

        public override string ToString() => Render(w => w.ToString(), "*");

        public string ToLatex() => Render(w => w.Length == 0 ? "1" : string.Join(" ", w.Letters), " ");

        private string Render(Func<NcWord, string> word, string times)
        {
            if (IsZero) return "0";
            var sb = new StringBuilder();
            bool first = true;
            foreach (var kv in Ordered())
            {
                var c = kv.Value;
                if (!first) sb.Append(c.Sign < 0 ? " - " : " + "); else if (c.Sign < 0) sb.Append('-');
                var a = c.Abs();
                if (kv.Key.Length == 0) sb.Append(a);
                else { if (!a.IsOne) sb.Append(a).Append(times); sb.Append(word(kv.Key)); }
                first = false;
            }
            return sb.ToString();
        }
    }
}
