namespace Workbench.Claims.Stratification;

/// <summary>
/// S.def-11.1: on a block cell C_{σ,a} (attention pattern σ, ReLU activation pattern a) the block "attention then
/// ReLU MLP" is a single smooth, often affine, map of (Q, K). Smooth: yes for τ &gt; 0. Affine: the MLP is affine on
/// the cell but the softmax is not, so for τ &gt; 0 the block has non-zero second differences inside cells; it is
/// affine (constant in Q, K) only in the hard limit τ → 0.
/// </summary>
public sealed class BlockCellAffinity : ClaimCheck
{
    public override string ClaimId => "S.def-11.1";
    public override string Name => "second differences of the block inside a cell";
    public override string Setting => "n = 3, d_h = 2, d_v = 2, MLP 2 → 4 → 2 with ReLU, Gaussian weights; τ = 0.5 and the hard limit; segments of half-length 1e-3 that stay in one cell";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimSoftAffine: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("for τ = 0.5 the block is affine on each cell", c => Evaluate(c, claimSoftAffine: true)),
    ];

    private static (double[] Output, string Cell) Block(double[][] q, double[][] k, double[][] v, double[][] w1, double[] b1, double[][] w2, double? tau)
    {
        var y = ToyHead.Rows(tau is { } t ? ToyHead.Output(q, k, v, t) : ToyHead.HardOutput(q, k, v), v[0].Length);
        var cell = string.Join(",", ToyHead.Pattern(q, k));
        var output = new List<double>();
        foreach (var yi in y)
        {
            var hidden = w1.Select((row, h) => row.Select((x, c) => x * yi[c]).Sum() + b1[h]).ToArray();
            cell += "|" + string.Concat(hidden.Select(h => h > 0 ? '1' : '0'));
            output.AddRange(w2.Select(row => row.Select((x, h) => x * Math.Max(0, hidden[h])).Sum()));
        }
        return (output.ToArray(), cell);
    }

    private CheckOutcome Evaluate(ClaimContext context, bool claimSoftAffine)
    {
        const double h = 1e-3, tolerance = 1e-6;
        var random = new Gaussian(context.SeedFor(ClaimId));
        var (v, w1, w2) = (random.Matrix(3, 2), random.Matrix(4, 2), random.Matrix(2, 4));
        var b1 = random.Matrix(1, 4)[0];
        var samples = context.Samples(200);
        long segments = 0;
        var softCurvature = new List<double>();
        double hardCurvature = 0;
        while (segments < samples)
        {
            var (q, k) = (random.Matrix(3, 2), random.Matrix(3, 2));
            var (dq, dk) = (random.Matrix(3, 2), random.Matrix(3, 2));
            double[][] Shift(double[][] m, double[][] d, double t) => m.Select((r, i) => r.Select((x, c) => x + t * d[i][c]).ToArray()).ToArray();
            var points = new[] { -h, 0, h }.Select(t => (Shift(q, dq, t), Shift(k, dk, t))).ToArray();
            var soft = points.Select(p => Block(p.Item1, p.Item2, v, w1, b1, w2, 0.5)).ToArray();
            var hard = points.Select(p => Block(p.Item1, p.Item2, v, w1, b1, w2, null)).ToArray();
            // Only segments inside one block cell (same σ, same activations for both maps) count.
            if (soft.Select(s => s.Cell).Distinct().Count() != 1 || hard.Select(s => s.Cell).Distinct().Count() != 1) continue;
            segments++;
            softCurvature.Add(soft[0].Output.Select((x, e) => Math.Abs(x - 2 * soft[1].Output[e] + soft[2].Output[e]) / (h * h)).Max());
            hardCurvature = Math.Max(hardCurvature, hard[0].Output.Select((x, e) => Math.Abs(x - 2 * hard[1].Output[e] + hard[2].Output[e]) / (h * h)).Max());
        }
        softCurvature.Sort();
        var median = softCurvature[softCurvature.Count / 2];
        var numeric = Evidence.Numeric($"{segments} in-cell segments: |second difference| / h² has median {Fmt.Sig(median, 2)} at τ = 0.5 (largest {Fmt.Sig(softCurvature[^1], 2)}); hard limit: {Fmt.Bound(hardCurvature)}");
        var softIsAffine = median <= tolerance;
        if (claimSoftAffine)
            return softIsAffine ? CheckOutcome.Of(Finding.SupportsNumerically, numeric) : CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample($"median curvature {Fmt.Sig(median, 2)} inside cells at τ = 0.5"), numeric);
        if (hardCurvature > tolerance) return CheckOutcome.Of(Finding.Refutes, numeric);
        return softIsAffine
            ? CheckOutcome.Of(Finding.SupportsNumerically, numeric)
            : CheckOutcome.Of(Finding.Qualifies,
                Evidence.Note("smooth on every cell for τ > 0, but not affine: the MLP is affine on the cell, the softmax in front of it is not; the block is affine in (Q, K) only in the hard limit, where it is constant on the cell"),
                numeric);
    }
}
