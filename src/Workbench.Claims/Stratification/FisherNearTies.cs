using Workbench.Attention;

namespace Workbench.Claims.Stratification;

/// <summary>
/// S.sec-14.1: inputs near the tie set contribute large Fisher terms through ∂A/∂S. Fisher terms enter through
/// J = ∂A_i·/∂S_i· = (1/τ)(diag a − a aᵀ), quadratically. Its spectral norm is at most 1/(2τ) (attained on a
/// two-way top tie) and decays like e^{−m/τ}/τ with the margin m: near ties it is large, deep inside strata it
/// vanishes.
/// </summary>
public sealed class FisherScaleByMargin : ClaimCheck
{
    public override string ClaimId => "S.sec-14.1";
    public override string Name => "softmax Jacobian norm against the margin";
    public override string Setting => "score rows of length 4: top two separated by margin m ∈ {0, 0.05, 0.5, 2}, other entries 3 below; τ = 0.1; spectral norm from Workbench.Attention's symmetric eigenvalues";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(reversed: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("reversed: the Jacobian (hence its Fisher terms) is largest deep inside strata", _ => Evaluate(reversed: true)),
    ];

    private static CheckOutcome Evaluate(bool reversed)
    {
        const double tau = 0.1;
        double[] margins = [0, 0.05, 0.5, 2];
        var norms = margins.Select(m => Jacobians.SoftmaxSpectralNorm([m, 0, -3, -3], tau)).ToArray();
        var numeric = Evidence.Numeric("‖∂A/∂S‖₂ at τ = 0.1: " + string.Join(", ", margins.Select((m, i) => $"m = {Fmt.Sig(m)}: {Fmt.Sig(norms[i], 3)}")) + $"; bound 1/(2τ) = {Fmt.Sig(1 / (2 * tau))}");
        var decreasing = norms.Zip(norms.Skip(1), (a, b) => a > b).All(x => x);
        var atTie = Math.Abs(norms[0] - 1 / (2 * tau)) < 1e-3 * (1 / (2 * tau));
        var nearTiesLarge = decreasing && atTie && norms[^1] < 1e-3 * norms[0];
        if (reversed)
            return nearTiesLarge ? CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample("the norm falls monotonically with the margin"), numeric) : CheckOutcome.Of(Finding.SupportsNumerically, numeric);
        return nearTiesLarge
            ? CheckOutcome.Of(Finding.SupportsNumerically, numeric,
                Evidence.Note("Fisher terms carry J twice, so they scale like 1/(4τ²) at a tie and like e^{−2m/τ}/τ² at margin m; the note's 'potentially large' is this 1/τ² against an exponentially small interior",
                    @"\|\partial A/\partial S\|_2 \le \tfrac{1}{2\tau},\ \text{equality on a two-way tie}"))
            : CheckOutcome.Of(Finding.Refutes, numeric);
    }
}
