using System.Collections.Generic;
using System.Text;

namespace Workbench.Symbolic
{
    /// <summary>
    /// The plain syntax that <see cref="Parser"/> reads back: <c>+ - * / ^</c>, <c>exp log sqrt</c>, <c>q[0,1]</c>.
    /// Iterative (an explicit work stack), so any depth prints.
    /// </summary>
    public static class PlainPrinter
    {
        // Binding strengths: sums 1, products 2, powers 3, atoms 5. A node is wrapped when weaker than its slot.
        internal static int Strength(Expr e)
        {
            switch (e.Kind)
            {
                case ExprKind.Number:
                    if (e.Value.Sign < 0) return 1;
                    return e.Value.IsInteger ? 5 : 2;
                case ExprKind.Symbol: case ExprKind.Function: return 5;
                case ExprKind.Add: return 1;
                case ExprKind.Mul: return LeadingNegative(e) ? 1 : 2;
                default: return 3;
            }
        }

        internal static bool LeadingNegative(Expr e) =>
            (e.Kind == ExprKind.Number && e.Value.Sign < 0) ||
            (e.Kind == ExprKind.Mul && e.ArgArray[0].Kind == ExprKind.Number && e.ArgArray[0].Value.Sign < 0);

        /// <summary>-e for a node whose leading factor is negative (for printing "a - b").</summary>
        internal static Expr Negated(Expr e)
        {
            if (e.Kind == ExprKind.Number) return Expr.Num(-e.Value);
            var a = e.ArgArray;
            var f = new Expr[a.Length];
            f[0] = Expr.Num(-a[0].Value);
            for (int i = 1; i < a.Length; i++) f[i] = a[i];
            return Expr.Mul(f);
        }

        internal static bool IsReciprocal(Expr f) =>
            f.Kind == ExprKind.Pow && f.ArgArray[1].Kind == ExprKind.Number && f.ArgArray[1].Value.Sign < 0;

        public static string Print(Expr expr)
        {
            var sb = new StringBuilder();
            // Work items: a node to print in a slot of given strength, or literal text.
            var stack = new Stack<(Expr? node, int slot, string? text)>();
            stack.Push((expr, 0, null));
            while (stack.Count > 0)
            {
                var (node, slot, text) = stack.Pop();
                if (text != null) { sb.Append(text); continue; }
                var e = node!;
                bool wrap = Strength(e) < slot;
                var items = new List<(Expr? node, int slot, string? text)>();
                if (wrap) items.Add((null, 0, "("));
                var a = e.ArgArray;
                switch (e.Kind)
                {
                    case ExprKind.Number: items.Add((null, 0, e.Value.ToString())); break;
                    case ExprKind.Symbol: items.Add((null, 0, e.Symbol!.ToString())); break;
                    case ExprKind.Function:
                        items.Add((null, 0, e.Function.ToString().ToLowerInvariant() + "("));
                        items.Add((a[0], 0, null));
                        items.Add((null, 0, ")"));
                        break;
                    case ExprKind.Pow:
                        items.Add((a[0], 4, null));
                        items.Add((null, 0, "^"));
                        items.Add((a[1], 4, null));
                        break;
                    case ExprKind.Add:
                        for (int i = 0; i < a.Length; i++)
                        {
                            if (i > 0 && LeadingNegative(a[i])) { items.Add((null, 0, " - ")); items.Add((Negated(a[i]), 2, null)); }
                            else { if (i > 0) items.Add((null, 0, " + ")); items.Add((a[i], i == 0 ? 1 : 2, null)); }
                        }
                        break;
                    default: // Mul
                    {
                        int start = 0;
                        if (a[0].Kind == ExprKind.Number && a[0].Value == BigRational.MinusOne) { items.Add((null, 0, "-")); start = 1; }
                        bool any = false;
                        for (int i = start; i < a.Length; i++)
                        {
                            if (IsReciprocal(a[i])) continue;
                            if (any) items.Add((null, 0, "*"));
                            items.Add((a[i], any || start == 1 ? 3 : 2, null));
                            any = true;
                        }
                        if (!any) items.Add((null, 0, "1"));
                        for (int i = start; i < a.Length; i++)
                        {
                            if (!IsReciprocal(a[i])) continue;
                            items.Add((null, 0, "/"));
                            var b = a[i].ArgArray[0];
                            var ex = a[i].ArgArray[1].Value;
                            items.Add((ex == BigRational.MinusOne ? b : Expr.Pow(b, Expr.Num(-ex)), 4, null));
                        }
                        break;
                    }
                }
                if (wrap) items.Add((null, 0, ")"));
                for (int i = items.Count - 1; i >= 0; i--) stack.Push(items[i]);
            }
            return sb.ToString();
        }
    }
}
