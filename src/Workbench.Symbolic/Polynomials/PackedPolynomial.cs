using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Threading;

namespace Workbench.Symbolic
{
    /// <summary>
    /// A fast integer polynomial in at most 8 variables with exponents packed 8 bits each into a ulong (fixed
    /// variable order). Multiplication accumulates into a dense array indexed by the mixed-radix position of the
    /// product exponent (exponent addition is index addition), with 128-bit accumulators when the coefficient
    /// bound allows it, else a hash of BigIntegers. Used for large expansions (the (x+y+z+1)^20 and Fateman
    /// benchmarks); <see cref="ToPoly"/> converts to the general canonical form.
    /// </summary>
    public sealed class PackedPolynomial
    {
        public const int MaxVariables = 8;
        public const int MaxDegree = 255;
        public static long MaxDenseCells = 1L << 25;

        private readonly ulong[] _exps;
        private readonly BigInteger[] _coeffs;
        public IReadOnlyList<int> Variables { get; }
        public int Count => _exps.Length;

        private PackedPolynomial(int[] variables, ulong[] exps, BigInteger[] coeffs)
        {
            Variables = variables; _exps = exps; _coeffs = coeffs;
        }

        /// <summary>Converts a canonical polynomial with integer coefficients in at most 8 generators.</summary>
        public static PackedPolynomial FromPoly(Poly p, IReadOnlyList<int>? variableOrder = null)
        {
            var vars = (variableOrder ?? p.Variables().ToList()).ToArray();
            if (vars.Length > MaxVariables) throw new SymbolicLimitException($"packed polynomials take at most {MaxVariables} variables, not {vars.Length}");
            var exps = new List<ulong>(); var coeffs = new List<BigInteger>();
            foreach (var kv in p.Terms)
            {
                if (!kv.Value.IsInteger) throw new ArgumentException("packed polynomials need integer coefficients");
                ulong packed = 0;
                for (int t = 0; t < kv.Key.Count; t++)
                {
                    int slot = Array.IndexOf(vars, kv.Key.Variable(t));
                    if (slot < 0) throw new ArgumentException("variable order misses a variable of the polynomial");
                    if (kv.Key.Exponent(t) > MaxDegree) throw new SymbolicLimitException($"exponent {kv.Key.Exponent(t)} exceeds {MaxDegree}");
                    packed |= (ulong)kv.Key.Exponent(t) << (8 * slot);
                }
                exps.Add(packed); coeffs.Add(kv.Value.Numerator);
            }
            return new PackedPolynomial(vars, exps.ToArray(), coeffs.ToArray());
        }

        public Poly ToPoly()
        {
            var d = new Dictionary<Monomial, BigRational>();
            var vars = Variables.ToArray();
            for (int i = 0; i < _exps.Length; i++)
            {
                var m = Monomial.One;
                for (int s = 0; s < vars.Length; s++)
                {
                    int e = (int)((_exps[i] >> (8 * s)) & 0xFF);
                    if (e > 0) m = m * Monomial.Of(vars[s], e);
                }
                d[m] = _coeffs[i];
            }
            return Poly.FromTerms(d);
        }

        private int Degree(int slot)
        {
            int d = 0;
            foreach (var e in _exps) d = Math.Max(d, (int)((e >> (8 * slot)) & 0xFF));
            return d;
        }

        public PackedPolynomial Add(PackedPolynomial o)
        {
            Same(o);
            var acc = new Dictionary<ulong, BigInteger>();
            for (int i = 0; i < Count; i++) acc[_exps[i]] = _coeffs[i];
            for (int i = 0; i < o.Count; i++) acc[o._exps[i]] = acc.TryGetValue(o._exps[i], out var c) ? c + o._coeffs[i] : o._coeffs[i];
            return FromMap(acc);
        }

        private void Same(PackedPolynomial o)
        {
            if (!Variables.SequenceEqual(o.Variables)) throw new ArgumentException("packed polynomials over different variable orders");
        }

        private PackedPolynomial FromMap(Dictionary<ulong, BigInteger> acc)
        {
            var keys = acc.Where(kv => !kv.Value.IsZero).Select(kv => kv.Key).OrderByDescending(k => k).ToArray();
            return new PackedPolynomial(Variables.ToArray(), keys, keys.Select(k => acc[k]).ToArray());
        }

        public PackedPolynomial Pow(int n, CancellationToken cancellation = default)
        {
            if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
            var r = new PackedPolynomial(Variables.ToArray(), new ulong[] { 0 }, new[] { BigInteger.One });
            for (int i = 0; i < n; i++) r = r.Multiply(this, cancellation);
            return r;
        }

        public PackedPolynomial Multiply(PackedPolynomial o, CancellationToken cancellation = default)
        {
            Same(o);
            int nv = Variables.Count;
            var radix = new long[nv];
            long cells = 1;
            for (int s = 0; s < nv; s++)
            {
                int d = Degree(s) + o.Degree(s);
                if (d > MaxDegree) throw new SymbolicLimitException($"product degree {d} in one variable exceeds {MaxDegree}");
                radix[s] = d + 1;
                cells = cells > MaxDenseCells ? cells : cells * (d + 1);
            }
            bool small = _coeffs.All(c => BigRational.BitLength(c) < 63) && o._coeffs.All(c => BigRational.BitLength(c) < 63);
            double bound = small ? MaxBits(_coeffs) + MaxBits(o._coeffs) + Math.Log(Math.Min(Count, o.Count) + 1, 2) : 999;
#if NET5_0_OR_GREATER
            if (small && bound < 125 && cells <= MaxDenseCells) return MultiplyDense(o, radix, cells, cancellation);
#endif
            var acc = new Dictionary<ulong, BigInteger>();
            for (int i = 0; i < Count; i++)
            {
                if ((i & 63) == 0) cancellation.ThrowIfCancellationRequested();
                for (int j = 0; j < o.Count; j++)
                {
                    var k = _exps[i] + o._exps[j];
                    var p = _coeffs[i] * o._coeffs[j];
                    acc[k] = acc.TryGetValue(k, out var c) ? c + p : p;
                }
            }
            return FromMap(acc);
        }

        private static double MaxBits(BigInteger[] c) => c.Length == 0 ? 0 : c.Max(x => (double)BigRational.BitLength(x));

#if NET5_0_OR_GREATER
        private PackedPolynomial MultiplyDense(PackedPolynomial o, long[] radix, long cells, CancellationToken cancellation)
        {
            int nv = radix.Length;
            var stride = new long[nv];
            long st = 1;
            for (int s = 0; s < nv; s++) { stride[s] = st; st *= radix[s]; }
            long Index(ulong e) { long ix = 0; for (int s = 0; s < nv; s++) ix += (long)((e >> (8 * s)) & 0xFF) * stride[s]; return ix; }
            var ia = _exps.Select(Index).ToArray();
            var ib = o._exps.Select(Index).ToArray();
            var ca = _coeffs.Select(c => (long)c).ToArray();
            var cb = o._coeffs.Select(c => (long)c).ToArray();
            var lo = new ulong[cells];
            var hi = new long[cells];
            var used = new bool[cells];
            for (int i = 0; i < ia.Length; i++)
            {
                if ((i & 255) == 0) cancellation.ThrowIfCancellationRequested();
                long a = ca[i], baseIx = ia[i];
                for (int j = 0; j < ib.Length; j++)
                {
                    long ix = baseIx + ib[j];
                    long h = Math.BigMul(a, cb[j], out long l);
                    ulong old = lo[ix];
                    ulong nl = old + (ulong)l;
                    hi[ix] += h + (nl < old ? 1 : 0);
                    lo[ix] = nl;
                    used[ix] = true;
                }
            }
            var exps = new List<ulong>(); var coeffs = new List<BigInteger>();
            for (long ix = cells - 1; ix >= 0; ix--)
            {
                if (!used[ix]) continue;
                var v = ((BigInteger)hi[ix] << 64) + lo[ix];
                if (v.IsZero) continue;
                ulong e = 0; long r = ix;
                for (int s = 0; s < nv; s++) { e |= (ulong)(r % radix[s]) << (8 * s); r /= radix[s]; }
                exps.Add(e); coeffs.Add(v);
            }
            // Dense order is by mixed-radix index; sort by packed exponent for a fixed canonical order.
            var order = Enumerable.Range(0, exps.Count).OrderByDescending(k => exps[k]).ToArray();
            return new PackedPolynomial(Variables.ToArray(), order.Select(k => exps[k]).ToArray(), order.Select(k => coeffs[k]).ToArray());
        }
#endif

        public BigInteger MaxCoefficient() => _coeffs.Length == 0 ? BigInteger.Zero : _coeffs.Max(BigInteger.Abs);
    }
}
