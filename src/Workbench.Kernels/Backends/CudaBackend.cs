using System.Text;
using Workbench.Kernels.Sampling;
using static Workbench.Kernels.Backends.Cuda.CudaNative;

namespace Workbench.Kernels.Backends;

/// <summary>
/// CUDA backend: NVRTC compiles the emitted CUDA C for the device's compute capability with --fmad=false (no
/// implicit fma; division and sqrt are spelled __fdiv_rn/__fsqrt_rn), the driver API loads and launches it.
/// Not run on hardware in the task that wrote it (no GPU there); its tests skip with the reason.
/// </summary>
public sealed unsafe class CudaBackend : ISamplerBackend
{
    public const int LaunchSize = 1 << 22;
    public const int BlockSize = 128;
    private readonly SamplerConfig _config;
    private readonly float[] _epsilons;
    private IntPtr _context, _module, _function;
    private ulong _codes, _margins;

    public CudaBackend(SamplerConfig config)
    {
        config.Validate();
        _config = config;
        _epsilons = config.Epsilons.Select(e => (float)e).ToArray();
        var why = Unavailable();
        if (why is not null) throw new BackendUnavailableException("cuda", why);
        try { Build(); }
        catch { Dispose(); throw; }
    }

    public string Name => "cuda";
    public string Device { get; private set; } = "";
    public string KernelOrigin => KernelEmitter.ScoreTerms(_config) <= KernelEmitter.DefaultUnrollLimit
        ? "emitted CUDA C (straight-line), compiled by NVRTC at run time"
        : "emitted CUDA C (score loops: configuration too large to unroll), compiled by NVRTC at run time";

    private static readonly Lazy<string?> Probe = new(() =>
    {
        if (DriverError is not null) return DriverError;
        try
        {
            var err = Init(0);
            if (err != 0) return $"unavailable: cuInit failed with error {err} (no usable GPU or driver)";
            int count;
            if (DeviceGetCount(&count) != 0 || count == 0) return "unavailable: no CUDA device";
            return NvrtcError;
        }
        catch (EntryPointNotFoundException ex) { return "unavailable: " + ex.Message; }
    });

    /// <summary>Null when CUDA can run here; otherwise one line, e.g. "unavailable: libcuda.so.1 not found".</summary>
    public static string? Unavailable() => Probe.Value;

    private void Build()
    {
        int device, major, minor;
        Check(DeviceGet(&device, 0), "cuDeviceGet");
        Check(DeviceGetAttribute(&major, AttrComputeMajor, device), "cuDeviceGetAttribute");
        Check(DeviceGetAttribute(&minor, AttrComputeMinor, device), "cuDeviceGetAttribute");
        var name = new byte[256];
        fixed (byte* n = name) DeviceGetName(n, name.Length, device);
        Device = $"{Encoding.ASCII.GetString(name).TrimEnd('\0')} (sm_{major}{minor})";
        IntPtr ctx;
        Check(CtxCreate(&ctx, 0, device), "cuCtxCreate");
        _context = ctx;

        var ptx = Compile(KernelEmitter.Emit(_config, KernelDialect.Cuda), $"--gpu-architecture=compute_{major}{minor}");
        IntPtr module, function;
        fixed (byte* p = ptx) Check(ModuleLoadData(&module, p), "cuModuleLoadData");
        _module = module;
        var entry = Encoding.ASCII.GetBytes(KernelEmitter.EntryPoint + "\0");
        fixed (byte* e = entry) Check(ModuleGetFunction(&function, _module, e), "cuModuleGetFunction");
        _function = function;
        ulong codes, margins;
        Check(MemAlloc(&codes, (nuint)(LaunchSize * sizeof(ulong))), "cuMemAlloc");
        _codes = codes;
        Check(MemAlloc(&margins, (nuint)(LaunchSize * sizeof(float))), "cuMemAlloc");
        _margins = margins;
    }

    private static byte[] Compile(string source, string arch)
    {
        var src = Encoding.UTF8.GetBytes(source + "\0");
        var fileName = Encoding.ASCII.GetBytes("wb_sample.cu\0");
        var options = new[] { arch, "--fmad=false", "--prec-div=true", "--prec-sqrt=true" }
            .Select(o => Encoding.ASCII.GetBytes(o + "\0")).ToArray();
        IntPtr prog;
        fixed (byte* s = src) fixed (byte* f = fileName) Check(NvrtcCreateProgram(&prog, s, f, 0, null, null), "nvrtcCreateProgram");
        try
        {
            var handles = options.Select(o => System.Runtime.InteropServices.GCHandle.Alloc(o, System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
            int err;
            try
            {
                var ptrs = stackalloc byte*[options.Length];
                for (var i = 0; i < options.Length; i++) ptrs[i] = (byte*)handles[i].AddrOfPinnedObject();
                err = NvrtcCompileProgram(prog, options.Length, ptrs);
            }
            finally { foreach (var h in handles) h.Free(); }
            if (err != 0)
            {
                nuint size;
                NvrtcGetProgramLogSize(prog, &size);
                var log = new byte[(int)size];
                fixed (byte* l = log) NvrtcGetProgramLog(prog, l);
                throw new BackendUnavailableException("cuda", $"NVRTC build error {err}: {Encoding.UTF8.GetString(log).TrimEnd('\0').Trim()}");
            }
            nuint ptxSize;
            Check(NvrtcGetPtxSize(prog, &ptxSize), "nvrtcGetPTXSize");
            var ptx = new byte[(int)ptxSize];
            fixed (byte* p = ptx) Check(NvrtcGetPtx(prog, p), "nvrtcGetPTX");
            return ptx;
        }
        finally { NvrtcDestroyProgram(&prog); }
    }

    public SampleTally Run(ulong seed, ulong first, ulong count, Action<long>? progress, CancellationToken cancel)
    {
        var tally = new SampleTally(_epsilons.Length);
        var codes = new ulong[LaunchSize];
        var margins = new float[LaunchSize];
        ulong start = 0, codesPtr = _codes, marginsPtr = _margins;
        uint n = 0;
        var args = stackalloc void*[] { &seed, &start, &n, &codesPtr, &marginsPtr };
        for (ulong done = 0; done < count; done += LaunchSize)
        {
            cancel.ThrowIfCancellationRequested();
            n = (uint)Math.Min(LaunchSize, count - done);
            start = first + done;
            Check(LaunchKernel(_function, (n + BlockSize - 1) / BlockSize, 1, 1, BlockSize, 1, 1, 0, IntPtr.Zero, args, null), "cuLaunchKernel");
            Check(CtxSynchronize(), "cuCtxSynchronize");
            fixed (ulong* c = codes) Check(MemcpyDtoH(c, _codes, n * sizeof(ulong)), "cuMemcpyDtoH");
            fixed (float* m = margins) Check(MemcpyDtoH(m, _margins, n * sizeof(float)), "cuMemcpyDtoH");
            HostTally.Add(tally, codes, margins, (int)n, _epsilons);
            progress?.Invoke(n);
        }
        return tally;
    }

    private static void Check(int err, string call)
    {
        if (err != 0) throw new BackendUnavailableException("cuda", $"{call} failed with error {err}");
    }

    public void Dispose()
    {
        if (DriverError is not null) return;
        if (_codes != 0) { MemFree(_codes); _codes = 0; }
        if (_margins != 0) { MemFree(_margins); _margins = 0; }
        if (_module != IntPtr.Zero) { ModuleUnload(_module); _module = IntPtr.Zero; }
        if (_context != IntPtr.Zero) { CtxDestroy(_context); _context = IntPtr.Zero; }
    }
}
