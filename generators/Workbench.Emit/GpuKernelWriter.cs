using System;
using System.Collections.Generic;
using System.Globalization;
using Workbench.Symbolic;

namespace Workbench.Emit
{
    /// <summary>
    /// OpenCL C 1.2 and CUDA C sources of the pattern-and-margins, scores, softmax and (with derivatives) softmax
    /// Jacobian, ∂Y/∂Q and ∂Y/∂K kernels: one thread per sample, the structure-of-arrays layout of the C# batch entry
    /// point, the C# kernels' operation order and no implicit fma. The two sources differ only in the qualifiers,
    /// the thread index, the infinity literal and the float math names (expf, fmaxf in CUDA).
    /// </summary>
    internal sealed class GpuKernelWriter
    {
        private readonly KernelConfig _c;
        private readonly bool _cuda;
        private readonly int _n, _d;
        private readonly string _t;

        private readonly DerivativeText? _derivatives;
        private readonly ScoreTemplates _scores;
        private readonly CodeDialect _dialect;
        private readonly CodePrecision _precision;
        private readonly string _g, _kernel, _mask, _inf, _nan, _exp, _max;
        private readonly bool _padding;

        /// <param name="derivatives">The derivative statements already printed for the C# kernels (the same text is
        /// reused); null to print them here (when the configuration has derivatives).</param>
        /// <param name="scores">The score statements already printed for the C# kernels; null to print them here.</param>
        public GpuKernelWriter(KernelConfig c, bool cuda, DerivativeText? derivatives = null, ScoreTemplates? scores = null)
        {
            _scores = scores ?? new ScoreTemplates(c);
            _c = c;
            _cuda = cuda;
            _n = c.Tokens;
            _d = c.HeadDim;
            bool single = c.Element == KernelElement.Float;
            _t = single ? "float" : "double";
            _derivatives = c.Derivatives ? derivatives ?? new DerivativeText(c) : null;
            _dialect = cuda ? CodeDialect.Cuda : CodeDialect.OpenCL;
            _precision = single ? CodePrecision.Float : CodePrecision.Double;
            _padding = c.Mask == KernelMask.Padding;
            _g = cuda ? "" : "__global ";
            _kernel = cuda ? "extern \"C\" __global__ void" : "__kernel void";
            _mask = _padding ? $", {_g}const unsigned char* key_mask" : "";
            _inf = single ? (cuda ? "__int_as_float(0x7f800000)" : "INFINITY") : (cuda ? "__longlong_as_double(0x7ff0000000000000LL)" : "(double)INFINITY");
            _nan = single ? (cuda ? "__int_as_float(0x7fc00000)" : "NAN") : (cuda ? "__longlong_as_double(0x7ff8000000000000LL)" : "(double)NAN");
            // OpenCL's exp and fmax are overloaded on float and double; CUDA C names the float ones expf and fmaxf.
            _exp = cuda && single ? "expf" : "exp";
            _max = cuda && single ? "fmaxf" : "fmax";
        }

        private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

        /// <summary>The kernel names: {prefix}_patterns_margins, _scores, _softmax and (with derivatives) _softmax_jacobian, _output_by_queries, _output_by_keys.</summary>
        public static string Prefix(KernelConfig c) => "wb_" + c.TypeName.ToLowerInvariant();

        /// <summary>The score S_ij as statements assigning the target "@T@", q and k read at sample b of the SoA inputs.</summary>
        private string ScoreText(int i, int j)
        {
            string scale = Literal(_c.Scale);
            Func<Symbol, string> name = s =>
            {
                var x = s.Indices;
                if (s.Name == "q") return $"q[{I(x[0] * _d + x[1])} * batch + b]";
                if (s.Name == "k") return $"k[{I(x[0] * _d + x[1])} * batch + b]";
                return scale;
            };
            return _scores.Statement(i, j, "@T@", e => $"q[{I(e)} * batch + b]", e => $"k[{I(e)} * batch + b]", scale)
                ?? string.Join(" ", CodePrinter.Statements(new List<(string, Expr)> { ("@T@", KernelExpressions.Score(i, j, _d)) }, _dialect, name, _precision, "u"));
        }

        private void Head(SourceWriter w, string signature)
        {
            w.Open($"{_kernel} {signature}");
            w.Line($"const int b = (int)({(_cuda ? "blockIdx.x * blockDim.x + threadIdx.x" : "get_global_id(0)")});");
            w.Line("if (b >= batch) return;");
        }

        public string Write()
        {
            var w = new SourceWriter();
            string p = Prefix(_c);
            w.Line("// Workbench.Emit: " + _c.Describe() + ". Structure of arrays: entry (i, a) of sample b at [(i*d_h + a)*batch + b].");
            if (_cuda)
            {
                w.Line("// Compile with -fmad=false: the operation order is fixed and no fma is implied.");
            }
            else
            {
                w.Line("#pragma OPENCL FP_CONTRACT OFF");
                if (_c.Element == KernelElement.Double) w.Line("#pragma OPENCL EXTENSION cl_khr_fp64 : enable");
            }
            // Each score is printed once and placed in every kernel that needs it.
            var scores = new Dictionary<long, string>();
            for (int i = 0; i < _n; i++)
                foreach (var j in _c.Keys(i)) scores[(long)i * _n + j] = ScoreText(i, j);

            Head(w, $"{p}_patterns_margins({_g}const {_t}* q, {_g}const {_t}* k{_mask}, {_g}int* pattern, {_g}{_t}* margins, const int batch)");
            for (int i = 0; i < _n; i++)
            {
                w.Open("");
                w.Line($"{_t} top1 = -{_inf}, top2 = -{_inf};");
                // With a padding mask a row can lose every key: no GPU exception, so pattern −1 and margin NaN say so.
                w.Line(_padding ? "int arg = -1;" : "int arg = 0;");
                foreach (var j in _c.Keys(i))
                {
                    var open = _padding ? $"if (key_mask[{I(j)}]) {{ " : "{ ";
                    w.Line($"{open}{_t} x; {scores[(long)i * _n + j].Replace("@T@", "x")}");
                    w.Line($"  const int gt = x > top1; top2 = gt ? top1 : (x > top2 ? x : top2); top1 = gt ? x : top1; arg = gt ? {I(j)} : arg; }}");
                }
                w.Line(_padding
                    ? $"margins[{I(i)} * batch + b] = (arg < 0) ? {_nan} : (top2 == -{_inf}) ? {_inf} : top1 - top2;"
                    : $"margins[{I(i)} * batch + b] = (top2 == -{_inf}) ? {_inf} : top1 - top2;");
                w.Line($"pattern[{I(i)} * batch + b] = arg;");
                w.Close();
            }
            w.Close();
            w.Line();
            Head(w, $"{p}_scores({_g}const {_t}* q, {_g}const {_t}* k{_mask}, {_g}{_t}* scores, const int batch)");
            ScoreLines(w, scores, e => $"scores[{I(e)} * batch + b]");
            w.Close();
            w.Line();
            w.Line("// softmax(S/tau) row by row, shifted by the row maximum (the C# Softmax's operations); masked weights are 0.");
            Head(w, $"{p}_softmax({_g}const {_t}* scores, const {_t} tau, {_g}{_t}* weights, const int batch)");
            SoftmaxLines(w, e => $"scores[{I(e)} * batch + b]", e => $"weights[{I(e)} * batch + b]", zeroMasked: true);
            w.Close();
            if (_derivatives is not null) Derivatives(w, p, scores);
            return w.ToString();
        }

        private void ScoreLines(SourceWriter w, Dictionary<long, string> scores, Func<int, string> target)
        {
            for (int i = 0; i < _n; i++)
                for (int j = 0; j < _n; j++)
                {
                    string t = target(i * _n + j);
                    if (!_c.Admits(i, j)) { w.Line($"{t} = -{_inf};"); continue; }
                    var guard = _padding ? $"if (!key_mask[{I(j)}]) {t} = -{_inf}; else " : "";
                    w.Line($"{guard}{{ {scores[(long)i * _n + j].Replace("@T@", t)} }}");
                }
        }

        /// <summary>The C# Softmax's statements (row maximum, exp((s − m)/τ), the sum in increasing j, e/sum) between the given accessors.</summary>
        private void SoftmaxLines(SourceWriter w, Func<int, string> src, Func<int, string> dst, bool zeroMasked)
        {
            for (int i = 0; i < _n; i++)
            {
                var keys = _c.Keys(i);
                w.Open("");
                w.Line($"{_t} m{I(i)} = {src(i * _n + keys[0])};");
                for (int t = 1; t < keys.Count; t++) w.Line($"m{I(i)} = {_max}(m{I(i)}, {src(i * _n + keys[t])});");
                var sum = new List<string>();
                foreach (var j in keys)
                {
                    w.Line($"const {_t} e{I(j)} = {_exp}(({src(i * _n + j)} - m{I(i)}) / tau);");
                    sum.Add("e" + I(j));
                }
                w.Line($"const {_t} sum = {string.Join(" + ", sum)};");
                for (int j = 0; j < _n; j++)
                    if (_c.Admits(i, j)) w.Line($"{dst(i * _n + j)} = e{I(j)} / sum;");
                    else if (zeroMasked) w.Line($"{dst(i * _n + j)} = ({_t})0;");
                w.Close();
            }
        }

        /// <summary>
        /// The softmax Jacobian and ∂Y/∂Q, ∂Y/∂K kernels: one thread per sample; scores, weights, y and g live in
        /// private arrays; the statements are the C# kernels' (<see cref="DerivativeText"/>), with the global arrays
        /// rewritten to their structure-of-arrays entries. Outputs are zeroed first (the C# kernels clear them).
        /// </summary>
        private void Derivatives(SourceWriter w, string p, Dictionary<long, string> scores)
        {
            var text = _derivatives!.SoaText;
            int nn = _n * _n, nd = _n * _d;
            w.Line();
            w.Line("// dA_ij/dS_il = A_ij (delta_jl - A_il) / tau, laid out [i, j, l]; jac[((i*n + j)*n + l)*batch + b].");
            Head(w, $"{p}_softmax_jacobian({_g}const {_t}* scores, const {_t} tau, {_g}{_t}* jac, const int batch)");
            w.Line($"{_t} weights[{I(nn)}];");
            SoftmaxLines(w, e => $"scores[{I(e)} * batch + b]", e => $"weights[{I(e)}]", zeroMasked: false);
            w.Line($"for (int t = 0; t < {I(nn * _n)}; t++) jac[t * batch + b] = ({_t})0;");
            w.Lines(text.Jacobian);
            w.Close();
            foreach (var byKeys in new[] { false, true })
            {
                w.Line();
                w.Line(byKeys
                    ? "// d vec(Y)/d vec(K) for Y = softmax(S/tau) V, V fixed; result[(row*(n*d_h) + col)*batch + b]."
                    : "// d vec(Y)/d vec(Q) for Y = softmax(S/tau) V, V fixed; result[(row*(n*d_h) + col)*batch + b].");
                Head(w, $"{p}_{(byKeys ? "output_by_keys" : "output_by_queries")}({_g}const {_t}* q, {_g}const {_t}* k, {_g}const {_t}* v{_mask}, const {_t} tau, {_g}{_t}* result, const int batch)");
                w.Line($"const {_t} ScoreScale = {Literal(_c.Scale)};");
                w.Line($"{_t} scores[{I(nn)}];");
                ScoreLines(w, scores, e => $"scores[{I(e)}]");
                w.Line($"{_t} weights[{I(nn)}];");
                SoftmaxLines(w, e => $"scores[{I(e)}]", e => $"weights[{I(e)}]", zeroMasked: false);
                w.Line($"{_t} y[{I(nd)}];");
                w.Lines(text.Y);
                w.Line($"{_t} g[{I(nd * _n)}];");
                w.Lines(text.G);
                w.Line($"for (int t = 0; t < {I(nd * nd)}; t++) result[t * batch + b] = ({_t})0;");
                w.Lines(byKeys ? text.ByKeys : text.ByQueries);
                w.Close();
            }
        }

        private string Literal(double v)
        {
            if (_c.Element == KernelElement.Float)
            {
                var s = ((float)v).ToString("R", CultureInfo.InvariantCulture);
                if (s.IndexOf('.') < 0 && s.IndexOf('E') < 0) s += ".0";
                return s + "f";
            }
            var d = v.ToString("R", CultureInfo.InvariantCulture);
            return d.IndexOf('.') < 0 && d.IndexOf('E') < 0 ? d + ".0" : d;
        }
    }
}
