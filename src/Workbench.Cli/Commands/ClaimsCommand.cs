using System.CommandLine;
using Spectre.Console;
using Workbench.Claims;
using Workbench.Claims.Reporting;
using Workbench.Cli.Infrastructure;

namespace Workbench.Cli.Commands;

/// <summary>
/// `workbench claims [--filter PREFIX] [--json] [--markdown FILE]`: runs the claims catalog. A verdict is a result,
/// not an error, so a completed run exits 0 whatever the verdicts are.
/// </summary>
public sealed class ClaimsCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var filter = new Option<string?>("--filter") { Description = "Run only claims whose id starts with this prefix (e.g. S. or S.two-token)" };
        var json = new Option<bool>("--json") { Description = "Print {\"claims\":[{id, statement, verdict, evidence, seconds, checks}]}" };
        var markdown = new Option<string?>("--markdown") { Description = "Write the catalog as markdown (no timings) to FILE, e.g. docs/claims.md" };
        var command = new Command("claims", "Run the claims catalog: each claim's verdict and the evidence behind it");
        command.Options.Add(filter);
        command.Options.Add(json);
        command.Options.Add(markdown);
        command.SetAction(parse => Run(io, parse.GetValue(filter), parse.GetValue(json), parse.GetValue(markdown)));
        return command;
    }

    private static int Run(CliIO io, string? prefix, bool json, string? markdownPath)
    {
        var catalog = ClaimCatalog.Default;
        if (prefix is not null && !catalog.Ids.Any(id => id.StartsWith(prefix, StringComparison.Ordinal)))
            return io.Fail("--filter " + prefix, $"no claim id starts with '{prefix}' (ids look like S.two-token or L.…)");

        var context = ClaimContext.Default;
        var results = io.Interactive && !json ? RunWithProgress(catalog, context, prefix) : catalog.RunAll(context, prefix).ToList();

        if (markdownPath is not null)
        {
            try
            {
                var full = Path.GetFullPath(markdownPath);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, ClaimsMarkdown.Render(results.Select(r => r.Result).ToList()));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return io.Fail(markdownPath, "cannot write the markdown file: " + ex.Message);
            }
        }

        if (json) io.Out.WriteLine(ClaimsJson.Render(results));
        else if (io.Interactive) WriteTable(results);
        else WritePlain(io.Out, results);
        if (markdownPath is not null && !json) io.Out.WriteLine($"wrote {markdownPath}");
        return ExitCodes.Ok;
    }

    private static List<TimedClaimResult> RunWithProgress(ClaimCatalog catalog, ClaimContext context, string? prefix)
    {
        var results = new List<TimedClaimResult>();
        AnsiConsole.Status().Start("running claims", status =>
        {
            foreach (var result in catalog.RunAll(context, prefix))
            {
                results.Add(result);
                status.Status($"ran {result.Result.Id}");
            }
        });
        return results;
    }

    private static void WriteTable(IReadOnlyList<TimedClaimResult> results)
    {
        var table = new Table().AddColumns("id", "verdict", "evidence", "s");
        foreach (var (result, seconds) in results)
            table.AddRow(Markup.Escape(result.Id), $"[{Colour(result.Verdict)}]{result.Verdict.ToText()}[/]", Markup.Escape(result.Headline), seconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(Summary(results)));
    }

    private static void WritePlain(TextWriter output, IReadOnlyList<TimedClaimResult> results)
    {
        var idWidth = Math.Max(2, results.Max(r => r.Result.Id.Length));
        output.WriteLine($"{"id".PadRight(idWidth)}  {"verdict",-17}  {"seconds",7}  evidence");
        foreach (var (result, seconds) in results)
            output.WriteLine($"{result.Id.PadRight(idWidth)}  {result.Verdict.ToText(),-17}  {seconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),7}  {result.Headline}");
        output.WriteLine(Summary(results));
    }

    private static string Summary(IReadOnlyList<TimedClaimResult> results) =>
        $"{results.Count} claims: " + string.Join(", ", results.GroupBy(r => r.Result.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToText()}"));

    private static string Colour(Verdict verdict) => verdict switch
    {
        Verdict.Holds or Verdict.HoldsNumerically => "green",
        Verdict.Qualified => "yellow",
        Verdict.Refuted or Verdict.IllPosed => "red",
        _ => "grey",
    };
}
