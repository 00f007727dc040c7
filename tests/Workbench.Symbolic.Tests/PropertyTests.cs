using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Workbench.Symbolic;

namespace Workbench.Symbolic.Tests;

/// <summary>Properties over random polynomials and expressions (FsCheck, seeded by FsCheck's own replayable seeds).</summary>
public class PropertyTests
{
    private static readonly Symbol[] Vars = { new("x"), new("y"), new("q", 0, 1) };

    /// <summary>Random expression from a small grammar; size bounded so canonical forms stay cheap.</summary>
    private static Expr Build(int[] code)
    {
        var stack = new Stack<Expr>();
        foreach (var c in code)
        {
            int op = ((c % 9) + 9) % 9;
            if (op <= 2 || stack.Count < 2)
            {
                stack.Push(op == 0 ? Expr.Num((c / 9) % 5 - 2) : Expr.Var(Vars[((c / 9) % 3 + 3) % 3]));
                continue;
            }
            var b = stack.Pop(); var a = stack.Pop();
            stack.Push(op switch { 3 or 4 => a + b, 5 => a - b, 6 or 7 => a * b, _ => Expr.Pow(a, 2) + b });
        }
        return stack.Count == 0 ? Expr.One : Expr.Add(stack);
    }

    private static Arbitrary<Expr> Exprs() =>
        Gen.ArrayOf(Gen.Choose(-1000, 1000)).Where(a => a.Length <= 12).Select(Build).ToArbitrary();

    private static bool Same(Expr a, Expr b) => ZeroTest.Equal(a, b).Decision == Decision.ProvedEqual;

    [Fact]
    public void Ring_laws_hold_on_random_polynomials()
    {
        Prop.ForAll(Exprs(), Exprs(), Exprs(), (a, b, c) =>
            Same(a + b, b + a) && Same(a * b, b * a) && Same(a * (b + c), a * b + a * c) && Same((a + b) + c, a + (b + c)) &&
            Same((a * b) * c, a * (b * c)) && Same(a - a, Expr.Zero))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Product_rule_holds()
    {
        var x = Vars[0];
        Prop.ForAll(Exprs(), Exprs(), (f, g) =>
            Same(Derivative.Of(f * g, x), Derivative.Of(f, x) * g + f * Derivative.Of(g, x)) &&
            Same(Derivative.Of(Expr.Exp(f), x), Expr.Exp(f) * Derivative.Of(f, x)))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Print_then_parse_is_the_identity_and_canonical_forms_are_unique()
    {
        Prop.ForAll(Exprs(), Exprs(), (a, b) =>
        {
            var back = Parser.Parse(a.ToString());
            var canon = Canonical.Simplify(a);
            // print/parse keeps the canonical form (n-ary sums may regroup, the value may not); the canonical form re-parses to the same canonical form, and rewriting a as (a + b) - b does not change it.
            return Canonical.Simplify(back).Equals(canon) && Canonical.Simplify(Parser.Parse(canon.ToString())).Equals(canon) &&
                   Canonical.Simplify((a + b) - b).Equals(canon);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Compiled_delegates_agree_with_exact_evaluation()
    {
        Prop.ForAll(Exprs(), Gen.Choose(-5, 5).Three().ToArbitrary(), (e, p) =>
        {
            var values = new[] { p.Item1 / 2.0, p.Item2 / 4.0, p.Item3 / 8.0 };
            var exact = Evaluation.Exact(e, s => BigRational.FromDouble(values[System.Array.IndexOf(Vars, s)]));
            var f = ExprCompiler.Compile(e, Vars);
            var v = f(values);
            var ex = exact.ToDouble();
            return System.Math.Abs(v - ex) <= 1e-12 * System.Math.Max(1, System.Math.Abs(ex));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Compiled_delegate_with_shared_subexpressions_and_deep_chain()
    {
        Expr e = Vars[0];
        for (int i = 0; i < 20_000; i++) e = e * Expr.Num(1, 2) + Vars[1];
        var shared = Expr.Exp(e) + Expr.Exp(e) * Expr.Exp(e);
        var f = ExprCompiler.Compile(shared, Vars);
        double v = f(new[] { 0.3, 0.1, 0.0 });
        Assert.Equal(Evaluation.Double(shared, s => s.Equals(Vars[0]) ? 0.3 : s.Equals(Vars[1]) ? 0.1 : 0.0), v, 12);
    }
}
