namespace Workbench.Attention;

/// <summary>Seeded standard normal samples (Box–Muller over System.Random), so every sampled result is reproducible.</summary>
public sealed class Gaussian(int seed)
{
    private readonly Random random = new(seed);

    public double Next()
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public void Fill(Span<double> x) { for (int t = 0; t < x.Length; t++) x[t] = Next(); }
    public void Fill(Span<float> x) { for (int t = 0; t < x.Length; t++) x[t] = (float)Next(); }
}
