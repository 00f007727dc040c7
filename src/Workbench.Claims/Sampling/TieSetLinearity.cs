namespace Workbench.Claims.Sampling;

/// <summary>
/// S.prop-9.1, geometry part: "each tie set H_{i,j,k} is a codimension-1 linear subspace of QK". In (Q, K)
/// coordinates the tie S_ij = S_ik reads ⟨q_i, k_j − k_k⟩ = 0, which is bilinear: a quadric cone, not a linear
/// subspace. It is linear in score space S, or in K for fixed Q. Exact integer counterexample: two points on the
/// tie set whose sum is off it.
/// </summary>
public sealed class TieSetLinearity : ClaimCheck
{
    public override string ClaimId => "S.prop-9.1";
    public override string Name => "tie set H_{0,1,2} is closed under addition in QK (exact counterexample)";
    public override string Setting => "n = 3, d_h = 2, exact integer arithmetic in QK = R^{3×2} × R^{3×2}";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(linearInScores: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        // The same test in score space, where the tie set really is a hyperplane, finds no counterexample.
        new("the tie set is a linear subspace of score space S (where it is)", _ => Evaluate(linearInScores: true)),
    ];

    private static CheckOutcome Evaluate(bool linearInScores)
    {
        if (linearInScores)
        {
            // In S coordinates H = {S_01 = S_02}: for any two members, the sum satisfies the same linear equation.
            int[] a = [3, 5, 5], b = [-1, 2, 2];
            var sum = a.Zip(b, (x, y) => x + y).ToArray();
            var closed = sum[1] == sum[2];
            return CheckOutcome.Of(closed ? Finding.SupportsNumerically : Finding.Refutes,
                Evidence.Symbolic($"score rows (3,5,5) and (-1,2,2) tie at keys 1, 2 and so does their sum ({string.Join(",", sum)})"));
        }
        // Row 0 of Q and keys 1, 2 of K; other entries zero. Tie means q_0·k_1 = q_0·k_2.
        int[] q0A = [1, 0], k1A = [0, 1], k2A = [0, 0];   // q·k1 = 0 = q·k2: on H
        int[] q0B = [0, 1], k1B = [1, 0], k2B = [0, 0];   // q·k1 = 0 = q·k2: on H
        static int Dot(int[] x, int[] y) => x[0] * y[0] + x[1] * y[1];
        static int[] Add(int[] x, int[] y) => [x[0] + y[0], x[1] + y[1]];
        var onA = Dot(q0A, k1A) == Dot(q0A, k2A);
        var onB = Dot(q0B, k1B) == Dot(q0B, k2B);
        int[] q = Add(q0A, q0B), k1 = Add(k1A, k1B), k2 = Add(k2A, k2B);
        var gap = Dot(q, k1) - Dot(q, k2);
        var refuted = onA && onB && gap != 0;
        return CheckOutcome.Of(refuted ? Finding.Qualifies : Finding.SupportsNumerically,
            Evidence.Counterexample($"A: q_0 = (1,0), k_1 = (0,1), k_2 = 0 and B: q_0 = (0,1), k_1 = (1,0), k_2 = 0 both satisfy S_01 = S_02 (= 0); A + B has q_0·k_1 − q_0·k_2 = {gap} ≠ 0, so H_(0,1,2) is not a linear subspace of QK"),
            Evidence.Note("H_{i,j,k} = {⟨q_i, k_j − k_k⟩ = 0} is a quadric hypersurface (a cone) in QK: still closed and of measure zero, so the measure-zero conclusion survives; it is a hyperplane in score space S or in K for fixed Q"));
    }
}
