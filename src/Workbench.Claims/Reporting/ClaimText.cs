using System.Text;

namespace Workbench.Claims.Reporting;

/// <summary>
/// The plain-text form of a claim result: what snapshots pin. It carries no timing and nothing machine-dependent,
/// so it is identical on every machine that runs the same code.
/// </summary>
public static class ClaimText
{
    public static string Render(ClaimResult result)
    {
        var text = new StringBuilder();
        text.Append(result.Id).Append(": ").Append(result.Verdict.ToText()).Append('\n');
        text.Append("where: ").Append(result.Where).Append('\n');
        text.Append("statement: ").Append(result.Statement).Append('\n');
        if (result.Checks.Count == 0) text.Append("no checks registered\n");
        foreach (var check in result.Checks)
        {
            text.Append('\n');
            text.Append("check: ").Append(check.Name).Append('\n');
            text.Append("  setting: ").Append(check.Setting).Append('\n');
            text.Append("  finding: ").Append(check.Outcome.Finding.ToText()).Append('\n');
            foreach (var evidence in check.Outcome.Evidence)
            {
                text.Append("  - ").Append(evidence.Kind.ToText()).Append(": ").Append(evidence.Text).Append('\n');
                if (evidence.Latex is not null) text.Append("    latex: ").Append(evidence.Latex).Append('\n');
            }
        }
        return text.ToString();
    }
}
