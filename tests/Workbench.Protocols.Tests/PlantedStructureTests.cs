using Workbench.Models;
using Workbench.Protocols.Model;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Protocols;
using Workbench.Protocols.Runs;

namespace Workbench.Protocols.Tests;

/// <summary>Each protocol on a model whose answer is known in closed form.</summary>
public class PlantedStructureTests
{
    private static readonly Transformer Switch = new(PlantedModels.TemperatureSwitch(), "temperature-switch");
    private static readonly Transformer Previous = new(PlantedModels.PreviousToken(), "previous-token");
    private static readonly int[] Row = PlantedModels.TemperatureSwitchTokens;

    private static ProtocolInput Input(IAttentionModelProbe model, params int[][] prompts) => new() { Model = model, Prompts = prompts };

    [Fact]
    public void Planted_temperature_switch_has_the_closed_form_scores()
    {
        var run = Switch.Run(Row, ProbeOptions.Default);
        var m = PlantedModels.TemperatureSwitchM(1);
        Assert.Equal(m, run.Score(1, 0, 2, 0), 12);
        Assert.Equal(0.5, run.Score(1, 0, 2, 1), 12);
        Assert.Equal(1, RowPattern.Of(run, 1, 0, 2).Argmax);
    }

    [Fact]
    public void Temperature_protocol_finds_the_switch_at_the_known_temperature()
    {
        var tauStar = PlantedModels.SwitchTemperature();
        Assert.InRange(tauStar, 0.85, 0.95);
        Assert.Equal(1 / Math.Log(3), tauStar, 6);   // the e^{−40/τ} term is negligible here
        var found = TemperatureProtocol.SwitchTemperature(Switch, Row, 1, 0, 2, 0.5, 1.0);
        Assert.Equal(tauStar, found, 9);

        var result = new TemperatureProtocol().Run(Input(Switch, Row));
        var change = result.Arrays["pattern_change"].Data;
        for (var g = 0; g < TemperatureProtocol.Grid.Length; g++)
            Assert.Equal(TemperatureProtocol.Grid[g] < tauStar ? 0.25 : 0.0, change[g], 12); // 1 of 4 rows (layers 0, 1 × rows 1, 2)
    }

    [Fact]
    public void Ties_protocol_solves_the_known_crossing_perturbation()
    {
        var run = Switch.Run(Row, ProbeOptions.Default);
        var probe = TiesProtocol.Probe(Switch, Row, 1, 0, 2, RowPattern.Of(run, 1, 0, 2));
        // gap = S₂₁ − S₂₀ = ½ − m; its gradient in the residual at row 2 is W_Qᵀ(k₁ − k₀)/2 = (0, 0, ½, −1).
        double[] grad = [0, 0, 0.5, -1];
        var gap = 0.5 - PlantedModels.TemperatureSwitchM(1);
        Assert.Equal(gap, probe.Gap, 12);
        for (var c = 0; c < 4; c++) Assert.Equal(-gap * grad[c] / 1.25, probe.Delta[c], 8);
        Assert.Equal(1.0, probe.Crossing, 6);            // linear gap: the linearized solve is exact
        Assert.Equal(1, probe.Argmax[0]);
        Assert.Equal(0, probe.Argmax[^1]);                 // past the crossing the pattern has switched
        Assert.True(probe.RunnerUpWeight[^1] > probe.WinnerWeight[^1]);
    }

    [Fact]
    public void Sweep_protocol_finds_the_planted_crossing_time()
    {
        var direction = new double[Switch.Shape.HeadParameterCount];
        direction[1 * 4 + 2] = -0.1;                       // W_Q[1, 2]: S₂₁(t) = (1 − 0.1 t)/2
        var target = new SweepProtocol.Target(0, 2, 1, 0);
        var tStar = (1 - 2 * PlantedModels.TemperatureSwitchM(1)) / 0.1;
        var sweep = SweepProtocol.Sweep(Switch, [Row], 1, 0, direction, target);
        Assert.Equal(tStar, sweep.Crossing, 9);
        for (var s = 0; s < sweep.T.Length; s++) Assert.Equal(sweep.T[s] > tStar ? 0.5 : 0.0, sweep.Switched[s], 12); // 1 of rows 1, 2
        Assert.All(sweep.Fisher, f => Assert.True(f >= 0));
    }

    [Fact]
    public void Sweep_default_direction_crosses_at_one_half_even_on_a_normalized_model()
    {
        var folder = SharedModels.Stories260K();
        IAttentionModelProbe model = folder is null ? Previous : Trained.Model.Model;
        int[] tokens = folder is null ? [0, 1, 2, 3, 4, 0, 1] : Trained.Model.Tokenizer!.Encode("Tom saw a big dog.");
        var input = Input(model, tokens) with { Layer = model.Shape.Layers - 1, Head = 0 };
        var (layer, head, target) = SweepProtocol.ChooseTarget(input);
        var direction = SweepProtocol.DefaultDirection(model, tokens, layer, head, target);
        double Gap(double t)
        {
            var r = model.Run(tokens, new ProbeOptions { ParameterDelta = new HeadParameterDelta(layer, head, direction.Select(x => t * x).ToArray()) });
            return r.Score(layer, head, target.Row, target.Winner) - r.Score(layer, head, target.Row, target.RunnerUp);
        }
        Assert.True(Gap(0) > 0);
        Assert.Equal(0, Gap(0.5), 9);
        Assert.True(Gap(1) < 0);
    }

    [Fact]
    public void Margins_protocol_sees_the_previous_token_head()
    {
        int[] tokens = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1];
        var result = new MarginsProtocol().Run(Input(Previous, tokens));
        var offsets = result.Arrays["offsets"].Data;
        Assert.Equal(tokens.Length - 2, offsets.Length);
        Assert.All(offsets, o => Assert.Equal(1, o));
        Assert.All(result.Arrays["margins"].Data, m => Assert.True(m > 0.1));
    }

    [Fact]
    public void Masks_protocol_reports_the_reachable_sets_of_the_previous_token_head()
    {
        int[] tokens = [0, 1, 2, 3, 4, 0, 1, 2, 3];
        var result = new MasksProtocol().Run(Input(Previous, tokens));
        var causal = result.Arrays["offsets_causal"].Data.Distinct().OrderBy(x => x).ToArray();
        Assert.Equal([0.0, 1.0], causal);                  // row 0 can only attend to itself
        var window = result.Arrays[$"offsets_window-{MasksProtocol.Window}"].Data;
        Assert.All(window, o => Assert.InRange(o, 0, MasksProtocol.Window - 1));
        var none = result.Arrays["offsets_none"].Data;
        // The planted scores peak at j = i − 1 whatever the mask; with no key −1, row 0 falls back to itself, not the future.
        Assert.Equal(0, none[0]);
        Assert.All(none.Skip(1), o => Assert.Equal(1, o));
    }

    [Fact]
    public void Heads_profile_measures_distance_from_the_product_picture()
    {
        var rng = new Random(7);
        var independent = Enumerable.Range(0, 4000).Select(_ => new[] { rng.Next(4), rng.Next(4) }).ToArray();
        var copies = independent.Select(r => new[] { r[0], r[0] }).ToArray();
        var errors = independent.Select(_ => false).ToArray();
        var ind = HeadsProtocol.Profile(0, independent, errors);
        var cop = HeadsProtocol.Profile(0, copies, errors);
        Assert.InRange(ind.TotalCorrelationMillerMadow, -0.01, 0.01);
        Assert.Equal(2.0, cop.TotalCorrelation, 1);        // H(uniform on 4) = 2 bits, all shared
        Assert.Equal(cop.PairwiseMi[0, 0], cop.PairwiseMi[0, 1], 12);
    }
}
