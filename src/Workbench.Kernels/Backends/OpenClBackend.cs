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
    public const string BuildOptions = OpenClProgram.DefaultBuildOptions;
    public const int LaunchSize = 1 << 18;

    private readonly SamplerConfig _config;
    private readonly int _unrollLimit;
    private readonly float[] _epsilons;
    private OpenClProgram? _program;
    private IntPtr _kernel, _codes, _margins;

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

    /// <summary>Null when OpenCL can run here; otherwise one line saying why not.</summary>
    public static string? Unavailable() => OpenClProgram.Unavailable();

    private void Build()
    {
        Source = KernelEmitter.Emit(_config, KernelDialect.OpenCl, _unrollLimit);
        _program = new OpenClProgram(Source, BuildOptions);
        Device = _program.Device;
        int err;
        var name = Encoding.ASCII.GetBytes(KernelEmitter.EntryPoint + "\0");
        fixed (byte* nm = name) _kernel = CreateKernel(_program.Handle, nm, &err);
        Check(err, "clCreateKernel");
        _codes = CreateBuffer(_program.Context, MemWriteOnly, (nuint)(LaunchSize * sizeof(ulong)), IntPtr.Zero, &err);
        Check(err, "clCreateBuffer");
        _margins = CreateBuffer(_program.Context, MemWriteOnly, (nuint)(LaunchSize * sizeof(float)), IntPtr.Zero, &err);
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
            Check(EnqueueNDRangeKernel(_program!.Queue, _kernel, 1, null, &global, &local, 0, null, null), "clEnqueueNDRangeKernel");
            fixed (ulong* c = codes) Check(EnqueueReadBuffer(_program.Queue, _codes, 1, 0, n * sizeof(ulong), c, 0, null, null), "clEnqueueReadBuffer");
            fixed (float* m = margins) Check(EnqueueReadBuffer(_program.Queue, _margins, 1, 0, n * sizeof(float), m, 0, null, null), "clEnqueueReadBuffer");
            HostTally.Add(tally, codes, margins, (int)n, _epsilons);
            progress?.Invoke(n);
        }
        return tally;
    }

    private static void Check(int err, string call) => OpenClProgram.Check(err, call);

    public void Dispose()
    {
        Release("MemObject", _codes); _codes = IntPtr.Zero;
        Release("MemObject", _margins); _margins = IntPtr.Zero;
        Release("Kernel", _kernel); _kernel = IntPtr.Zero;
        _program?.Dispose(); _program = null;
    }
}
