using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace Workbench.Symbolic
{
    public enum Decision { ProvedEqual, ProvedDifferent, NumericallyEqual, NumericallyDifferent }

    /// <summary>How an equality was decided, and how sure it is.</summary>
    public sealed class EqualityResult
    {
        public Decision Decision { get; }
        /// <summary>canonical form; canonical form + independence of exp atoms; Schwartz–Zippel mod p; sampled in double.</summary>
        public string Method { get; }
        /// <summary>Probability that a probabilistic verdict is wrong (0 for proofs; NaN for double sampling, which has no bound).</summary>
        public double ErrorBound { get; }
        /// <summary>The canonical difference a − b when it was computed, else the unsimplified difference.</summary>
        public Expr Difference { get; }

        public EqualityResult(Decision d, string method, double errorBound, Expr difference)
        {
            Decision = d; Method = method; ErrorBound = errorBound; Difference = difference;
        }

        public bool AreEqual => Decision == Decision.ProvedEqual || Decision == Decision.NumericallyEqual;
        public bool IsProof => Decision == Decision.ProvedEqual || Decision == Decision.ProvedDifferent;

        public override string ToString() => Decision switch
        {
            Decision.ProvedEqual => "equal (proved: " + Method + ")",
            Decision.ProvedDifferent => "different (proved: " + Method + "); difference " + Difference,
            Decision.NumericallyEqual => "equal numerically, not proved (" + Method + (double.IsNaN(ErrorBound) ? "" : ", error probability <= " + ErrorBound.ToString("0.#e0", CultureInfo.InvariantCulture)) + ")",
            _ => "different numerically (" + Method + "); difference " + Difference,
        };
    }

    /// <summary>
    /// Zero testing that is never structural. Canonical form first. A nonzero canonical form is a proof of
    /// non-zero only when its generators are algebraically independent: symbols are, and exp(f₁..fₖ) of rational
    /// functions are exactly when no nontrivial ℚ-combination of the fᵢ is constant (Risch's structure theorem);
    /// log, sqrt and opaque powers are not certified, so those cases fall back to sampled evidence, reported as such.
    /// When the canonical form is too large, a Schwartz–Zippel test modulo 2^61−1 is used with its error bound.
    /// </summary>
    public static class ZeroTest
    {
        public static EqualityResult Equal(Expr a, Expr b, CancellationToken cancellation = default) => IsZero(a - b, cancellation);

        public static EqualityResult IsZero(Expr e, CancellationToken cancellation = default)
        {
            RationalFunction form;
            try { form = Canonical.Of(e, cancellation); }
            catch (SymbolicLimitException)
            {
                var sz = SchwartzZippel(e, 4, 0x5EED, cancellation);
                if (sz.HasValue)
                    return new EqualityResult(sz.Value.zero ? Decision.NumericallyEqual : Decision.ProvedDifferent,
                        "Schwartz–Zippel modulo 2^61-1, 4 trials", sz.Value.zero ? sz.Value.errorBound : 0, e);
                return Sampled(e, cancellation);
            }
            var canonical = Canonical.ToExpr(form);
            if (form.IsZero) return new EqualityResult(Decision.ProvedEqual, "canonical form", 0, canonical);
            var atoms = Canonical.Atoms(form);
            if (atoms.Count == 0) return new EqualityResult(Decision.ProvedDifferent, "canonical form", 0, canonical);
            if (ExpAtomsIndependent(atoms, cancellation))
                return new EqualityResult(Decision.ProvedDifferent, "canonical form over algebraically independent exp atoms", 0, canonical);
            var s = Sampled(e, cancellation);
            return new EqualityResult(s.Decision, s.Method, s.ErrorBound, canonical);
        }

        /// <summary>True when every atom is exp(f) with f free of atoms and the f are ℚ-linearly independent modulo constants.</summary>
        public static bool ExpAtomsIndependent(IReadOnlyList<Generator> atoms, CancellationToken cancellation = default)
        {
            var args = new List<RationalFunction>();
            foreach (var g in atoms)
            {
                if (g.Kind != GeneratorKind.Exp || Canonical.Atoms(g.Argument!).Count > 0) return false;
                args.Add(g.Argument!);
            }
            // Σ cᵢ fᵢ = k  ⇔  Σ cᵢ Nᵢ·(L/Dᵢ) − k·L = 0 with L = Π distinct Dᵢ; independent iff that system has rank n+1.
            var dens = new List<Poly>();
            foreach (var f in args) if (!dens.Any(d => d.Equals(f.Denominator))) dens.Add(f.Denominator);
            var L = Poly.One;
            foreach (var d in dens) L = L * d;
            var columns = new List<Poly>();
            foreach (var f in args) columns.Add(f.Numerator * Poly.TryDivide(L, f.Denominator, cancellation)!);
            columns.Add(-L);
            return Rank(columns) == columns.Count;
        }

        private static int Rank(List<Poly> columns)
        {
            var monos = new Dictionary<Monomial, int>();
            foreach (var c in columns) foreach (var m in c.Terms.Keys) if (!monos.ContainsKey(m)) monos[m] = monos.Count;
            var rows = new BigRational[monos.Count][];
            for (int i = 0; i < rows.Length; i++) rows[i] = new BigRational[columns.Count];
            for (int j = 0; j < columns.Count; j++) foreach (var kv in columns[j].Terms) rows[monos[kv.Key]][j] = kv.Value;
            int rank = 0;
            for (int col = 0; col < columns.Count && rank < rows.Length; col++)
            {
                int piv = -1;
                for (int r = rank; r < rows.Length; r++) if (!rows[r][col].IsZero) { piv = r; break; }
                if (piv < 0) continue;
                var t = rows[piv]; rows[piv] = rows[rank]; rows[rank] = t;
                for (int r = 0; r < rows.Length; r++)
                {
                    if (r == rank || rows[r][col].IsZero) continue;
                    var f = rows[r][col] / rows[rank][col];
                    for (int k = col; k < columns.Count; k++) rows[r][k] -= f * rows[rank][k];
                }
                rank++;
            }
            return rank;
        }

        /// <summary>
        /// Schwartz–Zippel for expressions built from symbols, numbers, + × and integer powers: evaluates modulo
        /// 2^61−1 at seeded random points without expanding. Returns null when the expression has exp/log/sqrt or
        /// non-integer powers. The error bound is (deg N / p)^trials for the numerator degree bound deg N.
        /// </summary>
        public static (bool zero, double errorBound)? SchwartzZippel(Expr e, int trials, ulong seed, CancellationToken cancellation = default)
        {
            var order = ExprWalk.PostOrder(e, cancellation);
            var deg = new Dictionary<Expr, (double num, double den)>(ExprWalk.ReferenceComparer.Instance);
            foreach (var n in order)
            {
                var a = n.ArgArray;
                switch (n.Kind)
                {
                    case ExprKind.Number: deg[n] = (0, 0); break;
                    case ExprKind.Symbol: deg[n] = (1, 0); break;
                    case ExprKind.Add:
                    {
                        double num = 0, den = 0;
                        foreach (var t in a) { var d = deg[t]; num = Math.Max(num + d.den, d.num + den); den += d.den; }
                        deg[n] = (num, den);
                        break;
                    }
                    case ExprKind.Mul:
                    {
                        double num = 0, den = 0;
                        foreach (var t in a) { var d = deg[t]; num += d.num; den += d.den; }
                        deg[n] = (num, den);
                        break;
                    }
                    case ExprKind.Pow:
                        if (!a[1].IsNumber || !a[1].Value.IsInteger) return null;
                        var k = (double)a[1].Value.Numerator;
                        var db = deg[a[0]];
                        deg[n] = k >= 0 ? (db.num * k, db.den * k) : (db.den * -k, db.num * -k);
                        break;
                    default: return null;
                }
            }
            const ulong p = ModArith.Prime;
            var rng = new Random(unchecked((int)seed));
            int agreeing = 0;
            for (int t = 0; t < trials * 4 && agreeing < trials; t++)
            {
                var point = new Dictionary<Symbol, ulong>();
                ulong Next() => ((ulong)rng.Next() << 31 ^ (ulong)rng.Next()) % p;
                var val = new Dictionary<Expr, ulong>(ExprWalk.ReferenceComparer.Instance);
                bool undefined = false;
                foreach (var n in order)
                {
                    var a = n.ArgArray;
                    ulong v;
                    switch (n.Kind)
                    {
                        case ExprKind.Number:
                            if (n.Value.Denominator % p == 0) { undefined = true; v = 0; break; }
                            v = ModArith.Reduce(n.Value, p); break;
                        case ExprKind.Symbol:
                            if (!point.TryGetValue(n.Symbol!, out v)) point[n.Symbol!] = v = Next();
                            break;
                        case ExprKind.Add: v = 0; foreach (var x in a) v = ModArith.Add(v, val[x], p); break;
                        case ExprKind.Mul: v = 1; foreach (var x in a) v = ModArith.Mul(v, val[x], p); break;
                        default:
                        {
                            var k = a[1].Value.Numerator;
                            var b = val[a[0]];
                            if (k.Sign < 0) { if (b == 0) { undefined = true; v = 0; break; } b = ModArith.Inverse(b, p); k = -k; }
                            v = ModArith.Pow(b, (ulong)(k % (p - 1)), p);
                            if (k > 0 && b == 0) v = 0;
                            break;
                        }
                    }
                    if (undefined) break;
                    val[n] = v;
                }
                if (undefined) continue; // a pole was hit: draw another point
                if (val[e] != 0) return (false, 0);
                agreeing++;
            }
            if (agreeing < trials) return null;
            var bound = Math.Pow(Math.Max(deg[e].num, 1) / p, trials);
            return (true, bound);
        }

        /// <summary>
        /// Sampling in double at seeded points with |x| in [0.5, 1.5] (away from poles of the usual forms). Symbols
        /// declared positive are sampled positive; every other symbol takes both signs, because an identity that
        /// holds only for x &gt; 0 (sqrt(x²) = x, log(x²) = 2 log x) is not an identity over the reals. Points where
        /// either side is undefined (NaN) are skipped; when fewer than half the points are defined, the verdict says so.
        /// </summary>
        public static EqualityResult Sampled(Expr e, CancellationToken cancellation = default, int points = 24)
        {
            var rng = new Random(12345);
            double worst = 0;
            int defined = 0;
            for (int i = 0; i < points; i++)
            {
                var at = new Dictionary<Symbol, double>();
                // The first half of the points is positive in every symbol (the common domain of log and sqrt);
                // the second half draws signs at random for symbols without a declared sign.
                bool signed = i >= points / 2;
                double Draw(Symbol s)
                {
                    var x = 0.5 + rng.NextDouble();
                    return signed && !s.IsPositive && rng.Next(2) == 0 ? -x : x;
                }
                double v = Evaluation.Double(e, s => at.TryGetValue(s, out var x) ? x : at[s] = Draw(s), cancellation);
                if (double.IsNaN(v)) continue;
                defined++;
                worst = Math.Max(worst, Math.Abs(v));
            }
            var decision = defined == 0 || worst > 1e-9 ? Decision.NumericallyDifferent : Decision.NumericallyEqual;
            var method = defined == 0
                ? $"sampled in double at {points} seeded points, defined at none of them"
                : $"sampled in double at {defined} of {points} seeded points where defined (both signs unless declared positive), worst |difference| {worst.ToString("0.#e0", CultureInfo.InvariantCulture)}";
            return new EqualityResult(decision, method, double.NaN, e);
        }
    }
}
