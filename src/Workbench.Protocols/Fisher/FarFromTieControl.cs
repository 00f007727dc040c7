using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Protocols.Fisher;

/// <summary>
/// The far-from-tie control for S.conj-14.1. Switching directions are score-gap gradients ∇θ(S_iσ − S_i,runner-up),
/// so a Fisher eigen-direction that leans toward them may only be leaning toward score-sensitive directions in
/// general. P_far is built the same way from the rows with the LARGEST margins (same layer, head and prompts, same
/// number of rows), and the statistic is the paired difference D = overlap(top-k, P_near) − overlap(top-k, P_far).
/// Its null is a permutation test: if the margin did not matter, which of the 2m pooled rows are called near and
/// which far would be exchangeable, so D is recomputed on seeded random relabellings (m rows vs the other m).
/// </summary>
public static class FarFromTieControl
{
    /// <param name="NearTop">mean ‖P_near u‖² over the top-k eigenvectors u.</param>
    /// <param name="FarTop">the same for P_far.</param>
    /// <param name="TopNearAbove">P[D* ≥ D]: small when the top directions lean to near-tie rows more than to far ones.</param>
    /// <param name="TopFarAbove">P[D* ≤ D]: small when they lean to far-from-tie rows more (the reversed hypothesis).</param>
    /// <param name="BottomDifference">the same difference for the bottom-k (NaN where the bottom-k are undetermined).</param>
    /// <param name="BottomTwoSided">two-sided permutation P[|D*| ≥ |D|] for the bottom-k.</param>
    public sealed record Comparison(int K, int Rows, int NearRank, int FarRank, double NearTop, double FarTop, double TopDifference,
        double TopNearAbove, double TopFarAbove, double NearBottom, double FarBottom, double BottomDifference, double BottomTwoSided, int Permutations);

    public static Comparison Compute(SwitchingAlignment.Spectrum spectrum, IReadOnlyList<double[]> near, IReadOnlyList<double[]> far, int k, int permutations, ulong seed)
    {
        if (near.Count == 0 || near.Count != far.Count)
            throw new ArgumentException($"the far-from-tie control needs as many far rows as near rows and at least one (got {near.Count} near, {far.Count} far)");
        var n = spectrum.Dimension;
        var top = spectrum.Top(k).ToArray();
        var bottom = spectrum.KernelDimension <= k ? spectrum.Bottom(k).ToArray() : null;
        (double Top, double Bottom) Overlaps(IReadOnlyList<double[]> rows)
        {
            var basis = SwitchingAlignment.Orthonormal(rows, n);
            return (top.Average(u => SwitchingAlignment.Overlap(basis, u)), bottom?.Average(u => SwitchingAlignment.Overlap(basis, u)) ?? double.NaN);
        }
        var (nearTop, nearBottom) = Overlaps(near);
        var (farTop, farBottom) = Overlaps(far);
        var d = nearTop - farTop;
        var db = nearBottom - farBottom;
        var pool = near.Concat(far).ToArray();
        var m = near.Count;
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))) ^ 0x5eed);
        int above = 0, below = 0, bottomBeyond = 0;
        // A relative slack so that a relabelling equal to the observed one (up to rounding) counts as "as extreme".
        var slack = 1e-12;
        for (var p = 0; p < permutations; p++)
        {
            var idx = Enumerable.Range(0, pool.Length).ToArray();
            rng.Shuffle(idx);
            var (aTop, aBottom) = Overlaps(idx.Take(m).Select(i => pool[i]).ToList());
            var (bTop, bBottom) = Overlaps(idx.Skip(m).Select(i => pool[i]).ToList());
            var dp = aTop - bTop;
            if (dp >= d - slack) above++;
            if (dp <= d + slack) below++;
            if (bottom is not null && Math.Abs(aBottom - bBottom) >= Math.Abs(db) - slack) bottomBeyond++;
        }
        double P(int count) => (1 + count) / (double)(permutations + 1);
        return new Comparison(k, m, SwitchingAlignment.Orthonormal(near, n).Count, SwitchingAlignment.Orthonormal(far, n).Count, nearTop, farTop, d,
            P(above), P(below), nearBottom, farBottom, db, bottom is null ? double.NaN : P(bottomBeyond), permutations);
    }
}
