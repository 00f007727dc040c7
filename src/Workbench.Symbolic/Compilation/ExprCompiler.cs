using System;
using System.Collections.Generic;
using System.Threading;
using LinqExpr = System.Linq.Expressions.Expression;
using ParamExpr = System.Linq.Expressions.ParameterExpression;

namespace Workbench.Symbolic
{
    /// <summary>
    /// Compiles expressions to delegates via System.Linq.Expressions. Structurally equal subexpressions are
    /// evaluated once into locals, and chains deeper than <see cref="CodePrinter.MaxInlineDepth"/> are split, so
    /// the expression compiler never recurses deeply. Arithmetic is double, in the same order as <see cref="Evaluation.Double(Expr, Func{Symbol, double}, CancellationToken)"/>.
    /// </summary>
    public static class ExprCompiler
    {
        /// <summary>f(values) where values[i] is the value of parameters[i].</summary>
        public static Func<double[], double> Compile(Expr expr, IReadOnlyList<Symbol> parameters, CancellationToken cancellation = default)
        {
            var many = CompileMany(new[] { expr }, parameters, cancellation);
            return values => { var o = new double[1]; many(values, o); return o[0]; };
        }

        /// <summary>(values, outputs) → outputs[k] = exprs[k](values).</summary>
        public static Action<double[], double[]> CompileMany(IReadOnlyList<Expr> exprs, IReadOnlyList<Symbol> parameters, CancellationToken cancellation = default)
        {
            var index = new Dictionary<Symbol, int>();
            for (int i = 0; i < parameters.Count; i++) index[parameters[i]] = i;
            var input = LinqExpr.Parameter(typeof(double[]), "values");
            var output = LinqExpr.Parameter(typeof(double[]), "outputs");
            var order = ExprWalk.PostOrder(exprs, cancellation);

            // Hash-cons by (kind, payload, child ids) so equal subtrees share one local.
            var idOf = new Dictionary<Expr, int>(ExprWalk.ReferenceComparer.Instance);
            var intern = new Dictionary<string, int>();
            var nodes = new List<Expr>(); var kids = new List<int[]>();
            foreach (var n in order)
            {
                var a = n.ArgArray;
                var ch = new int[a.Length];
                for (int i = 0; i < a.Length; i++) ch[i] = idOf[a[i]];
                var key = n.Kind + ":" + (n.Kind == ExprKind.Number ? n.Value.ToString() : n.Kind == ExprKind.Symbol ? n.Symbol!.ToString() + (n.Symbol.IsPositive ? "+" : "") : n.Kind == ExprKind.Function ? n.Function.ToString() : "") + ":" + string.Join(",", ch);
                if (!intern.TryGetValue(key, out var id)) { id = nodes.Count; intern[key] = id; nodes.Add(n); kids.Add(ch); }
                idOf[n] = id;
            }
            var uses = new int[nodes.Count];
            foreach (var ch in kids) foreach (var c in ch) uses[c]++;
            foreach (var e in exprs) uses[idOf[e]]++;

            var code = new LinqExpr[nodes.Count];
            var depth = new int[nodes.Count];
            var locals = new List<ParamExpr>();
            var body = new List<LinqExpr>();
            var exp = typeof(Math).GetMethod(nameof(Math.Exp))!;
            var log = typeof(Math).GetMethod(nameof(Math.Log), new[] { typeof(double) })!;
            var sqrt = typeof(Math).GetMethod(nameof(Math.Sqrt))!;
            var pow = typeof(Math).GetMethod(nameof(Math.Pow))!;
            for (int id = 0; id < nodes.Count; id++)
            {
                var n = nodes[id];
                var ch = kids[id];
                LinqExpr x;
                switch (n.Kind)
                {
                    case ExprKind.Number: x = LinqExpr.Constant(n.Value.ToDouble()); break;
                    case ExprKind.Symbol:
                        if (!index.TryGetValue(n.Symbol!, out var slot)) throw new ArgumentException($"symbol {n.Symbol} is not among the parameters");
                        x = LinqExpr.ArrayIndex(input, LinqExpr.Constant(slot));
                        break;
                    case ExprKind.Add: x = code[ch[0]]; for (int i = 1; i < ch.Length; i++) x = LinqExpr.Add(x, code[ch[i]]); break;
                    case ExprKind.Mul: x = code[ch[0]]; for (int i = 1; i < ch.Length; i++) x = LinqExpr.Multiply(x, code[ch[i]]); break;
                    case ExprKind.Pow:
                    {
                        var e = n.ArgArray[1];
                        if (e.IsNumber && e.Value == BigRational.MinusOne) x = LinqExpr.Divide(LinqExpr.Constant(1.0), code[ch[0]]);
                        else if (e.IsNumber && e.Value == new BigRational(2)) x = LinqExpr.Multiply(code[ch[0]], code[ch[0]]);
                        else if (e.IsNumber && e.Value == new BigRational(1, 2)) x = LinqExpr.Call(sqrt, code[ch[0]]);
                        else x = LinqExpr.Call(pow, code[ch[0]], code[ch[1]]);
                        break;
                    }
                    default:
                        x = LinqExpr.Call(n.Function == FunctionKind.Exp ? exp : n.Function == FunctionKind.Log ? log : sqrt, code[ch[0]]);
                        break;
                }
                int d = 0;
                foreach (var c in ch) d = Math.Max(d, depth[c] + 1);
                bool leaf = n.Kind == ExprKind.Number || n.Kind == ExprKind.Symbol;
                if (!leaf && (uses[id] > 1 || d > CodePrinter.MaxInlineDepth))
                {
                    var v = LinqExpr.Variable(typeof(double), "t" + locals.Count);
                    locals.Add(v);
                    body.Add(LinqExpr.Assign(v, x));
                    x = v; d = 0;
                }
                code[id] = x; depth[id] = d;
            }
            for (int k = 0; k < exprs.Count; k++)
                body.Add(LinqExpr.Assign(LinqExpr.ArrayAccess(output, LinqExpr.Constant(k)), code[idOf[exprs[k]]]));
            body.Add(LinqExpr.Empty());
            var lambda = LinqExpr.Lambda<Action<double[], double[]>>(LinqExpr.Block(locals, body), input, output);
            return lambda.Compile();
        }
    }
}
