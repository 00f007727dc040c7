using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using System.Text.Json.Nodes;

namespace Workbench.Cli.Tests;

/// <summary>
/// The sampler's vector kernel runs on AVX-512 and, split into 256-bit halves, on AVX2. The JIT fixes the instruction
/// set at process start, so the AVX2 path is exercised in a child process with AVX-512 switched off
/// (DOTNET_EnableAVX512=0) and its histogram compared, count for count, with this process's.
/// </summary>
public class SampleInstructionSetTests
{
    [BothVectorPathsFact]
    public void Avx2_path_counts_exactly_what_the_avx512_path_counts()
    {
        string[] args = ["sample", "--tokens", "5", "--head-dim", "3", "--mask", "causal", "--samples", "100003", "--seed", "11", "--backend", "cpu", "--json"];
        var wide = Child(args, avx512: true);
        var narrow = Child(args, avx512: false);
        Assert.Contains("AVX-512", (string)wide["device"]!);
        Assert.Contains("AVX2", (string)narrow["device"]!);
        foreach (var field in new[] { "histogram", "exact_ties", "near_tie_fractions", "margin_quantiles" })
            Assert.Equal(wide[field]!.ToJsonString(), narrow[field]!.ToJsonString());
    }

    private static JsonObject Child(string[] args, bool avx512)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "workbench.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(cli);
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (!avx512) psi.Environment["DOTNET_EnableAVX512"] = "0";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), "child workbench timed out");
        Assert.True(p.ExitCode == 0, stderr.Result);
        return JsonNode.Parse(stdout.Result)!.AsObject();
    }
}

/// <summary>A fact that reports itself skipped, with the reason, on a CPU that lacks one of the two vector paths.</summary>
public sealed class BothVectorPathsFactAttribute : FactAttribute
{
    public BothVectorPathsFactAttribute()
    {
        if (!Avx512F.IsSupported || !Avx2.IsSupported) Skip = "needs a CPU with both AVX-512 and AVX2 to compare the two vector paths";
    }
}
