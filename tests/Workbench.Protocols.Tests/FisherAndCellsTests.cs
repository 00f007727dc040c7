using Workbench.Protocols.Cells;
using Workbench.Protocols.Fisher;
using Workbench.Protocols.Model;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Protocols;

namespace Workbench.Protocols.Tests;

public class FisherAndCellsTests
{
    private static readonly Transformer Previous = new(PlantedModels.PreviousToken(), "previous-token");
    private static readonly int[] Tokens = [0, 1, 2, 3, 4, 0, 1];

    [Fact]
    public void Score_parameter_gradient_matches_finite_differences()
    {
        var run = Previous.Run(Tokens, new ProbeOptions { CaptureInternals = true });
        var grad = Previous.ScoreParameterGradient(run, 0, 0, 5, 3);
        var h = 1e-6;
        for (var a = 0; a < grad.Length; a++)
        {
            var plus = new double[grad.Length]; plus[a] = h;
            var minus = new double[grad.Length]; minus[a] = -h;
            var sp = Previous.Run(Tokens, new ProbeOptions { ParameterDelta = new HeadParameterDelta(0, 0, plus) }).Score(0, 0, 5, 3);
            var sm = Previous.Run(Tokens, new ProbeOptions { ParameterDelta = new HeadParameterDelta(0, 0, minus) }).Score(0, 0, 5, 3);
            Assert.Equal((sp - sm) / (2 * h), grad[a], 6);
        }
    }

    [TrainedModelFact]
    public void Score_parameter_gradient_matches_finite_differences_with_rope_norm_and_gqa()
    {
        var model = Trained.Model.Model;
        int[] tokens = Trained.Model.Tokenizer!.Encode("Tom saw a dog.");
        var run = model.Run(tokens, new ProbeOptions { CaptureInternals = true, StopAfterLayer = 2 });
        var grad = model.ScoreParameterGradient(run, 2, 3, tokens.Length - 1, 1);
        var rng = new Random(3);
        var h = 1e-5;
        foreach (var a in Enumerable.Range(0, 12).Select(_ => rng.Next(grad.Length)))
        {
            var plus = new double[grad.Length]; plus[a] = h;
            var minus = new double[grad.Length]; minus[a] = -h;
            var sp = model.Run(tokens, new ProbeOptions { ParameterDelta = new HeadParameterDelta(2, 3, plus), StopAfterLayer = 2 }).Score(2, 3, tokens.Length - 1, 1);
            var sm = model.Run(tokens, new ProbeOptions { ParameterDelta = new HeadParameterDelta(2, 3, minus), StopAfterLayer = 2 }).Score(2, 3, tokens.Length - 1, 1);
            Assert.Equal((sp - sm) / (2 * h), grad[a], 6);
        }
    }

    [Fact]
    public void Sampled_model_fisher_converges_to_its_exact_expectation_and_differs_from_the_empirical()
    {
        var basis = FisherEstimator.CanonicalBasis(Previous.Shape.HeadParameterCount);
        var est = FisherEstimator.EstimateAll(Previous, [Tokens], 0, 0, basis, [FisherKind.ModelSampled, FisherKind.ModelExact, FisherKind.Empirical], 4000, 11);
        double Tr(double[,] m) { var t = 0.0; for (var i = 0; i < m.GetLength(0); i++) t += m[i, i]; return t; }
        var exact = Tr(est[1].Matrix);
        Assert.True(exact > 0);
        Assert.Equal(1, Tr(est[0].Matrix) / exact, 1);     // 4000 draws per position: well within 5%
        Assert.True(Math.Abs(Tr(est[2].Matrix) / exact - 1) > 0.05, "the empirical Fisher is a different matrix");
        for (var a = 0; a < basis.Length; a++) Assert.True(est[1].Matrix[a, a] >= -1e-12);
    }

    [Fact]
    public void Switching_alignment_detects_a_planted_alignment_and_not_a_random_one()
    {
        const int n = 20;
        var fisher = new double[n, n];
        for (var i = 0; i < n; i++) fisher[i, i] = i == 0 ? 100 : 1 + 0.01 * i;
        var aligned = SwitchingAlignment.Compute(fisher, [Enumerable.Range(0, n).Select(i => i == 0 ? 1.0 : 0.0).ToArray()], 1, 500, 1);
        Assert.Equal(1, aligned.TopOverlap, 9);
        Assert.True(aligned.TopUpperTail < 0.01);
        Assert.Equal(1.0 / n, aligned.NullMean, 12);
        var other = SwitchingAlignment.Compute(fisher, [Enumerable.Range(0, n).Select(i => i == 5 ? 1.0 : 0.0).ToArray()], 1, 500, 1);
        Assert.Equal(0, other.TopOverlap, 9);
    }

    [Fact]
    public void Relu_block_is_smooth_not_affine_on_a_cell_at_positive_temperature_and_affine_in_the_hard_limit()
    {
        var block = new ReluAttentionBlock(4, 4, 8, 5);
        var soft = CellStudy.Run(block, 1, 150, 9);
        var hard = CellStudy.Run(block, 0, 150, 9);
        Assert.True(soft.DistinctCells > 5);
        Assert.True(soft.Segments > 20);
        Assert.True(soft.MedianCurvature > 1e-2, $"curvature {soft.MedianCurvature}");
        Assert.True(hard.MaxCurvature < 1e-6, $"hard-limit curvature {hard.MaxCurvature}");
        // Deep inside cells the non-affinity dies off as τ → 0; that is the only sense of "often affine" at τ > 0.
        var cold = CellStudy.Run(block, 0.03, 150, 9);
        Assert.True(cold.DeepSegments > 3 && soft.DeepSegments > 3);
        Assert.True(cold.DeepMedianCurvature < 1e-2 * soft.DeepMedianCurvature, $"{cold.DeepMedianCurvature} vs {soft.DeepMedianCurvature}");
    }
}
