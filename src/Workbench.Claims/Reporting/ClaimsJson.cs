using System.Text.Encodings.Web;
using System.Text.Json;

namespace Workbench.Claims.Reporting;

/// <summary>
/// The machine-readable catalog run: <c>{"claims":[{"id","statement","verdict","evidence":[...],"seconds", ...}]}</c>.
/// <c>evidence</c> is the flat list of evidence texts; <c>checks</c> keeps the per-check structure for tools that want it.
/// </summary>
public static class ClaimsJson
{
    public static string Render(IEnumerable<TimedClaimResult> results)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("claims");
            foreach (var (result, seconds) in results)
            {
                json.WriteStartObject();
                json.WriteString("id", result.Id);
                json.WriteString("where", result.Where);
                json.WriteString("statement", result.Statement);
                json.WriteString("verdict", result.Verdict.ToText());
                json.WriteStartArray("evidence");
                foreach (var evidence in result.Evidence) json.WriteStringValue(evidence.Text);
                json.WriteEndArray();
                json.WriteNumber("seconds", Math.Round(seconds, 3));
                json.WriteStartArray("checks");
                foreach (var check in result.Checks)
                {
                    json.WriteStartObject();
                    json.WriteString("name", check.Name);
                    json.WriteString("setting", check.Setting);
                    json.WriteString("finding", check.Outcome.Finding.ToText());
                    json.WriteStartArray("evidence");
                    foreach (var evidence in check.Outcome.Evidence)
                    {
                        json.WriteStartObject();
                        json.WriteString("kind", evidence.Kind.ToText());
                        json.WriteString("text", evidence.Text);
                        if (evidence.Latex is not null) json.WriteString("latex", evidence.Latex);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
