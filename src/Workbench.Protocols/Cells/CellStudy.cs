namespace Workbench.Protocols.Cells;

/// <summary>
/// Visits block cells with seeded Gaussian (Q, K) and tests, on short segments that stay inside one cell, whether
/// the block is affine there: the second difference F(x+hu) − 2F(x) + F(x−hu) vanishes for an affine map (up to
/// round-off) and is ≈ h² uᵀ∇²F u for a smooth one. Reported as the curvature |Δ²F|/h² relative to |F|.
/// </summary>
public static class CellStudy
{
    public sealed record Result(int Samples, int DistinctCells, double Tau, int Segments, double MedianCurvature, double MaxCurvature, double MedianMargin, double DeepMedianCurvature, int DeepSegments);

    /// <summary>Segments whose point has every row margin at least this far from its tie set count as deep inside the cell.</summary>
    public const double DeepMargin = 0.5;

    public const double Step = 1e-3;

    public static Result Run(ReluAttentionBlock block, double tau, int samples, ulong seed)
    {
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var cells = new HashSet<string>();
        var curv = new List<double>(); var margins = new List<double>();
        for (var s = 0; s < samples; s++)
        {
            var x = Enumerable.Range(0, block.InputSize).Select(_ => N()).ToArray();
            var cell = block.Cell(x);
            cells.Add(cell);
            var u = Enumerable.Range(0, block.InputSize).Select(_ => N()).ToArray();
            var norm = Math.Sqrt(u.Sum(v => v * v));
            for (var c = 0; c < u.Length; c++) u[c] /= norm;
            // Keep the segment only if it stays in the cell at every probed point (a kink would fake curvature).
            var inside = true;
            for (var k = -4; k <= 4 && inside; k++) inside = block.Cell(Add(x, u, k * Step / 2)) == cell;
            if (!inside) continue;
            var f0 = block.Evaluate(x, tau);
            var fp = block.Evaluate(Add(x, u, Step), tau);
            var fm = block.Evaluate(Add(x, u, -Step), tau);
            var d2 = Math.Sqrt(f0.Select((v, i) => Math.Pow(fp[i] - 2 * v + fm[i], 2)).Sum()) / (Step * Step);
            var scale = Math.Sqrt(f0.Sum(v => v * v)) + 1e-300;
            curv.Add(d2 / scale);
            margins.Add(block.MinMargin(x));
        }
        var sorted = curv.OrderBy(v => v).ToArray();
        var deep = Enumerable.Range(0, curv.Count).Where(i => margins[i] >= DeepMargin).Select(i => curv[i]).OrderBy(v => v).ToArray();
        return new Result(samples, cells.Count, tau, curv.Count, sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2], sorted.Length == 0 ? double.NaN : sorted[^1],
            margins.Count == 0 ? double.NaN : margins.OrderBy(v => v).ElementAt(margins.Count / 2), deep.Length == 0 ? double.NaN : deep[deep.Length / 2], deep.Length);
    }

    /// <summary>Curvature of one segment that crosses a ReLU boundary (so the block is not smooth there), found along a random line; NaN if none is found.</summary>
    public static double KinkCurvature(ReluAttentionBlock block, double tau, ulong seed)
    {
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var x = Enumerable.Range(0, block.InputSize).Select(_ => N()).ToArray();
            var u = Enumerable.Range(0, block.InputSize).Select(_ => N()).ToArray();
            var norm = Math.Sqrt(u.Sum(v => v * v));
            for (var c = 0; c < u.Length; c++) u[c] /= norm;
            // Walk to a point where the activation bits change, then centre a segment on it.
            for (var k = 0; k < 400; k++)
            {
                var a = Add(x, u, k * Step); var b = Add(x, u, (k + 1) * Step);
                var ca = block.Cell(a).Split('|'); var cb = block.Cell(b).Split('|');
                if (ca[0] != cb[0] || ca[1] == cb[1]) continue;
                var mid = Add(x, u, (k + 0.5) * Step);
                var f0 = block.Evaluate(mid, tau); var fp = block.Evaluate(Add(mid, u, Step), tau); var fm = block.Evaluate(Add(mid, u, -Step), tau);
                var d2 = Math.Sqrt(f0.Select((v, i) => Math.Pow(fp[i] - 2 * v + fm[i], 2)).Sum()) / (Step * Step);
                return d2 / (Math.Sqrt(f0.Sum(v => v * v)) + 1e-300);
            }
        }
        return double.NaN;
    }

    private static double[] Add(double[] x, double[] u, double t) => x.Select((v, i) => v + t * u[i]).ToArray();
}
