using System.Reflection;

namespace Workbench.Claims;

/// <summary>An entry of claims-index.md: the stable id, where the note says it, and the statement as the note states it.</summary>
public sealed record ClaimStatement(string Id, string Where, string Statement);

/// <summary>The claims index, parsed from the embedded copy of ../shared/claims-index.md.</summary>
public static class ClaimIndex
{
    private static readonly Lazy<IReadOnlyDictionary<string, ClaimStatement>> Entries = new(Load);

    public static IReadOnlyDictionary<string, ClaimStatement> All => Entries.Value;

    public static ClaimStatement? Find(string id) => All.TryGetValue(id, out var s) ? s : null;

    public static string RawText()
    {
        using var stream = typeof(ClaimIndex).Assembly.GetManifestResourceStream("Workbench.Claims.claims-index.md")
            ?? throw new InvalidOperationException("claims-index.md is not embedded in Workbench.Claims");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses the markdown table rows "| id | where | statement |".</summary>
    public static IReadOnlyDictionary<string, ClaimStatement> Parse(string markdown)
    {
        var result = new Dictionary<string, ClaimStatement>(StringComparer.Ordinal);
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith('|') || line.StartsWith("|---") || line.StartsWith("| id ")) continue;
            var cells = line.Trim('|').Split('|');
            if (cells.Length < 3) continue;
            var id = cells[0].Trim();
            if (!(id.StartsWith("S.") || id.StartsWith("L."))) continue;
            var statement = string.Join("|", cells.Skip(2)).Trim();
            result[id] = new ClaimStatement(id, cells[1].Trim(), statement);
        }
        return result;
    }

    private static IReadOnlyDictionary<string, ClaimStatement> Load() => Parse(RawText());
}
