namespace Workbench.Algebra.Operators;

/// <summary>
/// The per-layer algebra report. ε_ℓ is the note's (L §1): the mean over head pairs i &lt; j of ‖[A_i, A_j]‖_F / √(d²).
/// The scale-free ε is the mean of ‖[A_i, A_j]‖_F / (‖A_i‖_F ‖A_j‖_F), invariant under W → cW and bounded by √2.
/// Under W^q, W^k → c W^q, c W^k every A_h scales by c², so ε_ℓ scales by <see cref="EpsScalingExponent"/> = c⁴
/// (exactly, by bilinearity of the commutator) while the scale-free ε does not move.
/// The action is S = Tr Σ_{i&lt;j} [A_i, A_j]².
/// </summary>
public sealed record LayerReport(
    int D, int Rank, int Heads,
    double Eps, double EpsScaleFree, double Action,
    SpanBasis Span, string Phase, HeadGeometry Geometry)
{
    public const int EpsScalingExponent = 4;

    public static LayerReport Compute(FactoredHeads heads, PhaseThresholds? thresholds = null, double spanThreshold = SpanBasis.NoteThreshold)
    {
        var g = HeadGeometry.Compute(heads);
        int h = heads.Heads;
        double sum = 0, sumFree = 0, action = 0;
        var pairs = 0;
        for (var i = 0; i < h; i++)
        for (var j = i + 1; j < h; j++)
        {
            var c = g.CommutatorNorm[i * h + j];
            sum += c;
            var ni = Math.Sqrt(g.Inner[i * h + i]);
            var nj = Math.Sqrt(g.Inner[j * h + j]);
            sumFree += ni > 0 && nj > 0 ? c / (ni * nj) : 0;
            action += g.ActionTerm[i * h + j];
            pairs++;
        }
        var eps = pairs == 0 ? 0 : sum / pairs / heads.D;
        var free = pairs == 0 ? 0 : sumFree / pairs;
        var span = SpanBasis.FromGram(g.Inner, h, spanThreshold);
        return new LayerReport(heads.D, heads.Rank, h, eps, free, action, span, (thresholds ?? PhaseThresholds.Note).Label(eps), g);
    }
}
