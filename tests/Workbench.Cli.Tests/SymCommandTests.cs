using System.Text.Json;
using Workbench.Cli.Infrastructure;

namespace Workbench.Cli.Tests;

public class SymCommandTests
{
    private static (int code, string stdout, string stderr) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        var code = CommandLine.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Equal_proves_the_issue_example()
    {
        var (code, stdout, _) = Run("sym", "equal", "(x^2-y^2)/(x-y)", "x+y");
        Assert.Equal(0, code);
        Assert.StartsWith("equal (proved", stdout);
        var (code2, stdout2, _) = Run("sym", "equal", "(x^2-y^2)/(x-y)", "x-y");
        Assert.Equal(1, code2);
        Assert.StartsWith("different (proved", stdout2);
    }

    [Fact]
    public void Diff_of_the_issue_example_prints_json_with_all_fields()
    {
        var (code, stdout, stderr) = Run("sym", "diff", "exp(s1/tau)/(exp(s1/tau)+exp(s2/tau))", "s1", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("exp(s1/tau)/(exp(s1/tau)+exp(s2/tau))", root.GetProperty("input").GetString());
        Assert.Contains("exp(s1/tau)", root.GetProperty("result").GetString());
        Assert.Contains("e^{", root.GetProperty("latex").GetString());
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
        // The derivative equals A(1-A)/tau: check through the CLI itself.
        var a = "exp(s1/tau)/(exp(s1/tau)+exp(s2/tau))";
        var (eq, _, _) = Run("sym", "equal", root.GetProperty("result").GetString()!, $"({a})*(1-({a}))/tau");
        Assert.Equal(0, eq);
    }

    [Fact]
    public void Simplify_expand_and_latex_print_results()
    {
        Assert.Equal("x + y\n", Run("sym", "simplify", "(x^2-y^2)/(x-y)").stdout.Replace("\r", ""));
        Assert.Equal("x^2 + 2*x*y + y^2\n", Run("sym", "expand", "(x+y)^2").stdout.Replace("\r", ""));
        Assert.Equal("\\frac{q_{0,1}}{\\tau}\n", Run("sym", "latex", "q[0,1]/tau").stdout.Replace("\r", ""));
    }

    [Theory]
    [InlineData("x + ", "column 5")]
    [InlineData("foo(x)", "unknown function")]
    [InlineData("1/(x-x)", "zero")]
    public void Bad_input_gets_one_line_naming_it_and_exit_2(string input, string fragment)
    {
        var (code, stdout, stderr) = Run("sym", "simplify", input);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("workbench: " + input + ": ", stderr);
        Assert.Contains(fragment, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Diff_rejects_a_non_symbol_variable()
    {
        var (code, _, stderr) = Run("sym", "diff", "x^2", "x+1");
        Assert.Equal(2, code);
        Assert.Contains("not a symbol", stderr);
    }
}
