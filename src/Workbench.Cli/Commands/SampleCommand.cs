using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Workbench.Attention.Io;
using Workbench.Cli.Infrastructure;
using Workbench.Kernels.Backends;
using Workbench.Kernels.Sampling;

namespace Workbench.Cli.Commands;

/// <summary>
/// `workbench sample`: Monte Carlo volumes of the pattern regions π(σ), margins, near-tie fractions and the
/// softmax Jacobian's norm for i.i.d. Gaussian (Q, K), on the CPU, OpenCL or CUDA backend. Output is written only
/// when the run has finished, so a refused or failed run writes nothing to stdout.
/// </summary>
public sealed class SampleCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var tokens = new Option<int>("--tokens") { Description = "Number of tokens n (1..16)", Required = true };
        var headDim = new Option<int>("--head-dim") { Description = "Head dimension d_h", Required = true };
        var heads = new Option<int>("--heads") { Description = "Independent heads (joint pattern code)", DefaultValueFactory = _ => 1 };
        var mask = new Option<string>("--mask") { Description = "none, causal or window:W", DefaultValueFactory = _ => "none" };
        var samples = new Option<string>("--samples") { Description = "Sample count, e.g. 1e9 (1..2^63)", DefaultValueFactory = _ => "1e6" };
        var seed = new Option<string>("--seed") { Description = "Seed: a 64-bit unsigned integer (decimal or 0x hex)", DefaultValueFactory = _ => "1" };
        var backend = new Option<string>("--backend") { Description = "cpu, opencl, cuda or auto", DefaultValueFactory = _ => "auto" };
        var epsilons = new Option<string>("--epsilon") { Description = "Comma-separated ε list for near-tie fractions", DefaultValueFactory = _ => "1e-3,1e-2,1e-1" };
        var tau = new Option<double>("--tau") { Description = "Temperature for the softmax Jacobian norm", DefaultValueFactory = _ => 1.0 };
        var shard = new Option<string?>("--shard") { Description = "Run only shard i of K, as i/K; merge shard JSON with `workbench sample-merge`" };
        var threads = new Option<int>("--threads") { Description = "CPU worker threads (0: one per core)", DefaultValueFactory = _ => 0 };
        var top = new Option<int>("--top") { Description = "Patterns listed in text output", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var emit = new Option<string?>("--emit-kernel") { Description = "Print the emitted kernel (opencl or cuda) for this configuration instead of running it" };
        var wq = new Option<string?>("--wq") { Description = "Query weights W_Q as .npy [d_model,d_h] or [H,d_model,d_h]: sample Q = X W_Q with X ~ N(0, I) shared by all heads (needs --wk)" };
        var wk = new Option<string?>("--wk") { Description = "Key weights W_K, the same shape as --wq: K = X W_K" };

        var command = new Command("sample", "Monte Carlo volumes of attention pattern regions, margins and near-tie fractions");
        foreach (var o in new Option[] { tokens, headDim, heads, mask, samples, seed, backend, epsilons, tau, shard, threads, top, json, emit, wq, wk })
            command.Options.Add(o);

        command.SetAction(parse =>
        {
            var maskValue = SamplerMask.Parse(parse.GetValue(mask)!, out var maskProblem)
                ?? throw new InputException("--mask", maskProblem!);
            var count = ParseSamples(parse.GetValue(samples)!);
            var seedValue = ParseSeed(parse.GetValue(seed)!);
            var config = new SamplerConfig
            {
                Tokens = parse.GetValue(tokens), HeadDim = parse.GetValue(headDim), Heads = parse.GetValue(heads),
                Mask = maskValue, Epsilons = ParseEpsilons(parse.GetValue(epsilons)!),
                Distribution = ProjectedLaw(parse.GetValue(wq), parse.GetValue(wk), parse.GetValue(heads), parse.GetValue(headDim)),
            };
            var problems = config.Problems();
            if (problems.Count > 0) throw new InputException("--" + problems[0].Input, problems[0].Problem);
            if (parse.GetValue(emit) is { } dialectName)
            {
                // Lets a machine without .NET (a GPU node) compile and check exactly the source the backends build.
                var dialect = dialectName.Trim().ToLowerInvariant() switch
                {
                    "opencl" => KernelDialect.OpenCl,
                    "cuda" => KernelDialect.Cuda,
                    _ => throw new InputException("--emit-kernel", $"'{dialectName}' is not opencl or cuda"),
                };
                io.Out.Write(KernelEmitter.Emit(config, dialect));
                return ExitCodes.Ok;
            }
            var tauValue = parse.GetValue(tau);
            if (!(tauValue > 0) || double.IsInfinity(tauValue)) throw new InputException("--tau", "must be a positive finite number");
            var part = ParseShard(parse.GetValue(shard), count);
            if (parse.GetValue(threads) < 0) throw new InputException("--threads", "must be ≥ 0");

            var backendName = parse.GetValue(backend)!.Trim().ToLowerInvariant();
            var why = Backend.Unavailable(backendName);
            if (why is not null) return io.Fail("--backend " + backendName, why, why.StartsWith("unknown", StringComparison.Ordinal) ? ExitCodes.BadInput : ExitCodes.Unavailable);

            ISamplerBackend opened;
            try { opened = Backend.Open(backendName, config, parse.GetValue(threads)); }
            catch (BackendUnavailableException ex) { return io.Fail("--backend " + backendName, ex.Reason, ExitCodes.Unavailable); }
            using var b = opened;

            var progress = io.Interactive ? new ProgressLine(io.Error, part.Count) : null;
            var report = SampleRun.Run(b, config, seedValue, count, part, tauValue, progress is null ? null : progress.Advance);
            progress?.Done();

            if (parse.GetValue(json)) io.Out.WriteLine(report.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else WriteText(io.Out, report, parse.GetValue(top));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The Gaussian law without weights; with --wq and --wk, Q^h = X W_Q^h and K^h = X W_K^h for X (n × d_model) i.i.d.
    /// N(0, 1). Each file holds [d_model, d_h] (one head) or [H, d_model, d_h]; both must have the same shape.
    /// </summary>
    internal static SamplerDistribution ProjectedLaw(string? wqPath, string? wkPath, int heads, int headDim)
    {
        if (wqPath is null && wkPath is null) return SamplerDistribution.Gaussian;
        if (wqPath is null || wkPath is null)
            throw new InputException(wqPath is null ? "--wq" : "--wk", "the projected law needs both --wq and --wk");
        var (wqs, dq) = Weights(wqPath, "--wq", heads, headDim);
        var (wks, dk) = Weights(wkPath, "--wk", heads, headDim);
        if (dq != dk) throw new InputException(wkPath, $"has d_model {dk} but {wqPath} has {dq}; they must match");
        return SamplerDistribution.Projected(dq, wqs, wks);
    }

    private static (float[][] PerHead, int ModelDim) Weights(string path, string option, int heads, int headDim)
    {
        NpyArray a;
        try { a = Npy.Read(path); }
        catch (NpyFormatException e) { throw new InputException(e.File, e.Problem); }
        if (a.DType is not (NpyDType.Float32 or NpyDType.Float64))
            throw new InputException(path, $"{option} must hold float32 or float64 weights, not {a.DType}");
        var shape = a.Shape;
        if (shape.Length == 2 && heads != 1 || shape.Length == 3 && shape[0] != heads || shape.Length is < 2 or > 3)
            throw new InputException(path, $"has shape {NpyArray.Format(shape)}; {option} needs [d_model,{headDim}] for one head or [{heads},d_model,{headDim}] for --heads {heads}");
        if (shape[^1] != headDim)
            throw new InputException(path, $"has shape {NpyArray.Format(shape)}: its last axis must be d_h = {headDim}");
        if (shape[^2] < 1 || shape[^2] > SamplerConfig.MaxModelDim)
            throw new InputException(path, $"d_model {shape[^2]} is outside 1..{SamplerConfig.MaxModelDim}");
        var values = a.ToSingle();
        for (long e = 0; e < values.LongLength; e++)
            if (!float.IsFinite(values[e]))
                throw new InputException(path, $"entry {e} is {values[e]} (or does not fit float32); weights must be finite");
        int dm = (int)shape[^2], block = dm * headDim;
        var perHead = Enumerable.Range(0, heads).Select(h => values.AsSpan(h * block, block).ToArray()).ToArray();
        return (perHead, dm);
    }

    /// <summary>Accepts an integer or a float literal with an integer value (1e9), in 1..2^63.</summary>
    internal static ulong ParseSamples(string text)
    {
        var t = text.Trim();
        if (ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var exact))
        {
            if (exact == 0) throw new InputException("--samples", "must be at least 1");
            if (exact > SampleRun.MaxSamples) throw new InputException("--samples", $"{t} exceeds 2^63");
            return exact;
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
            throw new InputException("--samples", $"'{text}' is not a number");
        if (x < 1) throw new InputException("--samples", "must be at least 1");
        if (x > 9.223372036854775808e18) throw new InputException("--samples", $"{t} exceeds 2^63");
        if (Math.Floor(x) != x) throw new InputException("--samples", $"{t} is not a whole number");
        return x >= 9.223372036854775808e18 ? SampleRun.MaxSamples : (ulong)x;
    }

    internal static ulong ParseSeed(string text)
    {
        var t = text.Trim();
        var ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
            : ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (!ok) throw new InputException("--seed", $"'{text}' is not a 64-bit unsigned integer (decimal or 0x hex)");
        return v;
    }

    internal static double[] ParseEpsilons(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length is 0 or > 16) throw new InputException("--epsilon", "give 1 to 16 comma-separated positive numbers");
        return parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var e) && e > 0 && double.IsFinite(e)
            ? e : throw new InputException("--epsilon", $"'{p}' is not a positive finite number")).ToArray();
    }

    internal static Shard ParseShard(string? text, ulong samples)
    {
        if (text is null) return new Shard(0, 0, samples);
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1 || i >= k)
            throw new InputException("--shard", $"'{text}' is not i/K with 0 ≤ i < K");
        return SampleRun.Shards(samples, k).ElementAt(i);
    }

    private static void WriteText(TextWriter w, SampleReport r, int top)
    {
        var inv = CultureInfo.InvariantCulture;
        var t = r.Tally;
        w.WriteLine($"config   {r.Config}");
        w.WriteLine($"backend  {r.Backend} ({r.Device}); kernel: {r.KernelOrigin}");
        w.WriteLine($"samples  {t.Samples.ToString("N0", inv)} of seed {r.Seed} (shard {r.Shard.Index}: [{r.Shard.First}, {r.Shard.First + r.Shard.Count}))");
        w.WriteLine($"time     {r.Seconds.ToString("0.###", inv)} s, {(r.SamplesPerSecond / 1e6).ToString("G3", inv)} M samples/s");
        w.WriteLine($"patterns {t.Patterns.Count} seen; the {Math.Min(top, t.Patterns.Count)} largest (π̂ with 95% Wilson interval):");
        foreach (var v in r.Volumes(top))
            w.WriteLine($"  σ = {string.Join(" | ", v.Sigma.Select(s => "(" + string.Join(",", s) + ")"))}  π̂ = {v.Fraction.ToString("0.000000", inv)}  [{v.Low.ToString("0.000000", inv)}, {v.High.ToString("0.000000", inv)}]");
        w.WriteLine($"exact float32 ties {t.ExactTies} (expected at a rate of order 2^-24 per row comparison: rounding, not a tie set of positive measure)");
        for (var e = 0; e < r.Config.Epsilons.Length; e++)
            w.WriteLine($"margin ≤ {r.Config.Epsilons[e].ToString("G3", inv)}: {((double)t.NearTies[e] / t.Samples).ToString("0.000000", inv)}");
        foreach (var q in SampleReport.Quantiles)
        {
            var (lo, hi) = t.MarginQuantile(q);
            w.WriteLine($"margin quantile {q.ToString(inv)}: in [{lo.ToString("G4", inv)}, {hi.ToString("G4", inv)})");
        }
        var j = r.Jacobian;
        w.WriteLine($"softmax Jacobian ‖·‖₂ at τ = {j.Tau.ToString("G3", inv)} over {j.Samples} samples: mean {j.Mean.ToString("G4", inv)}, median {j.Median.ToString("G4", inv)}, max {j.Max.ToString("G4", inv)} (bound 1/(2τ) = {j.Bound.ToString("G4", inv)})");
    }

    /// <summary>A one-line progress bar on stderr, redrawn at most every 0.2 s.</summary>
    private sealed class ProgressLine(TextWriter error, ulong total)
    {
        private long _done;
        private long _lastDraw;

        public void Advance(long samples)
        {
            var done = Interlocked.Add(ref _done, samples);
            var now = Environment.TickCount64;
            var last = Interlocked.Read(ref _lastDraw);
            if (now - last < 200 || Interlocked.CompareExchange(ref _lastDraw, now, last) != last) return;
            var fraction = total == 0 ? 1 : (double)done / total;
            var bar = new string('#', (int)(fraction * 30)).PadRight(30, '.');
            lock (error) error.Write($"\r[{bar}] {fraction * 100,5:0.0}%");
        }

        public void Done() { lock (error) error.Write("\r" + new string(' ', 45) + "\r"); }
    }
}
