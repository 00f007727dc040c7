using Workbench.Symbolic;

namespace Workbench.Claims.Symbolic;

/// <summary>Shared pieces of the symbolic derivations: equality verdicts as evidence, score polynomials.</summary>
internal static class SymbolicSupport
{
    public static Evidence Equality(string what, Expr lhs, Expr rhs, EqualityResult r)
    {
        var latex = LatexPrinter.Print(lhs) + (r.AreEqual ? " = " : " \\neq ") + LatexPrinter.Print(rhs);
        var text = $"{what}: {r}";
        return r.AreEqual ? Evidence.Symbolic(text, latex) : Evidence.Counterexample(text + "; " + LatexPrinter.Print(r.Difference), latex);
    }

    public static Expr Canon(Expr e) => Canonical.Simplify(e);

    /// <summary>S_ij = Σ_c q[i,c] k[j,c] (unscaled; the 1/√d_h factor does not move ties).</summary>
    public static Expr Score(int i, int j, int dh) =>
        Expr.Add(Enumerable.Range(0, dh).Select(c => Expr.Var("q", i, c) * Expr.Var("k", j, c)));

    /// <summary>Degree of a canonical polynomial in the symbols with the given name (max over terms), and total.</summary>
    public static (int inName, int total) Degrees(Expr e, string name)
    {
        var r = Canonical.Of(e);
        int dn = 0, dt = 0;
        foreach (var m in r.Numerator.Terms.Keys)
        {
            int a = 0;
            for (int t = 0; t < m.Count; t++)
            {
                var g = Generator.Get(m.Variable(t));
                if (g.Kind == GeneratorKind.Symbol && g.Symbol!.Name == name) a += m.Exponent(t);
            }
            dn = Math.Max(dn, a);
            dt = Math.Max(dt, m.TotalDegree);
        }
        return (dn, dt);
    }
}
