using BenchmarkDotNet.Attributes;
using Workbench.Symbolic;

namespace Workbench.Benchmarks;

/// <summary>
/// The symbolic core beside SymPy (tests/Workbench.Benchmarks/peers/sym_sympy_peer.py runs the same three tasks):
/// expand (x+y+z+1)^20, Fateman's f*(f+1) with f = (x+y+z+1)^20, and the n = 8 softmax-with-temperature Jacobian
/// identity derived and proved entrywise by canonical forms.
/// </summary>
[MemoryDiagnoser]
public class SymbolicBenchmarks
{
    private PackedPolynomial _linear = null!;
    private PackedPolynomial _f = null!;
    private PackedPolynomial _f1 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _linear = PackedPolynomial.FromPoly(Canonical.Of(Parser.Parse("x+y+z+1")).Numerator);
        _f = _linear.Pow(20);
        var one = PackedPolynomial.FromPoly(Poly.One, _f.Variables);
        _f1 = _f.Add(one);
    }

    [Benchmark(Description = "expand (x+y+z+1)^20, packed")]
    public int ExpandPacked() => _linear.Pow(20).Count;

    [Benchmark(Description = "expand (x+y+z+1)^20, general canonical form")]
    public int ExpandCanonical() => Canonical.Of(Parser.Parse("(x+y+z+1)^20")).Numerator.Count;

    [Benchmark(Description = "Fateman f*(f+1), f = (x+y+z+1)^20")]
    public int Fateman() => _f.Multiply(_f1).Count;

    [Benchmark(Description = "softmax Jacobian identity n = 8, derive + prove")]
    public bool SoftmaxJacobian8() => SoftmaxJacobian.Prove(8);
}

/// <summary>The n-token softmax Jacobian identity ∂A_j/∂s_l = (1/τ) A_j (δ_jl − A_l), decided entrywise.</summary>
public static class SoftmaxJacobian
{
    public static bool Prove(int n)
    {
        var tau = Expr.Var(Symbol.Positive("tau"));
        var s = Enumerable.Range(0, n).Select(i => Expr.Var("s", i)).ToArray();
        var a = Softmax.WithTemperature(s, tau);
        for (int j = 0; j < n; j++)
            for (int l = 0; l < n; l++)
            {
                var d = Derivative.Of(a[j], s[l].Symbol!);
                var stated = a[j] * ((j == l ? 1 : 0) - a[l]) / tau;
                if (ZeroTest.Equal(d, stated).Decision != Decision.ProvedEqual) return false;
            }
        return true;
    }
}
