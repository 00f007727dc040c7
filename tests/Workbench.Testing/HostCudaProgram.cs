using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Workbench.Testing;

/// <summary>
/// Runs the kernels of a CUDA C source on the host, one thread after another, the way <c>OpenClProgram</c> runs
/// OpenCL C on a device: compiled once by g++ with <see cref="HostCudaCheck.Shim"/> (each CUDA intrinsic mapped to the
/// IEEE operation CUDA documents for it) and <c>-ffp-contract=off</c> (x86-64 SSE arithmetic, no excess precision).
/// Every <c>extern "C" __global__</c> kernel is callable by name; pointer arguments are arrays (double, float, int,
/// ulong, byte) copied in and, unless <c>const</c>, copied back; scalars (double, float, int, uint, ulong) are passed
/// bit-exactly. This checks the CUDA text's
/// operations without a GPU; NVRTC's own code generation still needs one.
/// </summary>
public sealed partial class HostCudaProgram : IDisposable
{
    private readonly string _dir;
    private readonly Dictionary<string, List<(string Type, bool Pointer, bool Const)>> _kernels = new();

    [GeneratedRegex(@"^extern ""C"" __global__ void (\w+)\(([^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex Signature();

    public HostCudaProgram(string cudaSource)
    {
        foreach (Match m in Signature().Matches(cudaSource))
        {
            var parameters = new List<(string, bool, bool)>();
            foreach (var raw in m.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries))
            {
                var isConst = raw.StartsWith("const ", StringComparison.Ordinal);
                var decl = isConst ? raw[6..] : raw;
                var pointer = decl.Contains('*');
                var type = decl[..(pointer ? decl.IndexOf('*') : decl.LastIndexOf(' '))].Trim();
                parameters.Add((type, pointer, isConst));
            }
            _kernels[m.Groups[1].Value] = parameters;
        }
        if (_kernels.Count == 0) throw new ArgumentException("no extern \"C\" __global__ kernel in the source", nameof(cudaSource));
        _dir = Directory.CreateTempSubdirectory("wb-cuda-host-").FullName;
        File.WriteAllText(Path.Combine(_dir, "shim.h"), HostCudaCheck.Shim);
        File.WriteAllText(Path.Combine(_dir, "run.cu"), cudaSource + Harness());
        var (exit, output) = Exec("g++", "-std=c++17", "-O1", "-ffp-contract=off", "-include", "shim.h", "-x", "c++", "run.cu", "-o", "run", "-lm");
        if (exit != 0) throw new InvalidOperationException("g++ could not build the CUDA source on the host:\n" + output);
    }

    /// <summary>Runs <paramref name="kernel"/> for threads 0 … <paramref name="threads"/> − 1 (one block of one thread each).</summary>
    public void Run(string kernel, int threads, params object[] args)
    {
        var parameters = _kernels[kernel];
        if (args.Length != parameters.Count) throw new ArgumentException($"{kernel} takes {parameters.Count} arguments, got {args.Length}");
        var argv = new List<string> { kernel, threads.ToString(CultureInfo.InvariantCulture) };
        for (var i = 0; i < args.Length; i++)
        {
            var (type, pointer, _) = parameters[i];
            if (pointer) { File.WriteAllBytes(Path.Combine(_dir, $"a{i}.bin"), Bytes(args[i])); argv.Add("-"); continue; }
            argv.Add(args[i] switch
            {
                double x => BitConverter.DoubleToInt64Bits(x).ToString(CultureInfo.InvariantCulture),
                float x => BitConverter.SingleToInt32Bits(x).ToString(CultureInfo.InvariantCulture),
                int x => x.ToString(CultureInfo.InvariantCulture),
                uint x => x.ToString(CultureInfo.InvariantCulture),
                ulong x => x.ToString(CultureInfo.InvariantCulture),
                _ => throw new ArgumentException($"{kernel} argument {i}: unsupported scalar {args[i].GetType().Name} for {type}"),
            });
        }
        var (exit, output) = Exec(Path.Combine(_dir, "run"), argv.ToArray());
        if (exit != 0) throw new InvalidOperationException($"{kernel} failed on the host: {output}");
        for (var i = 0; i < args.Length; i++)
            if (parameters[i].Pointer && !parameters[i].Const) CopyBack(File.ReadAllBytes(Path.Combine(_dir, $"a{i}.bin")), args[i]);
    }

    private static byte[] Bytes(object array) => array switch
    {
        double[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        float[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        int[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        ulong[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        byte[] a => a,
        _ => throw new ArgumentException($"unsupported array {array.GetType().Name}"),
    };

    private static void CopyBack(byte[] bytes, object array)
    {
        switch (array)
        {
            case double[] a: MemoryMarshal.Cast<byte, double>(bytes).CopyTo(a); break;
            case float[] a: MemoryMarshal.Cast<byte, float>(bytes).CopyTo(a); break;
            case int[] a: MemoryMarshal.Cast<byte, int>(bytes).CopyTo(a); break;
            case ulong[] a: MemoryMarshal.Cast<byte, ulong>(bytes).CopyTo(a); break;
            case byte[] a: bytes.CopyTo(a, 0); break;
        }
    }

    /// <summary>main(): argv = kernel, threads, then per parameter "-" (array in a{i}.bin) or the scalar's bits.</summary>
    private string Harness()
    {
        var b = new StringBuilder("""

            #include <cstdio>
            #include <cstdlib>
            #include <cstring>
            #include <string>
            #include <vector>
            template <class T> static std::vector<T> wb_read(int i) {
              std::string p = "a" + std::to_string(i) + ".bin"; FILE* f = fopen(p.c_str(), "rb"); if (!f) exit(3);
              fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
              std::vector<T> v(n / sizeof(T)); if (n && fread(v.data(), 1, n, f) != (size_t)n) exit(4); fclose(f); return v; }
            template <class T> static void wb_write(int i, const std::vector<T>& v) {
              std::string p = "a" + std::to_string(i) + ".bin"; FILE* f = fopen(p.c_str(), "wb"); if (!f) exit(5);
              fwrite(v.data(), sizeof(T), v.size(), f); fclose(f); }
            template <class T> static T wb_scalar(const char* s) { long long bits = strtoll(s, 0, 10); T x;
              if (sizeof(T) == 8) { memcpy(&x, &bits, 8); } else { int b32 = (int)bits; memcpy(&x, &b32, 4); } return x; }
            int main(int argc, char** argv) {
              if (argc < 3) return 2;
              std::string kernel = argv[1]; int threads = atoi(argv[2]);
              blockDim.x = 1; threadIdx.x = 0;

            """);
        foreach (var (name, parameters) in _kernels)
        {
            b.Append($"  if (kernel == \"{name}\") {{\n    if (argc != {parameters.Count + 3}) return 2;\n");
            var call = new List<string>();
            for (var i = 0; i < parameters.Count; i++)
            {
                var (type, pointer, _) = parameters[i];
                if (pointer) { b.Append($"    auto p{i} = wb_read<{type}>({i});\n"); call.Add($"p{i}.data()"); }
                else if (type == "int") { b.Append($"    int p{i} = atoi(argv[{i + 3}]);\n"); call.Add($"p{i}"); }
                else if (type is "uint" or "ulong") { b.Append($"    {type} p{i} = ({type})strtoull(argv[{i + 3}], 0, 10);\n"); call.Add($"p{i}"); }
                else { b.Append($"    {type} p{i} = wb_scalar<{type}>(argv[{i + 3}]);\n"); call.Add($"p{i}"); }
            }
            b.Append($"    for (int t = 0; t < threads; t++) {{ blockIdx.x = t; {name}({string.Join(", ", call)}); }}\n");
            for (var i = 0; i < parameters.Count; i++)
                if (parameters[i].Pointer && !parameters[i].Const) b.Append($"    wb_write({i}, p{i});\n");
            b.Append("    return 0;\n  }\n");
        }
        b.Append("  return 2;\n}\n");
        return b.ToString();
    }

    private (int Exit, string Output) Exec(string file, params string[] args) => HostCudaCheck.Exec(_dir, file, args);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* a temp folder left behind is harmless */ }
    }
}
