using Workbench.Attention;

namespace Workbench.Attention.Tests;

public class JacobianTests
{
    private const int N = 4, D = 3, Dv = 2;

    [Theory]
    [InlineData(1.0, 0)]
    [InlineData(0.3, 1)]
    [InlineData(2.5, 2)]
    public void Softmax_jacobian_matches_finite_differences_at_any_temperature(double tau, int maskKind)
    {
        var s = TestData.Normal(N, 11);
        var mask = TestData.MaskFor(maskKind, N);
        if (!mask.Admits(2, 1, N)) s[1] = double.NegativeInfinity;
        var analytic = Jacobians.Softmax(s, tau);
        var numeric = FiniteDifference.Jacobian(x =>
        {
            var a = new double[N];
            Softmax.Row(x, a, tau);
            return a;
        }, s);
        // Masked coordinates stay −∞ under ±h, so both sides are exactly 0 there.
        Assert.True(FiniteDifference.RelativeError(analytic, numeric) < 1e-8);
    }

    [Fact]
    public void Output_jacobians_match_finite_differences_under_a_causal_mask()
    {
        var q = TestData.Normal(N * D, 21);
        var k = TestData.Normal(N * D, 22);
        var v = TestData.Normal(N * Dv, 23);
        var mask = AttentionMask.Causal;
        const double tau = 0.7;
        var byQ = FiniteDifference.Jacobian(x => Jacobians.Output(x, k, v, N, D, Dv, mask, tau), q);
        var byK = FiniteDifference.Jacobian(x => Jacobians.Output(q, x, v, N, D, Dv, mask, tau), k);
        var byV = FiniteDifference.Jacobian(x => Jacobians.Output(q, k, x, N, D, Dv, mask, tau), v);
        Assert.True(FiniteDifference.RelativeError(Jacobians.OutputByQueries(q, k, v, N, D, Dv, mask, tau), byQ) < 1e-8);
        Assert.True(FiniteDifference.RelativeError(Jacobians.OutputByKeys(q, k, v, N, D, Dv, mask, tau), byK) < 1e-8);
        Assert.True(FiniteDifference.RelativeError(Jacobians.OutputByValues(q, k, N, D, Dv, mask, tau), byV) < 1e-8);
    }

    [Fact]
    public void A_wrong_jacobian_is_caught_by_the_checker()
    {
        var q = TestData.Normal(N * D, 31);
        var k = TestData.Normal(N * D, 32);
        var v = TestData.Normal(N * Dv, 33);
        var wrong = Jacobians.OutputByQueries(q, k, v, N, D, Dv, AttentionMask.None, 2.0); // τ = 2 instead of 1
        var byQ = FiniteDifference.Jacobian(x => Jacobians.Output(x, k, v, N, D, Dv, AttentionMask.None, 1.0), q);
        Assert.True(FiniteDifference.RelativeError(wrong, byQ) > 1e-3);
    }

    [Fact]
    public void Spectral_norm_of_two_equal_scores_is_half_over_tau()
    {
        // a = (1/2, 1/2): J = (1/τ)[[1/4, −1/4], [−1/4, 1/4]] has eigenvalues 0 and 1/(2τ).
        Assert.Equal(1 / (2 * 0.4), Jacobians.SoftmaxSpectralNorm([0.3, 0.3], 0.4), 12);
        var eig = SymmetricEigen.Values(Jacobians.Softmax([0.3, 0.3], 0.4));
        Assert.Equal(0.0, eig[0], 12);
    }

    [Fact]
    public void Eigenvalues_of_a_known_matrix()
    {
        var eig = SymmetricEigen.Values(new double[,] { { 2, 1, 0 }, { 1, 2, 0 }, { 0, 0, -3 } });
        Assert.Equal(-3, eig[0], 12);
        Assert.Equal(1, eig[1], 12);
        Assert.Equal(3, eig[2], 12);
    }
}
