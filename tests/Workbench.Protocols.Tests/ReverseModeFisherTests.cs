using Workbench.Models.Llama;
using Workbench.Protocols.Fisher;
using Workbench.Protocols.Model;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Protocols;

namespace Workbench.Protocols.Tests;

/// <summary>
/// The protocols' reverse-mode ∇θ log p(y|x) (<see cref="Transformer.BeginGradients"/>) against central differences
/// of <see cref="Transformer.Run"/>, on every architecture variant the probe runs (RMSNorm + RoPE + GQA + SwiGLU as
/// in llama2.c; identity norm, no RoPE, ReLU or no MLP as the planted models), and the reverse-mode Fisher against
/// the finite-difference Fisher built from the same sampled labels.
/// </summary>
public class ReverseModeFisherTests
{
    static readonly LlamaConfig Small = new(Dim: 16, HiddenDim: 24, Layers: 3, Heads: 4, KvHeads: 2, VocabSize: 23, SeqLen: 12, SharedClassifier: false);

    static Transformer Llama(ulong seed) => new(TransformerWeights.FromLlama(LlamaRandom.Create(Small, seed)), "random-llama");

    static Transformer Variant(MlpKind mlp, bool normalize, bool rope, ulong seed)
    {
        var w = TransformerWeights.FromLlama(LlamaRandom.Create(Small, seed));
        var v = new TransformerWeights
        {
            DModel = w.DModel, DHidden = w.DHidden, Layers = w.Layers, Heads = w.Heads, KvHeads = w.KvHeads, Vocab = w.Vocab,
            ContextLength = w.ContextLength, Mlp = mlp, Normalize = normalize, Rope = rope, Embedding = w.Embedding,
            Classifier = w.Classifier, RmsFinal = w.RmsFinal, Layer = w.Layer,
        };
        return new Transformer(v, $"random-{mlp}-{normalize}-{rope}");
    }

    static readonly int[] Tokens = [1, 5, 9, 2, 17, 4, 4, 11, 20, 3];

    public static TheoryData<int, int, int> Cases => new() { { 0, 0, 0 }, { 1, 1, 1 }, { 2, 3, 2 }, { 3, 2, 3 } };

    /// <summary>Directional derivatives along random θ directions, at a non-zero θ offset, for sparse (position, label) pairs.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Reverse_mode_gradient_matches_central_differences(int variant, int layer, int head)
    {
        var model = variant switch
        {
            0 => Llama(3),
            1 => Variant(MlpKind.Relu, normalize: true, rope: false, 4),
            2 => Variant(MlpKind.None, normalize: false, rope: true, 5),
            _ => Variant(MlpKind.SwiGlu, normalize: false, rope: false, 6),
        };
        layer = Math.Min(layer, model.Shape.Layers - 1);
        var n = model.Shape.HeadParameterCount;
        var rng = new Random(variant * 31 + layer);
        var offset = Enumerable.Range(0, n).Select(_ => 0.05 * (rng.NextDouble() * 2 - 1)).ToArray();
        var pass = model.BeginGradients(Tokens, layer, head, offset);
        var run = model.Run(Tokens, new ProbeOptions { ParameterDelta = new HeadParameterDelta(layer, head, offset) });
        Assert.Equal(run.Logits, pass.Logits);
        // Position 0 attends only to itself in every layer (a one-key softmax is constant), so its log p cannot depend on θ.
        Assert.All(pass.Gradient(0, 3), v => Assert.Equal(0.0, v));
        foreach (var (t, y) in new[] { (1, 3), (4, 17), (Tokens.Length - 1, 0), (7, 11) })
        {
            var g = pass.Gradient(t, y);
            var u = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            var analytic = g.Select((v, i) => v * u[i]).Sum();
            var numeric = CentralDifference.LogProbAlong(model, Tokens, layer, head, offset, u, t, y);
            Assert.True(Math.Abs(analytic) > 1e-5, $"variant {variant} position {t}: a vanishing derivative ({analytic}) would compare nothing");
            Assert.True(Math.Abs(numeric - analytic) <= 1e-7 * Math.Max(1, Math.Abs(analytic)),
                $"variant {variant} layer {layer} head {head} position {t} label {y}: central difference {numeric:R} vs reverse mode {analytic:R}");
        }
    }

    /// <summary>
    /// The same labels are drawn in both runs (the draws depend only on the model's probabilities and the seed), so the
    /// sampled and empirical Fisher differ only by the finite-difference error of the Jacobian, O(h²) with h = 1e-4:
    /// entries agree to 1e-6 of the largest entry. The exact expectation uses central differences in both.
    /// </summary>
    [Fact]
    public void Reverse_mode_fisher_equals_the_finite_difference_fisher()
    {
        var model = Llama(9);
        var n = model.Shape.HeadParameterCount;
        var basis = FisherProtocol.Subspace([], n, 12, 7);
        int[][] prompts = [Tokens, [2, 2, 8, 15, 1, 0, 6]];
        FisherKind[] kinds = [FisherKind.ModelSampled, FisherKind.ModelExact, FisherKind.Empirical];
        var reverse = FisherEstimator.EstimateAll(model, prompts, 1, 2, basis, kinds, 6, 5);
        var finite = FisherEstimator.EstimateAll(model, prompts, 1, 2, basis, kinds, 6, 5, reverseMode: false);
        Assert.Equal([FisherDerivative.ReverseMode, FisherDerivative.CentralDifferences, FisherDerivative.ReverseMode], reverse.Select(e => e.Derivative));
        Assert.All(finite, e => Assert.Equal(FisherDerivative.CentralDifferences, e.Derivative));
        for (var k = 0; k < kinds.Length; k++)
        {
            var scale = reverse[k].Matrix.Cast<double>().Max(Math.Abs);
            Assert.True(scale > 1e-3, $"{kinds[k]}: a vanishing Fisher would compare nothing");
            for (var a = 0; a < basis.Length; a++)
                for (var b = 0; b < basis.Length; b++)
                    Assert.True(Math.Abs(reverse[k].Matrix[a, b] - finite[k].Matrix[a, b]) <= 1e-6 * scale,
                        $"{kinds[k]} [{a},{b}]: reverse mode {reverse[k].Matrix[a, b]:R}, central differences {finite[k].Matrix[a, b]:R}");
            Assert.Equal(reverse[k].Positions, finite[k].Positions);
        }
        // A wrong derivative would show: the sampled Fisher's trace is not the empirical one's.
        Assert.NotEqual(reverse[0].Matrix[0, 0], reverse[2].Matrix[0, 0]);
    }

    [Fact]
    public void Bad_requests_are_refused_with_a_message()
    {
        var model = Llama(1);
        Assert.Contains("layer 3 is out of range", Assert.Throws<ArgumentException>(() => model.BeginGradients(Tokens, 3, 0)).Message);
        Assert.Contains("head 4 is out of range", Assert.Throws<ArgumentException>(() => model.BeginGradients(Tokens, 0, 4)).Message);
        Assert.Contains("θ offset", Assert.Throws<ArgumentException>(() => model.BeginGradients(Tokens, 0, 0, new double[3])).Message);
        var pass = model.BeginGradients(Tokens, 0, 0);
        Assert.Contains("outside the prompt", Assert.Throws<ArgumentException>(() => pass.Gradient(Tokens.Length, 0)).Message);
        Assert.Contains("outside the vocabulary", Assert.Throws<ArgumentException>(() => pass.Gradient(0, 23)).Message);
    }
}
