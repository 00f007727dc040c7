using System.Text;

namespace Workbench.Kernels.Sampling;

/// <summary>
/// Counting on the device: a second kernel reads each launch's pattern codes and margins where the sampling kernel
/// wrote them and adds them into one small buffer of 32-bit cells, so a launch sends back O(histogram) bytes instead
/// of 12 bytes per sample. Cell layout: [dense pattern index (see <see cref="PatternIndex"/>) | 2048 margin bins
/// | exact ties | near ties per ε]. The counts are the host tally's (<see cref="SampleTally.AddMargin"/>: the same
/// bin function, the same float comparisons), so device and host counting give identical tallies, tested.
/// Used when the admissible patterns have a dense index; otherwise the backends count on the host.
/// </summary>
public static class DeviceTally
{
    public const string TallyEntryPoint = "wb_tally";
    public const string ZeroEntryPoint = "wb_zero";

    /// <summary>Patterns small enough to count in work-group local memory first (2048 cells = 8 KiB).</summary>
    public const int LocalPatternCells = 2048;

    public static bool Applies(SamplerConfig config) => new PatternIndex(config).IsDense;

    /// <summary>Cells in the buffer for this configuration.</summary>
    public static int Cells(SamplerConfig config) =>
        new PatternIndex(config).Size + SampleTally.MarginBinCount + 1 + config.Epsilons.Length;

    /// <summary>The tally and zero kernels in the dialect, to be appended to the sampling kernel's source.</summary>
    public static string Emit(SamplerConfig config, KernelDialect dialect)
    {
        var index = new PatternIndex(config);
        if (!index.IsDense) throw new InvalidOperationException($"{config}: no dense pattern index; count on the host");
        var cuda = dialect == KernelDialect.Cuda;
        string global = cuda ? "" : "__global ", local = cuda ? "__shared__" : "__local";
        string barrier = cuda ? "__syncthreads()" : "barrier(CLK_LOCAL_MEM_FENCE)";
        string lid = cuda ? "threadIdx.x" : "(uint)get_local_id(0)", lsize = cuda ? "blockDim.x" : "(uint)get_local_size(0)";
        string group = cuda ? "blockIdx.x" : "(uint)get_group_id(0)", groups = cuda ? "gridDim.x" : "(uint)get_num_groups(0)";
        string Add(string target, string value) => cuda ? $"atomicAdd(&{target}, {value})" : $"atomic_add(&{target}, {value})";
        int n = config.Tokens, patterns = index.Size, bins = SampleTally.MarginBinCount, ties = 1 + config.Epsilons.Length;
        var localPatterns = patterns <= LocalPatternCells;
        var b = new StringBuilder();
        b.Append($"// Device tally for {config}: cells [{patterns} patterns | {bins} margin bins | exact ties | {config.Epsilons.Length} near-tie counts]\n");
        b.Append($"{dialect.KernelQualifier} void {ZeroEntryPoint}({global}uint* cells, uint count) {{\n");
        b.Append($"  uint i = {dialect.ThreadIndex};\n  if (i < count) cells[i] = 0u;\n}}\n");
        b.Append($"{dialect.KernelQualifier} void {TallyEntryPoint}({global}const ulong* codes, {global}const float* margins, uint count, {global}uint* cells) {{\n");
        b.Append($"  {local} uint lbins[{bins}];\n  {local} uint lties[{ties}];\n");
        if (localPatterns) b.Append($"  {local} uint lpat[{patterns}];\n");
        b.Append($"  uint lid = {lid}, lsize = {lsize};\n");
        b.Append($"  for (uint t = lid; t < {bins}u; t += lsize) lbins[t] = 0u;\n");
        b.Append($"  for (uint t = lid; t < {ties}u; t += lsize) lties[t] = 0u;\n");
        if (localPatterns) b.Append($"  for (uint t = lid; t < {patterns}u; t += lsize) lpat[t] = 0u;\n");
        b.Append($"  {barrier};\n");
        b.Append($"  for (uint s = {group} * lsize + lid; s < count; s += {groups} * lsize) {{\n");
        b.Append("    ulong joint = codes[s];\n    float m = margins[s];\n");
        b.Append($"    {Add($"lbins[({string.Format(dialect.AsUint, "m")} & 0x7FFFFFFFu) >> {SampleTally.MarginShift}]", "1u")};\n");
        b.Append($"    if (m == 0.0f) {Add("lties[0]", "1u")};\n");
        for (var e = 0; e < config.Epsilons.Length; e++)
            b.Append($"    if (m <= {KernelEmitter.Lit((float)config.Epsilons[e])}) {Add($"lties[{1 + e}]", "1u")};\n");
        b.Append("    uint dense = 0u;\n");
        for (var h = 0; h < config.Heads; h++)
        {
            if (config.Heads == 1) b.Append("    { ulong code = joint;\n");
            else b.Append($"    {{ ulong code = joint % {config.HeadCodeSpace}UL; joint = joint / {config.HeadCodeSpace}UL;\n");
            ulong place = 1;
            for (var i = 0; i < n; i++)
            {
                b.Append($"      dense += ((uint)((code / {place}UL) % {n}UL) - {index.RowLow(i)}u) * {index.Strides[h * n + i]}u;\n");
                place *= (ulong)n;
            }
            b.Append("    }\n");
        }
        b.Append(localPatterns ? $"    {Add("lpat[dense]", "1u")};\n" : $"    {Add("cells[dense]", "1u")};\n");
        b.Append($"  }}\n  {barrier};\n");
        b.Append($"  for (uint t = lid; t < {bins}u; t += lsize) if (lbins[t] != 0u) {Add($"cells[{patterns}u + t]", "lbins[t]")};\n");
        b.Append($"  for (uint t = lid; t < {ties}u; t += lsize) if (lties[t] != 0u) {Add($"cells[{patterns + bins}u + t]", "lties[t]")};\n");
        if (localPatterns) b.Append($"  for (uint t = lid; t < {patterns}u; t += lsize) if (lpat[t] != 0u) {Add("cells[t]", "lpat[t]")};\n");
        b.Append("}\n");
        return b.ToString();
    }

    /// <summary>Adds one launch's cells (as the kernels above lay them out) to the run's tally.</summary>
    public static void AddCells(SampleTally tally, PatternIndex index, ReadOnlySpan<uint> cells)
    {
        int patterns = index.Size, bins = SampleTally.MarginBinCount;
        for (var d = 0; d < patterns; d++)
            if (cells[d] != 0) tally.AddPatternCount(index.CodeOf(d), cells[d]);
        for (var t = 0; t < bins; t++) tally.MarginBins[t] += cells[patterns + t];
        tally.AddExactTies(cells[patterns + bins]);
        for (var e = 0; e < tally.NearTies.Length; e++) tally.NearTies[e] += cells[patterns + bins + 1 + e];
    }
}
