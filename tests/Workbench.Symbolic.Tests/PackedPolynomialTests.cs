using System.Numerics;
using Workbench.Symbolic;

namespace Workbench.Symbolic.Tests;

public class PackedPolynomialTests
{
    [Fact]
    public void Packed_power_matches_the_general_canonical_form()
    {
        var lin = Canonical.Of(Parser.Parse("x+y+z+1")).Numerator;
        var packed = PackedPolynomial.FromPoly(lin).Pow(7);
        var general = Canonical.Of(Parser.Parse("(x+y+z+1)^7")).Numerator;
        Assert.Equal(general, packed.ToPoly());
        Assert.Equal(120, packed.Count); // C(7+3, 3)
    }

    [Fact]
    public void Fateman_product_has_the_known_term_count_and_exact_coefficients()
    {
        var lin = PackedPolynomial.FromPoly(Canonical.Of(Parser.Parse("x+y+z+1")).Numerator);
        var f = lin.Pow(20);
        Assert.Equal(1771, f.Count);
        var g = f.Multiply(f.Add(PackedPolynomial.FromPoly(Poly.One, f.Variables)));
        Assert.Equal(12341, g.Count);
        // Largest coefficient of f^2 = (x+y+z+1)^40 is the multinomial 40!/(10!)^4 and exceeds 64 bits.
        BigInteger Fact(int n) { BigInteger r = 1; for (int i = 2; i <= n; i++) r *= i; return r; }
        Assert.Equal(Fact(40) / BigInteger.Pow(Fact(10), 4), g.MaxCoefficient());
    }

    [Fact]
    public void Signed_coefficients_accumulate_exactly()
    {
        var p = PackedPolynomial.FromPoly(Canonical.Of(Parser.Parse("x - y")).Numerator);
        var q = PackedPolynomial.FromPoly(Canonical.Of(Parser.Parse("x + y")).Numerator, p.Variables);
        Assert.Equal(Canonical.Of(Parser.Parse("x^2 - y^2")).Numerator, p.Multiply(q).ToPoly());
        var big = p.Pow(40).Multiply(q.Pow(40));
        Assert.Equal(Canonical.Of(Parser.Parse("(x^2 - y^2)^40")).Numerator, big.ToPoly());
    }
}
