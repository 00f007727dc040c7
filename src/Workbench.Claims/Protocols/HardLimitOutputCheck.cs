using Workbench.Protocols.Probe;
using Workbench.Protocols.Runs;

namespace Workbench.Claims.Protocols;

/// <summary>
/// S.sec-13.1 on the trained model: Y_i ≈ V_σ(i) inside R°_σ for small τ. Measured per head-row as
/// e_i = ‖Y_i − V_σ(i)‖ / max_j ‖V_j − V_σ(i)‖, with the bound e_i ≤ (n_i − 1)e^{−m_i/τ} (m_i the row margin), at
/// τ = 1 (as trained), 0.1 and 0.01 applied to one layer at a time.
/// </summary>
public sealed class HardLimitOutputCheck : ClaimCheck
{
    public static readonly double[] Taus = [1, 0.1, 0.01];
    public const double Close = 0.1;

    public override string ClaimId => "S.sec-13.1";
    public override string Name => "Y_i against V_σ(i) on stories260K";
    public override string Setting => "stories260K, 2 fixed prompts, every layer and head, rows i ≥ 1; τ applied to one layer at a time; float64";

    public sealed record Measure(int Rows, double[] FractionClose, double[] Median, int BoundViolations, double WorstBoundRatio);

    internal static Measure? Compute(ClaimContext context)
    {
        var loaded = TrainedModelFixture.Load(context);
        if (loaded is null) return null;
        var model = loaded.Model;
        var s = model.Shape;
        var errors = Taus.Select(_ => new List<double>()).ToArray();
        var violations = 0; var worst = 0.0;
        foreach (var tokens in TrainedModelFixture.Prompts(loaded))
            for (var l = 0; l < s.Layers; l++)
                for (var t = 0; t < Taus.Length; t++)
                {
                    var run = model.Run(tokens, new ProbeOptions { Temperature = Taus[t], TemperatureLayer = l, CaptureInternals = true, StopAfterLayer = l });
                    var it = run.Internals![l];
                    for (var h = 0; h < s.Heads; h++)
                    {
                        var g = h / (s.Heads / s.KvHeads);
                        for (var i = 1; i < run.Length; i++)
                        {
                            var row = RowPattern.Of(run, l, h, i);
                            double Dist(int j, bool useY)
                            {
                                var d = 0.0;
                                for (var c = 0; c < s.DHead; c++)
                                {
                                    var a = useY ? it.HeadOutputs[i * s.DModel + h * s.DHead + c] : it.V[j * s.KvHeads * s.DHead + g * s.DHead + c];
                                    var b = it.V[row.Argmax * s.KvHeads * s.DHead + g * s.DHead + c];
                                    d += (a - b) * (a - b);
                                }
                                return Math.Sqrt(d);
                            }
                            var spread = Enumerable.Range(0, i + 1).Max(j => Dist(j, false));
                            var e = spread == 0 ? 0 : Dist(-1, true) / spread;
                            errors[t].Add(e);
                            var bound = i * Math.Exp(-row.Margin / Taus[t]);
                            if (e > bound * (1 + 1e-9) + 1e-12) violations++;
                            if (bound > 0) worst = Math.Max(worst, e / bound);
                        }
                    }
                }
        return new Measure(errors[0].Count, errors.Select(e => e.Count(x => x < Close) / (double)e.Count).ToArray(), errors.Select(e => Stats.Median(e)).ToArray(), violations, worst);
    }

    public override CheckOutcome Run(ClaimContext context) => Judge(context, reversed: false, closeAtTrained: false);

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("reversed: the approximation worsens as τ decreases", c => Judge(c, reversed: true, closeAtTrained: false)),
        new("Y_i ≈ V_σ(i) already holds at the trained τ = 1 for every row (within 0.1)", c => Judge(c, reversed: false, closeAtTrained: true)),
    ];

    private static CheckOutcome Judge(ClaimContext context, bool reversed, bool closeAtTrained)
    {
        var m = Compute(context);
        if (m is null) return TrainedModelFixture.Missing;
        var evidence = new List<Evidence>
        {
            Evidence.Numeric($"{m.Rows} head-rows; fraction with ‖Y_i − V_σ(i)‖ < {Close}·spread: τ = 1: {Fmt.Sig(m.FractionClose[0])}, τ = 0.1: {Fmt.Sig(m.FractionClose[1])}, τ = 0.01: {Fmt.Sig(m.FractionClose[2])}"),
            Evidence.Numeric($"median relative error: τ = 1: {Fmt.Sig(m.Median[0])}, τ = 0.1: {Fmt.Sig(m.Median[1])}, τ = 0.01: {Fmt.Bound(m.Median[2])}"),
            Evidence.Numeric($"bound e_i ≤ (n_i − 1)e^(−m_i/τ): {m.BoundViolations} violations in {3 * m.Rows} head-rows"),
        };
        var improves = m.Median[2] <= m.Median[1] && m.Median[1] <= m.Median[0];
        if (m.BoundViolations > 0 || (reversed ? improves : !improves))
            return new CheckOutcome(Finding.Refutes, [Evidence.Counterexample(reversed ? "the error falls as τ decreases" : "the error does not fall with τ, or the bound fails"), .. evidence]);
        if (closeAtTrained)
            return m.FractionClose[0] == 1 ? new CheckOutcome(Finding.SupportsNumerically, evidence)
                : new CheckOutcome(Finding.Refutes, [Evidence.Counterexample($"at τ = 1 only {Fmt.Sig(m.FractionClose[0])} of rows are within {Close}"), .. evidence]);
        // "Small τ" is relative to each row's margin: rows near the tie set need τ ≪ m_i, and at the trained τ = 1 the approximation is mostly false.
        return m.FractionClose[0] < 0.9
            ? new CheckOutcome(Finding.Qualifies, [Evidence.Note($"holds once τ ≪ the row's margin (the bound above); at the trained temperature τ = 1 it fails for {Fmt.Sig(1 - m.FractionClose[0])} of rows, so it describes the hard limit, not the trained model as run"), .. evidence])
            : new CheckOutcome(Finding.SupportsNumerically, evidence);
    }
}
