using System.Text.Json.Nodes;
using Workbench.Cli.Infrastructure;
using Workbench.Kernels.Backends;
using static Workbench.Cli.Tests.Cli;

namespace Workbench.Cli.Tests;

public class SampleCheckCommandTests
{

    [Fact]
    public void OpenCl_passes_the_check_where_a_platform_exists()
    {
        var (code, stdout, stderr) = Run("sample-check", "--backend", "opencl", "--samples", "3001", "--json");
        if (Backend.Unavailable("opencl") is { } why)
        {
            Assert.Equal(ExitCodes.Unavailable, code);
            Assert.Contains(why, stderr);
            return;
        }
        Assert.True(code == 0, stderr + stdout);
        var j = JsonNode.Parse(stdout)!.AsObject();
        Assert.True((bool)j["passed"]!);
        var configurations = j["configurations"]!.AsArray();
        Assert.Equal(BackendAgreement.Grid.Count, configurations.Count);
        Assert.All(configurations, c => Assert.True((bool)c!["equals_cpu"]! && (bool)c["cpu_equals_reference"]!));
    }

    [Fact]
    public void A_missing_or_unknown_backend_is_a_one_line_error_with_a_nonzero_exit()
    {
        var (code, stdout, stderr) = Run("sample-check", "--backend", "nonsense");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("workbench: --backend nonsense: unknown backend", stderr);
        if (Backend.Unavailable("cuda") is { } why)
        {
            (code, stdout, stderr) = Run("sample-check", "--backend", "cuda");
            Assert.Equal(ExitCodes.Unavailable, code);
            Assert.Equal("", stdout);
            Assert.Equal($"workbench: --backend cuda: {why}", stderr.TrimEnd());
        }
        (code, _, stderr) = Run("sample-check", "--backend", "cpu", "--samples", "0");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--samples", stderr);
    }
}
