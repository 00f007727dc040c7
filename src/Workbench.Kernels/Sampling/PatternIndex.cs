namespace Workbench.Kernels.Sampling;

/// <summary>
/// A dense index over the admissible patterns only (mixed radix over each row's admissible keys, heads outermost),
/// used for per-thread histograms when it is small: causal n = 8 has 8! = 40,320 admissible patterns against
/// 8^8 = 16.7 M codes. Converts back to the canonical code Σ σ(i)·n^i when tallies are merged.
/// </summary>
public sealed class PatternIndex
{
    /// <summary>Dense histograms above this many cells fall back to a dictionary.</summary>
    public const long MaxDense = 1 << 22;

    private readonly SamplerConfig _config;
    private readonly int[] _lo, _radix;

    public PatternIndex(SamplerConfig config)
    {
        _config = config;
        int n = config.Tokens;
        _lo = new int[n]; _radix = new int[n];
        Strides = new int[config.Heads * n];
        double size = 1;
        for (var i = 0; i < n; i++)
        {
            var (lo, hi) = config.Mask.Keys(i, n);
            _lo[i] = lo; _radix[i] = hi - lo + 1;
        }
        for (var h = 0; h < config.Heads; h++)
            for (var i = 0; i < n; i++) size *= _radix[i];
        IsDense = size <= MaxDense;
        Size = IsDense ? (int)size : 0;
        if (IsDense)
        {
            var stride = 1;
            for (var h = 0; h < config.Heads; h++)
                for (var i = 0; i < n; i++) { Strides[h * n + i] = stride; stride *= _radix[i]; }
        }
        AdmissibleCount = size;
    }

    public bool IsDense { get; }
    public int Size { get; }
    /// <summary>The number of admissible patterns, Π over heads and rows of the admissible key counts.</summary>
    public double AdmissibleCount { get; }
    /// <summary>Stride of row i of head h in the dense index.</summary>
    public int[] Strides { get; }
    public int RowLow(int row) => _lo[row];

    public ulong CodeOf(int dense)
    {
        int n = _config.Tokens;
        ulong joint = 0, headScale = 1;
        for (var h = 0; h < _config.Heads; h++)
        {
            ulong code = 0, place = 1;
            for (var i = 0; i < n; i++)
            {
                var digit = dense % _radix[i]; dense /= _radix[i];
                code += (ulong)(digit + _lo[i]) * place;
                place *= (ulong)n;
            }
            joint += code * headScale;
            headScale *= _config.HeadCodeSpace;
        }
        return joint;
    }
}
