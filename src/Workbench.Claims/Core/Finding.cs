namespace Workbench.Claims;

/// <summary>What one check found. The claim's verdict is computed from its checks' findings (see <see cref="VerdictRule"/>).</summary>
public enum Finding
{
    /// <summary>Decided true by exact reasoning (canonical forms, exact arithmetic, enumeration).</summary>
    Proves,
    /// <summary>Agrees with the statement within stated tolerances, on seeded samples.</summary>
    SupportsNumerically,
    /// <summary>The statement is false as written but true under the restriction the evidence names.</summary>
    Qualifies,
    /// <summary>A counterexample to the statement, with no salvage in this check.</summary>
    Refutes,
    /// <summary>The statement is not well-formed as written.</summary>
    IllPosed,
    /// <summary>The check needs data or resources that are missing.</summary>
    Unverifiable,
    /// <summary>The check ran and decided nothing.</summary>
    Inconclusive,
}

/// <summary>A check's finding and the evidence behind it.</summary>
public sealed record CheckOutcome(Finding Finding, IReadOnlyList<Evidence> Evidence)
{
    public static CheckOutcome Of(Finding finding, params Evidence[] evidence) => new(finding, evidence);
}
