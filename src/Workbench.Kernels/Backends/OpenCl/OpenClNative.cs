using System.Runtime.InteropServices;

namespace Workbench.Kernels.Backends.OpenCl;

/// <summary>
/// The handful of OpenCL 1.2 entry points the sampler needs, bound by function pointer from libOpenCL.so.1 (the
/// ICD loader) at first use, so a machine without OpenCL loads this assembly fine and gets a one-line reason.
/// </summary>
internal static unsafe class OpenClNative
{
    public const ulong DeviceTypeAll = 0xFFFFFFFF;
    public const uint DeviceName = 0x102B, PlatformName = 0x0902, ProgramBuildLog = 0x1183;
    public const ulong MemReadWrite = 1, MemWriteOnly = 1 << 1, MemCopyHostPtr = 1 << 5;

    private static readonly Lazy<(IntPtr Handle, string? Error)> Library = new(() =>
    {
        foreach (var name in new[] { "libOpenCL.so.1", "libOpenCL.so", "OpenCL" })
            if (NativeLibrary.TryLoad(name, out var h)) return (h, null);
        return (IntPtr.Zero, "unavailable: libOpenCL.so.1 not found (install ocl-icd-libopencl1 and an ICD such as pocl-opencl-icd)");
    });

    public static string? LoadError => Library.Value.Error;

    private static IntPtr F(string name) => NativeLibrary.GetExport(Library.Value.Handle, name);

    public static int GetPlatformIDs(uint n, IntPtr* platforms, uint* count) =>
        ((delegate* unmanaged<uint, IntPtr*, uint*, int>)F("clGetPlatformIDs"))(n, platforms, count);
    public static int GetPlatformInfo(IntPtr p, uint param, nuint size, void* value, nuint* ret) =>
        ((delegate* unmanaged<IntPtr, uint, nuint, void*, nuint*, int>)F("clGetPlatformInfo"))(p, param, size, value, ret);
    public static int GetDeviceIDs(IntPtr platform, ulong type, uint n, IntPtr* devices, uint* count) =>
        ((delegate* unmanaged<IntPtr, ulong, uint, IntPtr*, uint*, int>)F("clGetDeviceIDs"))(platform, type, n, devices, count);
    public static int GetDeviceInfo(IntPtr device, uint param, nuint size, void* value, nuint* ret) =>
        ((delegate* unmanaged<IntPtr, uint, nuint, void*, nuint*, int>)F("clGetDeviceInfo"))(device, param, size, value, ret);
    public static IntPtr CreateContext(IntPtr* props, uint n, IntPtr* devices, IntPtr notify, IntPtr user, int* err) =>
        ((delegate* unmanaged<IntPtr*, uint, IntPtr*, IntPtr, IntPtr, int*, IntPtr>)F("clCreateContext"))(props, n, devices, notify, user, err);
    public static IntPtr CreateCommandQueue(IntPtr ctx, IntPtr device, ulong props, int* err) =>
        ((delegate* unmanaged<IntPtr, IntPtr, ulong, int*, IntPtr>)F("clCreateCommandQueue"))(ctx, device, props, err);
    public static IntPtr CreateProgramWithSource(IntPtr ctx, uint n, byte** sources, nuint* lengths, int* err) =>
        ((delegate* unmanaged<IntPtr, uint, byte**, nuint*, int*, IntPtr>)F("clCreateProgramWithSource"))(ctx, n, sources, lengths, err);
    public static int BuildProgram(IntPtr program, uint n, IntPtr* devices, byte* options, IntPtr notify, IntPtr user) =>
        ((delegate* unmanaged<IntPtr, uint, IntPtr*, byte*, IntPtr, IntPtr, int>)F("clBuildProgram"))(program, n, devices, options, notify, user);
    public static int GetProgramBuildInfo(IntPtr program, IntPtr device, uint param, nuint size, void* value, nuint* ret) =>
        ((delegate* unmanaged<IntPtr, IntPtr, uint, nuint, void*, nuint*, int>)F("clGetProgramBuildInfo"))(program, device, param, size, value, ret);
    public static IntPtr CreateKernel(IntPtr program, byte* name, int* err) =>
        ((delegate* unmanaged<IntPtr, byte*, int*, IntPtr>)F("clCreateKernel"))(program, name, err);
    public static IntPtr CreateBuffer(IntPtr ctx, ulong flags, nuint size, IntPtr host, int* err) =>
        ((delegate* unmanaged<IntPtr, ulong, nuint, IntPtr, int*, IntPtr>)F("clCreateBuffer"))(ctx, flags, size, host, err);
    public static int SetKernelArg(IntPtr kernel, uint index, nuint size, void* value) =>
        ((delegate* unmanaged<IntPtr, uint, nuint, void*, int>)F("clSetKernelArg"))(kernel, index, size, value);
    public static int EnqueueNDRangeKernel(IntPtr queue, IntPtr kernel, uint dims, nuint* offset, nuint* global, nuint* local, uint nWait, IntPtr* wait, IntPtr* evt) =>
        ((delegate* unmanaged<IntPtr, IntPtr, uint, nuint*, nuint*, nuint*, uint, IntPtr*, IntPtr*, int>)F("clEnqueueNDRangeKernel"))(queue, kernel, dims, offset, global, local, nWait, wait, evt);
    public static int EnqueueReadBuffer(IntPtr queue, IntPtr buffer, uint blocking, nuint offset, nuint size, void* ptr, uint nWait, IntPtr* wait, IntPtr* evt) =>
        ((delegate* unmanaged<IntPtr, IntPtr, uint, nuint, nuint, void*, uint, IntPtr*, IntPtr*, int>)F("clEnqueueReadBuffer"))(queue, buffer, blocking, offset, size, ptr, nWait, wait, evt);
    public static int Finish(IntPtr queue) => ((delegate* unmanaged<IntPtr, int>)F("clFinish"))(queue);
    public static int Release(string what, IntPtr handle) =>
        handle == IntPtr.Zero ? 0 : ((delegate* unmanaged<IntPtr, int>)F("clRelease" + what))(handle);
}
