using System.Runtime.InteropServices;

namespace Workbench.Kernels.Backends.Cuda;

/// <summary>
/// CUDA driver API (libcuda.so.1) and NVRTC (libnvrtc.so.*) entry points, bound by function pointer at first use
/// so this assembly loads everywhere and a machine without a GPU gets a one-line reason.
/// </summary>
internal static unsafe class CudaNative
{
    public const int AttrComputeMajor = 75, AttrComputeMinor = 76;

    private static readonly Lazy<(IntPtr Handle, string? Error)> Driver = new(() =>
    {
        foreach (var name in new[] { "libcuda.so.1", "libcuda.so" })
            if (NativeLibrary.TryLoad(name, out var h)) return (h, null);
        return (IntPtr.Zero, "unavailable: libcuda.so.1 not found (no NVIDIA driver on the loader path)");
    });

    /// <summary>The names NVRTC is asked for on the loader path before any directory is searched.</summary>
    internal static readonly string[] NvrtcNames = ["libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"];

    private static readonly Lazy<(IntPtr Handle, string? Error)> Nvrtc = new(() =>
    {
        foreach (var name in NvrtcNames)
            if (NativeLibrary.TryLoad(name, out var h)) return (h, null);
        string? failure = null;
        foreach (var file in NvrtcFiles(NvrtcDirectories()))
        {
            try { return (NativeLibrary.Load(file), null); }
            catch (DllNotFoundException ex) { failure ??= $"{file} did not load ({OneLine(ex.Message)})"; }
            catch (BadImageFormatException ex) { failure ??= $"{file} did not load ({OneLine(ex.Message)})"; }
        }
        return (IntPtr.Zero, failure is not null
            ? "unavailable: " + failure
            : "unavailable: libnvrtc.so not found (looked for libnvrtc.so, .so.13, .so.12, .so.11.2 on the loader path "
              + "and libnvrtc.so* in $CUDA_HOME/lib64, $CUDA_PATH/lib64, /usr/local/cuda*/lib64, /usr/lib/x86_64-linux-gnu; set CUDA_HOME)");
    });

    /// <summary>Directories searched for a version-suffixed NVRTC (libnvrtc.so.13.0.88, …), in order.</summary>
    internal static IEnumerable<string> NvrtcDirectories()
    {
        foreach (var root in new[] { Environment.GetEnvironmentVariable("CUDA_HOME"), Environment.GetEnvironmentVariable("CUDA_PATH") })
            if (!string.IsNullOrEmpty(root)) { yield return Path.Combine(root, "lib64"); yield return Path.Combine(root, "lib"); }
        foreach (var dir in (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            yield return dir;
        yield return "/usr/local/cuda/lib64";
        string[] versioned;
        try { versioned = Directory.Exists("/usr/local") ? Directory.GetDirectories("/usr/local", "cuda-*") : []; }
        catch (IOException) { versioned = []; }
        catch (UnauthorizedAccessException) { versioned = []; }
        foreach (var dir in versioned.OrderByDescending(d => ParseVersion(Path.GetFileName(d)["cuda-".Length..])))
            yield return Path.Combine(dir, "lib64");
        yield return "/usr/lib/x86_64-linux-gnu";
        yield return "/usr/lib64";
    }

    /// <summary>
    /// The NVRTC libraries in the given directories (not libnvrtc-builtins, not the static archive), newest version
    /// first within a directory, directories in the order given.
    /// </summary>
    internal static IEnumerable<string> NvrtcFiles(IEnumerable<string> directories)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in directories)
        {
            string[] files;
            try { files = Directory.Exists(dir) ? Directory.GetFiles(dir, "libnvrtc.so*") : []; }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            foreach (var file in files
                         .Where(f => Path.GetFileName(f) is var n && (n == "libnvrtc.so" || n.StartsWith("libnvrtc.so.", StringComparison.Ordinal)))
                         .OrderByDescending(f => ParseVersion(Path.GetFileName(f)["libnvrtc.so".Length..].TrimStart('.')))
                         .ThenBy(f => f, StringComparer.Ordinal))
                if (seen.Add(file)) yield return file;
        }
    }

    /// <summary>"13.0.88" → (13, 0, 88, 0); missing or non-numeric parts are 0 (so "libnvrtc.so" sorts last).</summary>
    internal static (int, int, int, int) ParseVersion(string text)
    {
        var parts = text.Split('.').Select(p => int.TryParse(p, out var v) ? v : 0).Concat([0, 0, 0, 0]).ToArray();
        return (parts[0], parts[1], parts[2], parts[3]);
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public static string? DriverError => Driver.Value.Error;
    public static string? NvrtcError => Nvrtc.Value.Error;

    private static IntPtr D(string name) => NativeLibrary.GetExport(Driver.Value.Handle, name);
    private static IntPtr N(string name) => NativeLibrary.GetExport(Nvrtc.Value.Handle, name);

    public static int Init(uint flags) => ((delegate* unmanaged<uint, int>)D("cuInit"))(flags);
    public static int DeviceGetCount(int* count) => ((delegate* unmanaged<int*, int>)D("cuDeviceGetCount"))(count);
    public static int DeviceGet(int* device, int ordinal) => ((delegate* unmanaged<int*, int, int>)D("cuDeviceGet"))(device, ordinal);
    public static int DeviceGetAttribute(int* value, int attribute, int device) =>
        ((delegate* unmanaged<int*, int, int, int>)D("cuDeviceGetAttribute"))(value, attribute, device);
    public static int DeviceGetName(byte* name, int length, int device) =>
        ((delegate* unmanaged<byte*, int, int, int>)D("cuDeviceGetName"))(name, length, device);
    public static int CtxCreate(IntPtr* ctx, uint flags, int device) =>
        ((delegate* unmanaged<IntPtr*, uint, int, int>)D("cuCtxCreate_v2"))(ctx, flags, device);
    public static int CtxDestroy(IntPtr ctx) => ((delegate* unmanaged<IntPtr, int>)D("cuCtxDestroy_v2"))(ctx);
    public static int CtxSetCurrent(IntPtr ctx) => ((delegate* unmanaged<IntPtr, int>)D("cuCtxSetCurrent"))(ctx);
    public static int DriverGetVersion(int* version) => ((delegate* unmanaged<int*, int>)D("cuDriverGetVersion"))(version);
    public static int GetErrorName(int error, byte** name) => ((delegate* unmanaged<int, byte**, int>)D("cuGetErrorName"))(error, name);
    public static int CtxSynchronize() => ((delegate* unmanaged<int>)D("cuCtxSynchronize"))();
    public static int ModuleLoadData(IntPtr* module, void* image) =>
        ((delegate* unmanaged<IntPtr*, void*, int>)D("cuModuleLoadData"))(module, image);
    public static int ModuleUnload(IntPtr module) => ((delegate* unmanaged<IntPtr, int>)D("cuModuleUnload"))(module);
    public static int ModuleGetFunction(IntPtr* function, IntPtr module, byte* name) =>
        ((delegate* unmanaged<IntPtr*, IntPtr, byte*, int>)D("cuModuleGetFunction"))(function, module, name);
    public static int MemAlloc(ulong* ptr, nuint bytes) => ((delegate* unmanaged<ulong*, nuint, int>)D("cuMemAlloc_v2"))(ptr, bytes);
    public static int MemFree(ulong ptr) => ((delegate* unmanaged<ulong, int>)D("cuMemFree_v2"))(ptr);
    public static int MemcpyDtoH(void* dst, ulong src, nuint bytes) =>
        ((delegate* unmanaged<void*, ulong, nuint, int>)D("cuMemcpyDtoH_v2"))(dst, src, bytes);
    public static int LaunchKernel(IntPtr f, uint gx, uint gy, uint gz, uint bx, uint by, uint bz, uint shared, IntPtr stream, void** args, void** extra) =>
        ((delegate* unmanaged<IntPtr, uint, uint, uint, uint, uint, uint, uint, IntPtr, void**, void**, int>)D("cuLaunchKernel"))(f, gx, gy, gz, bx, by, bz, shared, stream, args, extra);

    public static int NvrtcCreateProgram(IntPtr* prog, byte* src, byte* name, int headers, byte** headerSources, byte** includeNames) =>
        ((delegate* unmanaged<IntPtr*, byte*, byte*, int, byte**, byte**, int>)N("nvrtcCreateProgram"))(prog, src, name, headers, headerSources, includeNames);
    public static int NvrtcCompileProgram(IntPtr prog, int count, byte** options) =>
        ((delegate* unmanaged<IntPtr, int, byte**, int>)N("nvrtcCompileProgram"))(prog, count, options);
    public static int NvrtcGetProgramLogSize(IntPtr prog, nuint* size) => ((delegate* unmanaged<IntPtr, nuint*, int>)N("nvrtcGetProgramLogSize"))(prog, size);
    public static int NvrtcGetProgramLog(IntPtr prog, byte* log) => ((delegate* unmanaged<IntPtr, byte*, int>)N("nvrtcGetProgramLog"))(prog, log);
    public static int NvrtcGetPtxSize(IntPtr prog, nuint* size) => ((delegate* unmanaged<IntPtr, nuint*, int>)N("nvrtcGetPTXSize"))(prog, size);
    public static int NvrtcGetPtx(IntPtr prog, byte* ptx) => ((delegate* unmanaged<IntPtr, byte*, int>)N("nvrtcGetPTX"))(prog, ptx);
    public static int NvrtcVersion(int* major, int* minor) => ((delegate* unmanaged<int*, int*, int>)N("nvrtcVersion"))(major, minor);
    public static byte* NvrtcGetErrorString(int result) => ((delegate* unmanaged<int, byte*>)N("nvrtcGetErrorString"))(result);
    public static int NvrtcGetNumSupportedArchs(int* count) => ((delegate* unmanaged<int*, int>)N("nvrtcGetNumSupportedArchs"))(count);
    public static int NvrtcGetSupportedArchs(int* archs) => ((delegate* unmanaged<int*, int>)N("nvrtcGetSupportedArchs"))(archs);
    public static bool HasNvrtc(string name) => NativeLibrary.TryGetExport(Nvrtc.Value.Handle, name, out _);
    public static int NvrtcGetCubinSize(IntPtr prog, nuint* size) => ((delegate* unmanaged<IntPtr, nuint*, int>)N("nvrtcGetCUBINSize"))(prog, size);
    public static int NvrtcGetCubin(IntPtr prog, byte* cubin) => ((delegate* unmanaged<IntPtr, byte*, int>)N("nvrtcGetCUBIN"))(prog, cubin);
    public static int NvrtcDestroyProgram(IntPtr* prog) => ((delegate* unmanaged<IntPtr*, int>)N("nvrtcDestroyProgram"))(prog);
}
