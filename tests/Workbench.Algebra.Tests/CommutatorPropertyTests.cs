using FsCheck;
using FsCheck.Fluent;
using Workbench.Algebra.Operators;

namespace Workbench.Algebra.Tests;

public class CommutatorPropertyTests
{
    private static double[] RandomMatrix(int d, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, d * d).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
    }

    [FsCheck.Xunit.Property(MaxTest = 40)]
    public Property Commutator_is_antisymmetric_bilinear_and_jacobi_vanishes_to_roundoff(PositiveInt seed, PositiveInt dim)
    {
        var d = 2 + dim.Get % 7;
        var a = RandomMatrix(d, seed.Get);
        var b = RandomMatrix(d, seed.Get + 1);
        var c = RandomMatrix(d, seed.Get + 2);
        var ab = DenseOps.Commutator(a, b, d);
        var ba = DenseOps.Commutator(b, a, d);
        var antisym = DenseOps.Frobenius(DenseOps.Add(ab, ba));
        var lin = DenseOps.Frobenius(DenseOps.Sub(DenseOps.Commutator(DenseOps.Add(a, c), b, d), DenseOps.Add(ab, DenseOps.Commutator(c, b, d))));
        var jac = DenseOps.Frobenius(DenseOps.Jacobiator(a, b, c, d)) / (DenseOps.Frobenius(a) * DenseOps.Frobenius(b) * DenseOps.Frobenius(c));
        var trace = Math.Abs(DenseOps.Trace(ab, d));
        return (antisym == 0 && lin < 1e-12 && jac < 1e-14 && trace < 1e-12).Label($"antisym {antisym} lin {lin} jacobi {jac} trace {trace}");
    }

    [Fact]
    public void Half_gerstenhaber_square_is_not_zero_but_its_cyclic_sum_is()
    {
        // (φ∘φ)(a,b,c) = [[a,b],c] − [a,[b,c]]: nonzero in general; summed cyclically it is the Jacobiator (≡ 0).
        const int d = 4;
        var a = RandomMatrix(d, 1); var b = RandomMatrix(d, 2); var c = RandomMatrix(d, 3);
        var x = DenseOps.HalfGerstenhaberSquare(a, b, c, d);
        Assert.True(DenseOps.Frobenius(x) > 1e-2);
        var cyclic = DenseOps.Add(x, DenseOps.HalfGerstenhaberSquare(b, c, a, d), DenseOps.HalfGerstenhaberSquare(c, a, b, d));
        Assert.True(DenseOps.Frobenius(cyclic) < 1e-13);
    }

    [Fact]
    public void Jacobi_probe_reports_roundoff_on_dense_and_factored_paths()
    {
        var small = FactoredHeads.Random(16, 4, 4, 3);
        var span = LayerReport.Compute(small).Span;
        Assert.InRange(JacobiProbe.MaxRelative(small, span, 1), 0, 1e-13);
        var large = FactoredHeads.Random(JacobiProbe.DenseLimitD + 8, 4, 3, 4);
        var spanLarge = LayerReport.Compute(large).Span;
        Assert.InRange(JacobiProbe.MaxRelative(large, spanLarge, 1, probeTriples: 3, vectors: 2), 0, 1e-12);
    }
}
