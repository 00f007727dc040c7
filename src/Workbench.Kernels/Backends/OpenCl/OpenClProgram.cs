using System.Runtime.InteropServices;
using System.Text;
using static Workbench.Kernels.Backends.OpenCl.OpenClNative;

namespace Workbench.Kernels.Backends.OpenCl;

/// <summary>
/// OpenCL C source built at run time on the first OpenCL device (PoCL on CPU-only machines), with the options that
/// keep float results identical to the CPU kernels, and its kernels run on host arrays. The sampler builds its
/// kernel through this, and so can a user with a generated configuration's <c>OpenClSource</c>.
/// </summary>
public sealed unsafe class OpenClProgram : IDisposable
{
    /// <summary>No fma contraction (<c>-cl-mad-enable</c> is not given) and correctly rounded division and sqrt.</summary>
    public const string DefaultBuildOptions = "-cl-fp32-correctly-rounded-divide-sqrt";

    private IntPtr _context, _queue, _program;

    internal IntPtr Context => _context;
    internal IntPtr Queue => _queue;
    internal IntPtr Handle => _program;

    public string Device { get; }

    /// <summary>Null when OpenCL can run here; otherwise one line saying why not.</summary>
    public static string? Unavailable() => LoadError ?? Found.Value.Error;

    /// <exception cref="BackendUnavailableException">OpenCL is unavailable, or the source does not build (the build log is in the message).</exception>
    public OpenClProgram(string source, string buildOptions = DefaultBuildOptions)
    {
        var why = Unavailable();
        if (why is not null) throw new BackendUnavailableException("opencl", why);
        var device = Found.Value.Device;
        Device = DeviceString(device, DeviceName);
        try
        {
            int err;
            _context = CreateContext(null, 1, &device, IntPtr.Zero, IntPtr.Zero, &err);
            Check(err, "clCreateContext");
            _queue = CreateCommandQueue(_context, device, 0, &err);
            Check(err, "clCreateCommandQueue");
            var src = Encoding.UTF8.GetBytes(source);
            fixed (byte* s = src)
            {
                var strings = s; var length = (nuint)src.Length;
                _program = CreateProgramWithSource(_context, 1, &strings, &length, &err);
            }
            Check(err, "clCreateProgramWithSource");
            var options = Encoding.ASCII.GetBytes(buildOptions + "\0");
            fixed (byte* o = options) err = BuildProgram(_program, 1, &device, o, IntPtr.Zero, IntPtr.Zero);
            if (err != 0) throw new BackendUnavailableException("opencl", $"build error {err}: {BuildLog(device)}");
        }
        catch { Dispose(); throw; }
    }

    /// <summary>
    /// Runs <paramref name="kernel"/> over <paramref name="workItems"/> work items. Each array argument (float[],
    /// double[], int[], uint[], long[], ulong[], byte[]) becomes a global buffer copied in before the launch and back
    /// after it; int, uint, long, ulong, float and double arguments are passed by value.
    /// </summary>
    public void Run(string kernel, int workItems, params object[] args)
    {
        if (workItems < 1) throw new ArgumentOutOfRangeException(nameof(workItems), workItems, "at least one work item");
        int err;
        var name = Encoding.ASCII.GetBytes(kernel + "\0");
        IntPtr k;
        fixed (byte* nm = name) k = CreateKernel(_program, nm, &err);
        if (err != 0) throw new BackendUnavailableException("opencl", $"no kernel '{kernel}' in the program (clCreateKernel error {err})");
        var buffers = new IntPtr[args.Length];
        var pins = new GCHandle[args.Length];
        try
        {
            for (uint i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case Array array:
                        pins[i] = GCHandle.Alloc(array, GCHandleType.Pinned);
                        var bytes = (nuint)(Buffer.ByteLength(array));
                        buffers[i] = CreateBuffer(_context, MemReadWrite | MemCopyHostPtr, bytes == 0 ? 1 : bytes, pins[i].AddrOfPinnedObject(), &err);
                        Check(err, "clCreateBuffer");
                        var b = buffers[i];
                        Check(SetKernelArg(k, i, (nuint)sizeof(IntPtr), &b), "clSetKernelArg");
                        break;
                    case int v: Check(SetKernelArg(k, i, sizeof(int), &v), "clSetKernelArg"); break;
                    case uint v: Check(SetKernelArg(k, i, sizeof(uint), &v), "clSetKernelArg"); break;
                    case long v: Check(SetKernelArg(k, i, sizeof(long), &v), "clSetKernelArg"); break;
                    case ulong v: Check(SetKernelArg(k, i, sizeof(ulong), &v), "clSetKernelArg"); break;
                    case float v: Check(SetKernelArg(k, i, sizeof(float), &v), "clSetKernelArg"); break;
                    case double v: Check(SetKernelArg(k, i, sizeof(double), &v), "clSetKernelArg"); break;
                    default: throw new ArgumentException($"argument {i} of '{kernel}' is a {args[i]?.GetType().Name ?? "null"}; expected an array or a number", nameof(args));
                }
            }
            nuint global = (nuint)workItems;
            Check(EnqueueNDRangeKernel(_queue, k, 1, null, &global, null, 0, null, null), "clEnqueueNDRangeKernel");
            for (var i = 0; i < args.Length; i++)
                if (args[i] is Array array && Buffer.ByteLength(array) > 0)
                    Check(EnqueueReadBuffer(_queue, buffers[i], 1, 0, (nuint)Buffer.ByteLength(array), (void*)pins[i].AddrOfPinnedObject(), 0, null, null), "clEnqueueReadBuffer");
        }
        finally
        {
            foreach (var b in buffers) Release("MemObject", b);
            foreach (var p in pins) if (p.IsAllocated) p.Free();
            Release("Kernel", k);
        }
    }

    private static readonly Lazy<(IntPtr Platform, IntPtr Device, string? Error)> Found = new(FindDevice);

    private static (IntPtr, IntPtr, string?) FindDevice()
    {
        if (LoadError is not null) return (IntPtr.Zero, IntPtr.Zero, LoadError);
        try
        {
            uint count;
            var err = GetPlatformIDs(0, null, &count);
            if (err != 0 || count == 0) return (IntPtr.Zero, IntPtr.Zero, $"unavailable: no OpenCL platform (clGetPlatformIDs {err}; is an ICD installed under /etc/OpenCL/vendors?)");
            var platforms = new IntPtr[count];
            fixed (IntPtr* p = platforms) GetPlatformIDs(count, p, null);
            foreach (var platform in platforms)
            {
                uint nd;
                if (GetDeviceIDs(platform, DeviceTypeAll, 0, null, &nd) != 0 || nd == 0) continue;
                IntPtr device;
                GetDeviceIDs(platform, DeviceTypeAll, 1, &device, null);
                return (platform, device, null);
            }
            return (IntPtr.Zero, IntPtr.Zero, "unavailable: no OpenCL device on any platform");
        }
        catch (EntryPointNotFoundException ex) { return (IntPtr.Zero, IntPtr.Zero, "unavailable: " + ex.Message); }
    }

    private string BuildLog(IntPtr device)
    {
        nuint size;
        GetProgramBuildInfo(_program, device, ProgramBuildLog, 0, null, &size);
        var log = new byte[(int)size];
        fixed (byte* l = log) GetProgramBuildInfo(_program, device, ProgramBuildLog, size, l, null);
        return Encoding.UTF8.GetString(log).TrimEnd('\0').Trim();
    }

    private static string DeviceString(IntPtr device, uint param)
    {
        nuint size;
        if (GetDeviceInfo(device, param, 0, null, &size) != 0) return "OpenCL device";
        var buf = new byte[(int)size];
        fixed (byte* b = buf) GetDeviceInfo(device, param, size, b, null);
        return Encoding.UTF8.GetString(buf).TrimEnd('\0').Trim();
    }

    internal static void Check(int err, string call)
    {
        if (err != 0) throw new BackendUnavailableException("opencl", $"{call} failed with error {err}");
    }

    public void Dispose()
    {
        Release("Program", _program); _program = IntPtr.Zero;
        Release("CommandQueue", _queue); _queue = IntPtr.Zero;
        Release("Context", _context); _context = IntPtr.Zero;
    }
}
