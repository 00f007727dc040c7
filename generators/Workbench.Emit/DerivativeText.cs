using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Workbench.Symbolic;

namespace Workbench.Emit
{
    /// <summary>
    /// The printed statements of the derivative kernels (softmax Jacobian, Y = A·V, G, ∂Y/∂Q, ∂Y/∂K) of one
    /// configuration, printed once in the scalar names of the C# kernels (q[12], weights[3], y[1], g[7], jac[5],
    /// result[40], ScoreScale, tau) and shared by every target: the C# writer prints them as they are, the GPU
    /// writer rewrites the global arrays (q, k, v, jac, result) to their structure-of-arrays entry
    /// (<see cref="ToSoa"/>) and keeps weights, y and g as private arrays. The statements contain only +, −, ×, ÷
    /// and literals that are valid C# and C alike, so the OpenCL and CUDA kernels carry the C# operation order.
    /// </summary>
    internal sealed class DerivativeText
    {
        private readonly KernelConfig _c;
        private readonly int _n, _d;
        private readonly CodePrecision _precision;

        public List<string> Jacobian { get; } = new List<string>();
        public List<string> Y { get; private set; } = new List<string>();
        public List<string> G { get; private set; } = new List<string>();
        public List<string> ByQueries { get; } = new List<string>();
        public List<string> ByKeys { get; } = new List<string>();

        public DerivativeText(KernelConfig c)
        {
            _c = c;
            _n = c.Tokens;
            _d = c.HeadDim;
            _precision = c.Element == KernelElement.Float ? CodePrecision.Float : CodePrecision.Double;
            BuildJacobian();
            BuildOutputs();
        }

        private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

        public string ScalarName(Symbol s)
        {
            var x = s.Indices;
            switch (s.Name)
            {
                case "q": return $"q[{I(x[0] * _d + x[1])}]";
                case "k": return $"k[{I(x[0] * _d + x[1])}]";
                case "v": return $"v[{I(x[0] * _d + x[1])}]";
                case "s": return $"scores[{I(x[0] * _n + x[1])}]";
                case "m": return $"m{I(x[0])}";
                case "J": return $"jac[{I((x[0] * _n + x[1]) * _n + x[2])}]";
                case "G": return $"g[{I((x[0] * _d + x[1]) * _n + x[2])}]";
                case "a": return $"weights[{I(x[0] * _n + x[1])}]";
                case "y": return $"y[{I(x[0] * _d + x[1])}]";
                case "scale": return "ScoreScale";
                case "tau": return "tau";
                default: throw new InvalidOperationException("unknown kernel symbol " + s);
            }
        }

        private List<string> Print(List<(string, Expr)> outputs, string tempPrefix = "t") =>
            CodePrinter.Statements(outputs, CodeDialect.CSharp, ScalarName, _precision, tempPrefix);

        /// <summary>
        /// Prints <paramref name="shape"/> once (placeholders "@0@", "@1@", ... for its symbols, in <paramref name="order"/>)
        /// and instantiates the printed statement per entry by substituting names: the same text CodePrinter gives
        /// each entry, without n³ CSE passes. Null when the printed shape is not a single statement.
        /// </summary>
        private string? Template(Expr shape, IReadOnlyList<Symbol> order)
        {
            string Name(Symbol s)
            {
                for (int t = 0; t < order.Count; t++) if (order[t].Equals(s)) return "@" + I(t) + "@";
                return ScalarName(s);
            }
            var lines = CodePrinter.Statements(new List<(string, Expr)> { ("@T@", shape) }, CodeDialect.CSharp, Name, _precision);
            return lines.Count == 1 ? lines[0] : null;
        }

        private static string Instantiate(string template, string target, params string[] names)
        {
            var sb = new StringBuilder(template).Replace("@T@", target);
            for (int t = 0; t < names.Length; t++) sb.Replace("@" + I(t) + "@", names[t]);
            return sb.ToString();
        }

        private void BuildJacobian()
        {
            // Every entry has one of two shapes (j = l, j ≠ l): print each shape once and instantiate it.
            var diag = Template(KernelExpressions.SoftmaxJacobianEntry(0, 0, 0), new[] { KernelExpressions.A(0, 0) });
            var off = Template(KernelExpressions.SoftmaxJacobianEntry(0, 0, 1), new[] { KernelExpressions.A(0, 0), KernelExpressions.A(0, 1) });
            var outputs = new List<(string, Expr)>();
            for (int i = 0; i < _n; i++)
            {
                var keys = _c.Keys(i);
                KernelExpressions.ProveSoftmaxJacobian(keys.Count);
                foreach (var j in keys)
                    foreach (var l in keys)
                    {
                        var target = $"jac[{I((i * _n + j) * _n + l)}]";
                        var shape = j == l ? diag : off;
                        if (shape is null) outputs.Add((target, KernelExpressions.SoftmaxJacobianEntry(i, j, l)));
                        else Jacobian.Add(Instantiate(shape, target, ScalarName(KernelExpressions.A(i, j)), ScalarName(KernelExpressions.A(i, l))));
                    }
            }
            if (outputs.Count > 0) Jacobian.AddRange(Print(outputs));
        }

        private void BuildOutputs()
        {
            int cols = _n * _d;
            KernelExpressions.ProveScoreDerivatives(_d);
            // y and g are the same for both entry points: build and print them once.
            var ys = new List<(string, Expr)>();
            var gs = new List<(string, Expr)>();
            for (int i = 0; i < _n; i++)
            {
                KernelExpressions.ProveContraction(_c.Keys(i).Count);
                for (int ch = 0; ch < _d; ch++)
                {
                    ys.Add(($"y[{I(i * _d + ch)}]", KernelExpressions.Output(_c, i, ch)));
                    foreach (var l in _c.Keys(i))
                        gs.Add(($"g[{I((i * _d + ch) * _n + l)}]", KernelExpressions.ContractedJacobian(i, ch, l)));
                }
            }
            Y = Print(ys, "ty");
            var gShape = Template(KernelExpressions.ContractedJacobian(0, 0, 0), new[] { KernelExpressions.A(0, 0), KernelExpressions.V(0, 0), KernelExpressions.Y(0, 0) });
            if (gShape is null) G = Print(gs, "tg");
            else
                for (int i = 0; i < _n; i++)
                    for (int ch = 0; ch < _d; ch++)
                        foreach (var l in _c.Keys(i))
                            G.Add(Instantiate(gShape, $"g[{I((i * _d + ch) * _n + l)}]", ScalarName(KernelExpressions.A(i, l)), ScalarName(KernelExpressions.V(l, ch)), ScalarName(KernelExpressions.Y(i, ch))));

            var byQueries = new List<(string, Expr)>();
            var byKeys = new List<(string, Expr)>();
            var keyShape = Template(KernelExpressions.OutputByKey(_c, 0, 0, 0, 0), new[] { KernelExpressions.G(0, 0, 0), KernelExpressions.Q(0, 0) });
            for (int i = 0; i < _n; i++)
                for (int ch = 0; ch < _d; ch++)
                {
                    int row = (i * _d + ch) * cols;
                    foreach (var l in _c.Keys(i))
                        for (int b = 0; b < _d; b++)
                            if (keyShape is null) byKeys.Add(($"result[{I(row + l * _d + b)}]", KernelExpressions.OutputByKey(_c, i, ch, l, b)));
                            else ByKeys.Add(Instantiate(keyShape, $"result[{I(row + l * _d + b)}]", ScalarName(KernelExpressions.G(i, ch, l)), ScalarName(KernelExpressions.Q(i, b))));
                    for (int b = 0; b < _d; b++)
                        byQueries.Add(($"result[{I(row + i * _d + b)}]", KernelExpressions.OutputByQuery(_c, i, ch, b)));
                }
            if (byKeys.Count > 0) ByKeys.AddRange(Print(byKeys));
            ByQueries.AddRange(Print(byQueries));
        }

        private Soa? _soa;

        /// <summary>The statements with the global arrays at their structure-of-arrays entries, rewritten once and shared by the OpenCL and CUDA sources.</summary>
        public Soa SoaText => _soa ??= new Soa(this);

        internal sealed class Soa
        {
            public List<string> Jacobian { get; }
            public List<string> Y { get; }
            public List<string> G { get; }
            public List<string> ByQueries { get; }
            public List<string> ByKeys { get; }

            public Soa(DerivativeText t)
            {
                Jacobian = t.Jacobian.ConvertAll(l => ToSoa(l, "jac"));
                Y = t.Y.ConvertAll(l => ToSoa(l, "v"));
                G = t.G.ConvertAll(l => ToSoa(l, "v"));
                ByQueries = t.ByQueries.ConvertAll(l => ToSoa(l, "q", "k", "v", "result"));
                ByKeys = t.ByKeys.ConvertAll(l => ToSoa(l, "q", "k", "v", "result"));
            }
        }

        /// <summary>
        /// Rewrites every entry name[N] of the listed arrays to name[N * batch + b] (the structure-of-arrays entry of
        /// sample b); other names (private arrays, temporaries, tau, ScoreScale) are left as they are.
        /// </summary>
        public static string ToSoa(string line, params string[] arrays)
        {
            var sb = new StringBuilder(line.Length + 32);
            int p = 0;
            while (p < line.Length)
            {
                char ch = line[p];
                if (char.IsLetter(ch) || ch == '_')
                {
                    int start = p;
                    while (p < line.Length && (char.IsLetterOrDigit(line[p]) || line[p] == '_')) p++;
                    var word = line.Substring(start, p - start);
                    sb.Append(word);
                    if (p < line.Length && line[p] == '[' && Array.IndexOf(arrays, word) >= 0)
                    {
                        int close = line.IndexOf(']', p);
                        sb.Append(line, p, close - p).Append(" * batch + b]");
                        p = close + 1;
                    }
                    continue;
                }
                sb.Append(ch);
                p++;
            }
            return sb.ToString();
        }
    }
}
