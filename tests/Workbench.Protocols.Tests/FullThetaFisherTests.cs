using Workbench.Models.Llama;
using Workbench.Protocols.Fisher;
using Workbench.Protocols.Model;
using Workbench.Protocols.Protocols;

namespace Workbench.Protocols.Tests;

/// <summary>
/// The full-θ reverse-mode Fisher (UᵀF_full U must be the subspace Fisher: same gradients, same draws), and the
/// far-from-tie control of S.conj-14.1 on planted Fisher matrices whose top eigen-directions are known.
/// </summary>
public class FullThetaFisherTests
{
    static readonly LlamaConfig Small = new(Dim: 16, HiddenDim: 24, Layers: 3, Heads: 4, KvHeads: 2, VocabSize: 23, SeqLen: 12, SharedClassifier: false);
    static Transformer Llama(ulong seed) => new(TransformerWeights.FromLlama(LlamaRandom.Create(Small, seed)), "random-llama");
    static readonly int[][] Prompts = [[1, 5, 9, 2, 17, 4, 4, 11, 20, 3], [2, 2, 8, 15, 1, 0, 6, 19, 7]];

    [Fact]
    public void Full_theta_fisher_projected_on_U_is_the_subspace_fisher()
    {
        var model = Llama(9);
        var n = model.Shape.HeadParameterCount;
        var basis = FisherProtocol.Subspace([], n, 12, 7);
        FisherKind[] kinds = [FisherKind.ModelSampled, FisherKind.ModelExact, FisherKind.Empirical];
        var est = FisherEstimator.EstimateAll(model, Prompts, 1, 2, basis, kinds, 6, 5, fullParameterSpace: true);
        Assert.Null(est[1].Full);   // the exact expectation stays in U (central differences)
        foreach (var e in new[] { est[0], est[2] })
        {
            var full = e.Full!;
            Assert.Equal(n, full.GetLength(0));
            var scale = e.Matrix.Cast<double>().Max(Math.Abs);
            Assert.True(scale > 1e-3, $"{e.Kind}: a vanishing Fisher would compare nothing");
            for (var a = 0; a < basis.Length; a++)
                for (var b = 0; b < basis.Length; b++)
                {
                    var projected = 0.0;
                    for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) projected += basis[a][i] * full[i, j] * basis[b][j];
                    Assert.True(Math.Abs(projected - e.Matrix[a, b]) <= 1e-10 * scale, $"{e.Kind} [{a},{b}]: UᵀF_full U = {projected:R}, F_U = {e.Matrix[a, b]:R}");
                }
            for (var i = 0; i < n; i++) for (var j = 0; j < i; j++) Assert.Equal(full[i, j], full[j, i]);
        }
        // The subspace figures are unchanged by also keeping the full matrix.
        var plain = FisherEstimator.EstimateAll(model, Prompts, 1, 2, basis, kinds, 6, 5);
        Assert.Equal(plain[0].Matrix, est[0].Matrix);
        Assert.Null(plain[0].Full);
    }

    [Fact]
    public void Full_theta_fisher_is_reproducible_from_its_seed_and_changes_with_it()
    {
        var model = Llama(4);
        var basis = FisherProtocol.Subspace([], model.Shape.HeadParameterCount, 4, 3);
        double[,] Full(ulong seed) => FisherEstimator.EstimateAll(model, Prompts, 0, 1, basis, [FisherKind.ModelSampled], 4, seed, fullParameterSpace: true)[0].Full!;
        Assert.Equal(Full(11), Full(11));
        Assert.NotEqual(Full(11), Full(12));
    }

    /// <summary>F = diag(10, 9, 8, 1.00, 1.01, …): its top-3 eigen-directions are e0, e1, e2.</summary>
    static double[,] Planted(int n)
    {
        var f = new double[n, n];
        for (var i = 0; i < n; i++) f[i, i] = i < 3 ? 10 - i : 1 + 0.01 * i;
        return f;
    }

    /// <summary>Rows with a component of size <paramref name="top"/> in span(e0, e1, e2) and one of size 1 elsewhere.</summary>
    static List<double[]> Rows(Random rng, int count, int n, double top)
    {
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, n).Select(i => (i < 3 ? top : 1 / Math.Sqrt(n - 3)) * N()).ToArray()).ToList();
    }

    [Fact]
    public void Far_from_tie_control_separates_switching_from_score_sensitive_on_planted_fishers()
    {
        const int n = 30;
        var spectrum = SwitchingAlignment.Decompose(Planted(n));
        var rng = new Random(17);
        var leaning = Rows(rng, 8, n, 1.0);
        var leaningToo = Rows(rng, 8, n, 1.0);
        var flat = Rows(rng, 8, n, 0.0);

        // Switching: near rows lean to the top directions, far rows do not.
        var switching = FarFromTieControl.Compute(spectrum, leaning, flat, 3, 2000, 1);
        Assert.True(switching.NearTop > 0.5 && switching.FarTop < 1e-12, $"near {switching.NearTop}, far {switching.FarTop}");
        Assert.True(switching.TopNearAbove < 0.01, $"p = {switching.TopNearAbove}");
        Assert.True(switching.TopFarAbove > 0.5);

        // Score-sensitive only: near and far rows lean alike (same distribution) — the control must not fire.
        var alike = FarFromTieControl.Compute(spectrum, leaning, leaningToo, 3, 2000, 1);
        Assert.True(alike.NearTop > 0.5 && alike.FarTop > 0.5, $"near {alike.NearTop}, far {alike.FarTop}");
        Assert.True(alike.TopNearAbove > 0.01 && alike.TopFarAbove > 0.01, $"p = {alike.TopNearAbove}, {alike.TopFarAbove}");

        // Reversed: far rows lean, near rows do not.
        var reversed = FarFromTieControl.Compute(spectrum, flat, leaning, 3, 2000, 1);
        Assert.True(reversed.TopFarAbove < 0.01 && reversed.TopNearAbove > 0.5);

        // Seeded: the same relabellings give the same p; the statistic itself does not depend on the seed.
        Assert.Equal(switching, FarFromTieControl.Compute(spectrum, leaning, flat, 3, 2000, 1));
        Assert.Equal(alike.TopDifference, FarFromTieControl.Compute(spectrum, leaning, leaningToo, 3, 2000, 2).TopDifference);
        Assert.Contains("as many far rows", Assert.Throws<ArgumentException>(() => FarFromTieControl.Compute(spectrum, leaning, flat.Take(3).ToList(), 3, 10, 1)).Message);
    }

    [Fact]
    public void A_fisher_with_a_large_kernel_leaves_the_bottom_directions_undetermined()
    {
        const int n = 10;
        var f = new double[n, n];
        f[0, 0] = 3; f[1, 1] = 2; f[2, 2] = 1;   // rank 3, kernel 7 > k = 3
        var r = SwitchingAlignment.Compute(f, [Enumerable.Range(0, n).Select(i => i == 9 ? 1.0 : 0.0).ToArray()], 3, 100, 1);
        Assert.Equal(7, r.KernelDimension);
        Assert.False(r.BottomDetermined);
        Assert.True(double.IsNaN(r.BottomOverlap) && double.IsNaN(r.BottomUpperTail));
        Assert.Equal(0, r.TopOverlap, 12);
    }

    [Fact]
    public void Fisher_protocol_uses_the_full_theta_fisher_and_runs_the_far_control_reproducibly()
    {
        var model = Llama(5);
        var a = FisherProtocol.Analyze(model, Prompts, 1, 0, 21);
        var b = FisherProtocol.Analyze(model, Prompts, 1, 0, 21);
        Assert.True(a.StatisticFullTheta);
        Assert.False(a.FullParameterSpace);   // 128 parameters > 64: the subspace figures are in U
        Assert.Equal(model.Shape.HeadParameterCount, a.Alignment.Dimension);
        Assert.Equal(model.Shape.HeadParameterCount, a.FullSampledSpectrum!.Length);
        // 15 rows with a runner-up over both prompts: too few for 8 + 8, so both control sides shrink alike to 7.
        Assert.Equal(7, a.Control.Rows);
        Assert.Equal(7, a.FarMargins.Length);
        Assert.Equal(FisherProtocol.SwitchingRows, a.Alignment.SubspaceRank);   // the statistic itself keeps all 8 nearest rows
        Assert.True(a.NearMargins.Max() <= a.FarMargins.Min(), "near rows have the smaller margins");
        Assert.Equal(a.Control, b.Control);
        Assert.Equal(a.FullSampledSpectrum, b.FullSampledSpectrum);
        Assert.Equal(a.FarAlignment.TopOverlap, b.FarAlignment.TopOverlap);
        Assert.Contains("full-θ", a.StatisticSource);
    }
}
