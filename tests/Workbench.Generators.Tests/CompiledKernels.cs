using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Workbench.Emit;

namespace Workbench.Generators.Tests;

/// <summary>
/// Declares many configurations in one in-memory project, runs the generator once, compiles once and loads the
/// result; array-based harness wrappers make the span-based kernels callable by reflection.
/// </summary>
public sealed class CompiledKernels
{
    public Assembly Assembly { get; }
    public IReadOnlyList<KernelConfig> Configs { get; }

    public CompiledKernels(IReadOnlyList<KernelConfig> configs)
    {
        Configs = configs;
        var declarations = new StringBuilder("using Workbench.Kernels.Generated;\nnamespace Grid;\n");
        var harness = new StringBuilder("namespace Grid;\n");
        foreach (var c in configs)
        {
            var mask = c.Mask switch { KernelMask.Causal => "Causal", KernelMask.Window => "Window", KernelMask.Padding => "Padding", _ => "None" };
            var window = c.Mask == KernelMask.Window ? $", Window = {c.Window}" : "";
            var element = (c.Element == KernelElement.Float ? ", Element = KernelElement.Float" : "") + (c.Derivatives ? "" : ", Derivatives = false");
            declarations.Append($"[AttentionKernel(Tokens = {c.Tokens}, HeadDim = {c.HeadDim}, Mask = KernelMask.{mask}{window}{element})]\npublic static partial class {c.TypeName};\n");
            var t = c.Element == KernelElement.Float ? "float" : "double";
            var m = c.Mask == KernelMask.Padding ? "mask, " : "";
            var x = c.TypeName;
            harness.Append($$"""
                public static class {{x}}_Harness
                {
                    public static void Scores({{t}}[] q, {{t}}[] k, bool[] mask, {{t}}[] s) => {{x}}.Scores(q, k, {{m}}s);
                    public static void Softmax({{t}}[] s, {{t}} tau, {{t}}[] a) => {{x}}.Softmax(s, tau, a);
                    public static void Patterns({{t}}[] q, {{t}}[] k, bool[] mask, int[] p, {{t}}[] margins) => {{x}}.PatternAndMargins(q, k, {{m}}p, margins);
                    {{(c.Derivatives ? $"public static void Jacobian({t}[] s, {t} tau, {t}[] j) => {x}.SoftmaxJacobian(s, tau, j);" : "")}}
                    {{(c.Derivatives ? $"public static void ByQueries({t}[] q, {t}[] k, {t}[] v, bool[] mask, {t} tau, {t}[] r) => {x}.OutputByQueries(q, k, v, {m}tau, r);" : "")}}
                    {{(c.Derivatives ? $"public static void ByKeys({t}[] q, {t}[] k, {t}[] v, bool[] mask, {t} tau, {t}[] r) => {x}.OutputByKeys(q, k, v, {m}tau, r);" : "")}}
                    public static void Batch({{t}}[] q, {{t}}[] k, bool[] mask, int[] p, {{t}}[] margins) => {{x}}.PatternsAndMarginsBatch(q, k, {{m}}p, margins);
                    public static void BatchWidth({{t}}[] q, {{t}}[] k, bool[] mask, int[] p, {{t}}[] margins, int bits) => {{x}}.PatternsAndMarginsBatch(q, k, {{m}}p, margins, bits);
                    public static int BatchVectorBits() => {{x}}.BatchVectorBits;
                    public static ulong Code(int[] p) => {{x}}.PatternCode(p);
                    public static ulong MixedRadix(int[] p) => {{x}}.MixedRadixCode(p);
                    public static string PatternSetSize() => {{x}}.PatternSetSize.ToString();
                }

                """);
        }
        var (output, diagnostics, _) = GeneratorHarness.Run(declarations.ToString(), harness.ToString());
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Concat(GeneratorHarness.CompileErrors(output)).ToList();
        if (errors.Count > 0) throw new InvalidOperationException("generated kernels do not compile:\n" + string.Join("\n", errors.Take(10)));
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        if (!emitted.Success) throw new InvalidOperationException(string.Join("\n", emitted.Diagnostics.Take(10)));
        Assembly = Assembly.Load(stream.ToArray());
    }

    public object? Call(KernelConfig c, string method, params object?[] args)
    {
        var type = Assembly.GetType($"Grid.{c.TypeName}_Harness", throwOnError: true)!;
        try { return type.GetMethod(method)!.Invoke(null, args); }
        catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
    }
}
