namespace Workbench.Attention;

/// <summary>
/// Central finite differences, J[:, t] ≈ (f(x + h e_t) − f(x − h e_t)) / 2h, usable on any map R^m → R^p; the
/// truncation error is O(h²)·‖f'''‖, so h ≈ 1e-5 balances it against round-off for O(1) inputs in float64.
/// </summary>
public static class FiniteDifference
{
    public static double[,] Jacobian(Func<double[], double[]> f, double[] x, double h = 1e-5)
    {
        if (!(h > 0)) throw new AttentionInputException($"h {h}", "the step must be > 0");
        int m = x.Length;
        var probe = (double[])x.Clone();
        double[,]? jac = null;
        for (int t = 0; t < m; t++)
        {
            probe[t] = x[t] + h;
            var plus = f(probe);
            probe[t] = x[t] - h;
            var minus = f(probe);
            probe[t] = x[t];
            jac ??= new double[plus.Length, m];
            for (int r = 0; r < plus.Length; r++) jac[r, t] = (plus[r] - minus[r]) / (2 * h);
        }
        return jac ?? new double[0, 0];
    }

    /// <summary>max |analytic − numeric| / max(1, max |analytic|): the figure a tolerance is stated against.</summary>
    public static double RelativeError(double[,] analytic, double[,] numeric)
    {
        if (analytic.GetLength(0) != numeric.GetLength(0) || analytic.GetLength(1) != numeric.GetLength(1))
            throw new AttentionInputException("Jacobian", $"shapes differ: {analytic.GetLength(0)}×{analytic.GetLength(1)} vs {numeric.GetLength(0)}×{numeric.GetLength(1)}");
        double err = 0, scale = 1;
        foreach (var v in analytic) scale = Math.Max(scale, Math.Abs(v));
        for (int r = 0; r < analytic.GetLength(0); r++)
            for (int c = 0; c < analytic.GetLength(1); c++)
                err = Math.Max(err, Math.Abs(analytic[r, c] - numeric[r, c]));
        return err / scale;
    }
}
