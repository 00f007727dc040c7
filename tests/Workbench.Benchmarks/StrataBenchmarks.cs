using BenchmarkDotNet.Attributes;
using Workbench.Attention;

namespace Workbench.Benchmarks;

/// <summary>
/// The fused float32 strata kernel (scores + top-2 per row, patterns and margins only) on the batch
/// B = 8, H = 16, n = 1024, d_h = 64, Q and K ~ N(0, 1), two threads: the same work as the PyTorch peer
/// `strata_torch.py 8 16 1024 64 none|causal 2` (peers/strata_side_by_side.sh runs both back to back).
/// Effective GFLOP/s = 2·B·H·n²·d / time, counting the full n² also under the causal mask, as the peer does.
/// </summary>
[Config(typeof(InProcessConfig))]
public class StrataBenchmarks
{

    private float[] _q = null!, _k = null!;
    private HeadShape _shape;
    private AttentionMask _mask = null!;

    [Params("none", "causal")] public string Mask = "none";
    [Params(1, 2)] public int Threads;

    [GlobalSetup]
    public void Setup()
    {
        _shape = new HeadShape(8, 16, 1024, 64);
        var rng = new Gaussian(1);
        _q = new float[_shape.Elements];
        _k = new float[_shape.Elements];
        rng.Fill(_q);
        rng.Fill(_k);
        _mask = AttentionMask.Parse(Mask);
    }

    [Benchmark]
    public int Strata() => StrataFast.Compute(_q, _k, _shape, _mask, Threads).Pattern[^1];
}
