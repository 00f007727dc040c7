using System.Numerics;

namespace Workbench.Attention;

/// <summary>
/// A pattern σ : {0..n−1} → {0..n−1} is coded as Σ_i σ(i)·n^i, row 0 least significant, so codes run over
/// [0, n^n) and the identity-free order matches reading σ as a base-n numeral from the right.
/// </summary>
public static class PatternCode
{
    public static BigInteger Encode(ReadOnlySpan<int> sigma, int n)
    {
        if (n < 1) throw new AttentionInputException("n", $"must be ≥ 1, got {n}");
        if (sigma.Length != n) throw new AttentionInputException("pattern", $"has {sigma.Length} rows, expected n = {n}");
        BigInteger code = BigInteger.Zero;
        for (int i = n - 1; i >= 0; i--)
        {
            if ((uint)sigma[i] >= (uint)n) throw new AttentionInputException($"pattern row {i}", $"key {sigma[i]} is outside 0..{n - 1}");
            code = code * n + sigma[i];
        }
        return code;
    }

    public static int[] Decode(BigInteger code, int n)
    {
        if (n < 1) throw new AttentionInputException("n", $"must be ≥ 1, got {n}");
        if (code.Sign < 0 || code >= BigInteger.Pow(n, n))
            throw new AttentionInputException($"code {code}", $"is outside [0, n^n) for n = {n}");
        var sigma = new int[n];
        for (int i = 0; i < n; i++) { sigma[i] = (int)(code % n); code /= n; }
        return sigma;
    }
}
