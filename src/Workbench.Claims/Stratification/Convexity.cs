namespace Workbench.Claims.Stratification;

/// <summary>
/// S.sec-9.3 (and the linearity in S.prop-3.2): the defining inequalities q_i·(k_σ(i) − k_j) &gt; 0 are linear in Q
/// for fixed K (and in K for fixed Q) but bilinear in (Q, K) jointly. So a region is a convex cone in Q-space for
/// fixed K, while in joint QK space it is neither convex nor connected.
/// </summary>
internal static class JointGeometry
{
    /// <summary>Two points of R°_(0,0) for n = 2, d_h = 1 whose midpoint lies in R°_(1,1).</summary>
    public static (double[][] Q, double[][] K)[] MidpointCounterexample() =>
    [
        ([[2], [2]], [[1], [0]]),
        ([[-1], [-1]], [[0], [3]]),
        ([[0.5], [0.5]], [[0.5], [1.5]]),
    ];

    /// <summary>Same-pattern pairs and how many midpoints leave the region; K shared by both points when fixedK.</summary>
    public static (long Pairs, long Failures) Midpoints(Gaussian random, long samples, bool fixedK)
    {
        long pairs = 0, failures = 0;
        for (long s = 0; s < samples; s++)
        {
            var (q1, k1) = (random.Matrix(3, 2), random.Matrix(3, 2));
            var (q2, k2) = (random.Matrix(3, 2), fixedK ? k1 : random.Matrix(3, 2));
            var sigma = ToyHead.Pattern(q1, k1);
            if (!ToyHead.Pattern(q2, k2).SequenceEqual(sigma)) continue;
            pairs++;
            var (qm, km) = (Average(q1, q2), Average(k1, k2));
            if (!ToyHead.Pattern(qm, km).SequenceEqual(sigma) || !(ToyHead.MinMargin(qm, km) > 0)) failures++;
        }
        return (pairs, failures);
    }

    private static double[][] Average(double[][] a, double[][] b) => a.Select((row, i) => row.Select((x, c) => (x + b[i][c]) / 2).ToArray()).ToArray();

    public static Evidence Describe((double[][] Q, double[][] K)[] points, string label) =>
        Evidence.Counterexample($"{label}: (Q, K) = ({PatternText.Matrix(points[0].Q)}, {PatternText.Matrix(points[0].K)}) and ({PatternText.Matrix(points[1].Q)}, {PatternText.Matrix(points[1].K)}) both have σ = {PatternText.Of(ToyHead.Pattern(points[0].Q, points[0].K))}; " +
            $"their midpoint ({PatternText.Matrix(points[2].Q)}, {PatternText.Matrix(points[2].K)}) has σ = {PatternText.Of(ToyHead.Pattern(points[2].Q, points[2].K))}");
}

/// <summary>S.sec-9.3: each R°_σ is open, convex and contractible; closures form a polyhedral complex.</summary>
public sealed class RegionConvexity : ClaimCheck
{
    public override string ClaimId => "S.sec-9.3";
    public override string Name => "convexity of pattern regions, joint and for fixed K";
    public override string Setting => "n = 3, d_h = 2, Gaussian pairs with equal patterns, midpoints classified by the workbench's argmax; explicit n = 2, d_h = 1 witness";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimsConvex: true);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("reversed: regions are not convex even in Q for fixed K", c => Evaluate(c, claimsConvex: false)),
    ];

    private CheckOutcome Evaluate(ClaimContext context, bool claimsConvex)
    {
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(20_000);
        var joint = JointGeometry.Midpoints(random, samples, fixedK: false);
        var fixedK = JointGeometry.Midpoints(random, samples, fixedK: true);
        var witness = JointGeometry.MidpointCounterexample();
        var witnessHolds = ToyHead.Pattern(witness[2].Q, witness[2].K).SequenceEqual(new[] { 1, 1 }) && ToyHead.Pattern(witness[0].Q, witness[0].K).SequenceEqual(ToyHead.Pattern(witness[1].Q, witness[1].K));
        var numeric = Evidence.Numeric($"joint (Q, K): {joint.Failures} of {joint.Pairs} same-pattern pairs have a midpoint outside the region; fixed K: {fixedK.Failures} of {fixedK.Pairs}");
        if (!claimsConvex)
            return fixedK.Failures == 0
                ? CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample($"for fixed K no midpoint of {fixedK.Pairs} same-pattern pairs left its region"), numeric)
                : CheckOutcome.Of(Finding.SupportsNumerically, numeric);
        if (fixedK.Failures > 0)
            return CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample("a region is not convex even for fixed K"), numeric);
        if (joint.Failures == 0 || !witnessHolds)
            return CheckOutcome.Of(Finding.SupportsNumerically, numeric);
        return CheckOutcome.Of(Finding.Qualifies,
            Evidence.Note("open: yes (strict inequalities of continuous functions). Convex and contractible: only in Q for fixed K (or in K for fixed Q), where R°_σ is an intersection of open half-spaces. In joint QK space the inequalities q_i·(k_σ(i) − k_j) > 0 are bilinear, not linear"),
            JointGeometry.Describe(witness, "not convex in QK, n = 2, d_h = 1"),
            Evidence.Symbolic("not contractible in QK: for n = 2, d_h = 1, R°_(0,0) = {k_0 > k_1, q_0 > 0, q_1 > 0} ∪ {k_0 < k_1, q_0 < 0, q_1 < 0}, two components, since a path between them must cross k_0 = k_1 where S_00 = S_01; closures are semi-algebraic, not a polyhedral complex",
                @"\mathcal{R}^\circ_{(0,0)} = \{k_0>k_1,\,q>0\} \sqcup \{k_0<k_1,\,q<0\}"),
            numeric);
    }
}

/// <summary>S.prop-3.2: each inequality S_iσ(i) &gt; S_ij is linear in the entries of Q, K. It is bilinear.</summary>
public sealed class InequalityLinearity : ClaimCheck
{
    public override string ClaimId => "S.prop-3.2";
    public override string Name => "linearity of S_iσ(i) − S_ij, jointly and per factor";
    public override string Setting => "n = 3, d_h = 2, f(Q, K) = S_00 − S_01, Gaussian points x, y: additivity f(x + y) = f(x) + f(y) tested jointly, in Q with K fixed and in K with Q fixed";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, claimsLinear: true);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("reversed: not linear even in Q for fixed K", c => Evaluate(c, claimsLinear: false)),
    ];

    private static double F(double[][] q, double[][] k) { var s = ToyHead.Scores(q, k); return s[0][0] - s[0][1]; }

    private static double[][] Add(double[][] a, double[][] b) => a.Select((row, i) => row.Select((x, c) => x + b[i][c]).ToArray()).ToArray();

    private CheckOutcome Evaluate(ClaimContext context, bool claimsLinear)
    {
        const double tolerance = 1e-12;
        var random = new Gaussian(context.SeedFor(ClaimId));
        var samples = context.Samples(500);
        double jointWorst = 0, perFactorWorst = 0;
        for (long s = 0; s < samples; s++)
        {
            var (q1, k1, q2, k2) = (random.Matrix(3, 2), random.Matrix(3, 2), random.Matrix(3, 2), random.Matrix(3, 2));
            jointWorst = Math.Max(jointWorst, Math.Abs(F(Add(q1, q2), Add(k1, k2)) - F(q1, k1) - F(q2, k2)));
            perFactorWorst = Math.Max(perFactorWorst, Math.Abs(F(Add(q1, q2), k1) - F(q1, k1) - F(q2, k1)));
            perFactorWorst = Math.Max(perFactorWorst, Math.Abs(F(q1, Add(k1, k2)) - F(q1, k1) - F(q1, k2)));
        }
        var numeric = Evidence.Numeric($"additivity defect over {samples} pairs: joint {Fmt.Bound(jointWorst)}, per factor {Fmt.Bound(perFactorWorst)} (tolerance {Fmt.Sci(tolerance)})");
        if (!claimsLinear)
            return perFactorWorst <= tolerance ? CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample("additive in Q for fixed K"), numeric) : CheckOutcome.Of(Finding.SupportsNumerically, numeric);
        if (perFactorWorst > tolerance) return CheckOutcome.Of(Finding.Refutes, numeric);
        if (jointWorst <= tolerance) return CheckOutcome.Of(Finding.SupportsNumerically, numeric);
        double[][] q = [[1, 0], [0, 0], [0, 0]], k = [[1, 0], [0, 0], [0, 0]];
        return CheckOutcome.Of(Finding.Qualifies,
            Evidence.Note("linear in Q for fixed K and in K for fixed Q (bilinear); jointly of degree 2, so R°_σ is polyhedral only in one factor at a time"),
            Evidence.Counterexample($"Q = K = {PatternText.Matrix(q)}: f(Q, K) = {Fmt.Sig(F(q, k), 4)}, f(2Q, 2K) = {Fmt.Sig(F(q.Select(r => r.Select(x => 2 * x).ToArray()).ToArray(), k.Select(r => r.Select(x => 2 * x).ToArray()).ToArray()), 4)}: scaling both by 2 scales f by 4"),
            numeric);
    }
}
