using Workbench.Algebra.Exact;
using Workbench.Algebra.Operators;

namespace Workbench.Claims.Algebra;

/// <summary>
/// L.no-classical: "there is no ε_ℓ = 0 regime". Counterexamples: heads sharing one eigenbasis, A_h = U D_h Uᵀ
/// (U orthonormal d×r, D_h diagonal), commute, so ε_ℓ = 0; so do identical heads. Checked on the factored path
/// (the figure is round-off) and exactly over Q for integer diagonal heads in a shared integer basis.
/// </summary>
public sealed class CommutingHeadsCheck : ClaimCheck
{
    public override string ClaimId => "L.no-classical";
    public override string Name => "commuting heads give eps = 0";
    public override string Setting => "d = 32, r = 8, H = 4: shared orthonormal U, A_h = U D_h U^T; identical heads; exact 3x3 integer case";

    public override CheckOutcome Run(ClaimContext context) => Check(context, sharedBasis: true);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("heads with independent eigenbases U_h (the construction that is not commuting)", c => Check(c, sharedBasis: false)),
    ];

    private static CheckOutcome Check(ClaimContext context, bool sharedBasis)
    {
        const int d = 32, r = 8, h = 4;
        var rng = new Random((int)(context.SeedFor("no-classical") & 0x7fffffff));
        var shared = Orthonormal(rng, d, r);
        var q = new List<double[]>(); var k = new List<double[]>();
        for (var head = 0; head < h; head++)
        {
            var u = sharedBasis ? shared : Orthonormal(rng, d, r);
            var diag = Enumerable.Range(0, r).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            q.Add(Enumerable.Range(0, d * r).Select(t => u[t] * diag[t % r]).ToArray());
            k.Add((double[])u.Clone());
        }
        var report = LayerReport.Compute(FactoredHeads.FromHeads(d, r, q, k));
        var identical = FactoredHeads.FromHeads(d, r, [q[0], q[0], q[0]], [k[0], k[0], k[0]]);
        var identicalEps = LayerReport.Compute(identical).Eps;
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"eps_l of {h} heads {(sharedBasis ? "sharing one eigenbasis" : "with independent eigenbases")}: {Fmt.Bound(report.Eps)} (scale-free {Fmt.Bound(report.EpsScaleFree)})"),
            Evidence.Numeric($"eps_l of three identical heads: {Fmt.Bound(identicalEps)}"),
        };
        // The factored norm takes √ of a cancelling sum, so a zero commutator reads as ~√(float64 eps) ≈ 1e-8 relative.
        if (report.EpsScaleFree > 1e-6) return new CheckOutcome(Finding.SupportsNumerically, evidence);
        // Exact: A = P diag(1,2,3) P^-1 style with integers: P D_1 adj(P), P D_2 adj(P) commute exactly.
        Rational[] p = [1, 1, 0, 0, 1, 1, 1, 0, 1];
        Rational[] adj = [1, -1, 1, 1, 1, -1, -1, 1, 1]; // adj(P), P·adj(P) = det(P)·I = 2I
        Rational[] d1 = [1, 0, 0, 0, 2, 0, 0, 0, 3];
        Rational[] d2 = [5, 0, 0, 0, -1, 0, 0, 0, 4];
        var a1 = AlgebraClaimData.Mul(AlgebraClaimData.Mul(p, d1, 3), adj, 3);
        var a2 = AlgebraClaimData.Mul(AlgebraClaimData.Mul(p, d2, 3), adj, 3);
        var exactZero = AlgebraClaimData.Comm(a1, a2, 3).All(x => x.IsZero);
        evidence.Insert(0, Evidence.Counterexample(
            $"simultaneously diagonalisable heads A_1 = P diag(1,2,3) adj P, A_2 = P diag(5,-1,4) adj P with P = [[1,1,0],[0,1,1],[1,0,1]]: [A_1, A_2] = 0 exactly over Q ({exactZero}), so eps_l = 0; a single head or equal heads also give eps_l = 0",
            @"[P D_1 P^{-1}, P D_2 P^{-1}] = P [D_1, D_2] P^{-1} = 0"));
        return new CheckOutcome(exactZero ? Finding.Refutes : Finding.Inconclusive, evidence);
    }

    private static double[] Orthonormal(Random rng, int d, int r)
    {
        var u = new double[d * r];
        for (var c = 0; c < r; c++)
        {
            var v = Enumerable.Range(0, d).Select(_ => rng.NextDouble() - 0.5).ToArray();
            for (var prev = 0; prev < c; prev++)
            {
                double dot = 0;
                for (var a = 0; a < d; a++) dot += v[a] * u[a * r + prev];
                for (var a = 0; a < d; a++) v[a] -= dot * u[a * r + prev];
            }
            var n = Math.Sqrt(v.Sum(x => x * x));
            for (var a = 0; a < d; a++) u[a * r + c] = v[a] / n;
        }
        return u;
    }
}
