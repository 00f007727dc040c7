using System.Text.Json;
using Workbench.Cli.Infrastructure;
using static Workbench.Cli.Tests.Cli;

namespace Workbench.Cli.Tests;

public class ClaimsCommandTests
{

    [Fact]
    public void Json_lists_claims_with_the_documented_fields()
    {
        var (code, output, _) = Run("claims", "--filter", "S.two-token", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var claims = doc.RootElement.GetProperty("claims").EnumerateArray().ToList();
        Assert.Equal(["S.two-token", "S.two-token-peak"], claims.Select(c => c.GetProperty("id").GetString()));
        foreach (var claim in claims)
        {
            Assert.False(string.IsNullOrEmpty(claim.GetProperty("statement").GetString()));
            // S.two-token is proved by the symbolic core and supported numerically; either way it holds.
            Assert.Contains(claim.GetProperty("verdict").GetString(), new[] { "holds", "holds-numerically" });
            Assert.True(claim.GetProperty("evidence").GetArrayLength() > 0);
            Assert.True(claim.GetProperty("seconds").GetDouble() >= 0);
        }
    }

    [Fact]
    public void Plain_table_has_one_row_per_claim_and_a_summary()
    {
        var (code, output, _) = Run("claims", "--filter", "S.sec-");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("S.sec-9.3") && l.Contains("qualified"));
        Assert.Contains(lines, l => l.StartsWith("S.sec-13.1") && l.Contains("qualified"));
        Assert.StartsWith($"{lines.Length - 2} claims: ", lines[^1]);
        Assert.All(lines[1..^1], l => Assert.StartsWith("S.sec-", l));
    }

    [Fact]
    public void Markdown_is_written_without_timings()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wb-claims-{Guid.NewGuid():N}", "claims.md");
        try
        {
            var (code, _, _) = Run("claims", "--filter", "S.three-token", "--markdown", path);
            Assert.Equal(0, code);
            var md = File.ReadAllText(path);
            Assert.Contains("## S.three-token", md);
            Assert.Contains("figures/s-fig3-three-token-wedges.svg", md);
            Assert.DoesNotContain("seconds", md);
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, recursive: true); }
    }

    [Fact]
    public void Unknown_prefix_is_refused_with_one_line()
    {
        var (code, output, error) = Run("claims", "--filter", "Z.none");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("", output);
        Assert.StartsWith("workbench: --filter Z.none: no claim id starts with 'Z.none'", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Unwritable_markdown_path_is_refused()
    {
        var blocker = Path.GetTempFileName();
        try
        {
            var (code, _, error) = Run("claims", "--filter", "S.two-token", "--markdown", Path.Combine(blocker, "claims.md"));
            Assert.Equal(ExitCodes.BadInput, code);
            Assert.StartsWith("workbench: " + Path.Combine(blocker, "claims.md") + ": cannot write", error);
        }
        finally { File.Delete(blocker); }
    }
}
