namespace Workbench.Attention;

/// <summary>
/// Whether a point lies in the convex hull of others, by a phase-1 simplex (Bland's rule, so it terminates):
/// p ∈ conv{x_l} iff λ ≥ 0, Σλ = 1, Σ λ_l (p − x_l) = 0 is feasible. Coordinates are scaled to unit max so the
/// feasibility tolerance is relative.
/// </summary>
public static class ConvexHull
{
    public const double Tolerance = 1e-10;

    public static bool Contains(ReadOnlySpan<double> point, IReadOnlyList<double[]> others)
    {
        int d = point.Length, m = others.Count;
        if (m == 0) return false;
        double scale = 0;
        foreach (var x in others)
            for (int c = 0; c < d; c++) scale = Math.Max(scale, Math.Abs(point[c] - x[c]));
        if (scale == 0) return true;
        int rows = d + 1, cols = m + rows;
        var t = new double[rows + 1, cols + 1];
        for (int l = 0; l < m; l++)
        {
            for (int c = 0; c < d; c++) t[c, l] = (point[c] - others[l][c]) / scale;
            t[d, l] = 1;
        }
        for (int r = 0; r < rows; r++) t[r, m + r] = 1;
        t[d, cols] = 1;
        var basis = new int[rows];
        for (int r = 0; r < rows; r++) basis[r] = m + r;
        // Objective row: minimise the artificial sum; with artificials basic its reduced costs are −column sums.
        for (int c = 0; c <= cols; c++)
        {
            if (c >= m && c < cols) continue;
            double s = 0;
            for (int r = 0; r < rows; r++) s += t[r, c];
            t[rows, c] = -s;
        }
        for (int iteration = 0; iteration < 50 * (rows + cols); iteration++)
        {
            int enter = -1;
            for (int c = 0; c < cols; c++)
                if (t[rows, c] < -Tolerance && Array.IndexOf(basis, c) < 0) { enter = c; break; }
            if (enter < 0) break;
            int leave = -1;
            double best = double.PositiveInfinity;
            for (int r = 0; r < rows; r++)
            {
                if (t[r, enter] <= Tolerance) continue;
                double ratio = t[r, cols] / t[r, enter];
                if (ratio < best - Tolerance || (Math.Abs(ratio - best) <= Tolerance && leave >= 0 && basis[r] < basis[leave]))
                { best = ratio; leave = r; }
            }
            if (leave < 0) break; // unbounded cannot happen for a bounded-below objective; stop defensively
            Pivot(t, leave, enter, rows, cols);
            basis[leave] = enter;
        }
        return -t[rows, cols] <= 1e-9;
    }

    private static void Pivot(double[,] t, int pr, int pc, int rows, int cols)
    {
        double p = t[pr, pc];
        for (int c = 0; c <= cols; c++) t[pr, c] /= p;
        for (int r = 0; r <= rows; r++)
        {
            if (r == pr || t[r, pc] == 0) continue;
            double f = t[r, pc];
            for (int c = 0; c <= cols; c++) t[r, c] -= f * t[pr, c];
        }
    }
}
