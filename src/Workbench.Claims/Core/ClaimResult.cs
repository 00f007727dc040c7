namespace Workbench.Claims;

/// <summary>One check's name, setting and outcome.</summary>
public sealed record CheckResult(string Name, string Setting, CheckOutcome Outcome);

/// <summary>A claim's verdict and everything behind it. Timing is kept apart so that results snapshot stably.</summary>
public sealed record ClaimResult(string Id, string Where, string Statement, Verdict Verdict, IReadOnlyList<CheckResult> Checks)
{
    public IEnumerable<Evidence> Evidence => Checks.SelectMany(c => c.Outcome.Evidence);

    /// <summary>The first line of evidence that decided the verdict, for one-line tables.</summary>
    public string Headline
    {
        get
        {
            var deciding = Checks.FirstOrDefault(c => VerdictRule.Combine([c.Outcome.Finding]) == Verdict) ?? Checks.FirstOrDefault();
            return deciding?.Outcome.Evidence.FirstOrDefault()?.Text ?? "no checks registered";
        }
    }
}

public sealed record TimedClaimResult(ClaimResult Result, double Seconds);
