using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Workbench.Algebra.Operators;
using Workbench.Cli.Infrastructure;

namespace Workbench.Cli.Commands;

/// <summary>
/// `workbench algebra`: the operator algebra of each layer's heads A_h = W^q_h (W^k_h)^T, kept factored: ε_ℓ,
/// scale-free ε, span rank, κ, Jacobi round-off, action, phase. `--random d,r,H,L` analyses seeded random layers
/// (the benchmark shapes) instead of a checkpoint.
/// </summary>
public sealed class AlgebraCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var command = new Command("algebra", "Operator algebra of attention heads per layer (eps, scale-free eps, rank, kappa, Jacobi round-off, action, phase)");
        var model = new Option<string?>("--model") { Description = "checkpoint file (llama2.c .bin or GPT-2 .safetensors)" };
        var format = new Option<string?>("--format") { Description = "llama2c | gpt2-safetensors (default: from the file extension)" };
        var foldNorm = new Option<bool>("--fold-norm") { Description = "fold the preceding norm gain into W_Q and W_K" };
        var json = new Option<bool>("--json") { Description = "machine-readable output" };
        var svg = new Option<string?>("--svg") { Description = "write an SVG plot of eps by layer to this file" };
        var random = new Option<string?>("--random") { Description = "analyse seeded random layers instead: d,r,H,L (entries N(0, 1/d))" };
        var seed = new Option<ulong>("--seed") { Description = "seed for --random and the Jacobi probes", DefaultValueFactory = _ => 1 };
        var low = new Option<double>("--phase-low") { Description = "eps threshold between phases I and II", DefaultValueFactory = _ => PhaseThresholds.Note.Low };
        var high = new Option<double>("--phase-high") { Description = "eps threshold between phases II and III", DefaultValueFactory = _ => PhaseThresholds.Note.High };
        foreach (var o in new Option[] { model, format, foldNorm, json, svg, random, seed, low, high }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(model);
            var rnd = parse.GetValue(random);
            if ((path is null) == (rnd is null)) return io.Fail("algebra", "give exactly one of --model PATH or --random d,r,H,L");
            var lo = parse.GetValue(low);
            var hi = parse.GetValue(high);
            if (!(lo > 0 && hi >= lo && double.IsFinite(hi))) return io.Fail("--phase-low/--phase-high", $"need 0 < low <= high, finite; got {lo}, {hi}");
            var thresholds = new PhaseThresholds(lo, hi);
            var (name, layers, notes) = rnd is not null
                ? RandomSource(rnd, parse.GetValue(seed))
                : AlgebraModelSource.Load(path!, parse.GetValue(format), parse.GetValue(foldNorm));
            ModelAlgebra result;
            try { result = ModelAlgebra.Analyse(name, layers, thresholds, parse.GetValue(seed), notes: notes); }
            catch (ArgumentException ex) { return io.Fail(name, ex.Message); }
            if (parse.GetValue(svg) is { } svgPath)
            {
                try { File.WriteAllText(svgPath, AlgebraSvg.Plot(result, thresholds)); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                { return io.Fail(svgPath, $"cannot write the SVG: {ex.Message}"); }
            }
            if (parse.GetValue(json)) WriteJson(io, result);
            else WriteTable(io, result, thresholds);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (string, IReadOnlyList<FactoredHeads>, IReadOnlyList<string>) RandomSource(string spec, ulong seed)
    {
        var parts = spec.Split(',');
        if (parts.Length != 4 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0))
            throw new InputException("--random", $"expected four positive integers d,r,H,L, got '{spec}'");
        var v = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var (d, r, h, l) = (v[0], v[1], v[2], v[3]);
        if ((long)d * r * h > 64L << 20 || l > 4096)
            throw new InputException("--random", $"shape too large: d·r·H = {(long)d * r * h} (limit {64 << 20}), L = {l} (limit 4096)");
        if (r > d) throw new InputException("--random", $"head rank r = {r} exceeds d = {d}");
        return ($"random d={d} r={r} H={h} L={l} seed={seed}", ModelAlgebra.RandomLayers(d, r, h, l, seed), ["random weights, entries N(0, 1/d)"]);
    }

    private static void WriteTable(CliIO io, ModelAlgebra m, PhaseThresholds t)
    {
        var o = io.Out;
        o.WriteLine($"model: {m.Model}");
        foreach (var note in m.Notes) o.WriteLine($"note: {note}");
        o.WriteLine($"eps = mean_(i<j) ||[A_i,A_j]||_F / d; scale-free = mean ||[A_i,A_j]||_F / (||A_i|| ||A_j||); phases by eps: I < {Fmt(t.Low)} <= II <= {Fmt(t.High)} < III");
        o.WriteLine($"{"layer",5}  {"eps",11}  {"eps_free",11}  {"rank",4}  {"kappa",10}  {"jacobi_max",10}  {"action",11}  phase");
        foreach (var row in m.Layers)
        {
            var r = row.Report;
            o.WriteLine($"{row.Layer,5}  {Fmt(r.Eps),11}  {Fmt(r.EpsScaleFree),11}  {r.Span.Rank,4}  {Fmt(r.Span.Kappa),10}  {Fmt(row.JacobiMax),10}  {Fmt(r.Action),11}  {r.Phase}");
        }
        o.WriteLine("jacobi_max: the Jacobi expression on span-basis triples relative to ||E_i|| ||E_j|| ||E_k||; it vanishes identically, so this is round-off.");
        o.WriteLine($"eps scales as c^{LayerReport.EpsScalingExponent} when W_q and W_k are both scaled by c; the scale-free eps does not change.");
        o.WriteLine($"per-layer reports: {m.Seconds.ToString("0.000", CultureInfo.InvariantCulture)} s in all ({(m.Seconds / m.Layers.Count * 1000).ToString("0.0", CultureInfo.InvariantCulture)} ms/layer)");
    }

    private static void WriteJson(CliIO io, ModelAlgebra m)
    {
        var payload = new
        {
            model = m.Model,
            notes = m.Notes,
            layers = m.Layers.Select(row => new
            {
                layer = row.Layer,
                eps = row.Report.Eps,
                eps_scale_free = row.Report.EpsScaleFree,
                rank = row.Report.Span.Rank,
                kappa = Finite(row.Report.Span.Kappa),
                jacobi_max = Finite(row.JacobiMax),
                action = row.Report.Action,
                phase = row.Report.Phase,
            }),
            seconds = m.Seconds,
        };
        io.Out.WriteLine(JsonSerializer.Serialize(payload, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;
    private static string Fmt(double x) => double.IsNaN(x) ? "n/a" : x.ToString("G4", CultureInfo.InvariantCulture);
}
