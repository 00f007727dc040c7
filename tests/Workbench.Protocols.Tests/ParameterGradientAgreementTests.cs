using Workbench.Models;
using Workbench.Models.Llama;
using Workbench.Protocols.Probe;

namespace Workbench.Protocols.Tests;

/// <summary>
/// The Fisher and sweep protocols differentiate through θ-perturbed forward passes of the protocols'
/// <see cref="Model.Transformer"/> (<see cref="HeadParameterDelta"/>, central differences); Workbench.Models has
/// reverse-mode gradients of the same log-likelihood (<see cref="LlamaReference.Gradient"/>). Two independent
/// derivations of ∂ log p/∂θ along a direction must agree: this pins the θ layout (W_Q rows of the head, then W_K rows
/// of its key head, shared under grouped-query attention) and both derivative paths on the trained model.
/// </summary>
public class ParameterGradientAgreementTests
{
    [TrainedModelFact]
    public void Directional_derivatives_of_the_log_likelihood_agree_with_reverse_mode_gradients()
    {
        var loaded = Trained.Model;
        var model = loaded.Model;
        var tokens = loaded.Tokenizer!.Encode("Lily saw a big dog. She was happy.");
        var reference = new LlamaReference(Llama2cLoader.Load(SharedModels.Stories260KCheckpoint()!));
        int D = model.Shape.DModel, dh = model.Shape.DHead;
        var random = new Random(20261122);
        foreach (var (layer, head) in new[] { (0, 0), (2, 5), (4, 7) })
        {
            var g = reference.Gradient(tokens, layer, head);
            for (var trial = 0; trial < 2; trial++)
            {
                var u = new double[2 * dh * D];
                for (var i = 0; i < u.Length; i++) u[i] = random.NextDouble() * 2 - 1;
                // θ index a·D + c is W_Q[c, a] of the head; dh·D + a·D + c is W_K[c, a] of its key head.
                double analytic = 0;
                for (var a = 0; a < dh; a++)
                    for (var c = 0; c < D; c++)
                        analytic += g.DWQ[c, a] * u[a * D + c] + g.DWK[c, a] * u[dh * D + a * D + c];
                const double h = 1e-5;
                double LogLikelihood(double sign)
                {
                    var delta = u.Select(x => sign * h * x).ToArray();
                    var run = model.Run(tokens, ProbeOptions.Default with { ParameterDelta = new HeadParameterDelta(layer, head, delta) });
                    double sum = 0;
                    for (var t = 0; t + 1 < tokens.Length; t++)
                    {
                        var logits = run.LogitsAt(t);
                        double max = double.NegativeInfinity, z = 0;
                        foreach (var x in logits) max = Math.Max(max, x);
                        foreach (var x in logits) z += Math.Exp(x - max);
                        sum += logits[tokens[t + 1]] - max - Math.Log(z);
                    }
                    return sum;
                }
                var numeric = (LogLikelihood(+1) - LogLikelihood(-1)) / (2 * h);
                Assert.True(Math.Abs(analytic) > 1e-6, $"layer {layer} head {head}: a vanishing derivative would compare nothing");
                Assert.True(Math.Abs(numeric - analytic) <= 1e-6 * Math.Max(1, Math.Abs(analytic)),
                    $"layer {layer} head {head}: central difference {numeric} vs reverse mode {analytic}");
            }
        }
    }
}
