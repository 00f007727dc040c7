using System;
using System.Collections.Generic;
using System.Globalization;
using Workbench.Symbolic;

namespace Workbench.Emit
{
    /// <summary>
    /// OpenCL C 1.2 and CUDA C sources of the pattern-and-margins and scores kernels: one thread per sample, the
    /// structure-of-arrays layout of the C# batch entry point, one fixed operation order and no implicit fma.
    /// </summary>
    internal sealed class GpuKernelWriter
    {
        private readonly KernelConfig _c;
        private readonly bool _cuda;
        private readonly int _n, _d;
        private readonly string _t;

        public GpuKernelWriter(KernelConfig c, bool cuda)
        {
            _c = c;
            _cuda = cuda;
            _n = c.Tokens;
            _d = c.HeadDim;
            _t = c.Element == KernelElement.Float ? "float" : "double";
        }

        private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

        /// <summary>The kernel names: {prefix}_patterns_margins and {prefix}_scores.</summary>
        public static string Prefix(KernelConfig c) => "wb_" + c.TypeName.ToLowerInvariant();

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
            string kernel = _cuda ? "extern \"C\" __global__ void" : "__kernel void";
            string g = _cuda ? "" : "__global ";
            string mask = _c.Mask == KernelMask.Padding ? $", {g}const unsigned char* key_mask" : "";
            string tid = _cuda ? "blockIdx.x * blockDim.x + threadIdx.x" : "get_global_id(0)";
            string inf = _c.Element == KernelElement.Float ? (_cuda ? "__int_as_float(0x7f800000)" : "INFINITY") : (_cuda ? "__longlong_as_double(0x7ff0000000000000LL)" : "(double)INFINITY");
            var dialect = _cuda ? CodeDialect.Cuda : CodeDialect.OpenCL;
            var precision = _c.Element == KernelElement.Float ? CodePrecision.Float : CodePrecision.Double;
            string scale = Literal(_c.Scale);
            Func<Symbol, string> name = s =>
            {
                var x = s.Indices;
                if (s.Name == "q") return $"q[{I(x[0] * _d + x[1])} * batch + b]";
                if (s.Name == "k") return $"k[{I(x[0] * _d + x[1])} * batch + b]";
                return scale;
            };

            w.Open($"{kernel} {p}_patterns_margins({g}const {_t}* q, {g}const {_t}* k{mask}, {g}int* pattern, {g}{_t}* margins, const int batch)");
            w.Line($"const int b = (int)({tid});");
            w.Line("if (b >= batch) return;");
            for (int i = 0; i < _n; i++)
            {
                w.Open("");
                w.Line($"{_t} top1 = -{inf}, top2 = -{inf};");
                w.Line("int arg = 0;");
                foreach (var j in _c.Keys(i))
                {
                    var stmts = CodePrinter.Statements(new List<(string, Expr)> { ("x", KernelExpressions.Score(i, j, _d)) }, dialect, name, precision, "u");
                    var open = _c.Mask == KernelMask.Padding ? $"if (key_mask[{I(j)}]) {{ " : "{ ";
                    w.Line($"{open}{_t} x; {string.Join(" ", stmts)}");
                    w.Line($"  const int gt = x > top1; top2 = gt ? top1 : (x > top2 ? x : top2); top1 = gt ? x : top1; arg = gt ? {I(j)} : arg; }}");
                }
                w.Line($"margins[{I(i)} * batch + b] = (top2 == -{inf}) ? {inf} : top1 - top2;");
                w.Line($"pattern[{I(i)} * batch + b] = arg;");
                w.Close();
            }
            w.Close();
            w.Line();
            w.Open($"{kernel} {p}_scores({g}const {_t}* q, {g}const {_t}* k{mask}, {g}{_t}* scores, const int batch)");
            w.Line($"const int b = (int)({tid});");
            w.Line("if (b >= batch) return;");
            for (int i = 0; i < _n; i++)
                for (int j = 0; j < _n; j++)
                {
                    string target = $"scores[{I(i * _n + j)} * batch + b]";
                    if (!_c.Admits(i, j)) { w.Line($"{target} = -{inf};"); continue; }
                    var stmts = CodePrinter.Statements(new List<(string, Expr)> { (target, KernelExpressions.Score(i, j, _d)) }, dialect, name, precision, "u");
                    var guard = _c.Mask == KernelMask.Padding ? $"if (!key_mask[{I(j)}]) {target} = -{inf}; else " : "";
                    w.Line($"{guard}{{ {string.Join(" ", stmts)} }}");
                }
            w.Close();
            return w.ToString();
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
