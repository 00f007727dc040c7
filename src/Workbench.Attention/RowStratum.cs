namespace Workbench.Attention;

/// <summary>
/// The stratum data of one score row: the argmax key σ(i) (lowest index among the maxima), the margin
/// m_i = S_iσ(i) − max_{j≠σ(i)} S_ij over admissible keys (+∞ when the row admits a single key, 0 at an exact tie),
/// and the number of admissible keys n_i.
/// </summary>
public readonly record struct RowStratum(int Pattern, double Margin, int Admissible)
{
    /// <summary>The top two admissible scores are equal: the row lies on a tie hyperplane.</summary>
    public bool IsExactTie => Margin == 0;

    /// <summary>The margin is below ε (ε = 0 detects exact ties only).</summary>
    public bool IsNearTie(double epsilon) => Margin <= epsilon;

    /// <summary>One pass, no sort: keeps the top two scores; a strict comparison keeps the lowest index on ties.</summary>
    public static RowStratum Of(ReadOnlySpan<double> scores, int row = 0)
    {
        double top1 = double.NegativeInfinity, top2 = double.NegativeInfinity;
        int arg = -1, admissible = 0;
        for (int j = 0; j < scores.Length; j++)
        {
            double s = scores[j];
            if (double.IsNegativeInfinity(s)) continue;
            if (double.IsNaN(s) || double.IsPositiveInfinity(s))
                throw new AttentionInputException($"row {row}", $"score at key {j} is {s}");
            admissible++;
            if (s > top1) { top2 = top1; top1 = s; arg = j; }
            else if (s > top2) top2 = s;
        }
        if (arg < 0) throw new AttentionInputException($"row {row}", "every key is masked, so the row has no argmax");
        return new RowStratum(arg, admissible == 1 ? double.PositiveInfinity : top1 - top2, admissible);
    }
}
