namespace Workbench.Claims.Symbolic;

/// <summary>
/// S.masked-count: exact pattern counts |Σ_n^M| = Π_i (admissible keys of row i) by enumeration, against the closed
/// forms: causal n!, sliding window w Π_i min(i, w), key padding with p padded keys (n − p)^n.
/// </summary>
public sealed class MaskedCountCheck : ClaimCheck
{
    public override string ClaimId => "S.masked-count";
    public override string Name => "exact counts of admissible patterns under masks";
    public override string Setting => "n = 1..6, causal, window w = 2, padding p = 1; exhaustive enumeration of maps sigma";

    public override CheckOutcome Run(ClaimContext context) => Decide(n => Factorial(n));

    public override IEnumerable<NegativeControl> NegativeControls => [new("causal count n^n", _ => Decide(n => (long)Math.Pow(n, n)))];

    private static long Factorial(int n) { long f = 1; for (int i = 2; i <= n; i++) f *= i; return f; }

    private static long Enumerate(int n, Func<int, int, bool> admissible)
    {
        // Count maps sigma: row -> key with every sigma(i) admissible, by explicit enumeration (not the product formula).
        long count = 0;
        var sigma = new int[n];
        while (true)
        {
            bool ok = true;
            for (int i = 0; i < n && ok; i++) ok = admissible(i, sigma[i]);
            if (ok) count++;
            int p = 0;
            while (p < n && ++sigma[p] == n) sigma[p++] = 0;
            if (p == n) return count;
        }
    }

    private static CheckOutcome Decide(Func<int, long> statedCausal)
    {
        var rows = new List<string>();
        bool ok = true;
        for (int n = 1; n <= 6; n++)
        {
            long causal = Enumerate(n, (i, j) => j <= i);
            long window = Enumerate(n, (i, j) => j <= i && i - j < 2);
            long padded = n > 1 ? Enumerate(n, (i, j) => j < n - 1) : 0;
            long windowFormula = 1; for (int i = 1; i <= n; i++) windowFormula *= Math.Min(i, 2);
            long padFormula = n > 1 ? (long)Math.Pow(n - 1, n) : 0;
            ok &= causal == statedCausal(n) && window == windowFormula && padded == padFormula;
            rows.Add($"n={n}: causal {causal} (stated {statedCausal(n)}), window-2 {window}, padding-1 {padded}");
        }
        var ev = new List<Evidence>
        {
            Evidence.Symbolic(string.Join("; ", rows), "|\\Sigma_n^{\\mathrm{causal}}| = n!,\\; |\\Sigma_n^{\\mathrm{window}\\,w}| = \\prod_{i=1}^{n} \\min(i, w),\\; |\\Sigma_n^{\\mathrm{pad}\\,p}| = (n-p)^n"),
            Evidence.Note("row i of a causal mask admits i keys, so a tie hyperplane S_ij = S_ik exists only for j, k <= i: C(i, 2) ties in row i"),
        };
        return new CheckOutcome(ok ? Finding.Proves : Finding.Refutes, ev);
    }
}
