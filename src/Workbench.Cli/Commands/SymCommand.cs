using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Workbench.Cli.Infrastructure;
using Workbench.Symbolic;

namespace Workbench.Cli.Commands;

/// <summary>
/// `workbench sym simplify|expand|diff|equal|latex`: the exact symbolic core on the command line. Results are
/// canonical forms; `equal` says whether it proved the answer or only sampled it. `--json` prints
/// {input, result, latex, seconds} (plus decision/method/proof for `equal`).
/// </summary>
public sealed class SymCommand : ICliCommand
{
    public Command Build(CliIO io)
    {
        var sym = new Command("sym", "Exact symbolic algebra: canonical forms, derivatives, equality, LaTeX");
        sym.Subcommands.Add(Unary(io, "simplify", "Print the canonical form (reduced rational function over exp/log/sqrt atoms)", e => Canonical.Simplify(e)));
        sym.Subcommands.Add(Unary(io, "expand", "Print the expanded canonical form", e => Canonical.Expand(e)));
        sym.Subcommands.Add(Unary(io, "latex", "Print the expression as LaTeX (unsimplified)", e => e));
        sym.Subcommands.Add(Diff(io));
        sym.Subcommands.Add(Equal(io));
        return sym;
    }

    private static Option<bool> JsonOption() => new("--json") { Description = "Print {input, result, latex, seconds} as JSON" };

    private static Option<string[]> PositiveOption() => new("--positive")
    {
        Description = "Symbols declared positive (e.g. --positive tau)",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [],
    };

    private static Option<double> TimeoutOption() => new("--timeout")
    {
        Description = "Give up after this many seconds (default 60)",
        DefaultValueFactory = _ => 60,
    };

    private static Command Unary(CliIO io, string name, string description, Func<Expr, Expr> op)
    {
        var expr = new Argument<string>("expression") { Description = "Plain syntax: + - * / ^, exp log sqrt, indexed symbols q[0,1]" };
        var json = JsonOption(); var positive = PositiveOption(); var timeout = TimeoutOption();
        var c = new Command(name, description);
        c.Arguments.Add(expr); c.Options.Add(json); c.Options.Add(positive); c.Options.Add(timeout);
        c.SetAction(p =>
        {
            var text = p.GetValue(expr)!;
            return Guard(io, text, p.GetValue(timeout), () =>
            {
                var sw = Stopwatch.StartNew();
                var e = ParseInput(text, p.GetValue(positive)!);
                var r = op(e);
                var latex = LatexPrinter.Print(r);
                Emit(io, p.GetValue(json), text, name == "latex" ? latex : r.ToString(), latex, sw.Elapsed.TotalSeconds);
                return ExitCodes.Ok;
            });
        });
        return c;
    }

    private static Command Diff(CliIO io)
    {
        var expr = new Argument<string>("expression") { Description = "The expression to differentiate" };
        var variable = new Argument<string>("variable") { Description = "The symbol, e.g. s1 or q[0,1]" };
        var order = new Option<int>("--order") { Description = "Derivative order (default 1)", DefaultValueFactory = _ => 1 };
        var json = JsonOption(); var positive = PositiveOption(); var timeout = TimeoutOption();
        var c = new Command("diff", "Differentiate and print the canonical derivative");
        c.Arguments.Add(expr); c.Arguments.Add(variable);
        c.Options.Add(order); c.Options.Add(json); c.Options.Add(positive); c.Options.Add(timeout);
        c.SetAction(p =>
        {
            var text = p.GetValue(expr)!;
            var varText = p.GetValue(variable)!;
            return Guard(io, text, p.GetValue(timeout), () =>
            {
                var sw = Stopwatch.StartNew();
                var positives = p.GetValue(positive)!;
                var e = ParseInput(text, positives);
                Expr v;
                try { v = Parser.Parse(varText, positives); }
                catch (ParseException ex) { throw new InputException(varText, "not a symbol: " + ex.Message); }
                if (v.Kind != ExprKind.Symbol) throw new InputException(varText, "not a symbol (write a name such as s1 or q[0,1])");
                int n = p.GetValue(order);
                if (n < 0 || n > 50) throw new InputException(n.ToString(), "derivative order must be between 0 and 50");
                var r = Canonical.Simplify(Derivative.Of(e, v.Symbol!, n));
                Emit(io, p.GetValue(json), text, r.ToString(), LatexPrinter.Print(r), sw.Elapsed.TotalSeconds);
                return ExitCodes.Ok;
            });
        });
        return c;
    }

    private static Command Equal(CliIO io)
    {
        var left = new Argument<string>("left") { Description = "First expression" };
        var right = new Argument<string>("right") { Description = "Second expression" };
        var json = JsonOption(); var positive = PositiveOption(); var timeout = TimeoutOption();
        var c = new Command("equal", "Decide whether two expressions are equal (proof by canonical forms, else stated evidence); exit 0 equal, 1 different");
        c.Arguments.Add(left); c.Arguments.Add(right); c.Options.Add(json); c.Options.Add(positive); c.Options.Add(timeout);
        c.SetAction(p =>
        {
            var a = p.GetValue(left)!; var b = p.GetValue(right)!;
            return Guard(io, a, p.GetValue(timeout), () =>
            {
                var sw = Stopwatch.StartNew();
                var positives = p.GetValue(positive)!;
                var ea = ParseInput(a, positives); var eb = ParseInput(b, positives);
                var r = ZeroTest.Equal(ea, eb);
                var verdict = r.AreEqual ? "equal" : "different";
                if (p.GetValue(json))
                {
                    io.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                    {
                        ["input"] = new[] { a, b },
                        ["result"] = verdict,
                        ["proof"] = r.IsProof,
                        ["method"] = r.Method,
                        ["errorBound"] = double.IsNaN(r.ErrorBound) ? null : r.ErrorBound,
                        ["difference"] = r.Difference.ToString(),
                        ["latex"] = LatexPrinter.Print(ea) + (r.AreEqual ? " = " : " \\neq ") + LatexPrinter.Print(eb),
                        ["seconds"] = sw.Elapsed.TotalSeconds,
                    }));
                }
                else io.Out.WriteLine(r.ToString());
                return r.AreEqual ? ExitCodes.Ok : ExitCodes.CheckFailed;
            });
        });
        return c;
    }

    private static Expr ParseInput(string text, string[] positives)
    {
        try { return Parser.Parse(text, positives); }
        catch (ParseException e) { throw new InputException(text, e.Message); }
    }

    private static void Emit(CliIO io, bool json, string input, string result, string latex, double seconds)
    {
        if (json)
            io.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["input"] = input, ["result"] = result, ["latex"] = latex, ["seconds"] = seconds }));
        else io.Out.WriteLine(result);
    }

    /// <summary>Runs with a deadline and turns every failure into a one-line message naming the input.</summary>
    private static int Guard(CliIO io, string input, double timeoutSeconds, Func<int> body)
    {
        if (!(timeoutSeconds > 0) || timeoutSeconds > 86400) return io.Fail(timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout must be between 0 and 86400 seconds");
        try
        {
            var task = Task.Run(body);
            if (!task.Wait(TimeSpan.FromSeconds(timeoutSeconds))) return io.Fail(input, $"gave up after {timeoutSeconds} s (the operation is too large; simplify the input or raise --timeout)", ExitCodes.Unavailable);
            return task.Result;
        }
        catch (AggregateException ae) when (ae.InnerException is not null)
        {
            return ae.InnerException switch
            {
                InputException ie => io.Fail(ie.Input, ie.Problem),
                SymbolicLimitException le => io.Fail(input, le.Message),
                DivideByZeroException de => io.Fail(input, de.Message),
                EvaluationException ee => io.Fail(input, ee.Message),
                _ => io.Fail(input, "internal error: " + ae.InnerException.Message, ExitCodes.Internal),
            };
        }
    }
}
