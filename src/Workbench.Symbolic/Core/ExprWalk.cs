using System;
using System.Collections.Generic;
using System.Threading;

namespace Workbench.Symbolic
{
    /// <summary>
    /// Iterative traversals. Every algorithm that would naturally recurse on depth instead walks the distinct
    /// nodes children-first and keeps results in a dictionary, so a 100,000-deep tree costs memory, not stack,
    /// and shared subtrees are visited once.
    /// </summary>
    public static class ExprWalk
    {
        /// <summary>The distinct nodes of the roots, every node after all of its operands.</summary>
        public static List<Expr> PostOrder(IEnumerable<Expr> roots, CancellationToken cancellation = default)
        {
            var order = new List<Expr>();
            var seen = new HashSet<Expr>(ReferenceComparer.Instance);
            var stack = new Stack<(Expr node, int next)>();
            int tick = 0;
            foreach (var root in roots)
            {
                if (!seen.Add(root)) continue;
                stack.Push((root, 0));
                while (stack.Count > 0)
                {
                    if ((++tick & 0xFFFF) == 0) cancellation.ThrowIfCancellationRequested();
                    var (node, next) = stack.Pop();
                    var args = node.ArgArray;
                    if (next < args.Length)
                    {
                        stack.Push((node, next + 1));
                        var child = args[next];
                        if (seen.Add(child)) stack.Push((child, 0));
                    }
                    else order.Add(node);
                }
            }
            return order;
        }

        public static List<Expr> PostOrder(Expr root, CancellationToken cancellation = default) => PostOrder(new[] { root }, cancellation);

        /// <summary>
        /// Bottom-up fold: <paramref name="combine"/> gets a node and its operands' results. Results are keyed by
        /// node identity so shared subtrees are computed once.
        /// </summary>
        public static T Fold<T>(Expr root, Func<Expr, T[], T> combine, CancellationToken cancellation = default)
        {
            var results = new Dictionary<Expr, T>(ReferenceComparer.Instance);
            foreach (var node in PostOrder(root, cancellation))
            {
                var args = node.ArgArray;
                var vals = new T[args.Length];
                for (int i = 0; i < args.Length; i++) vals[i] = results[args[i]];
                results[node] = combine(node, vals);
            }
            return results[root];
        }

        /// <summary>Every symbol that occurs, in first-seen order.</summary>
        public static List<Symbol> Symbols(Expr root)
        {
            var list = new List<Symbol>();
            var seen = new HashSet<Symbol>();
            foreach (var n in PostOrder(root)) if (n.Kind == ExprKind.Symbol && seen.Add(n.Symbol!)) list.Add(n.Symbol!);
            return list;
        }

        /// <summary>Number of distinct nodes (the size that guards and costs are measured in).</summary>
        public static int Size(Expr root) => PostOrder(root).Count;

        internal sealed class ReferenceComparer : IEqualityComparer<Expr>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();
            public bool Equals(Expr? x, Expr? y) => ReferenceEquals(x, y);
            public int GetHashCode(Expr obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }
}
