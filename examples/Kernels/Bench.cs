using System.Diagnostics;
using System.Globalization;
using Workbench.Attention;

namespace Kernels.Example;

/// <summary>
/// `dotnet run -c Release -- --bench [reps]`: patterns + margins per second for the generated batch kernel, the
/// generic fast path (StrataFast, one thread, same inputs in [B,1,n,d] layout) and the generic reference path
/// (Scores.Head + RowStratum per sample, float64), inputs already in memory. Medians of the repetitions.
/// </summary>
internal static class Bench
{
    private delegate void Batch(ReadOnlySpan<float> q, ReadOnlySpan<float> k, Span<int> p, Span<float> m);

    private const int Tile = 128;

    public static int Run(int reps)
    {
        Measure("n=4, d_h=8, causal", 4, 8, 1 << 20, (q, k, p, m) => Bench4x8.PatternsAndMarginsBatch(q, k, p, m), reps);
        Measure("n=8, d_h=16, causal", 8, 16, 1 << 18, (q, k, p, m) => Bench8x16.PatternsAndMarginsBatch(q, k, p, m), reps);
        return 0;
    }

    private static double Median(List<double> xs) { xs.Sort(); return xs[xs.Count / 2]; }

    private static void Measure(string label, int n, int d, int samples, Batch generated, int reps)
    {
        var random = new Random(17);
        var rowMajorQ = new float[samples * n * d];
        var rowMajorK = new float[samples * n * d];
        for (int t = 0; t < rowMajorQ.Length; t++) { rowMajorQ[t] = (float)(random.NextDouble() * 2 - 1); rowMajorK[t] = (float)(random.NextDouble() * 2 - 1); }
        // The same samples in tiles of Tile samples, each tile in structure-of-arrays order: one SoA over all samples
        // would put the n·d_h component streams megabytes apart (cache-set aliasing, more streams than prefetchers).
        var soaQ = new float[rowMajorQ.Length];
        var soaK = new float[rowMajorK.Length];
        int nd = n * d;
        for (int b = 0; b < samples; b++)
        {
            int tile = b / Tile, lane = b % Tile;
            for (int e = 0; e < nd; e++)
            {
                soaQ[tile * Tile * nd + e * Tile + lane] = rowMajorQ[b * nd + e];
                soaK[tile * Tile * nd + e * Tile + lane] = rowMajorK[b * nd + e];
            }
        }
        var p = new int[samples * n];
        var m = new float[samples * n];

        var gen = new List<double>(); var fast = new List<double>(); var reference = new List<double>();
        int refSamples = samples / 16;
        var qd = new double[n * d]; var kd = new double[n * d];
        for (int r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int t = 0; t < samples / Tile; t++)
                generated(soaQ.AsSpan(t * Tile * nd, Tile * nd), soaK.AsSpan(t * Tile * nd, Tile * nd), p.AsSpan(t * Tile * n, Tile * n), m.AsSpan(t * Tile * n, Tile * n));
            gen.Add(samples / sw.Elapsed.TotalSeconds);

            sw.Restart();
            var result = StrataFast.Compute(rowMajorQ, rowMajorK, new HeadShape(samples, 1, n, d), AttentionMask.Causal, threads: 1);
            fast.Add(samples / sw.Elapsed.TotalSeconds);
            if (r == 0)
            {
                int mismatches = 0;
                for (int b = 0; b < samples; b++)
                    for (int i = 0; i < n; i++)
                        if (result.Pattern[b * n + i] != p[(b / Tile) * Tile * n + i * Tile + b % Tile]) mismatches++;
                Console.WriteLine($"{label}: pattern rows differing from the generic fast path (float rounding near ties): {mismatches} of {samples * n}");
            }

            sw.Restart();
            for (int b = 0; b < refSamples; b++)
            {
                for (int e = 0; e < n * d; e++) { qd[e] = rowMajorQ[b * n * d + e]; kd[e] = rowMajorK[b * n * d + e]; }
                var s = Scores.Head(qd, kd, n, d, AttentionMask.Causal);
                for (int i = 0; i < n; i++) _ = RowStratum.Of(s.AsSpan(i * n, n), i);
            }
            reference.Add(refSamples / sw.Elapsed.TotalSeconds);
        }
        double g = Median(gen), f = Median(fast), rf = Median(reference);
        string M(double x) => (x / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " M/s";
        string X(double x) => x.ToString("F1", CultureInfo.InvariantCulture) + "×";
        Console.WriteLine($"{label}: generated {M(g)}, generic fast (StrataFast, 1 thread) {M(f)}, generic reference {M(rf)}; generated/fast {X(g / f)}, generated/reference {X(g / rf)}");
    }
}
