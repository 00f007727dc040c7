using System.Collections.Generic;
using Workbench.Symbolic;

namespace Workbench.Symbolic.Tests;

public class CoreTests
{
    private static readonly Symbol X = new("x"), Y = new("y");

    [Fact]
    public void Parse_reads_indexed_symbols_and_precedence()
    {
        var e = Parser.Parse("-q[0,1]^2 + 3*x/2");
        var v = Evaluation.Exact(e, s => s.Name == "q" ? 3 : 4);
        Assert.Equal(new BigRational(-3), v); // -(9) + 6
    }

    [Theory]
    [InlineData("x +", 4, "operand")]
    [InlineData("(x + 1", 1, "never closed")]
    [InlineData("x y", 3, "operator")]
    [InlineData("foo(x)", 1, "unknown function")]
    [InlineData("q[1,a]", 5, "integer index")]
    [InlineData("", 1, "empty")]
    [InlineData("x + )", 5, "operand")]
    [InlineData("1/0", 2, "division")]
    public void Parse_errors_name_the_column(string text, int column, string fragment)
    {
        var ex = Assert.Throws<ParseException>(() => Parser.Parse(text));
        Assert.Equal(column, ex.Column);
        Assert.Contains(fragment, ex.Message);
    }

    [Fact]
    public void Derivative_of_softmax_entry_matches_finite_difference()
    {
        var e = Parser.Parse("exp(s1/tau)/(exp(s1/tau)+exp(s2/tau))");
        var s1 = new Symbol("s1");
        var d = Derivative.Of(e, s1);
        var at = new Dictionary<Symbol, double> { [s1] = 0.3, [new Symbol("s2")] = -0.7, [new Symbol("tau")] = 0.8 };
        double h = 1e-6;
        double f(double v) { var m = new Dictionary<Symbol, double>(at) { [s1] = v }; return Evaluation.Double(e, m); }
        var fd = (f(0.3 + h) - f(0.3 - h)) / (2 * h);
        Assert.Equal(fd, Evaluation.Double(d, at), 8);
    }

    [Fact]
    public void Hundred_thousand_deep_expression_prints_parses_differentiates_and_evaluates()
    {
        // e_{k+1} = exp(-e_k)/2 + 1/2 stays in (1/2, 1), so value and derivative can be checked against a plain loop.
        Expr e = X;
        for (int i = 0; i < 100_000; i++) e = Expr.Exp(-e) * Expr.Num(1, 2) + Expr.Half;
        Assert.True(e.Depth >= 300_000);
        var text = e.ToString();
        var back = Parser.Parse(text);
        Assert.Equal(e, back);
        double v = 0.3, dv = 1;
        for (int i = 0; i < 100_000; i++) { var ex = System.Math.Exp(-v); dv *= -ex / 2; v = ex / 2 + 0.5; }
        Assert.Equal(v, Evaluation.Double(e, s => 0.3), 12);
        var d = Derivative.Of(e, X);
        Assert.Equal(dv, Evaluation.Double(d, s => 0.3), 12);
        Assert.Contains("t0", CodePrinter.Print(new[] { ("y", d) }, CodeDialect.C99, s => s.Name));
        Assert.NotEmpty(LatexPrinter.Print(e));
    }

    [Fact]
    public void Code_printer_hoists_shared_subexpressions_with_float_suffixes()
    {
        var ex = Expr.Exp(Parser.Parse("x/tau"));
        var z = ex + Expr.Exp(Parser.Parse("y/tau"));
        var code = CodePrinter.Print(new[] { ("a0", ex / z), ("a1", Expr.Exp(Parser.Parse("y/tau")) / z) }, CodeDialect.Cuda, s => s.Identifier(), CodePrecision.Float);
        Assert.Equal(2, Count(code, "expf("));
        Assert.Equal(6, code.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Length); // 1/tau, two exps, 1/(sum): each once; then a0, a1
        Assert.Contains("const float t", code);
        var cs = CodePrinter.Print(new[] { ("r", Parser.Parse("q[0,1]^2/2")) }, CodeDialect.CSharp, s => s.Identifier());
        Assert.Equal("r = 0.5 * (q_0_1 * q_0_1);\n", cs);
    }

    private static int Count(string s, string sub)
    {
        int n = 0, i = 0;
        while ((i = s.IndexOf(sub, i, System.StringComparison.Ordinal)) >= 0) { n++; i += sub.Length; }
        return n;
    }

    [Fact]
    public void Printing_round_trips_structurally()
    {
        foreach (var s in new[] { "x - 2*y", "-x^2", "(x + y)^(1/2)", "x/(y*z)", "2^(-x)", "-(x + y)*z", "exp(-x)/3", "x^-1" })
        {
            var e = Parser.Parse(s);
            Assert.Equal(e, Parser.Parse(e.ToString()));
        }
    }
}
