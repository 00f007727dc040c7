using System;
using System.Collections.Generic;
using System.Linq;

namespace Workbench.Symbolic
{
    /// <summary>
    /// A Hochschild n-cochain of the free algebra with coefficients in itself, given by its value on generic
    /// arguments: an NC polynomial in the placeholder letters x1..xn (e.g. the commutator is x1*x2 − x2*x1).
    /// Evaluating at arguments substitutes them for the placeholders.
    /// </summary>
    public sealed class Cochain
    {
        public int Arity { get; }
        public NcPolynomial Formula { get; }

        public Cochain(int arity, NcPolynomial formula)
        {
            if (arity < 0 || arity > 12) throw new SymbolicLimitException($"cochain arity {arity} is outside 0..12");
            Arity = arity; Formula = formula;
        }

        public static string Placeholder(int i) => "x" + (i + 1);

        public static NcPolynomial Arg(int i) => NcPolynomial.Letter(Placeholder(i));

        public NcPolynomial Apply(IReadOnlyList<NcPolynomial> args)
        {
            if (args.Count != Arity) throw new ArgumentException($"cochain of arity {Arity} applied to {args.Count} arguments");
            var map = new Dictionary<string, NcPolynomial>();
            for (int i = 0; i < Arity; i++) map[Placeholder(i)] = args[i];
            return Formula.Substitute(map);
        }

        /// <summary>The commutator cochain φ(a, b) = ab − ba.</summary>
        public static Cochain Commutator() => new Cochain(2, NcPolynomial.Commutator(Arg(0), Arg(1)));

        /// <summary>The product m(a, b) = ab and the opposite product m^op(a, b) = ba.</summary>
        public static Cochain Product() => new Cochain(2, Arg(0) * Arg(1));
        public static Cochain OppositeProduct() => new Cochain(2, Arg(1) * Arg(0));

        public Cochain Scale(BigRational c) => new Cochain(Arity, Formula.Scale(c));

        public static Cochain operator +(Cochain a, Cochain b)
        {
            if (a.Arity != b.Arity) throw new ArgumentException("cochains of different arity");
            return new Cochain(a.Arity, a.Formula + b.Formula);
        }

        /// <summary>
        /// Hochschild coboundary: (δφ)(a₁..aₙ₊₁) = a₁φ(a₂..) + Σᵢ (−1)^i φ(.., aᵢaᵢ₊₁, ..) + (−1)^{n+1} φ(a₁..aₙ)aₙ₊₁.
        /// </summary>
        public Cochain Coboundary()
        {
            int n = Arity;
            var a = Enumerable.Range(0, n + 1).Select(Arg).ToArray();
            var r = a[0] * Apply(a.Skip(1).ToArray());
            for (int i = 1; i <= n; i++)
            {
                var args = new List<NcPolynomial>();
                for (int j = 0; j < n + 1; j++)
                {
                    if (j == i) continue;
                    args.Add(j == i - 1 ? a[j] * a[j + 1] : a[j]);
                }
                var t = Apply(args);
                r = i % 2 == 1 ? r - t : r + t;
            }
            var last = Apply(a.Take(n).ToArray()) * a[n];
            r = (n + 1) % 2 == 1 ? r - last : r + last;
            return new Cochain(n + 1, r);
        }

        /// <summary>Gerstenhaber composition φ∘ψ = Σᵢ (−1)^{i(q−1)} φ(a₁..aᵢ, ψ(aᵢ₊₁..aᵢ₊q), ..).</summary>
        public static Cochain Compose(Cochain phi, Cochain psi)
        {
            int p = phi.Arity, q = psi.Arity;
            if (p == 0) return new Cochain(q - 1 < 0 ? 0 : p + q - 1, NcPolynomial.Zero);
            int n = p + q - 1;
            var a = Enumerable.Range(0, n).Select(Arg).ToArray();
            var r = NcPolynomial.Zero;
            for (int i = 0; i < p; i++)
            {
                var args = new List<NcPolynomial>();
                for (int j = 0; j < i; j++) args.Add(a[j]);
                args.Add(psi.Apply(a.Skip(i).Take(q).ToArray()));
                for (int j = i + q; j < n; j++) args.Add(a[j]);
                var t = phi.Apply(args);
                r = (i * (q - 1)) % 2 == 0 ? r + t : r - t;
            }
            return new Cochain(n, r);
        }

        /// <summary>[φ, ψ]_G = φ∘ψ − (−1)^{(p−1)(q−1)} ψ∘φ.</summary>
        public static Cochain GerstenhaberBracket(Cochain phi, Cochain psi)
        {
            var sign = ((phi.Arity - 1) * (psi.Arity - 1)) % 2 == 0 ? BigRational.One : BigRational.MinusOne;
            return Compose(phi, psi) + Compose(psi, phi).Scale(-sign);
        }

        /// <summary>The formula with placeholders renamed to the given letters (for display).</summary>
        public NcPolynomial Named(params string[] letters)
        {
            var map = new Dictionary<string, NcPolynomial>();
            for (int i = 0; i < Math.Min(Arity, letters.Length); i++) map[Placeholder(i)] = NcPolynomial.Letter(letters[i]);
            return Formula.Substitute(map);
        }
    }
}
