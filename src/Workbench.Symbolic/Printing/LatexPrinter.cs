using System.Collections.Generic;
using System.Text;

namespace Workbench.Symbolic
{
    /// <summary>LaTeX for expressions: fractions as \frac, indices as subscripts, Greek names as letters.</summary>
    public static class LatexPrinter
    {
        private static readonly HashSet<string> Greek = new HashSet<string>
        {
            "alpha","beta","gamma","delta","epsilon","zeta","eta","theta","iota","kappa","lambda","mu","nu","xi",
            "pi","rho","sigma","tau","upsilon","phi","chi","psi","omega","Gamma","Delta","Theta","Lambda","Xi","Pi",
            "Sigma","Phi","Psi","Omega",
        };

        public static string Symbol(Symbol s)
        {
            string name = Greek.Contains(s.Name) ? "\\" + s.Name : s.Name.Length == 1 ? s.Name : "\\mathrm{" + s.Name.Replace("_", "\\_") + "}";
            if (s.Indices.Count == 0) return name;
            return name + "_{" + string.Join(",", s.Indices) + "}";
        }

        private static string Number(BigRational v) =>
            v.IsInteger ? v.Numerator.ToString() : "\\frac{" + v.Numerator + "}{" + v.Denominator + "}";

        public static string Print(Expr expr)
        {
            var sb = new StringBuilder();
            var stack = new Stack<(Expr? node, int slot, string? text)>();
            stack.Push((expr, 0, null));
            while (stack.Count > 0)
            {
                var (node, slot, text) = stack.Pop();
                if (text != null) { sb.Append(text); continue; }
                var e = node!;
                var a = e.ArgArray;
                int strength = PlainPrinter.Strength(e);
                if (e.Kind == ExprKind.Number && !e.Value.IsInteger && e.Value.Sign > 0) strength = 5; // \frac is an atom
                bool wrap = strength < slot;
                var items = new List<(Expr? node, int slot, string? text)>();
                if (wrap) items.Add((null, 0, "\\left("));
                switch (e.Kind)
                {
                    case ExprKind.Number: items.Add((null, 0, e.Value.Sign < 0 ? "-" + Number(-e.Value) : Number(e.Value))); break;
                    case ExprKind.Symbol: items.Add((null, 0, Symbol(e.Symbol!))); break;
                    case ExprKind.Function:
                        if (e.Function == FunctionKind.Sqrt) { items.Add((null, 0, "\\sqrt{")); items.Add((a[0], 0, null)); items.Add((null, 0, "}")); }
                        else if (e.Function == FunctionKind.Exp) { items.Add((null, 0, "e^{")); items.Add((a[0], 0, null)); items.Add((null, 0, "}")); }
                        else { items.Add((null, 0, "\\log\\left(")); items.Add((a[0], 0, null)); items.Add((null, 0, "\\right)")); }
                        break;
                    case ExprKind.Pow:
                        if (a[1].IsNumber && a[1].Value == new BigRational(1, 2)) { items.Add((null, 0, "\\sqrt{")); items.Add((a[0], 0, null)); items.Add((null, 0, "}")); break; }
                        if (PlainPrinter.IsReciprocal(e))
                        {
                            var ex = -a[1].Value;
                            items.Add((null, 0, "\\frac{1}{"));
                            items.Add((ex.IsOne ? a[0] : Expr.Pow(a[0], Expr.Num(ex)), 0, null));
                            items.Add((null, 0, "}"));
                            break;
                        }
                        items.Add((null, 0, "{"));
                        items.Add((a[0], 4, null));
                        items.Add((null, 0, "}^{"));
                        items.Add((a[1], 0, null));
                        items.Add((null, 0, "}"));
                        break;
                    case ExprKind.Add:
                        for (int i = 0; i < a.Length; i++)
                        {
                            if (i > 0 && PlainPrinter.LeadingNegative(a[i])) { items.Add((null, 0, " - ")); items.Add((PlainPrinter.Negated(a[i]), 2, null)); }
                            else { if (i > 0) items.Add((null, 0, " + ")); items.Add((a[i], i == 0 ? 1 : 2, null)); }
                        }
                        break;
                    default:
                    {
                        var num = new List<Expr>(); var den = new List<Expr>();
                        bool negative = false;
                        for (int i = 0; i < a.Length; i++)
                        {
                            var f = a[i];
                            if (i == 0 && f.IsNumber)
                            {
                                var v = f.Value;
                                if (v.Sign < 0) { negative = true; v = -v; }
                                if (!v.Numerator.IsOne) num.Add(Expr.Num(v.Numerator));
                                if (!v.Denominator.IsOne) den.Add(Expr.Num(v.Denominator));
                                continue;
                            }
                            if (PlainPrinter.IsReciprocal(f))
                            {
                                var ex = -f.ArgArray[1].Value;
                                den.Add(ex.IsOne ? f.ArgArray[0] : Expr.Pow(f.ArgArray[0], Expr.Num(ex)));
                            }
                            else num.Add(f);
                        }
                        if (negative) items.Add((null, 0, "-"));
                        if (den.Count > 0) items.Add((null, 0, "\\frac{"));
                        AddProduct(items, num, den.Count > 0 ? 0 : 2);
                        if (den.Count > 0) { items.Add((null, 0, "}{")); AddProduct(items, den, 0); items.Add((null, 0, "}")); }
                        break;
                    }
                }
                if (wrap) items.Add((null, 0, "\\right)"));
                for (int i = items.Count - 1; i >= 0; i--) stack.Push(items[i]);
            }
            return sb.ToString();
        }

        private static void AddProduct(List<(Expr?, int, string?)> items, List<Expr> factors, int slot)
        {
            if (factors.Count == 0) { items.Add((null, 0, "1")); return; }
            for (int i = 0; i < factors.Count; i++)
            {
                if (i > 0) items.Add((null, 0, factors[i].IsNumber ? " \\cdot " : " \\, "));
                items.Add((factors[i], factors.Count == 1 ? slot : 2, null));
            }
        }
    }
}
