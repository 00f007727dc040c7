namespace Workbench.Kernels.Sampling;

/// <summary>Wilson score interval for a binomial proportion: honest near 0 and 1, where the Wald interval collapses.</summary>
public static class Wilson
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    public static (double Low, double High) Interval(long successes, long trials, double z = Z95)
    {
        if (trials <= 0) return (0, 1);
        double n = trials, p = successes / n, z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
