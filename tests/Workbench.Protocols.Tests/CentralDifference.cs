using Workbench.Protocols.Model;
using Workbench.Protocols.Probe;

namespace Workbench.Protocols.Tests;

/// <summary>The finite-difference side of the gradient checks: one definition for every architecture's test.</summary>
internal static class CentralDifference
{
    /// <summary>
    /// d/dε log p(token y at position t) of the probe with head (layer, head)'s parameters at offset + ε·u, by
    /// central differences with step h (error O(h²) plus rounding O(ε_mach/h)).
    /// </summary>
    public static double LogProbAlong(Transformer model, int[] tokens, int layer, int head, double[] offset, double[] u, int t, int y, double h = 1e-5)
    {
        double LogP(double sign)
        {
            var delta = offset.Select((o, i) => o + sign * h * u[i]).ToArray();
            return model.Run(tokens, new ProbeOptions { ParameterDelta = new HeadParameterDelta(layer, head, delta) }).LogProb(t, y);
        }
        return (LogP(1) - LogP(-1)) / (2 * h);
    }
}
