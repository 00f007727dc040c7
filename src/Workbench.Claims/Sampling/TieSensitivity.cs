using Workbench.Kernels.Sampling;

namespace Workbench.Claims.Sampling;

/// <summary>
/// S.remark-6.2: at sampled points moved onto a tie hyperplane (row 0's top two scores set to their mean), compare
/// the softmax Jacobian J = (diag p − p pᵀ)/τ across the hyperplane, ‖J u‖ with u = (e_j − e_k)/√2, with its
/// largest effect along it, ‖J P‖₂ with P the projection onto u^⊥. The median ratio across/along grows without
/// bound as τ → 0 (like e^{gap/τ}), and is modest at τ = 1.
/// </summary>
public sealed class TieSensitivity : ClaimCheck
{
    public override string ClaimId => "S.remark-6.2";
    public override string Name => "across/along sensitivity of A^(τ) at sampled tie points";
    public override string Setting => "n = 4, d_h = 8, Q, K i.i.d. N(0,1), row 0 projected onto its top-two tie, τ ∈ {1, 0.3, 0.1, 0.03}, float64";

    private const long Samples = 2_000;
    private static readonly double[] Taus = [1, 0.3, 0.1, 0.03];

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, acrossDominates: true);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("for small τ, perturbations along the tie change A^(τ) more than across it (reversed)", c => Evaluate(c, acrossDominates: false)),
    ];

    private static CheckOutcome Evaluate(ClaimContext context, bool acrossDominates)
    {
        var config = new SamplerConfig { Tokens = 4, HeadDim = 8 };
        var sampler = new ReferenceSampler(config);
        var seed = context.SeedFor("remark-6.2");
        var count = (int)context.Samples(Samples);
        var ratios = Taus.Select(_ => new double[count]).ToArray();
        for (var s = 0; s < count; s++)
        {
            sampler.Sample(seed, (ulong)s);
            var row = new double[4];
            for (var j = 0; j < 4; j++) row[j] = sampler.Scores[j];
            var order = Enumerable.Range(0, 4).OrderByDescending(j => row[j]).ToArray();
            int a = order[0], b = order[1];
            row[a] = row[b] = (row[a] + row[b]) / 2;
            for (var t = 0; t < Taus.Length; t++) ratios[t][s] = Ratio(row, a, b, Taus[t]);
        }
        var medians = ratios.Select(r => { var c = (double[])r.Clone(); Array.Sort(c); return c[c.Length / 2]; }).ToArray();
        var increasing = medians.Zip(medians.Skip(1), (x, y) => y > x).All(x => x);
        var evidence = new Evidence[]
        {
            Evidence.Numeric("median ‖J u‖ / ‖J P_u⊥‖ over " + count + " tie points: " +
                string.Join(", ", Taus.Select((tau, i) => $"τ = {Fmt.Sig(tau)}: {Fmt.Sig(medians[i], 3)}"))),
            Evidence.Note("across the tie the derivative is ≈ 1/(2τ) (two tied keys share the mass); along it only the exponentially small weights of the other keys respond"),
        };
        var holds = increasing && medians[^1] > 100;
        var finding = acrossDominates == holds ? Finding.SupportsNumerically : Finding.Refutes;
        return new CheckOutcome(finding, evidence);
    }

    private static double Ratio(double[] s, int a, int b, double tau)
    {
        var m = s.Length;
        var max = s.Max();
        var p = s.Select(x => Math.Exp((x - max) / tau)).ToArray();
        var sum = p.Sum();
        for (var i = 0; i < m; i++) p[i] /= sum;
        var J = new double[m, m];
        for (var i = 0; i < m; i++) for (var j = 0; j < m; j++) J[i, j] = ((i == j ? p[i] : 0) - p[i] * p[j]) / tau;
        var u = new double[m]; u[a] = Math.Sqrt(0.5); u[b] = -Math.Sqrt(0.5);
        var across = 0.0;
        for (var i = 0; i < m; i++) { var v = 0.0; for (var j = 0; j < m; j++) v += J[i, j] * u[j]; across += v * v; }
        across = Math.Sqrt(across);
        // J P with P = I − u uᵀ; J is symmetric, so ‖J P‖₂² is the largest eigenvalue of P J² P.
        var JP = new double[m, m];
        for (var i = 0; i < m; i++) for (var j = 0; j < m; j++)
        {
            var v = J[i, j];
            for (var k = 0; k < m; k++) v -= J[i, k] * u[k] * u[j];
            JP[i, j] = v;
        }
        var G = new double[m, m];
        for (var i = 0; i < m; i++) for (var j = 0; j < m; j++) { var v = 0.0; for (var k = 0; k < m; k++) v += JP[k, i] * JP[k, j]; G[i, j] = v; }
        var along = Math.Sqrt(Math.Max(0, JacobianNorm.LargestEigenvalue(G)));
        return across / Math.Max(along, 1e-300);
    }
}
