using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using F = System.Runtime.Intrinsics.Vector512<float>;

namespace Workbench.Kernels.Sampling;

/// <summary>
/// The CPU kernel: 16 samples per Vector512 lane group, each lane one sample, straight from Philox to the pattern
/// index; one worker per core pulling fixed chunks; per-worker tallies merged exactly at the end.
/// Counts are bit-identical to <see cref="ReferenceSampler"/> (same operations, same order).
/// </summary>
public sealed class CpuSampler
{
    public const int Lanes = 16;
    private readonly SamplerConfig _config;
    private readonly PatternIndex _index;
    private readonly float[] _epsilons;

    public CpuSampler(SamplerConfig config)
    {
        config.Validate();
        _config = config;
        _index = new PatternIndex(config);
        _epsilons = config.Epsilons.Select(e => (float)e).ToArray();
    }

    /// <summary>Counts samples [first, first + count) of the seed into a new tally.</summary>
    public SampleTally Run(ulong seed, ulong first, ulong count, int threads, long chunkSize, Action<long>? progress, CancellationToken cancel)
    {
        if (chunkSize < Lanes) chunkSize = Lanes;
        var chunks = (long)((count + (ulong)chunkSize - 1) / (ulong)chunkSize);
        long next = -1;
        threads = Math.Max(1, Math.Min(threads, (int)Math.Min(chunks, 1024)));
        var tallies = new SampleTally[threads];
        var workers = new Thread[threads];
        Exception? failure = null;
        for (var w = 0; w < threads; w++)
        {
            var slot = w;
            workers[w] = new Thread(() =>
            {
                try
                {
                    var worker = new Worker(this);
                    long c;
                    while ((c = Interlocked.Increment(ref next)) < chunks && !cancel.IsCancellationRequested && Volatile.Read(ref failure) is null)
                    {
                        var start = first + (ulong)c * (ulong)chunkSize;
                        var n = Math.Min((ulong)chunkSize, count - (ulong)c * (ulong)chunkSize);
                        worker.Count(seed, start, n);
                        progress?.Invoke((long)n);
                    }
                    tallies[slot] = worker.Finish();
                }
                catch (Exception ex) { Interlocked.CompareExchange(ref failure, ex, null); }
            }, 16 << 20) { IsBackground = true, Name = "wb-sampler" };
            workers[w].Start();
        }
        foreach (var t in workers) t.Join();
        if (failure is not null) throw new InvalidOperationException("sampler worker failed: " + failure.Message, failure);
        cancel.ThrowIfCancellationRequested();
        var total = new SampleTally(_epsilons.Length);
        foreach (var t in tallies) total.Merge(t);
        return total;
    }

    /// <summary>One worker's scratch and tally.</summary>
    private sealed class Worker
    {
        private readonly CpuSampler _s;
        private readonly SamplerConfig _c;
        private readonly F[] _z, _q, _k;
        private readonly Vector512<int>[] _args;
        private readonly long[]? _dense;
        private readonly SampleTally _tally;
        private readonly ReferenceSampler _reference;
        private readonly int[] _laneIndex = new int[Lanes];
        private readonly uint[] _laneBins = new uint[Lanes];
        private readonly ulong[] _laneCodes = new ulong[Lanes];
        private readonly PatternsAndMarginsBatch? _shipped;
        private readonly int[] _rowPattern;
        private readonly float[] _rowMargin;
        private readonly Vector512<uint>[] _keys = new Vector512<uint>[2 * Philox.Rounds];
        private ulong? _keysSeed;

        public Worker(CpuSampler s)
        {
            _s = s; _c = s._config;
            int n = _c.Tokens, d = _c.HeadDim;
            _z = new F[_c.BlocksPerSample * 4];
            _q = new F[n * d]; _k = new F[n * d];
            _args = new Vector512<int>[_c.Heads * n];
            _dense = s._index.IsDense ? new long[s._index.Size] : null;
            _tally = new SampleTally(s._epsilons.Length);
            _reference = new ReferenceSampler(_c);
            _shipped = ShippedKernelIndex.Find(_c)?.Kernel;
            _rowPattern = new int[n * Lanes];
            _rowMargin = new float[n * Lanes];
        }

        public void Count(ulong seed, ulong start, ulong count)
        {
            var full = VectorKernels.IsSupported ? count / Lanes * Lanes : 0;
            if (_keysSeed != seed) { VectorKernels.RoundKeys(seed, _keys); _keysSeed = seed; }
            Span<uint> lo = stackalloc uint[Lanes], hi = stackalloc uint[Lanes];
            for (ulong b = 0; b < full; b += Lanes)
            {
                for (var l = 0; l < Lanes; l++) { var s = start + b + (ulong)l; lo[l] = (uint)s; hi[l] = (uint)(s >> 32); }
                Batch(seed, Vector512.Create<uint>(lo), Vector512.Create<uint>(hi));
            }
            // The remainder (fewer than 16 samples) takes the reference path: same bits, by construction and by test.
            for (var s = start + full; s < start + count; s++)
            {
                var (code, margin) = _reference.Sample(seed, s);
                _tally.Add(code, margin, _s._epsilons);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see VectorKernels.Normals
        private void Batch(ulong seed, Vector512<uint> lo, Vector512<uint> hi)
        {
            var c = _c;
            int n = c.Tokens, d = c.HeadDim;
            VectorKernels.Normals(lo, hi, _keys, c.BlocksPerSample, _z);
            var margin = Vector512.Create(float.PositiveInfinity);
            var scale = Vector512.Create(c.ScoreScale);
            for (var h = 0; h < c.Heads; h++)
            {
                ReadOnlySpan<F> q, k;
                if (c.Distribution.IsProjected) { Project(h); q = _q; k = _k; }
                else { q = _z.AsSpan(h * 2 * n * d, n * d); k = _z.AsSpan(h * 2 * n * d + n * d, n * d); }
                if (_shipped is not null)
                {
                    // The generated kernel reads the same lanes as a structure-of-arrays batch of 16 samples.
                    _shipped(MemoryMarshal.Cast<F, float>(q), MemoryMarshal.Cast<F, float>(k), _rowPattern, _rowMargin);
                    for (var i = 0; i < n; i++)
                    {
                        _args[h * n + i] = Vector512.Create<int>(_rowPattern.AsSpan(i * Lanes, Lanes));
                        margin = Vector512.Min(margin, Vector512.Create<float>(_rowMargin.AsSpan(i * Lanes, Lanes)));
                    }
                    continue;
                }
                ref readonly var q0 = ref q[0];
                ref readonly var k0 = ref k[0];
                for (var i = 0; i < n; i++)
                {
                    var (jlo, jhi) = c.Mask.Keys(i, n);
                    var best = Score(in q0, in k0, i, jlo, d) * scale;
                    var second = Vector512.Create(float.NegativeInfinity);
                    var arg = Vector512.Create(jlo);
                    for (var j = jlo + 1; j <= jhi; j++)
                    {
                        var s = Score(in q0, in k0, i, j, d) * scale;
                        var gt = Vector512.GreaterThan(s, best);
                        var gt2 = Vector512.GreaterThan(s, second);
                        second = Vector512.ConditionalSelect(gt, best, Vector512.ConditionalSelect(gt2, s, second));
                        best = Vector512.ConditionalSelect(gt, s, best);
                        arg = Vector512.ConditionalSelect(gt.AsInt32(), Vector512.Create(j), arg);
                    }
                    if (jhi > jlo) margin = Vector512.Min(margin, best - second);
                    _args[h * n + i] = arg;
                }
            }
            Tally(margin);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static F Score(in F q0, in F k0, int i, int j, int d)
        {
            ref var qi = ref Unsafe.Add(ref Unsafe.AsRef(in q0), i * d);
            ref var kj = ref Unsafe.Add(ref Unsafe.AsRef(in k0), j * d);
            var acc = qi * kj;
            for (var t = 1; t < d; t++) acc = acc + Unsafe.Add(ref qi, t) * Unsafe.Add(ref kj, t);
            return acc;
        }

        private void Project(int h)
        {
            var c = _c;
            int n = c.Tokens, d = c.HeadDim, dm = c.Distribution.ModelDim;
            var wq = c.Distribution.QueryWeights![h];
            var wk = c.Distribution.KeyWeights![h];
            for (var i = 0; i < n; i++)
                for (var t = 0; t < d; t++)
                {
                    var x = _z[i * dm];
                    F aq = x * Vector512.Create(wq[t]), ak = x * Vector512.Create(wk[t]);
                    for (var m = 1; m < dm; m++)
                    {
                        x = _z[i * dm + m];
                        aq = aq + x * Vector512.Create(wq[m * d + t]);
                        ak = ak + x * Vector512.Create(wk[m * d + t]);
                    }
                    _q[i * d + t] = aq; _k[i * d + t] = ak;
                }
        }

        private void Tally(F margin)
        {
            var c = _c;
            int n = c.Tokens;
            var eps = _s._epsilons;
            for (var e = 0; e < eps.Length; e++)
                _tally.NearTies[e] += BitOperations.PopCount(Vector512.LessThanOrEqual(margin, Vector512.Create(eps[e])).ExtractMostSignificantBits());
            _tally.AddExactTies(BitOperations.PopCount(Vector512.Equals(margin, F.Zero).ExtractMostSignificantBits()));
            ((margin.AsUInt32() & Vector512.Create(0x7FFFFFFFu)) >> SampleTally.MarginShift).CopyTo(_laneBins);
            foreach (var bin in _laneBins) _tally.MarginBins[bin]++;
            if (_dense is not null)
            {
                var idx = Vector512<int>.Zero;
                var strides = _s._index.Strides;
                for (var r = 0; r < _args.Length; r++)
                    idx += (_args[r] - Vector512.Create(_s._index.RowLow(r % n))) * Vector512.Create(strides[r]);
                idx.CopyTo(_laneIndex);
                foreach (var i in _laneIndex) _dense[i]++;
                return;
            }
            Array.Clear(_laneCodes);
            ulong headScale = 1;
            for (var h = 0; h < c.Heads; h++)
            {
                ulong place = headScale;
                for (var i = 0; i < n; i++)
                {
                    var a = _args[h * n + i];
                    for (var l = 0; l < Lanes; l++) _laneCodes[l] += (ulong)a[l] * place;
                    place *= (ulong)n;
                }
                headScale *= c.HeadCodeSpace;
            }
            foreach (var code in _laneCodes) _tally.AddPatternCount(code, 1);
        }

        public SampleTally Finish()
        {
            if (_dense is not null)
                for (var i = 0; i < _dense.Length; i++) _tally.AddPatternCount(_s._index.CodeOf(i), _dense[i]);
            return _tally;
        }
    }
}
