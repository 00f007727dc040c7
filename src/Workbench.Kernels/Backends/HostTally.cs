using Workbench.Kernels.Sampling;

namespace Workbench.Kernels.Backends;

/// <summary>
/// The host half of the device backends: one launch's pattern codes and margins counted into the run's tally.
/// A single thread counts about 25 M samples/s, far below a GPU's kernel rate, so a launch is split over the
/// cores, each slice into its own tally; the tallies are integer counts, so merging them gives the same result
/// in any order and with any number of slices.
/// </summary>
internal static class HostTally
{
    private const int MinSlice = 1 << 16;

    public static void Add(SampleTally total, ulong[] codes, float[] margins, int count, float[] epsilons)
    {
        var slices = Math.Max(1, Math.Min(Environment.ProcessorCount, count / MinSlice));
        if (slices == 1)
        {
            for (var i = 0; i < count; i++) total.Add(codes[i], margins[i], epsilons);
            return;
        }
        var parts = new SampleTally[slices];
        Parallel.For(0, slices, s =>
        {
            var part = new SampleTally(epsilons.Length);
            int lo = (int)((long)count * s / slices), hi = (int)((long)count * (s + 1) / slices);
            for (var i = lo; i < hi; i++) part.Add(codes[i], margins[i], epsilons);
            parts[s] = part;
        });
        foreach (var part in parts) total.Merge(part);
    }
}
