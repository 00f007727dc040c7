using System.Collections.Concurrent;
using Workbench.Protocols.Output;
using Workbench.Protocols.Protocols;
using Workbench.Protocols.Runs;

namespace Workbench.Claims.Protocols;

/// <summary>
/// S.protocols: runs the six §15 protocols, small, on stories260K and checks that each output is well-formed
/// (finite arrays, a report with plots) and non-degenerate (each measures something that varies).
/// </summary>
public sealed class ProtocolsRunnableCheck : ClaimCheck
{
    public override string ClaimId => "S.protocols";
    public override string Name => "six protocols run on stories260K";
    public override string Setting => "stories260K (5 layers, 8 heads, d_head 8), 2 fixed prompts of 13-15 tokens, float64 forward pass; ties and sweep on layer 4, head 0";

    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, ProtocolResult>> Cache = new();

    internal static IReadOnlyDictionary<string, ProtocolResult>? Results(ClaimContext context)
    {
        var model = TrainedModelFixture.Load(context);
        if (model is null) return null;
        return Cache.GetOrAdd(context.SharedDirectory!, _ =>
        {
            var input = new ProtocolInput { Model = model.Model, Prompts = TrainedModelFixture.Prompts(model), Seed = context.SeedFor("S.protocols") };
            var focused = input with { Layer = model.Model.Shape.Layers - 1, Head = 0 };
            return new Dictionary<string, ProtocolResult>
            {
                ["margins"] = new MarginsProtocol().Run(input),
                ["ties"] = new TiesProtocol(count: 1).Run(focused),
                ["temperature"] = new TemperatureProtocol().Run(input),
                ["heads"] = new HeadsProtocol().Run(input),
                ["masks"] = new MasksProtocol().Run(focused),
                ["sweep"] = new SweepProtocol().Run(focused),
            };
        });
    }

    public override CheckOutcome Run(ClaimContext context) => Judge(context, sweepCrossing: 0.5, changeAtTrainedTemperature: 0);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("the default sweep crosses its tie at t = 0.25 (a changed constant)", c => Judge(c, sweepCrossing: 0.25, changeAtTrainedTemperature: 0)),
        new("patterns already differ from themselves at τ = 1 (change rate 1 at the trained temperature)", c => Judge(c, sweepCrossing: 0.5, changeAtTrainedTemperature: 1)),
    ];

    private static CheckOutcome Judge(ClaimContext context, double sweepCrossing, double changeAtTrainedTemperature)
    {
        var results = Results(context);
        if (results is null) return TrainedModelFixture.Missing;
        var evidence = new List<Evidence>();
        var failures = new List<string>();
        void Require(bool ok, string what) { if (!ok) failures.Add(what); }
        foreach (var (name, r) in results)
        {
            Require(r.Report.Length > 0 && r.Plots.Count > 0, $"{name}: report or plots missing");
            Require(r.Arrays.Values.All(a => a.Data.All(double.IsFinite) || name is "margins" or "masks"), $"{name}: non-finite array values");
        }
        var margins = results["margins"].Arrays["margins"].Data.Where(double.IsFinite).ToArray();
        Require(margins.Length > 0 && margins.Max() > margins.Min(), "margins: degenerate margins");
        evidence.Add(Evidence.Numeric($"margins: {margins.Length} head-rows, median margin {Fmt.Sig(Stats.Median(margins))}, {Fmt.Sig(margins.Count(m => m < 0.1) / (double)margins.Length)} of them below 0.1"));

        var ties = results["ties"].Summary["ties"]!.AsArray();
        var crossing = ties.Count == 0 ? double.NaN : (double?)ties[0]!["crossing_t"] ?? double.NaN;
        Require(ties.Count > 0 && double.IsFinite(crossing) && (bool)ties[0]!["pattern_switched"]!, "ties: no tie crossed");
        evidence.Add(Evidence.Numeric($"ties: nearest-tie row (gap {Fmt.Sig((double)ties[0]!["gap"]!)}) crossed at t* = {Fmt.Sig(crossing, 2)} of the minimum-norm residual step; pattern switched"));

        var change = results["temperature"].Arrays["pattern_change"].Data;
        var one = Array.IndexOf(TemperatureProtocol.Grid, 1.0);
        Require(Math.Abs(change[one] - changeAtTrainedTemperature) < 1e-12, $"temperature: change rate at τ = 1 is {Fmt.Sig(change[one])}, expected {Fmt.Sig(changeAtTrainedTemperature)}");
        Require(change.Max() > 0, "temperature: no pattern ever changed");
        evidence.Add(Evidence.Numeric($"temperature: pattern change {Fmt.Sig(change[0])} at τ = {Fmt.Sig(TemperatureProtocol.Grid[0])}, {Fmt.Sig(change[^1])} at τ = {Fmt.Sig(TemperatureProtocol.Grid[^1])}, 0 at τ = 1"));

        var layers = results["heads"].Summary["layers"]!.AsArray();
        var tc = layers.Select(l => (double)l!["total_correlation_bits"]!).ToArray();
        Require(tc.All(v => v >= -1e-9) && tc.Any(v => v > 0), "heads: total correlation degenerate");
        evidence.Add(Evidence.Numeric($"heads: total correlation of head patterns per layer {string.Join(", ", tc.Select(v => Fmt.Sig(v, 2)))} bits (plug-in)"));

        var causal = results["masks"].Arrays["offsets_causal"].Data;
        var window = results["masks"].Arrays[$"offsets_window-{MasksProtocol.Window}"].Data;
        Require(causal.All(o => o >= 0) && window.All(o => o >= 0 && o < MasksProtocol.Window), "masks: a pattern reached a masked key");
        evidence.Add(Evidence.Numeric($"masks: causal reachable offsets {causal.Distinct().Count()}, window-{MasksProtocol.Window} {window.Distinct().Count()}, none {results["masks"].Arrays["offsets_none"].Data.Distinct().Count()}"));

        var sweep = (double?)results["sweep"].Summary["crossing_t"] ?? double.NaN;
        Require(Math.Abs(sweep - sweepCrossing) < 1e-6, $"sweep: crossing at t = {Fmt.Sig(sweep)}, expected {Fmt.Sig(sweepCrossing)}");
        evidence.Add(Evidence.Numeric($"sweep: built-in crossing t* = 0.5 recovered within 1e-6; rows switched at t = 1: {Fmt.Sig((double)results["sweep"].Summary["switched_at_end"]!)}"));

        if (failures.Count > 0) return new CheckOutcome(Finding.Refutes, [.. failures.Select(f => Evidence.Counterexample(f)), .. evidence]);
        return new CheckOutcome(Finding.SupportsNumerically, evidence);
    }
}
