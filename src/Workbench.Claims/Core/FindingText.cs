namespace Workbench.Claims;

public static class FindingText
{
    /// <summary>The kebab-case name used in reports, snapshots and JSON.</summary>
    public static string ToText(this Finding finding) => finding switch
    {
        Finding.Proves => "proves",
        Finding.SupportsNumerically => "supports-numerically",
        Finding.Qualifies => "qualifies",
        Finding.Refutes => "refutes",
        Finding.IllPosed => "ill-posed",
        Finding.Unverifiable => "unverifiable",
        Finding.Inconclusive => "inconclusive",
        _ => throw new ArgumentOutOfRangeException(nameof(finding)),
    };

    public static string ToText(this EvidenceKind kind) => kind switch
    {
        EvidenceKind.Symbolic => "symbolic",
        EvidenceKind.Numeric => "numeric",
        EvidenceKind.Counterexample => "counterexample",
        EvidenceKind.Note => "note",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
