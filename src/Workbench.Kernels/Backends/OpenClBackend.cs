using System.Text;
using Workbench.Kernels.Backends.OpenCl;
using Workbench.Kernels.Sampling;
using static Workbench.Kernels.Backends.OpenCl.OpenClNative;

namespace Workbench.Kernels.Backends;

/// <summary>
/// OpenCL backend: builds the emitted OpenCL C at run time on the first device of the first platform that has
/// one (PoCL on these machines), without -cl-mad-enable and with correctly rounded division and sqrt.
/// </summary>
public sealed unsafe class OpenClBackend : ISamplerBackend
{
    /// <summary>The build options that keep float results identical to the CPU kernel.</summary>
    public const string BuildOptions = "-cl-fp32-correctly-rounded-divide-sqrt";
    public const int LaunchSize = 1 << 18;

    private readonly SamplerConfig _config;
    private readonly int _unrollLimit;
    private readonly float[] _epsilons;
    private IntPtr _context, _queue, _program, _kernel, _codes, _margins;

    /// <param name="unrollLimit">Score terms up to which the kernel is straight-line (<see cref="KernelEmitter.DefaultUnrollLimit"/>).</param>
    public OpenClBackend(SamplerConfig config, int unrollLimit = KernelEmitter.DefaultUnrollLimit)
    {
        config.Validate();
        _config = config;
        _unrollLimit = unrollLimit;
        _epsilons = config.Epsilons.Select(e => (float)e).ToArray();
        var why = Unavailable();
        if (why is not null) throw new BackendUnavailableException("opencl", why);
        try { Build(); }
        catch { Dispose(); throw; }
    }

    public string Name => "opencl";
    public string Device { get; private set; } = "";
    public string KernelOrigin => KernelEmitter.ScoreTerms(_config) <= _unrollLimit
        ? "emitted OpenCL C (straight-line), built at run time"
        : "emitted OpenCL C (score loops: configuration too large to unroll), built at run time";
    public string Source { get; private set; } = "";

    private static readonly Lazy<(IntPtr Platform, IntPtr Device, string? Error)> Found = new(FindDevice);

    /// <summary>Null when OpenCL can run here; otherwise one line saying why not.</summary>
    public static string? Unavailable() => LoadError ?? Found.Value.Error;

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

    private void Build()
    {
        var device = Found.Value.Device;
        Device = InfoString(device, DeviceName);
        int err;
        _context = CreateContext(null, 1, &device, IntPtr.Zero, IntPtr.Zero, &err);
        Check(err, "clCreateContext");
        _queue = CreateCommandQueue(_context, device, 0, &err);
        Check(err, "clCreateCommandQueue");
        Source = KernelEmitter.Emit(_config, KernelDialect.OpenCl, _unrollLimit);
        var src = Encoding.UTF8.GetBytes(Source);
        fixed (byte* s = src)
        {
            var strings = s; var length = (nuint)src.Length;
            _program = CreateProgramWithSource(_context, 1, &strings, &length, &err);
        }
        Check(err, "clCreateProgramWithSource");
        var options = Encoding.ASCII.GetBytes(BuildOptions + "\0");
        fixed (byte* o = options) err = BuildProgram(_program, 1, &device, o, IntPtr.Zero, IntPtr.Zero);
        if (err != 0)
        {
            nuint size;
            GetProgramBuildInfo(_program, device, ProgramBuildLog, 0, null, &size);
            var log = new byte[(int)size];
            fixed (byte* l = log) GetProgramBuildInfo(_program, device, ProgramBuildLog, size, l, null);
            throw new BackendUnavailableException("opencl", $"build error {err}: {Encoding.UTF8.GetString(log).TrimEnd('\0').Trim()}");
        }
        var name = Encoding.ASCII.GetBytes(KernelEmitter.EntryPoint + "\0");
        fixed (byte* nm = name) _kernel = CreateKernel(_program, nm, &err);
        Check(err, "clCreateKernel");
        _codes = CreateBuffer(_context, MemWriteOnly, (nuint)(LaunchSize * sizeof(ulong)), IntPtr.Zero, &err);
        Check(err, "clCreateBuffer");
        _margins = CreateBuffer(_context, MemWriteOnly, (nuint)(LaunchSize * sizeof(float)), IntPtr.Zero, &err);
        Check(err, "clCreateBuffer");
    }

    public SampleTally Run(ulong seed, ulong first, ulong count, Action<long>? progress, CancellationToken cancel)
    {
        var tally = new SampleTally(_epsilons.Length);
        var codes = new ulong[LaunchSize];
        var margins = new float[LaunchSize];
        for (ulong done = 0; done < count; done += LaunchSize)
        {
            cancel.ThrowIfCancellationRequested();
            var n = (uint)Math.Min(LaunchSize, count - done);
            var start = first + done;
            var codesBuf = _codes; var marginsBuf = _margins;
            Check(SetKernelArg(_kernel, 0, sizeof(ulong), &seed), "clSetKernelArg");
            Check(SetKernelArg(_kernel, 1, sizeof(ulong), &start), "clSetKernelArg");
            Check(SetKernelArg(_kernel, 2, sizeof(uint), &n), "clSetKernelArg");
            Check(SetKernelArg(_kernel, 3, (nuint)sizeof(IntPtr), &codesBuf), "clSetKernelArg");
            Check(SetKernelArg(_kernel, 4, (nuint)sizeof(IntPtr), &marginsBuf), "clSetKernelArg");
            nuint global = (n + 63u) / 64u * 64u, local = 64;
            Check(EnqueueNDRangeKernel(_queue, _kernel, 1, null, &global, &local, 0, null, null), "clEnqueueNDRangeKernel");
            fixed (ulong* c = codes) Check(EnqueueReadBuffer(_queue, _codes, 1, 0, n * sizeof(ulong), c, 0, null, null), "clEnqueueReadBuffer");
            fixed (float* m = margins) Check(EnqueueReadBuffer(_queue, _margins, 1, 0, n * sizeof(float), m, 0, null, null), "clEnqueueReadBuffer");
            HostTally.Add(tally, codes, margins, (int)n, _epsilons);
            progress?.Invoke(n);
        }
        return tally;
    }

    private static string InfoString(IntPtr device, uint param)
    {
        nuint size;
        if (GetDeviceInfo(device, param, 0, null, &size) != 0) return "OpenCL device";
        var buf = new byte[(int)size];
        fixed (byte* b = buf) GetDeviceInfo(device, param, size, b, null);
        return Encoding.UTF8.GetString(buf).TrimEnd('\0').Trim();
    }

    private static void Check(int err, string call)
    {
        if (err != 0) throw new BackendUnavailableException("opencl", $"{call} failed with error {err}");
    }

    public void Dispose()
    {
        Release("MemObject", _codes); _codes = IntPtr.Zero;
        Release("MemObject", _margins); _margins = IntPtr.Zero;
        Release("Kernel", _kernel); _kernel = IntPtr.Zero;
        Release("Program", _program); _program = IntPtr.Zero;
        Release("CommandQueue", _queue); _queue = IntPtr.Zero;
        Release("Context", _context); _context = IntPtr.Zero;
    }
}
