namespace Workbench.Claims;

/// <summary>
/// How checks' findings combine into a verdict. A claim is as weak as its weakest check: one ill-posed reading
/// makes it ill-posed; otherwise one counterexample refutes it; otherwise one qualification qualifies it;
/// otherwise missing data leaves it unverifiable; otherwise it holds when some check proves it and all others
/// agree, holds numerically when all agree without a proof, and stays open when nothing decided it.
/// </summary>
public static class VerdictRule
{
    public static Verdict Combine(IEnumerable<Finding> findings)
    {
        var set = findings.ToHashSet();
        if (set.Contains(Finding.IllPosed)) return Verdict.IllPosed;
        if (set.Contains(Finding.Refutes)) return Verdict.Refuted;
        if (set.Contains(Finding.Qualifies)) return Verdict.Qualified;
        if (set.Contains(Finding.Unverifiable)) return Verdict.Unverifiable;
        if (set.Contains(Finding.Proves)) return Verdict.Holds;
        if (set.Contains(Finding.SupportsNumerically)) return Verdict.HoldsNumerically;
        return Verdict.Open;
    }
}
