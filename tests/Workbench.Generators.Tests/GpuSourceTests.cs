using System.Text.RegularExpressions;
using Workbench.Emit;

namespace Workbench.Generators.Tests;

/// <summary>
/// The CUDA source cannot run here (no GPU; it was compiled with NVRTC by hand, docs/generators.md), so these checks
/// are structural: every kernel is emitted in both sources with the same signature, the CUDA body is the OpenCL body
/// line for line once the dialect tokens are mapped (qualifiers, thread index, infinity, float math names), and the
/// C# file's OpenClSource/CudaSource constants are the emitter's standalone sources.
/// </summary>
public class GpuSourceTests
{
    public static readonly KernelConfig[] Configs =
    [
        new("Gpu3x2Causal", "Gpu", 3, 2, 1, KernelMask.Causal),
        new("Gpu4x2PaddingF", "Gpu", 4, 2, 1, KernelMask.Padding, Element: KernelElement.Float),
        new("Gpu5x1Window", "Gpu", 5, 1, 1, KernelMask.Window, 1, ScoreScale: 0.25),
        new("Gpu4x8None", "Gpu", 4, 8, 1, KernelMask.None, Derivatives: false),
        new("Gpu4x3Heads2", "Gpu", 4, 3, 2, KernelMask.Causal, Element: KernelElement.Float),
    ];

    public static TheoryData<int> Indices() => new() { 0, 1, 2, 3, 4 };

    private static readonly Regex Signature = new(@"^(?:__kernel void|extern ""C"" __global__ void) (\w+)\(([^)]*)\)$", RegexOptions.Multiline);

    private static List<(string Name, string Parameters)> Kernels(string source, bool openCl) =>
        Signature.Matches(source).Select(m => (m.Groups[1].Value, openCl ? m.Groups[2].Value.Replace("__global ", "") : m.Groups[2].Value)).ToList();

    [Theory]
    [MemberData(nameof(Indices))]
    public void Every_kernel_is_in_both_sources_with_the_same_signature(int index)
    {
        var c = Configs[index];
        var p = KernelEmitter.GpuKernelPrefix(c);
        var expected = new List<string> { "patterns_margins", "scores", "softmax" };
        if (c.Derivatives) expected.AddRange(["softmax_jacobian", "output_by_queries", "output_by_keys"]);
        var ocl = Kernels(KernelEmitter.EmitOpenCl(c), openCl: true);
        var cuda = Kernels(KernelEmitter.EmitCuda(c), openCl: false);
        Assert.Equal(expected.Select(e => p + "_" + e), ocl.Select(k => k.Name));
        Assert.Equal(ocl, cuda);
        var t = c.Element == KernelElement.Float ? "float" : "double";
        var mask = c.Mask == KernelMask.Padding ? "const unsigned char* key_mask, " : "";
        Assert.Contains(($"{p}_softmax", $"const {t}* scores, const {t} tau, {t}* weights, const int batch"), cuda);
        if (c.Derivatives)
        {
            Assert.Contains(($"{p}_softmax_jacobian", $"const {t}* scores, const {t} tau, {t}* jac, const int batch"), cuda);
            Assert.Contains(($"{p}_output_by_queries", $"const {t}* q, const {t}* k, const {t}* v, {mask}const {t} tau, {t}* result, const int batch"), cuda);
            Assert.Contains(($"{p}_output_by_keys", $"const {t}* q, const {t}* k, const {t}* v, {mask}const {t} tau, {t}* result, const int batch"), cuda);
        }
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void The_CUDA_body_is_the_OpenCL_body_with_dialect_tokens_mapped(int index)
    {
        var c = Configs[index];
        bool single = c.Element == KernelElement.Float;
        var ocl = KernelEmitter.EmitOpenCl(c).Split('\n').Where(l => !l.StartsWith("#pragma", StringComparison.Ordinal)).Skip(1).ToArray();
        var cuda = KernelEmitter.EmitCuda(c).Split('\n').Skip(2).ToArray(); // the description and the -fmad=false line
        string Map(string line) => line
            .Replace("__kernel void", "extern \"C\" __global__ void")
            .Replace("__global ", "")
            .Replace("get_global_id(0)", "blockIdx.x * blockDim.x + threadIdx.x")
            .Replace("(double)INFINITY", "__longlong_as_double(0x7ff0000000000000LL)")
            .Replace("INFINITY", "__int_as_float(0x7f800000)")
            .Replace("(double)NAN", "__longlong_as_double(0x7ff8000000000000LL)")
            .Replace("NAN", "__int_as_float(0x7fc00000)")
            .Replace("exp(", single ? "expf(" : "exp(")
            .Replace("fmax(", single ? "fmaxf(" : "fmax(");
        Assert.Equal(ocl.Length, cuda.Length);
        for (int l = 0; l < ocl.Length; l++) Assert.Equal(Map(ocl[l]), cuda[l]);
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void The_generated_constants_are_the_standalone_sources(int index)
    {
        var c = Configs[index];
        var cs = KernelEmitter.EmitCSharp(c);
        Assert.Contains("public const string OpenClSource = @\"" + KernelEmitter.EmitOpenCl(c).Replace("\"", "\"\"") + "\";", cs);
        Assert.Contains("public const string CudaSource = @\"" + KernelEmitter.EmitCuda(c).Replace("\"", "\"\"") + "\";", cs);
    }
}
