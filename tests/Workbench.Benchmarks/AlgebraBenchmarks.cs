using BenchmarkDotNet.Attributes;
using Workbench.Algebra.Operators;

namespace Workbench.Benchmarks;

/// <summary>
/// The per-layer algebra report at GPT-2 Medium head shapes (d = 1024, r = 64, H = 16, seeded N(0, 1/d) factors),
/// split into its parts so the profile is visible: the Gram of the stacked factors [Q K], the pair loop on top of them
/// (HeadGeometry = Gram + pairs), the whole report (+ span basis, phase), and the Jacobi round-off probe that the
/// CLI runs outside the timed report. Peers: shared/peers/eps_numpy.py and eps_lowrank_numpy.py (and the corrected
/// copy peers/eps_lowrank_numpy_fixed.py), `d r H L` = 1024 64 16 L; see docs/performance/algebra.md.
/// </summary>
[Config(typeof(InProcessConfig))]
public class AlgebraBenchmarks
{

    FactoredHeads _heads = null!;
    SpanBasis _span = null!;

    [GlobalSetup]
    public void Setup()
    {
        _heads = FactoredHeads.Random(1024, 64, 16, 1);
        _span = LayerReport.Compute(_heads).Span;
    }

    [Benchmark]
    public double GramProducts()
    {
        var g = GramGemm.StackedGram(_heads.Q, _heads.K, _heads.D, _heads.Width);
        return g[1];
    }

    [Benchmark]
    public double Geometry() => HeadGeometry.Compute(_heads).CommutatorNorm[1];

    [Benchmark(Baseline = true)]
    public double LayerReportWhole() => LayerReport.Compute(_heads).Eps;

    [Benchmark]
    public double JacobiProbeDefault() => JacobiProbe.MaxRelative(_heads, _span, 1);
}
