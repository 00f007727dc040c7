namespace Workbench.Algebra.Operators;

/// <summary>Dense d×d row-major reference operations: the baseline the factored results are checked against.</summary>
public static class DenseOps
{
    public static double[] Mul(double[] a, double[] b, int d)
    {
        var c = new double[d * d];
        Small.Mul(a, b, c, d);
        return c;
    }

    public static double[] Commutator(double[] a, double[] b, int d)
    {
        var ab = Mul(a, b, d);
        var ba = Mul(b, a, d);
        for (var t = 0; t < ab.Length; t++) ab[t] -= ba[t];
        return ab;
    }

    public static double[] Add(params double[][] terms)
    {
        var s = new double[terms[0].Length];
        foreach (var t in terms)
            for (var i = 0; i < s.Length; i++) s[i] += t[i];
        return s;
    }

    public static double[] Sub(double[] a, double[] b) => a.Select((x, i) => x - b[i]).ToArray();

    public static double Frobenius(double[] a) => Math.Sqrt(a.Sum(x => x * x));

    public static double Inner(double[] a, double[] b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    public static double Trace(double[] a, int d)
    {
        double s = 0;
        for (var i = 0; i < d; i++) s += a[i * d + i];
        return s;
    }

    /// <summary>J(a, b, c) = [[a,b],c] + [[b,c],a] + [[c,a],b]; identically zero, so what it returns is round-off.</summary>
    public static double[] Jacobiator(double[] a, double[] b, double[] c, int d) =>
        Add(Commutator(Commutator(a, b, d), c, d), Commutator(Commutator(b, c, d), a, d), Commutator(Commutator(c, a, d), b, d));

    /// <summary>½[φ, φ]_G(a, b, c) = (φ∘φ)(a, b, c) = [[a,b],c] − [a,[b,c]] for the commutator cochain φ.</summary>
    public static double[] HalfGerstenhaberSquare(double[] a, double[] b, double[] c, int d) =>
        Sub(Commutator(Commutator(a, b, d), c, d), Commutator(a, Commutator(b, c, d), d));
}
