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
    private IntPtr _kernel, _codes, _margins, _tally, _zero, _cells;
    private PatternIndex? _index;

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
        var deviceTally = DeviceTally.Applies(_config);
        Source = KernelEmitter.Emit(_config, KernelDialect.OpenCl, _unrollLimit)
            + (deviceTally ? DeviceTally.Emit(_config, KernelDialect.OpenCl) : "");
        _program = new OpenClProgram(Source, BuildOptions);
        Device = _program.Device;
        int err;
        _kernel = Kernel(KernelEmitter.EntryPoint);
        if (deviceTally)
        {
            _index = new PatternIndex(_config);
            _tally = Kernel(DeviceTally.TallyEntryPoint);
            _zero = Kernel(DeviceTally.ZeroEntryPoint);
            _cells = CreateBuffer(_program.Context, MemReadWrite, (nuint)(DeviceTally.Cells(_config) * sizeof(uint)), IntPtr.Zero, &err);
            Check(err, "clCreateBuffer");
        }
        _codes = CreateBuffer(_program.Context, MemWriteOnly, (nuint)(LaunchSize * sizeof(ulong)), IntPtr.Zero, &err);
        Check(err, "clCreateBuffer");
        _margins = CreateBuffer(_program.Context, MemWriteOnly, (nuint)(LaunchSize * sizeof(float)), IntPtr.Zero, &err);
        Check(err, "clCreateBuffer");
    }

    private IntPtr Kernel(string entry)
    {
        int err;
        IntPtr kernel;
        var name = Encoding.ASCII.GetBytes(entry + "\0");
        fixed (byte* nm = name) kernel = CreateKernel(_program!.Handle, nm, &err);
        Check(err, "clCreateKernel " + entry);
        return kernel;
    }

    /// <summary>Whether launches are counted on the device (<see cref="DeviceTally"/>) or read back and counted on the host.</summary>
    public bool CountsOnDevice => _index is not null;

    public SampleTally Run(ulong seed, ulong first, ulong count, Action<long>? progress, CancellationToken cancel)
    {
        var tally = new SampleTally(_epsilons.Length);
        var deviceTally = _index is not null;
        var codes = deviceTally ? [] : new ulong[LaunchSize];
        var margins = deviceTally ? [] : new float[LaunchSize];
        var cells = deviceTally ? new uint[DeviceTally.Cells(_config)] : [];
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
            if (deviceTally)
            {
                var cellsBuf = _cells;
                var cellCount = (uint)cells.Length;
                Check(SetKernelArg(_zero, 0, (nuint)sizeof(IntPtr), &cellsBuf), "clSetKernelArg");
                Check(SetKernelArg(_zero, 1, sizeof(uint), &cellCount), "clSetKernelArg");
                nuint zeroGlobal = (cellCount + 63u) / 64u * 64u;
                Check(EnqueueNDRangeKernel(_program!.Queue, _zero, 1, null, &zeroGlobal, &local, 0, null, null), "clEnqueueNDRangeKernel wb_zero");
                Check(EnqueueNDRangeKernel(_program.Queue, _kernel, 1, null, &global, &local, 0, null, null), "clEnqueueNDRangeKernel");
                Check(SetKernelArg(_tally, 0, (nuint)sizeof(IntPtr), &codesBuf), "clSetKernelArg");
                Check(SetKernelArg(_tally, 1, (nuint)sizeof(IntPtr), &marginsBuf), "clSetKernelArg");
                Check(SetKernelArg(_tally, 2, sizeof(uint), &n), "clSetKernelArg");
                Check(SetKernelArg(_tally, 3, (nuint)sizeof(IntPtr), &cellsBuf), "clSetKernelArg");
                // A few work-groups per core: each one counts a strided share into local memory, then adds it once.
                nuint tallyLocal = 256, tallyGlobal = tallyLocal * (nuint)Math.Clamp((n + 255u) / 256u, 1u, 16u * (uint)Environment.ProcessorCount);
                Check(EnqueueNDRangeKernel(_program.Queue, _tally, 1, null, &tallyGlobal, &tallyLocal, 0, null, null), "clEnqueueNDRangeKernel wb_tally");
                fixed (uint* c = cells) Check(EnqueueReadBuffer(_program.Queue, _cells, 1, 0, (nuint)cells.Length * sizeof(uint), c, 0, null, null), "clEnqueueReadBuffer");
                DeviceTally.AddCells(tally, _index!, cells);
                progress?.Invoke(n);
                continue;
            }
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
        Release("Kernel", _tally); _tally = IntPtr.Zero;
        Release("Kernel", _zero); _zero = IntPtr.Zero;
        Release("MemObject", _cells); _cells = IntPtr.Zero;
        _program?.Dispose(); _program = null;
    }
}
