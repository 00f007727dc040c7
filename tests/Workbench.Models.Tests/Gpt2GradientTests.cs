using Workbench.Models.Capture;
using Workbench.Models.Gpt2;
using Workbench.Models.Heads;
using Workbench.Models.Llama;

namespace Workbench.Models.Tests;

/// <summary>
/// Reverse-mode ∂ log-likelihood/∂(W_Q^h, W_K^h) of GPT-2 against central finite differences of the float64 forward
/// pass, along random directions and at single entries, for heads in the first, a middle and the last block (so
/// zero, one and two blocks of LayerNorm/GELU/attention backward are exercised). Written against
/// <see cref="IHeadGradientModel"/>, so the same check runs on the llama2.c reference too.
/// </summary>
public class Gpt2GradientTests
{
    internal static readonly Gpt2Config Small = new(Dim: 24, Layers: 3, Heads: 4, VocabSize: 41, Positions: 16, Inner: 56);

    static Gpt2Reference Model(ulong seed) => new(Gpt2Random.Create(Small, seed));

    /// <summary>
    /// Central differences with step 1e-5 have truncation error ~1e-10·|f'''| and rounding error ~1e-16·|f|/1e-5;
    /// for log-likelihoods of tens of nats both stay below 1e-8, so 1e-7 relative to max(1, |derivative|) is tight
    /// enough to catch a missing term (a dropped LayerNorm mean term changes derivatives at the 1e-2 level).
    /// </summary>
    const double Step = 1e-5, Tolerance = 1e-7;

    internal static void CheckAgainstFiniteDifferences(IHeadGradientModel model, int[] tokens, int layer, int head, int seed, AttentionMask? mask = null, int[]? targets = null)
    {
        var g = model.Gradient(tokens, layer, head, targets, mask);
        var f = model.GetHead(layer, head);
        var rng = new Random(seed);
        double Objective()
        {
            if (targets is null) return model.LogLikelihood(tokens, mask: mask);
            var all = model.Gradient(tokens, layer, head, targets, mask);
            return all.LogLikelihood;
        }
        double Along(double[,] uq, double[,] uk, double eps)
        {
            var q = (double[,])f.WQ.Clone();
            var k = (double[,])f.WK.Clone();
            for (var i = 0; i < f.DModel; i++)
                for (var j = 0; j < f.DHead; j++) { q[i, j] += eps * uq[i, j]; k[i, j] += eps * uk[i, j]; }
            model.SetQueryFactor(layer, head, q);
            model.SetKeyFactor(layer, head, k);
            try { return Objective(); }
            finally { model.SetQueryFactor(layer, head, f.WQ); model.SetKeyFactor(layer, head, f.WK); }
        }
        for (var trial = 0; trial < 4; trial++)
        {
            // Trials 0, 1: random directions in both factors at once; 2: W_Q alone; 3: W_K alone.
            var uq = new double[f.DModel, f.DHead];
            var uk = new double[f.DModel, f.DHead];
            for (var i = 0; i < f.DModel; i++)
                for (var j = 0; j < f.DHead; j++)
                {
                    if (trial != 3) uq[i, j] = rng.NextDouble() * 2 - 1;
                    if (trial != 2) uk[i, j] = rng.NextDouble() * 2 - 1;
                }
            var analytic = 0.0;
            for (var i = 0; i < f.DModel; i++)
                for (var j = 0; j < f.DHead; j++) analytic += g.DWQ[i, j] * uq[i, j] + g.DWK[i, j] * uk[i, j];
            var numeric = (Along(uq, uk, Step) - Along(uq, uk, -Step)) / (2 * Step);
            Assert.True(Math.Abs(analytic) > 1e-4, $"layer {layer} head {head} trial {trial}: a vanishing derivative ({analytic}) would compare nothing");
            Assert.True(Math.Abs(numeric - analytic) <= Tolerance * Math.Max(1, Math.Abs(analytic)),
                $"layer {layer} head {head} trial {trial}: central difference {numeric:R} vs reverse mode {analytic:R}");
        }
        // Single entries, so a transposed or shifted column block cannot cancel out along a dense direction.
        for (var trial = 0; trial < 3; trial++)
        {
            int i = rng.Next(f.DModel), j = rng.Next(f.DHead);
            var eq = new double[f.DModel, f.DHead];
            var ek = new double[f.DModel, f.DHead];
            eq[i, j] = 1;
            ek[i, j] = 1;
            var zero = new double[f.DModel, f.DHead];
            var fq = (Along(eq, zero, Step) - Along(eq, zero, -Step)) / (2 * Step);
            var fk = (Along(zero, ek, Step) - Along(zero, ek, -Step)) / (2 * Step);
            Assert.True(Math.Abs(fq - g.DWQ[i, j]) <= Tolerance * Math.Max(1, Math.Abs(fq)), $"∂/∂W_Q[{i},{j}]: reverse mode {g.DWQ[i, j]:R}, finite difference {fq:R}");
            Assert.True(Math.Abs(fk - g.DWK[i, j]) <= Tolerance * Math.Max(1, Math.Abs(fk)), $"∂/∂W_K[{i},{j}]: reverse mode {g.DWK[i, j]:R}, finite difference {fk:R}");
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 3)]
    [InlineData(1, 2)]
    [InlineData(2, 1)]
    public void Head_gradient_matches_central_finite_differences(int layer, int head)
    {
        var model = Model(17);
        var tokens = LlamaForwardTests.RandomTokens(layer * 7 + head, 14, Small.VocabSize);
        var g = model.Gradient(tokens, layer, head);
        Assert.Equal(model.LogLikelihood(tokens), g.LogLikelihood, 1e-10);
        Assert.Equal(head, g.KvHead);
        CheckAgainstFiniteDifferences(model, tokens, layer, head, 100 * layer + head);
    }

    [Fact]
    public void Gradient_under_another_mask_and_explicit_targets_matches_finite_differences()
    {
        var model = Model(23);
        var tokens = LlamaForwardTests.RandomTokens(5, 12, Small.VocabSize);
        // Sparse targets, as the sampled Fisher uses them (one label at one position).
        var targets = Enumerable.Repeat(-1, tokens.Length).ToArray();
        targets[7] = 3;
        CheckAgainstFiniteDifferences(model, tokens, 1, 1, 9, AttentionMask.SlidingWindow(3), targets);
        CheckAgainstFiniteDifferences(model, tokens, 0, 2, 10, AttentionMask.NoMask);
    }

    [Fact]
    public void Llama_and_gpt2_answer_the_same_interface()
    {
        IHeadGradientModel[] models =
        [
            new LlamaReference(LlamaRandom.Create(LlamaForwardTests.Small, 31)),
            Model(3),
        ];
        foreach (var m in models)
        {
            var tokens = LlamaForwardTests.RandomTokens(2, 10, m.VocabSize);
            CheckAgainstFiniteDifferences(m, tokens, m.Layers - 1, m.Heads - 1, 4);
        }
    }

    [Fact]
    public void Factors_round_trip_through_the_fused_c_attn_columns()
    {
        var w = Gpt2Random.Create(Small, 8);
        var model = new Gpt2Reference(w);
        var f = model.GetHead(2, 3);
        int d = Small.Dim, r = Small.HeadDim;
        // Column h·r + j of the Q block is W_Q^h[:, j]; the K block starts at column d.
        Assert.Equal((double)w.AttnW[2][5 * 3 * d + 3 * r + 1], f.WQ[5, 1]);
        Assert.Equal((double)w.AttnW[2][5 * 3 * d + d + 3 * r + 1], f.WK[5, 1]);
        var before = model.Logits([1, 2, 3]);
        model.SetQueryFactor(2, 3, f.WQ);
        model.SetKeyFactor(2, 3, f.WK);
        Assert.Equal(before, model.Logits([1, 2, 3]));
        var zero = new double[d, r];
        model.SetKeyFactor(2, 3, zero);
        Assert.NotEqual(before, model.Logits([1, 2, 3]));
        Assert.All(model.GetHead(2, 3).WK.Cast<double>(), v => Assert.Equal(0.0, v));
        Assert.Equal(f.WQ, model.GetHead(2, 3).WQ);
    }

    [Fact]
    public void Wrong_layer_head_or_targets_are_refused_with_a_clear_message()
    {
        var model = Model(1);
        int[] tokens = [1, 2, 3, 4];
        var layer = Assert.Throws<ModelFormatException>(() => model.Gradient(tokens, 3, 0));
        Assert.Equal("layer 3", layer.Input);
        Assert.Contains("out of range", layer.Problem);
        Assert.Contains("layers 0..2", layer.Problem);
        var head = Assert.Throws<ModelFormatException>(() => model.Gradient(tokens, 0, 4));
        Assert.Equal("head 4", head.Input);
        Assert.Contains("heads 0..3", head.Problem);
        Assert.Throws<ModelFormatException>(() => model.Gradient(tokens, -1, 0));
        Assert.Throws<ModelFormatException>(() => model.GetHead(0, -1));
        Assert.Contains("targets for 4 tokens", Assert.Throws<ModelFormatException>(() => model.Gradient(tokens, 0, 0, targets: [1, 2])).Problem);
        Assert.Contains("outside the vocabulary", Assert.Throws<ModelFormatException>(() => model.Gradient(tokens, 0, 0, targets: [1, 2, 3, 41])).Problem);
        Assert.Contains("outside the vocabulary", Assert.Throws<ModelFormatException>(() => model.Gradient([1, 99], 0, 0)).Problem);
        Assert.Contains("expected 24×6", Assert.Throws<ModelFormatException>(() => model.SetQueryFactor(0, 0, new double[6, 24])).Problem);
        var none = model.Gradient(tokens, 1, 1, targets: [-1, -1, -1, -1]);
        Assert.Equal(0.0, none.LogLikelihood);
        Assert.All(none.DWK.Cast<double>(), v => Assert.Equal(0.0, v));
    }
}
