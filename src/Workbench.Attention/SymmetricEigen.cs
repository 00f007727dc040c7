namespace Workbench.Attention;

/// <summary>
/// Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations: slow (O(n³) per sweep) but accurate to a few
/// ulps of the norm, which is what spectral-norm and PSD checks on n ≤ a few hundred need.
/// </summary>
public static class SymmetricEigen
{
    public static double[] Values(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n) throw new AttentionInputException("matrix", "must be square");
        var a = (double[,])matrix.Clone();
        for (int r = 0; r < n; r++)
            for (int c = r + 1; c < n; c++)
                if (Math.Abs(a[r, c] - a[c, r]) > 1e-12 * (Math.Abs(a[r, c]) + Math.Abs(a[c, r]) + 1e-300))
                    throw new AttentionInputException("matrix", $"is not symmetric at ({r},{c})");
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, total = 0;
            for (int r = 0; r < n; r++)
                for (int c = 0; c < n; c++) { total += a[r, c] * a[r, c]; if (r != c) off += a[r, c] * a[r, c]; }
            if (off <= 1e-30 * total || off == 0) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double cs = 1 / Math.Sqrt(t * t + 1), sn = t * cs;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = cs * akp - sn * akq;
                        a[k, q] = sn * akp + cs * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = cs * apk - sn * aqk;
                        a[q, k] = sn * apk + cs * aqk;
                    }
                }
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i, i];
        Array.Sort(values);
        return values;
    }
}
