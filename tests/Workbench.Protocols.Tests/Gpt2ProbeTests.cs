using Workbench.Models.Capture;
using Workbench.Models.Gpt2;
using Workbench.Models.Safetensors;
using Workbench.Protocols.Model;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Prompts;
using Workbench.Protocols.Protocols;
using Workbench.Protocols.Runs;

namespace Workbench.Protocols.Tests;

/// <summary>
/// The protocols' <see cref="Transformer"/> on GPT-2 weights (<see cref="TransformerWeights.FromGpt2"/>) against
/// Workbench.Models' float64 <see cref="Gpt2Reference"/>: logits, captured Q/K/V, scores, patterns and MLP inputs,
/// reverse-mode head gradients; its own gradients against central differences; every protocol end to end on a
/// small random GPT-2 read back from safetensors; bad inputs refused by name.
/// </summary>
public class Gpt2ProbeTests
{
    internal static readonly Gpt2Config Tiny = new(Dim: 16, Layers: 2, Heads: 2, VocabSize: 40, Positions: 16, Inner: 32);

    /// <summary>Weights as the loader returns them (a safetensors round trip), so the probe and the reference start from the file.</summary>
    static Gpt2Weights Weights(ulong seed) => Gpt2Loader.Load(SafetensorsFile.Parse(Gpt2Random.ToSafetensors(Gpt2Random.Create(Tiny, seed)).ToBytes(), "tiny.safetensors"));

    static readonly int[] Tokens = [39, 5, 9, 2, 17, 4, 4, 11, 30, 3, 0, 21];

    static double MaxRelative(double[] a, double[] b)
    {
        Assert.Equal(a.Length, b.Length);
        var scale = Math.Max(1, b.Max(Math.Abs));
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max() / scale;
    }

    [Fact]
    public void Logits_equal_the_float64_gpt2_reference()
    {
        var w = Weights(3);
        var probe = new Transformer(TransformerWeights.FromGpt2(w), "tiny");
        var reference = new Gpt2Reference(w);
        var error = MaxRelative(probe.Run(Tokens, ProbeOptions.Default).Logits, reference.Logits(Tokens));
        Assert.True(error < 1e-10, $"probe vs Gpt2Reference logits: relative error {error:E2}");
        Assert.Equal(new ModelShape(2, 2, 2, 16, 8, 40, 16), probe.Shape);
    }

    /// <summary>Q and K after GPT-2's own position handling (learned positions enter the residual stream, no RoPE), biases included.</summary>
    [Fact]
    public void Captured_internals_equal_the_models_capture_hooks()
    {
        var w = Weights(4);
        var run = new Transformer(TransformerWeights.FromGpt2(w)).Run(Tokens, new ProbeOptions { CaptureInternals = true });
        var hooks = new ForwardHooks("*");
        new Gpt2Reference(w).Logits(Tokens, hooks);
        int T = Tokens.Length, H = Tiny.Heads;
        for (var l = 0; l < Tiny.Layers; l++)
        {
            var it = run.Internals![l];
            Assert.True(MaxRelative(it.ResidPre, hooks[HookNames.ResidPre(l)].Data) < 1e-12, $"layer {l} resid_pre");
            Assert.True(MaxRelative(it.Q, hooks[HookNames.Q(l)].Data) < 1e-12, $"layer {l} q");
            Assert.True(MaxRelative(it.K, hooks[HookNames.K(l)].Data) < 1e-12, $"layer {l} k");
            Assert.True(MaxRelative(it.V, hooks[HookNames.V(l)].Data) < 1e-12, $"layer {l} v");
            Assert.True(MaxRelative(it.HeadOutputs, hooks[HookNames.Z(l)].Data) < 1e-12, $"layer {l} z");
            Assert.True(MaxRelative(it.MlpPre, hooks[HookNames.MlpPre(l)].Data) < 1e-12, $"layer {l} mlp pre (GELU input)");
            var scores = hooks[HookNames.AttnScores(l)].Data;
            var pattern = hooks[HookNames.Pattern(l)].Data;
            for (var h = 0; h < H; h++)
                for (var i = 0; i < T; i++)
                    for (var j = 0; j < T; j++)
                    {
                        var idx = (h * T + i) * T + j;
                        if (j > i) { Assert.True(double.IsNaN(run.Score(l, h, i, j))); Assert.Equal(0.0, run.Weight(l, h, i, j)); continue; }
                        Assert.Equal(scores[idx], run.Score(l, h, i, j), 12);
                        Assert.Equal(pattern[idx], run.Weight(l, h, i, j), 12);
                    }
        }
    }

    /// <summary>
    /// One reverse pass of the probe per (position, label) against Gpt2Reference.Gradient with a single target: the
    /// probe lays θ out as (out, in) rows, the reference as d_model × d_head factors, so entry (a, b) is factor entry (b, a).
    /// </summary>
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    public void Reverse_mode_gradient_equals_the_references(int layer, int head)
    {
        var w = Weights(5);
        var probe = new Transformer(TransformerWeights.FromGpt2(w));
        var reference = new Gpt2Reference(w);
        int D = Tiny.Dim, dh = Tiny.HeadDim;
        var pass = probe.BeginGradients(Tokens, layer, head);
        Assert.True(MaxRelative(pass.Logits, reference.Logits(Tokens)) < 1e-10);
        foreach (var (t, y) in new[] { (3, 7), (Tokens.Length - 1, 0), (8, 39) })
        {
            var targets = Enumerable.Repeat(-1, Tokens.Length).ToArray();
            targets[t] = y;
            var expected = reference.Gradient(Tokens, layer, head, targets);
            var g = pass.Gradient(t, y);
            var scale = Math.Max(1e-3, g.Max(Math.Abs));
            for (var a = 0; a < dh; a++)
                for (var b = 0; b < D; b++)
                {
                    Assert.True(Math.Abs(g[a * D + b] - expected.DWQ[b, a]) <= 1e-10 * scale, $"W_Q[{a},{b}] at ({t},{y})");
                    Assert.True(Math.Abs(g[dh * D + a * D + b] - expected.DWK[b, a]) <= 1e-10 * scale, $"W_K[{a},{b}] at ({t},{y})");
                }
        }
    }

    /// <summary>The probe's own reverse pass (LayerNorm backward, GELU', biases) against central differences of Run, at a non-zero θ offset.</summary>
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void Reverse_mode_gradient_matches_central_differences(int layer, int head)
    {
        var model = new Transformer(TransformerWeights.FromGpt2(Weights(6)));
        var n = model.Shape.HeadParameterCount;
        var rng = new Random(17 + layer);
        var offset = Enumerable.Range(0, n).Select(_ => 0.05 * (rng.NextDouble() * 2 - 1)).ToArray();
        var pass = model.BeginGradients(Tokens, layer, head, offset);
        foreach (var (t, y) in new[] { (2, 3), (Tokens.Length - 1, 11) })
        {
            var g = pass.Gradient(t, y);
            var u = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            var analytic = g.Select((v, i) => v * u[i]).Sum();
            var numeric = CentralDifference.LogProbAlong(model, Tokens, layer, head, offset, u, t, y);
            Assert.True(Math.Abs(analytic) > 1e-5, $"a vanishing derivative ({analytic}) would compare nothing");
            Assert.True(Math.Abs(numeric - analytic) <= 1e-7 * Math.Max(1, Math.Abs(analytic)), $"position {t}: central difference {numeric:R} vs reverse mode {analytic:R}");
        }
    }

    /// <summary>∂S_ij/∂θ is exact for GPT-2 too: S is bilinear in (W_Q, W_K) given the layer input, and the Q/K biases do not depend on θ.</summary>
    [Fact]
    public void Score_gradient_matches_central_differences()
    {
        var model = new Transformer(TransformerWeights.FromGpt2(Weights(7)));
        const int layer = 1, head = 1, row = 9, key = 4;
        var run = model.Run(Tokens, new ProbeOptions { CaptureInternals = true });
        var g = model.ScoreParameterGradient(run, layer, head, row, key);
        var rng = new Random(3);
        var u = Enumerable.Range(0, g.Length).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        const double h = 1e-4;
        double S(double sign) => model.Run(Tokens, new ProbeOptions { ParameterDelta = new HeadParameterDelta(layer, head, u.Select(x => sign * h * x).ToArray()) }).Score(layer, head, row, key);
        var numeric = (S(1) - S(-1)) / (2 * h);
        var analytic = g.Select((v, i) => v * u[i]).Sum();
        Assert.True(Math.Abs(numeric - analytic) <= 1e-8 * Math.Max(1, Math.Abs(analytic)), $"{numeric:R} vs {analytic:R}");
    }

    public static TheoryData<string> ProtocolNames => new(ProtocolRegistry.All.Select(p => p.Name));

    /// <summary>Every protocol on a random GPT-2 read from a safetensors file, prompts written by the model from seeded ids; files on disk.</summary>
    [Theory]
    [MemberData(nameof(ProtocolNames))]
    public void Every_protocol_runs_end_to_end_on_a_gpt2_checkpoint(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"wb-gpt2-protocol-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "tiny.safetensors");
        Gpt2Random.ToSafetensors(Gpt2Random.Create(Tiny, 8)).Save(path);
        var loaded = LoadedModel.Load(path);
        Assert.Equal(Workbench.Models.ModelFormat.Gpt2Safetensors, loaded.Format);
        Assert.Null(loaded.Tokenizer);
        var prompts = PromptSet.SeededIds(loaded.Model, 11, stories: 2, maxTokens: 10);
        Assert.Equal(prompts.Select(p => p.Length), [10, 10]);
        Assert.Equal(prompts, PromptSet.SeededIds(loaded.Model, 11, stories: 2, maxTokens: 10));
        var input = new ProtocolInput { Model = loaded.Model, Prompts = prompts, Layer = 1, Head = 0, Seed = 5 };
        var result = ProtocolRegistry.Find(name)!.Run(input);
        var files = result.WriteTo(Path.Combine(folder, name));
        Assert.Contains(files, f => f.EndsWith("summary.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("report.md", StringComparison.Ordinal));
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 0, f));
        if (name == "cells")
        {
            Assert.Equal("Gelu", result.Summary["mlp_kind"]!.GetValue<string>());
            Assert.Contains("GELU MLP", result.Report.ToString());
            Assert.Contains("analogue", result.Summary["gate_patterns_are"]!.GetValue<string>());
        }
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Bad_inputs_are_refused_by_name()
    {
        var model = new Transformer(TransformerWeights.FromGpt2(Weights(9)));
        int[] ok = [1, 2, 3];
        ProtocolInputException Refused(ProtocolInput input) => Assert.Throws<ProtocolInputException>(input.Validate);
        Assert.Equal("--layer", Refused(new ProtocolInput { Model = model, Prompts = [ok], Layer = 2 }).Input);
        Assert.Contains("layers 0..1", Refused(new ProtocolInput { Model = model, Prompts = [ok], Layer = 2 }).Problem);
        Assert.Equal("--head", Refused(new ProtocolInput { Model = model, Prompts = [ok], Head = -1 }).Input);
        var tooLong = Enumerable.Range(0, 17).Select(i => i % 40).ToArray();
        Assert.Contains("exceed the model's context length 16", Refused(new ProtocolInput { Model = model, Prompts = [tooLong] }).Problem);
        Assert.Contains("outside the vocabulary", Refused(new ProtocolInput { Model = model, Prompts = [[1, 40]] }).Problem);
        Assert.Contains("context length 16", Assert.Throws<ArgumentException>(() => model.Run(tooLong, ProbeOptions.Default)).Message);
        Assert.Contains("layer 2 is out of range", Assert.Throws<ArgumentException>(() => model.BeginGradients(ok, 2, 0)).Message);
    }
}
