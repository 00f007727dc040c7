using Workbench.Kernels.Backends.Cuda;

namespace Workbench.Kernels.Tests.Backends;

public class CudaNativeTests
{
    [Fact]
    public void Nvrtc_search_takes_version_suffixed_libraries_newest_first_and_skips_builtins()
    {
        var dir = Directory.CreateTempSubdirectory("wb-nvrtc-").FullName;
        var other = Directory.CreateTempSubdirectory("wb-nvrtc-").FullName;
        try
        {
            foreach (var name in new[] { "libnvrtc.so", "libnvrtc.so.12", "libnvrtc.so.13", "libnvrtc.so.13.0.88", "libnvrtc-builtins.so.13.0",
                         "libnvrtc-builtins.so", "libnvrtc.alt.so.13", "libnvrtc_static.a" })
                File.WriteAllText(Path.Combine(dir, name), "");
            File.WriteAllText(Path.Combine(other, "libnvrtc.so.11.2"), "");
            var found = CudaNative.NvrtcFiles([dir, Path.Combine(dir, "missing"), other, dir]).Select(f => Path.GetFileName(f)).ToArray();
            Assert.Equal<string>(["libnvrtc.so.13.0.88", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so", "libnvrtc.so.11.2"], found);
        }
        finally
        {
            Directory.Delete(dir, true);
            Directory.Delete(other, true);
        }
    }

    [Fact]
    public void Versions_compare_numerically()
    {
        Assert.True(CudaNative.ParseVersion("13.0.88").CompareTo(CudaNative.ParseVersion("13")) > 0);
        Assert.True(CudaNative.ParseVersion("13").CompareTo(CudaNative.ParseVersion("12.9")) > 0);
        Assert.True(CudaNative.ParseVersion("11.2").CompareTo(CudaNative.ParseVersion("")) > 0);
        Assert.Equal((12, 4, 0, 0), CudaNative.ParseVersion("12.4"));
    }

    [Fact]
    public void Cuda_home_and_the_loader_path_are_searched_before_the_defaults()
    {
        var dirs = CudaNative.NvrtcDirectories().ToList();
        Assert.Contains("/usr/local/cuda/lib64", dirs);
        Assert.Contains("/usr/lib/x86_64-linux-gnu", dirs);
        var home = Environment.GetEnvironmentVariable("CUDA_HOME");
        if (!string.IsNullOrEmpty(home)) Assert.Equal(Path.Combine(home, "lib64"), dirs[0]);
    }
}
