namespace Workbench.Claims;

/// <summary>What the workbench concluded about a claim, from its own checks.</summary>
public enum Verdict
{
    /// <summary>Proved: a symbolic derivation or exact computation decides it, and every numeric check agrees.</summary>
    Holds,
    /// <summary>Every check agrees, but the evidence is numeric (sampling, finite precision), not a proof.</summary>
    HoldsNumerically,
    /// <summary>True only under a correction or restriction that the evidence names.</summary>
    Qualified,
    /// <summary>False as stated, with a concrete counterexample that can be re-checked.</summary>
    Refuted,
    /// <summary>Not well-formed as written; the evidence says why and which well-formed version was checked.</summary>
    IllPosed,
    /// <summary>Needs data or resources that are not here; the evidence names what is missing.</summary>
    Unverifiable,
    /// <summary>No check decided it either way.</summary>
    Open,
}

public static class VerdictText
{
    public static string ToText(this Verdict verdict) => verdict switch
    {
        Verdict.Holds => "holds",
        Verdict.HoldsNumerically => "holds-numerically",
        Verdict.Qualified => "qualified",
        Verdict.Refuted => "refuted",
        Verdict.IllPosed => "ill-posed",
        Verdict.Unverifiable => "unverifiable",
        Verdict.Open => "open",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };
}
