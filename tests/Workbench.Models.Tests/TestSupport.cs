using System.Diagnostics;

namespace Workbench.Models.Tests;

/// <summary>A fact that needs the shared stories260K checkpoint; skipped, saying why, where it is absent.</summary>
public sealed class StoriesFactAttribute : FactAttribute
{
    public StoriesFactAttribute()
    {
        if (SharedModels.Stories260K() is null) Skip = SharedModels.AbsentReason;
    }
}

/// <summary>A fact that needs /usr/bin/python3 with torch importable (Debian's python3-torch).</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute()
    {
        if (!Python.TorchAvailable) Skip = "PyTorch not importable by " + Python.Executable;
    }
}

public static class Python
{
    public static string Executable => Environment.GetEnvironmentVariable("WORKBENCH_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    static readonly Lazy<bool> Torch = new(() =>
    {
        try { return Run("-c \"import torch, numpy\"", TimeSpan.FromSeconds(60)).ExitCode == 0; }
        catch (Exception) { return false; }
    });

    public static bool TorchAvailable => File.Exists(Executable) && Torch.Value;

    public static (int ExitCode, string Stdout, string Stderr) Run(string args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(Executable, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(); throw new TimeoutException("python timed out"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("wb-models-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
}
