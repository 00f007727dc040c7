using Workbench.Attention;

namespace Workbench.Claims.Stratification;

/// <summary>
/// S.three-token: with u = s_1 − s_3, v = s_2 − s_3, the three comparisons become u &gt; v, u &gt; 0, v &gt; 0 and
/// the argmax splits the (u, v) plane into three wedges. Integer scores keep every comparison exact; the
/// winner is the workbench's argmax of the score row, not the formula.
/// </summary>
public sealed class ThreeTokenWedges : ClaimCheck
{
    public override string ClaimId => "S.three-token";
    public override string Name => "wedge partition of the (u, v) plane";
    public override string Setting => "integer grid u, v ∈ [−20, 20] (1681 points), s_3 a random integer per point, scores (u + s_3, v + s_3, s_3)";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, reverseFirst: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("first equivalence reversed: s_1 > s_2 ⇔ u < v", c => Evaluate(c, reverseFirst: true)),
    ];

    /// <summary>Winner (0-based) of each grid point, −1 on a tie: the data behind S Figure 3.</summary>
    public static int Classify(double u, double v, double s3)
    {
        var stratum = RowStratum.Of([u + s3, v + s3, s3]);
        return stratum.IsExactTie ? -1 : stratum.Pattern;
    }

    private CheckOutcome Evaluate(ClaimContext context, bool reverseFirst)
    {
        var random = new Gaussian(context.SeedFor(ClaimId));
        var counts = new long[4];
        long points = 0, disagreements = 0;
        string? counterexample = null;
        for (var u = -20; u <= 20; u++)
        for (var v = -20; v <= 20; v++)
        {
            points++;
            double s3 = random.Index(41) - 20;
            double s1 = u + s3, s2 = v + s3;
            var first = reverseFirst ? u < v : u > v;
            var agrees = (s1 > s2) == first && (s1 > s3) == (u > 0) && (s2 > s3) == (v > 0);
            if (!agrees) { disagreements++; counterexample ??= $"u = {u}, v = {v} (s = ({s1}, {s2}, {s3})): s_1 > s_2 is {s1 > s2}, the equivalence predicts {first}"; }
            var winner = Classify(u, v, s3);
            counts[winner + 1]++;
            // The wedge description of each region, from the three comparisons alone.
            var predicted = u > v && u > 0 ? 0 : v > u && v > 0 ? 1 : u < 0 && v < 0 ? 2 : -1;
            if (predicted != winner) { disagreements++; counterexample ??= $"u = {u}, v = {v}: argmax {winner}, wedges predict {predicted}"; }
        }
        var numeric = Evidence.Numeric($"{points} grid points, {disagreements} disagreements; argmax regions: s_1 largest {counts[1]}, s_2 largest {counts[2]}, s_3 largest {counts[3]}, ties {counts[0]} (wedges of 135°, 135°, 90°)");
        return disagreements == 0
            ? CheckOutcome.Of(Finding.SupportsNumerically, numeric)
            : CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample(counterexample!), numeric);
    }
}
