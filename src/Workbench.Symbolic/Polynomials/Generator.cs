using System;
using System.Collections.Generic;

namespace Workbench.Symbolic
{
    public enum GeneratorKind { Symbol, Exp, Log, Sqrt, Power }

    /// <summary>
    /// A variable of the canonical polynomial ring: a symbol, or an atom exp(a), log(a), sqrt(a) whose argument a
    /// is already canonical, or an opaque power b^e that no sound rule reduces. Interned process-wide: one id per
    /// distinct key. Ordering for printing and normalisation uses the key text, never the id, so canonical output
    /// does not depend on the order in which generators were first met.
    /// </summary>
    public sealed class Generator
    {
        public int Id { get; }
        public GeneratorKind Kind { get; }
        public Symbol? Symbol { get; }
        /// <summary>Canonical argument of exp, log, sqrt.</summary>
        public RationalFunction? Argument { get; }
        /// <summary>The generator as an expression (its argument printed canonically).</summary>
        public Expr Expr { get; }
        public string Key { get; }

        private Generator(int id, GeneratorKind kind, Symbol? symbol, RationalFunction? argument, Expr expr, string key)
        {
            Id = id; Kind = kind; Symbol = symbol; Argument = argument; Expr = expr; Key = key;
        }

        private static readonly object Gate = new object();
        private static readonly Dictionary<string, Generator> ByKey = new Dictionary<string, Generator>();
        private static readonly List<Generator> ById = new List<Generator>();

        public static Generator Get(int id) { lock (Gate) return ById[id]; }

        public static Generator ForSymbol(Symbol s) =>
            Intern(GeneratorKind.Symbol, s, null, Expr.Var(s), (s.IsPositive ? "+" : "") + s);

        public static Generator ForFunction(GeneratorKind kind, RationalFunction argument)
        {
            var argExpr = Canonical.ToExpr(argument);
            var fn = kind == GeneratorKind.Exp ? FunctionKind.Exp : kind == GeneratorKind.Log ? FunctionKind.Log : FunctionKind.Sqrt;
            var e = Expr.Apply(fn, argExpr);
            return Intern(kind, null, argument, e, e.ToString());
        }

        public static Generator ForPower(Expr b, Expr exponent)
        {
            var e = Expr.Pow(b, exponent);
            return Intern(GeneratorKind.Power, null, null, e, e.ToString());
        }

        private static Generator Intern(GeneratorKind kind, Symbol? s, RationalFunction? arg, Expr e, string key)
        {
            lock (Gate)
            {
                if (ByKey.TryGetValue(key, out var g)) return g;
                g = new Generator(ById.Count, kind, s, arg, e, key);
                ById.Add(g);
                ByKey[key] = g;
                return g;
            }
        }

        /// <summary>Orders generators by key: symbols before atoms, then by text.</summary>
        public static int CompareKeys(int a, int b)
        {
            if (a == b) return 0;
            var ga = Get(a); var gb = Get(b);
            int c = (ga.Kind == GeneratorKind.Symbol ? 0 : 1).CompareTo(gb.Kind == GeneratorKind.Symbol ? 0 : 1);
            if (c != 0) return c;
            if (ga.Kind == GeneratorKind.Symbol) return ga.Symbol!.CompareTo(gb.Symbol);
            return string.CompareOrdinal(ga.Key, gb.Key);
        }

        public override string ToString() => Key;
    }
}
