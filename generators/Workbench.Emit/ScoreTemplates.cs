using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Workbench.Symbolic;

namespace Workbench.Emit
{
    /// <summary>
    /// The score S_ij = scale · Σ_a q_ia k_ja of one configuration, printed by the symbolic core once per (i, j) with
    /// placeholder names and instantiated for each place that needs it (the C# vector rows, the scalar tail, the
    /// OpenCL and CUDA kernels), which differ only in how q, k and the scale are named. The printed text of a
    /// product-sum has no literal, function or declaration, so it is the same in every dialect; a score whose
    /// printing needed temporaries (never the case today) is reported as null and printed at the site instead.
    /// </summary>
    internal sealed class ScoreTemplates
    {
        private const char Open = '\u27e6', Close = '\u27e7'; // ⟦ ⟧: never produced by the printer
        private readonly int _n, _d;
        private readonly CodePrecision _precision;
        private readonly Dictionary<long, string?> _printed = new Dictionary<long, string?>();

        public ScoreTemplates(KernelConfig c)
        {
            _n = c.Tokens;
            _d = c.HeadDim;
            _precision = c.Element == KernelElement.Float ? CodePrecision.Float : CodePrecision.Double;
        }

        private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// The statement "target = …;" for S_ij with q and k entry e (= row·d_h + a) named by <paramref name="q"/> and
        /// <paramref name="k"/> and the scale by <paramref name="scale"/>; null when the score needs more than one statement.
        /// </summary>
        public string? Statement(int i, int j, string target, Func<int, string> q, Func<int, string> k, string scale)
        {
            var key = (long)i * _n + j;
            if (!_printed.TryGetValue(key, out var template))
            {
                Func<Symbol, string> name = s =>
                    s.Name == "q" ? $"{Open}q{I(s.Indices[0] * _d + s.Indices[1])}{Close}"
                    : s.Name == "k" ? $"{Open}k{I(s.Indices[0] * _d + s.Indices[1])}{Close}"
                    : $"{Open}s{Close}";
                var lines = CodePrinter.Statements(new List<(string, Expr)> { ($"{Open}T{Close}", KernelExpressions.Score(i, j, _d)) }, CodeDialect.CSharp, name, _precision, "u");
                template = lines.Count == 1 ? lines[0] : null;
                _printed[key] = template;
            }
            if (template is null) return null;
            var sb = new StringBuilder(template.Length * 2);
            for (int p = 0; p < template.Length; p++)
            {
                if (template[p] != Open) { sb.Append(template[p]); continue; }
                int end = template.IndexOf(Close, p);
                var tag = template.Substring(p + 1, end - p - 1);
                if (tag == "T") sb.Append(target);
                else if (tag == "s") sb.Append(scale);
                else if (tag[0] == 'q') sb.Append(q(int.Parse(tag.Substring(1), CultureInfo.InvariantCulture)));
                else sb.Append(k(int.Parse(tag.Substring(1), CultureInfo.InvariantCulture)));
                p = end;
            }
            return sb.ToString();
        }
    }
}
