using System.Diagnostics;

namespace Workbench.Algebra.Operators;

/// <summary>One layer's row of the model report: the timed per-layer report plus the round-off Jacobi figure.</summary>
public sealed record LayerRow(int Layer, LayerReport Report, double JacobiMax);

/// <summary>
/// The algebra report of a whole model: per layer the <see cref="LayerReport"/> (timed) and, outside the timing,
/// the Jacobi round-off figure. <see cref="Seconds"/> covers the per-layer reports only.
/// </summary>
public sealed record ModelAlgebra(string Model, IReadOnlyList<LayerRow> Layers, double Seconds, IReadOnlyList<string> Notes)
{
    public static ModelAlgebra Analyse(string model, IReadOnlyList<FactoredHeads> layers, PhaseThresholds? thresholds = null,
        ulong seed = 1, bool jacobi = true, IReadOnlyList<string>? notes = null)
    {
        if (layers.Count == 0) throw new ArgumentException("the model has no layers to analyse");
        var watch = Stopwatch.StartNew();
        var reports = layers.Select(l => LayerReport.Compute(l, thresholds)).ToList();
        var seconds = watch.Elapsed.TotalSeconds;
        var rows = reports.Select((r, i) => new LayerRow(i, r, jacobi ? JacobiProbe.MaxRelative(layers[i], r.Span, seed + (ulong)i) : double.NaN)).ToList();
        return new ModelAlgebra(model, rows, seconds, notes ?? []);
    }

    /// <summary>Seeded random layers with N(0, 1/d) factor entries: the benchmark shapes.</summary>
    public static IReadOnlyList<FactoredHeads> RandomLayers(int d, int rank, int heads, int layers, ulong seed) =>
        Enumerable.Range(0, layers).Select(l => FactoredHeads.Random(d, rank, heads, seed + (ulong)l)).ToList();
}
