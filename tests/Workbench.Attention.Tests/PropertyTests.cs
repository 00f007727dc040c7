using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Workbench.Attention;

namespace Workbench.Attention.Tests;

/// <summary>
/// FsCheck laws. Inputs are drawn as (seed, size, mask kind, temperature) and expanded with the seeded Gaussian, so a
/// failing case is reproducible from the numbers FsCheck prints.
/// </summary>
public class PropertyTests
{
    private static (int N, int D, AttentionMask Mask, double Tau, double[] Q, double[] K) Case(int seed, int size, int maskKind, int tauStep)
    {
        int n = 1 + Math.Abs(size % 9), d = 1 + Math.Abs(seed % 5);
        var mask = TestData.MaskFor(Math.Abs(maskKind), n);
        double tau = Math.Pow(2, Math.Abs(tauStep % 9) - 5); // 1/32 … 8
        return (n, d, mask, tau, TestData.Normal(n * d, seed), TestData.Normal(n * d, seed ^ 0x5bd1e995));
    }

    [Property(MaxTest = 200)]
    public bool Softmax_rows_sum_to_one_and_masked_weights_are_zero(int seed, int size, int maskKind, int tauStep)
    {
        var (n, d, mask, tau, q, k) = Case(seed, size, maskKind, tauStep);
        var a = Softmax.Attention(q, k, n, d, mask, tau);
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < n; j++)
            {
                if (!mask.Admits(i, j, n) && a[i * n + j] != 0) return false;
                if (a[i * n + j] < 0) return false;
                sum += a[i * n + j];
            }
            if (Math.Abs(sum - 1) > 1e-14 * n) return false;
        }
        return true;
    }

    [Property(MaxTest = 200)]
    public bool Softmax_jacobian_rows_sum_to_zero_and_it_is_symmetric_PSD(int seed, int size, int maskKind, int tauStep)
    {
        var (n, d, mask, tau, q, k) = Case(seed, size, maskKind, tauStep);
        var s = Scores.Head(q, k, n, d, mask);
        int row = Math.Abs(seed) % n;
        var j = Jacobians.Softmax(s.AsSpan(row * n, n), tau);
        double scale = 1 / tau;
        for (int r = 0; r < n; r++)
        {
            double sum = 0;
            for (int c = 0; c < n; c++)
            {
                sum += j[r, c];
                if (j[r, c] != j[c, r]) return false;
            }
            if (Math.Abs(sum) > 1e-14 * scale * n) return false;
        }
        var eig = SymmetricEigen.Values(j);
        return eig[0] >= -1e-13 * scale && eig[^1] <= 0.5 * scale * (1 + 1e-12);
    }

    [Property(MaxTest = 200)]
    public bool Masked_keys_never_win(int seed, int size, int maskKind)
    {
        var (n, d, mask, _, q, k) = Case(seed, size, maskKind, 0);
        var r = StrataReference.Compute(q, k, new HeadShape(1, 1, n, d), mask);
        var f = StrataFast.Compute(Array.ConvertAll(q, x => (float)x), Array.ConvertAll(k, x => (float)x), new HeadShape(1, 1, n, d), mask, 1);
        for (int i = 0; i < n; i++)
            if (!mask.Admits(i, r.Pattern[i], n) || !mask.Admits(i, f.Pattern[i], n)) return false;
        return true;
    }

    [Property(MaxTest = 8)]
    public bool Causal_pattern_count_is_n_factorial(PositiveInt size)
    {
        int n = 1 + size.Get % 8;
        long factorial = Enumerable.Range(1, n).Aggregate(1L, (a, b) => a * b);
        bool counted = PatternSets.Count(n, AttentionMask.Causal) == factorial;
        return n > 7 ? counted : counted && PatternSets.Enumerate(n, AttentionMask.Causal).LongCount() == factorial;
    }

    [Property(MaxTest = 40)]
    public bool Finite_differences_agree_with_every_analytic_jacobian(int seed, int size, int maskKind, int tauStep)
    {
        var (n, d, mask, tau, q, k) = Case(seed, size % 5, maskKind, tauStep);
        tau = Math.Max(tau, 0.25); // keeps third derivatives, hence the O(h²) truncation error, bounded
        const int dv = 2;
        var v = TestData.Normal(n * dv, seed + 1);
        const double tol = 1e-6;
        var byQ = FiniteDifference.Jacobian(x => Jacobians.Output(x, k, v, n, d, dv, mask, tau), q);
        var byK = FiniteDifference.Jacobian(x => Jacobians.Output(q, x, v, n, d, dv, mask, tau), k);
        var byV = FiniteDifference.Jacobian(x => Jacobians.Output(q, k, x, n, d, dv, mask, tau), v);
        var s = Scores.Head(q, k, n, d, mask).AsSpan(0, n).ToArray();
        var byS = FiniteDifference.Jacobian(x => { var a = new double[n]; Softmax.Row(x, a, tau); return a; }, s);
        return FiniteDifference.RelativeError(Jacobians.OutputByQueries(q, k, v, n, d, dv, mask, tau), byQ) < tol
            && FiniteDifference.RelativeError(Jacobians.OutputByKeys(q, k, v, n, d, dv, mask, tau), byK) < tol
            && FiniteDifference.RelativeError(Jacobians.OutputByValues(q, k, n, d, dv, mask, tau), byV) < tol
            && FiniteDifference.RelativeError(Jacobians.Softmax(s, tau), byS) < tol;
    }

    [Property(MaxTest = 100)]
    public bool Pattern_codes_round_trip(int seed, PositiveInt size)
    {
        int n = 1 + size.Get % 30;
        var random = new Random(seed);
        var sigma = Enumerable.Range(0, n).Select(_ => random.Next(n)).ToArray();
        return PatternCode.Decode(PatternCode.Encode(sigma, n), n).SequenceEqual(sigma);
    }
}
