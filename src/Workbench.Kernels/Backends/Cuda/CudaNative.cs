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
        NativeLibrary.TryLoad("libcuda.so.1", out var h) ? (h, null) : (IntPtr.Zero, "unavailable: libcuda.so.1 not found"));

    private static readonly Lazy<(IntPtr Handle, string? Error)> Nvrtc = new(() =>
    {
        var names = new List<string> { "libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2" };
        foreach (var root in new[] { Environment.GetEnvironmentVariable("CUDA_HOME"), Environment.GetEnvironmentVariable("CUDA_PATH"), "/usr/local/cuda" })
        {
            if (string.IsNullOrEmpty(root)) continue;
            var lib = Path.Combine(root, "lib64");
            if (!Directory.Exists(lib)) continue;
            names.AddRange(Directory.GetFiles(lib, "libnvrtc.so*").Where(f => !f.Contains("builtins")).OrderByDescending(f => f.Length));
        }
        foreach (var name in names)
            if (NativeLibrary.TryLoad(name, out var h)) return (h, null);
        return (IntPtr.Zero, "unavailable: libnvrtc.so not found (set CUDA_HOME)");
    });

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
    public static int NvrtcDestroyProgram(IntPtr* prog) => ((delegate* unmanaged<IntPtr*, int>)N("nvrtcDestroyProgram"))(prog);
}
