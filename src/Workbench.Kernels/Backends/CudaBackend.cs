using System.Text;
using Workbench.Kernels.Sampling;
using static Workbench.Kernels.Backends.Cuda.CudaNative;

namespace Workbench.Kernels.Backends;

/// <summary>
/// CUDA backend: NVRTC compiles the emitted CUDA C for the device's compute capability with --fmad=false (no
/// implicit fma; division and sqrt are spelled __fdiv_rn/__fsqrt_rn), the driver API loads and launches it.
/// NVRTC emits a cubin for the device's sm_XY when it can (else PTX the driver JITs). Without a GPU, opening it
/// throws the one-line reason and its tests skip with it.
/// </summary>
public sealed unsafe class CudaBackend : ISamplerBackend
{
    public const int LaunchSize = 1 << 22;
    public const int BlockSize = 128;
    /// <summary>Blocks of the tally kernel: each counts a strided share in shared memory and adds it once (a few per SM).</summary>
    private const uint TallyBlocks = 1024;
    private readonly SamplerConfig _config;
    private readonly float[] _epsilons;
    private IntPtr _context, _module, _function, _tally, _zero;
    private ulong _codes, _margins, _cells;
    private PatternIndex? _index;

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
            if (err != 0) return $"unavailable: cuInit failed with {ErrorName(err)} (no usable GPU or driver)";
            int count;
            err = DeviceGetCount(&count);
            if (err != 0) return $"unavailable: cuDeviceGetCount failed with {ErrorName(err)}";
            if (count == 0) return "unavailable: no CUDA device";
            return NvrtcError;
        }
        catch (EntryPointNotFoundException ex) { return "unavailable: " + ex.Message.ReplaceLineEndings(" "); }
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
        var deviceName = Encoding.ASCII.GetString(name);
        var nul = deviceName.IndexOf('\0');
        deviceName = nul >= 0 ? deviceName[..nul] : deviceName;
        int driver;
        Check(DriverGetVersion(&driver), "cuDriverGetVersion");
        int nvMajor, nvMinor;
        CheckNvrtc(NvrtcVersion(&nvMajor, &nvMinor), "nvrtcVersion");
        var (option, cubin, target) = Target(major * 10 + minor);
        Device = $"{deviceName} (sm_{major}{minor}, driver CUDA {driver / 1000}.{driver % 1000 / 10}, NVRTC {nvMajor}.{nvMinor} -> {target})";
        IntPtr ctx;
        Check(CtxCreate(&ctx, 0, device), "cuCtxCreate");
        _context = ctx;

        var deviceTally = DeviceTally.Applies(_config);
        var source = KernelEmitter.Emit(_config, KernelDialect.Cuda) + (deviceTally ? DeviceTally.Emit(_config, KernelDialect.Cuda) : "");
        var image = Compile(source, option, cubin);
        IntPtr module;
        var load = 0;
        fixed (byte* p = image) load = ModuleLoadData(&module, p);
        if (load != 0)
            throw new BackendUnavailableException("cuda", $"cuModuleLoadData failed with {ErrorName(load)} loading the {target} image "
                + $"(driver CUDA {driver / 1000}.{driver % 1000 / 10}, NVRTC {nvMajor}.{nvMinor}"
                + (cubin ? ")" : "; PTX newer than the driver supports needs an NVRTC no newer than the driver)"));
        _module = module;
        _function = Function(KernelEmitter.EntryPoint);
        if (deviceTally)
        {
            _index = new PatternIndex(_config);
            _tally = Function(DeviceTally.TallyEntryPoint);
            _zero = Function(DeviceTally.ZeroEntryPoint);
            ulong cells;
            Check(MemAlloc(&cells, (nuint)(DeviceTally.Cells(_config) * sizeof(uint))), "cuMemAlloc");
            _cells = cells;
        }
        ulong codes, margins;
        Check(MemAlloc(&codes, (nuint)(LaunchSize * sizeof(ulong))), "cuMemAlloc");
        _codes = codes;
        Check(MemAlloc(&margins, (nuint)(LaunchSize * sizeof(float))), "cuMemAlloc");
        _margins = margins;
    }

    /// <summary>
    /// What NVRTC compiles for a device of compute capability <paramref name="sm"/> (e.g. 90): a cubin for sm_XY when
    /// NVRTC knows that architecture and can emit cubins (no PTX JIT in the driver, so an NVRTC newer than the driver
    /// still works); otherwise PTX for the newest virtual architecture NVRTC has that is not newer than the device,
    /// which the driver JIT-compiles.
    /// </summary>
    private static (string Option, bool Cubin, string Target) Target(int sm)
    {
        int[] archs = [];
        if (HasNvrtc("nvrtcGetSupportedArchs"))
        {
            int count;
            CheckNvrtc(NvrtcGetNumSupportedArchs(&count), "nvrtcGetNumSupportedArchs");
            archs = new int[count];
            fixed (int* a = archs) CheckNvrtc(NvrtcGetSupportedArchs(a), "nvrtcGetSupportedArchs");
        }
        if (archs.Contains(sm) && HasNvrtc("nvrtcGetCUBIN")) return ($"--gpu-architecture=sm_{sm}", true, $"sm_{sm} cubin");
        if (archs.Length == 0) return ($"--gpu-architecture=compute_{sm}", false, $"compute_{sm} PTX");
        var fit = archs.Where(a => a <= sm).DefaultIfEmpty(0).Max();
        if (fit == 0)
            throw new BackendUnavailableException("cuda", $"NVRTC supports sm_{archs.Min()}..sm_{archs.Max()}, not this device's sm_{sm} (use an older NVRTC)");
        return ($"--gpu-architecture=compute_{fit}", false, $"compute_{fit} PTX");
    }

    private static byte[] Compile(string source, string arch, bool cubin)
    {
        var src = Encoding.UTF8.GetBytes(source + "\0");
        var fileName = Encoding.ASCII.GetBytes("wb_sample.cu\0");
        var options = new[] { arch, "--fmad=false", "--prec-div=true", "--prec-sqrt=true" }
            .Select(o => Encoding.ASCII.GetBytes(o + "\0")).ToArray();
        IntPtr prog;
        fixed (byte* s = src) fixed (byte* f = fileName) CheckNvrtc(NvrtcCreateProgram(&prog, s, f, 0, null, null), "nvrtcCreateProgram");
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
                var text = Encoding.UTF8.GetString(log).TrimEnd('\0').Trim().ReplaceLineEndings(" ");
                throw new BackendUnavailableException("cuda", $"NVRTC build error {NvrtcErrorName(err)} ({arch}): {text}");
            }
            nuint imageSize;
            if (cubin)
            {
                CheckNvrtc(NvrtcGetCubinSize(prog, &imageSize), "nvrtcGetCUBINSize");
                var image = new byte[(int)imageSize];
                fixed (byte* p = image) CheckNvrtc(NvrtcGetCubin(prog, p), "nvrtcGetCUBIN");
                return image;
            }
            CheckNvrtc(NvrtcGetPtxSize(prog, &imageSize), "nvrtcGetPTXSize");
            var ptx = new byte[(int)imageSize];
            fixed (byte* p = ptx) CheckNvrtc(NvrtcGetPtx(prog, p), "nvrtcGetPTX");
            return ptx;
        }
        finally { NvrtcDestroyProgram(&prog); }
    }

    private IntPtr Function(string entry)
    {
        IntPtr function;
        var name = Encoding.ASCII.GetBytes(entry + "\0");
        fixed (byte* e = name) Check(ModuleGetFunction(&function, _module, e), "cuModuleGetFunction " + entry);
        return function;
    }

    /// <summary>Whether launches are counted on the GPU (<see cref="DeviceTally"/>) or read back and counted on the host.</summary>
    public bool CountsOnDevice => _index is not null;

    public SampleTally Run(ulong seed, ulong first, ulong count, Action<long>? progress, CancellationToken cancel)
    {
        var tally = new SampleTally(_epsilons.Length);
        var deviceTally = _index is not null;
        var codes = deviceTally ? [] : new ulong[LaunchSize];
        var margins = deviceTally ? [] : new float[LaunchSize];
        var cells = deviceTally ? new uint[DeviceTally.Cells(_config)] : [];
        ulong start = 0, codesPtr = _codes, marginsPtr = _margins, cellsPtr = _cells;
        uint n = 0, cellCount = (uint)cells.Length;
        var args = stackalloc void*[] { &seed, &start, &n, &codesPtr, &marginsPtr };
        var zeroArgs = stackalloc void*[] { &cellsPtr, &cellCount };
        var tallyArgs = stackalloc void*[] { &codesPtr, &marginsPtr, &n, &cellsPtr };
        // The context is current on the thread that built it; Run may be called from another one.
        Check(CtxSetCurrent(_context), "cuCtxSetCurrent");
        for (ulong done = 0; done < count; done += LaunchSize)
        {
            cancel.ThrowIfCancellationRequested();
            n = (uint)Math.Min(LaunchSize, count - done);
            start = first + done;
            if (deviceTally)
            {
                // One stream: zero the cells, sample, count; only the cells (O(histogram) bytes) come back.
                Check(LaunchKernel(_zero, (cellCount + BlockSize - 1) / BlockSize, 1, 1, BlockSize, 1, 1, 0, IntPtr.Zero, zeroArgs, null), "cuLaunchKernel wb_zero");
                Check(LaunchKernel(_function, (n + BlockSize - 1) / BlockSize, 1, 1, BlockSize, 1, 1, 0, IntPtr.Zero, args, null), "cuLaunchKernel");
                Check(LaunchKernel(_tally, Math.Clamp((n + 255u) / 256u, 1u, TallyBlocks), 1, 1, 256, 1, 1, 0, IntPtr.Zero, tallyArgs, null), "cuLaunchKernel wb_tally");
                Check(CtxSynchronize(), "cuCtxSynchronize");
                fixed (uint* c = cells) Check(MemcpyDtoH(c, _cells, (nuint)cells.Length * sizeof(uint)), "cuMemcpyDtoH");
                DeviceTally.AddCells(tally, _index!, cells);
                progress?.Invoke(n);
                continue;
            }
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
        if (err != 0) throw new BackendUnavailableException("cuda", $"{call} failed with {ErrorName(err)}");
    }

    private static void CheckNvrtc(int err, string call)
    {
        if (err != 0) throw new BackendUnavailableException("cuda", $"{call} failed with {NvrtcErrorName(err)}");
    }

    /// <summary>"CUDA_ERROR_INVALID_PTX (218)"; the bare number when the driver does not know it.</summary>
    private static string ErrorName(int err)
    {
        byte* name = null;
        try
        {
            if (GetErrorName(err, &name) == 0 && name is not null)
                return $"{System.Runtime.InteropServices.Marshal.PtrToStringAnsi((IntPtr)name)} ({err})";
        }
        catch (EntryPointNotFoundException) { }
        return $"error {err}";
    }

    private static string NvrtcErrorName(int err)
    {
        try
        {
            var text = NvrtcGetErrorString(err);
            if (text is not null) return $"{System.Runtime.InteropServices.Marshal.PtrToStringAnsi((IntPtr)text)} ({err})";
        }
        catch (EntryPointNotFoundException) { }
        return $"error {err}";
    }

    public void Dispose()
    {
        if (DriverError is not null) return;
        if (_context != IntPtr.Zero) CtxSetCurrent(_context);
        if (_codes != 0) { MemFree(_codes); _codes = 0; }
        if (_margins != 0) { MemFree(_margins); _margins = 0; }
        if (_cells != 0) { MemFree(_cells); _cells = 0; }
        if (_module != IntPtr.Zero) { ModuleUnload(_module); _module = IntPtr.Zero; }
        if (_context != IntPtr.Zero) { CtxDestroy(_context); _context = IntPtr.Zero; }
    }
}
