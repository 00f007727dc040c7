using Workbench.Algebra.Exact;
using Workbench.Algebra.Hochschild;

namespace Workbench.Algebra.Tests;

public class HochschildTests
{
    [Fact]
    public void Matrix_algebra_M2_is_separable_HH_vanishes_above_zero_through_n3()
    {
        var c = new HochschildComplex(AssociativeAlgebra.Matrices(2));
        Assert.Equal([1L, 0, 0, 0], Enumerable.Range(0, 4).Select(c.HH).ToArray());
    }

    [Fact]
    public void Upper_triangular_2x2_has_HH0_1_and_no_higher_cohomology_through_n3()
    {
        var c = new HochschildComplex(AssociativeAlgebra.UpperTriangular2());
        Assert.Equal([1L, 0, 0, 0], Enumerable.Range(0, 4).Select(c.HH).ToArray());
    }

    [Fact]
    public void Dual_numbers_have_HH_n_one_dimensional_for_every_n_up_to_8()
    {
        var c = new HochschildComplex(AssociativeAlgebra.DualNumbers());
        Assert.Equal([2L, 1, 1, 1, 1, 1, 1, 1, 1], Enumerable.Range(0, 9).Select(c.HH).ToArray());
    }

    [Fact]
    public void M3_has_HH_zero_in_degrees_1_and_2()
    {
        var c = new HochschildComplex(AssociativeAlgebra.Matrices(3));
        Assert.Equal([1L, 0, 0], Enumerable.Range(0, 3).Select(c.HH).ToArray());
    }

    [Fact]
    public void Delta_squared_is_zero()
    {
        var c = new HochschildComplex(AssociativeAlgebra.UpperTriangular2());
        var rng = new Random(3);
        for (var n = 0; n < 3; n++)
        {
            var f = Enumerable.Range(0, (int)c.CochainDim(n)).Select(_ => (Rational)rng.Next(-3, 4)).ToArray();
            Assert.All(c.Delta(n + 1, c.Delta(n, f)), x => Assert.True(x.IsZero));
        }
    }

    [Fact]
    public void Commutator_cochain_of_M2_is_not_a_cocycle_and_the_product_is()
    {
        var c = new HochschildComplex(AssociativeAlgebra.Matrices(2));
        Assert.Contains(c.Delta(2, c.CommutatorCochain()), x => !x.IsZero);
        // The multiplication μ itself is a 2-cocycle (associativity): the control that separates the two.
        var mu = new Rational[64];
        for (var i = 0; i < 4; i++) for (var j = 0; j < 4; j++) for (var l = 0; l < 4; l++) mu[(i * 4 + j) * 4 + l] = c.Algebra.C(i, j, l);
        Assert.All(c.Delta(2, mu), x => Assert.True(x.IsZero));
    }

    [Fact]
    public void Gerstenhaber_half_square_of_commutator_cochain_equals_nested_commutators()
    {
        var a = AssociativeAlgebra.Matrices(2);
        var c = new HochschildComplex(a);
        var phi = c.CommutatorCochain();
        var half = c.GerstenhaberBracket(phi, phi).Select(x => x / 2).ToArray();
        for (var i = 0; i < 4; i++)
        for (var j = 0; j < 4; j++)
        for (var k = 0; k < 4; k++)
        {
            var ei = a.Basis(i); var ej = a.Basis(j); var ek = a.Basis(k);
            var expected = Sub(Comm(a, Comm(a, ei, ej), ek), Comm(a, ei, Comm(a, ej, ek)));
            for (var l = 0; l < 4; l++) Assert.Equal(expected[l], half[((i * 4 + j) * 4 + k) * 4 + l]);
        }
    }

    [Fact]
    public void Generated_algebra_is_larger_than_the_span_of_its_generators()
    {
        // Two rank-one heads e1 e2ᵀ and e2 e1ᵀ in 2×2: span 2, generated algebra all of M_2 (dimension 4).
        Rational[] a = [0, 1, 0, 0];
        Rational[] b = [0, 0, 1, 0];
        var g = new GeneratedAlgebra([a, b], 2);
        Assert.Equal(2, g.SpanDim);
        Assert.Equal(4, g.Dim);
        var c = new HochschildComplex(g.ToAlgebra("<E12, E21>"));
        Assert.Equal(1, c.HH(0));
        Assert.Equal(0, c.HH(1));
    }

    [Fact]
    public void Non_associative_structure_constants_are_refused()
    {
        var constants = Enumerable.Repeat(Rational.Zero, 8).ToArray();
        constants[(0 * 2 + 0) * 2 + 1] = Rational.One; // b0 b0 = b1, b1 anything 0 … then (b0 b0) b0 = 0 = b0 (b0 b0): associative
        constants[(1 * 2 + 0) * 2 + 0] = Rational.One; // b1 b0 = b0 breaks it: (b0 b0) b0 = b1 b0 = b0, b0 (b0 b0) = b0 b1 = 0
        Assert.Contains("not associative", Assert.Throws<ArgumentException>(() => new AssociativeAlgebra("bad", 2, constants)).Message);
    }

    private static Rational[] Comm(AssociativeAlgebra a, Rational[] x, Rational[] y) => Sub(a.Mul(x, y), a.Mul(y, x));
    private static Rational[] Sub(Rational[] x, Rational[] y) => x.Select((v, i) => v - y[i]).ToArray();
}
