using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;

namespace Workbench.Symbolic
{
    public enum CodeDialect { CSharp, C99, OpenCL, Cuda }

    public enum CodePrecision { Double, Float }

    /// <summary>
    /// Straight-line code for C#, C99, OpenCL C and CUDA C. Structurally equal subexpressions are computed once
    /// into temporaries (<c>t0, t1, ...</c>); chains deeper than <see cref="MaxInlineDepth"/> are also split so a
    /// deep expression never produces a statement the target compiler cannot parse. Operations are printed in a
    /// fixed left-to-right order with explicit parentheses and no fma: whether the target contracts a*b+c is the
    /// caller's compiler setting, and nothing here assumes either way.
    /// </summary>
    public static class CodePrinter
    {
        public const int MaxInlineDepth = 24;

        public static string Print(IReadOnlyList<(string target, Expr expr)> outputs, CodeDialect dialect,
            Func<Symbol, string> symbolName, CodePrecision precision = CodePrecision.Double, string tempPrefix = "t",
            CancellationToken cancellation = default)
        {
            var sb = new StringBuilder();
            foreach (var line in Statements(outputs, dialect, symbolName, precision, tempPrefix, cancellation)) sb.Append(line).Append('\n');
            return sb.ToString();
        }

        /// <summary>The statements, one per line: temporaries first (declared), then the output assignments.</summary>
        public static List<string> Statements(IReadOnlyList<(string target, Expr expr)> outputs, CodeDialect dialect,
            Func<Symbol, string> symbolName, CodePrecision precision = CodePrecision.Double, string tempPrefix = "t",
            CancellationToken cancellation = default)
        {
            if (outputs is null) throw new ArgumentNullException(nameof(outputs));
            if (symbolName is null) throw new ArgumentNullException(nameof(symbolName));
            var roots = new List<Expr>();
            foreach (var o in outputs) roots.Add(o.expr ?? throw new ArgumentException($"output '{o.target}' has no expression"));

            // Hash-cons: give structurally equal nodes one id, bottom-up, without deep equality comparisons.
            var order = ExprWalk.PostOrder(roots, cancellation);
            var idOf = new Dictionary<Expr, int>(ExprWalk.ReferenceComparer.Instance);
            var intern = new Dictionary<NodeKey, int>();
            var nodes = new List<Expr>();
            var children = new List<int[]>();
            foreach (var n in order)
            {
                var a = n.ArgArray;
                var ch = new int[a.Length];
                for (int i = 0; i < a.Length; i++) ch[i] = idOf[a[i]];
                var key = new NodeKey(n, ch);
                if (!intern.TryGetValue(key, out var id))
                {
                    id = nodes.Count;
                    intern[key] = id;
                    nodes.Add(n);
                    children.Add(ch);
                }
                idOf[n] = id;
            }

            int count = nodes.Count;
            var uses = new int[count];
            var depth = new int[count];
            var hoist = new bool[count];
            for (int id = 0; id < count; id++) foreach (var c in children[id]) uses[c]++;
            foreach (var r in roots) uses[idOf[r]]++;
            for (int id = 0; id < count; id++)
            {
                var n = nodes[id];
                bool leaf = n.Kind == ExprKind.Number || n.Kind == ExprKind.Symbol;
                int d = 0;
                foreach (var c in children[id]) if (!hoist[c] && depth[c] + 1 > d) d = depth[c] + 1;
                if (!leaf && (uses[id] > 1 || d > MaxInlineDepth)) { hoist[id] = true; d = 0; }
                depth[id] = d;
                // Small integer powers are printed as repeated products of the base, which must then be a name.
                if (n.Kind == ExprKind.Pow && SmallPower(n) != 0)
                {
                    var b = children[id][0];
                    if (nodes[b].Kind != ExprKind.Symbol && nodes[b].Kind != ExprKind.Number && !hoist[b]) hoist[b] = true;
                }
            }

            var lang = new Lang(dialect, precision, symbolName);
            var text = new string[count];
            var lines = new List<string>();
            int temps = 0;
            for (int id = 0; id < count; id++)
            {
                var code = lang.Render(nodes[id], children[id], text);
                if (hoist[id])
                {
                    var name = tempPrefix + temps.ToString(CultureInfo.InvariantCulture);
                    temps++;
                    lines.Add(lang.Declare(name, code));
                    text[id] = name;
                }
                else text[id] = code;
            }
            foreach (var o in outputs) lines.Add(o.target + " = " + Strip(text[idOf[o.expr]]) + ";");
            return lines;
        }

        private static string Strip(string s)
        {
            if (s.Length < 2 || s[0] != '(' || s[s.Length - 1] != ')') return s;
            int level = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] == '(') level++;
                else if (s[i] == ')') { level--; if (level == 0 && i != s.Length - 1) return s; }
            }
            return s.Substring(1, s.Length - 2);
        }

        /// <summary>Exponent n with 2 ≤ |n| ≤ 4 for powers printed as products; 0 otherwise.</summary>
        internal static int SmallPower(Expr pow)
        {
            var e = pow.ArgArray[1];
            if (!e.IsNumber || !e.Value.IsInteger) return 0;
            var n = e.Value.Numerator;
            return n >= 2 && n <= 4 ? (int)n : n <= -2 && n >= -4 ? (int)n : 0;
        }

        private readonly struct NodeKey : IEquatable<NodeKey>
        {
            private readonly ExprKind _kind;
            private readonly object? _payload;
            private readonly int[] _children;
            private readonly int _hash;

            public NodeKey(Expr n, int[] children)
            {
                _kind = n.Kind;
                _payload = n.Kind == ExprKind.Number ? n.Value : n.Kind == ExprKind.Symbol ? n.Symbol : n.Kind == ExprKind.Function ? (object)n.Function : null;
                _children = children;
                unchecked
                {
                    int h = (int)_kind * 7919 + (_payload?.GetHashCode() ?? 0);
                    foreach (var c in children) h = h * 31 + c;
                    _hash = h;
                }
            }

            public bool Equals(NodeKey o)
            {
                if (_hash != o._hash || _kind != o._kind || _children.Length != o._children.Length) return false;
                if (!Equals(_payload, o._payload)) return false;
                for (int i = 0; i < _children.Length; i++) if (_children[i] != o._children[i]) return false;
                return true;
            }

            public override bool Equals(object? obj) => obj is NodeKey k && Equals(k);
            public override int GetHashCode() => _hash;
        }

        private sealed class Lang
        {
            private readonly CodeDialect _d;
            private readonly bool _float;
            private readonly Func<Symbol, string> _name;

            public Lang(CodeDialect d, CodePrecision p, Func<Symbol, string> name) { _d = d; _float = p == CodePrecision.Float; _name = name; }

            private string Type => _float ? "float" : "double";

            public string Declare(string name, string code) =>
                _d == CodeDialect.CSharp ? $"{Type} {name} = {code};" : $"const {Type} {name} = {code};";

            public string Literal(BigRational v)
            {
                string s;
                if (_float)
                {
                    s = ((float)v.ToDouble()).ToString("R", CultureInfo.InvariantCulture);
                    if (s.IndexOf('.') < 0 && s.IndexOf('E') < 0) s += ".0";
                    s += "f";
                }
                else
                {
                    s = v.ToDouble().ToString("R", CultureInfo.InvariantCulture);
                    if (s.IndexOf('.') < 0 && s.IndexOf('E') < 0) s += ".0";
                }
                return s.StartsWith("-", StringComparison.Ordinal) ? "(" + s + ")" : s;
            }

            public string Fn(string name)
            {
                if (_d == CodeDialect.CSharp)
                {
                    var cap = char.ToUpperInvariant(name[0]) + name.Substring(1);
                    return (_float ? "MathF." : "Math.") + cap;
                }
                if (_d == CodeDialect.OpenCL) return name; // overloaded on float and double
                return _float ? name + "f" : name;
            }

            public string Render(Expr n, int[] ch, string[] text)
            {
                switch (n.Kind)
                {
                    case ExprKind.Number: return Literal(n.Value);
                    case ExprKind.Symbol: return _name(n.Symbol!);
                    case ExprKind.Add:
                    {
                        var sb = new StringBuilder("(");
                        for (int i = 0; i < ch.Length; i++) { if (i > 0) sb.Append(" + "); sb.Append(text[ch[i]]); }
                        return sb.Append(')').ToString();
                    }
                    case ExprKind.Mul:
                    {
                        var sb = new StringBuilder("(");
                        for (int i = 0; i < ch.Length; i++) { if (i > 0) sb.Append(" * "); sb.Append(text[ch[i]]); }
                        return sb.Append(')').ToString();
                    }
                    case ExprKind.Pow:
                    {
                        var b = text[ch[0]];
                        var e = n.ArgArray[1];
                        int small = SmallPower(n);
                        if (small != 0)
                        {
                            var prod = new StringBuilder("(");
                            for (int i = 0; i < Math.Abs(small); i++) { if (i > 0) prod.Append(" * "); prod.Append(b); }
                            prod.Append(')');
                            return small > 0 ? prod.ToString() : "(" + Literal(BigRational.One) + " / " + prod + ")";
                        }
                        if (e.IsNumber)
                        {
                            var v = e.Value;
                            if (v == BigRational.MinusOne) return "(" + Literal(BigRational.One) + " / " + b + ")";
                            if (v == new BigRational(1, 2)) return Fn("sqrt") + "(" + b + ")";
                            if (v == new BigRational(-1, 2)) return "(" + Literal(BigRational.One) + " / " + Fn("sqrt") + "(" + b + "))";
                        }
                        return Fn("pow") + "(" + b + ", " + text[ch[1]] + ")";
                    }
                    default:
                        return Fn(n.Function == FunctionKind.Exp ? "exp" : n.Function == FunctionKind.Log ? "log" : "sqrt") + "(" + text[ch[0]] + ")";
                }
            }
        }
    }
}
