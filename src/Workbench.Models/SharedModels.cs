namespace Workbench.Models;

/// <summary>
/// Finds the shared stories260K folder without machine-specific paths: the folder named by WORKBENCH_SHARED
/// (a `shared` folder holding models/stories260K), else the first `shared/models/stories260K` found walking up from the
/// current directory or the application's base directory.
/// </summary>
public static class SharedModels
{
    public const string Variable = "WORKBENCH_SHARED";

    /// <summary>The stories260K folder, or null when it is absent (tests then skip, saying so).</summary>
    public static string? Stories260K()
    {
        var fromEnv = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(fromEnv))
        {
            var candidate = Path.Combine(fromEnv, "models", "stories260K");
            if (File.Exists(Path.Combine(candidate, "stories260K.bin"))) return Path.GetFullPath(candidate);
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "models", "stories260K");
                if (File.Exists(Path.Combine(candidate, "stories260K.bin"))) return candidate;
            }
        }
        return null;
    }

    public static string? Stories260KCheckpoint() => Stories260K() is { } d ? Path.Combine(d, "stories260K.bin") : null;

    public static string? Stories260KTokenizer() =>
        Stories260K() is { } d && File.Exists(Path.Combine(d, "tok512.bin")) ? Path.Combine(d, "tok512.bin") : null;

    public const string AbsentReason =
        "shared/models/stories260K not found (walked up from the current directory; set WORKBENCH_SHARED to the shared folder)";
}
