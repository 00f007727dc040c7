using System;
using System.Collections.Generic;
using System.Threading;

namespace Workbench.Symbolic
{
    /// <summary>Replaces symbols (or whole subtrees) by expressions, iteratively.</summary>
    public static class Substitution
    {
        public static Expr Apply(Expr expr, IReadOnlyDictionary<Symbol, Expr> map, CancellationToken cancellation = default)
        {
            var result = new Dictionary<Expr, Expr>(ExprWalk.ReferenceComparer.Instance);
            foreach (var n in ExprWalk.PostOrder(expr, cancellation))
            {
                if (n.Kind == ExprKind.Symbol) { result[n] = map.TryGetValue(n.Symbol!, out var v) ? v : n; continue; }
                var a = n.ArgArray;
                if (a.Length == 0) { result[n] = n; continue; }
                bool changed = false;
                var na = new Expr[a.Length];
                for (int i = 0; i < a.Length; i++) { na[i] = result[a[i]]; changed |= !ReferenceEquals(na[i], a[i]); }
                result[n] = changed ? n.WithArgs(na) : n;
            }
            return result[expr];
        }

        public static Expr Apply(Expr expr, Symbol symbol, Expr value) =>
            Apply(expr, new Dictionary<Symbol, Expr> { [symbol] = value });

        /// <summary>Replaces every subtree structurally equal to <paramref name="pattern"/>.</summary>
        public static Expr ReplaceSubtree(Expr expr, Expr pattern, Expr replacement, CancellationToken cancellation = default)
        {
            var result = new Dictionary<Expr, Expr>(ExprWalk.ReferenceComparer.Instance);
            foreach (var n in ExprWalk.PostOrder(expr, cancellation))
            {
                if (n.Equals(pattern)) { result[n] = replacement; continue; }
                var a = n.ArgArray;
                if (a.Length == 0) { result[n] = n; continue; }
                var na = new Expr[a.Length];
                bool changed = false;
                for (int i = 0; i < a.Length; i++) { na[i] = result[a[i]]; changed |= !ReferenceEquals(na[i], a[i]); }
                result[n] = changed ? n.WithArgs(na) : n;
            }
            return result[expr];
        }
    }
}
