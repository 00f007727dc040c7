using System.Text;
using Xunit.Abstractions;

namespace Workbench.Generators.Tests;

/// <summary>
/// The generator's cost for the 64 configurations n ∈ 1..16 × d_h ∈ {1, 2, 4, 8}, causal, read from the driver's
/// own timing (no timed assertion: the figure goes to docs/performance/generators.md).
/// </summary>
public class BuildCostTests(ITestOutputHelper output)
{
    public static string Declarations(IEnumerable<int> tokens, IEnumerable<int> dims, bool derivatives)
    {
        var extra = derivatives ? "" : ", Derivatives = false";
        var sb = new StringBuilder("using Workbench.Kernels.Generated;\nnamespace Cost;\n");
        foreach (var n in tokens)
            foreach (var d in dims)
                sb.Append($"[AttentionKernel(Tokens = {n}, HeadDim = {d}, Mask = KernelMask.Causal{extra})] public static partial class C{n}x{d};\n");
        return sb.ToString();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sixty_four_causal_configurations_generate(bool derivatives)
    {
        var source = Declarations(Enumerable.Range(1, 16), new[] { 1, 2, 4, 8 }, derivatives);
        var driver = GeneratorHarness.Driver(track: false).RunGenerators(GeneratorHarness.Compilation(source));
        var cold = driver.GetTimingInfo().ElapsedTime;
        // A second, fresh driver in the same process: the generator and the symbolic core are now JIT-compiled, as in
        // a build served by a warm compiler server (VBCSCompiler); the first figure is a cold server's.
        driver = GeneratorHarness.Driver(track: false).RunGenerators(GeneratorHarness.Compilation(source));
        var result = driver.GetRunResult();
        Assert.Equal(65 - result.Diagnostics.Length, result.GeneratedTrees.Length); // kernels + the attribute
        // With derivatives, n ≥ 15 at d_h = 8 (and similar) exceed the unroll limit and are refused with WB0004.
        Assert.All(result.Diagnostics, d => Assert.Equal("WB0004", d.Id));
        if (!derivatives) Assert.Empty(result.Diagnostics);
        var warm = driver.GetTimingInfo().ElapsedTime;
        long lines = result.GeneratedTrees.Sum(t => (long)t.GetText().Lines.Count);
        output.WriteLine($"derivatives={derivatives}: {result.GeneratedTrees.Length - 1} kernels, generator time {cold.TotalMilliseconds:F0} ms (first run in the process) / {warm.TotalMilliseconds:F0} ms (second) for 64 configurations, {lines} generated lines");
    }
}
