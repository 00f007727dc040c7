namespace Workbench.Claims;

/// <summary>What every check receives: the seed, how much work to do, where shared data lives, cancellation.</summary>
public sealed record ClaimContext
{
    /// <summary>Root seed; checks derive their own seeds from it so every random result is reproducible.</summary>
    public ulong Seed { get; init; } = 20261122;

    /// <summary>Multiplies sample counts. 1 is the default catalog run (and what snapshots pin).</summary>
    public double Effort { get; init; } = 1.0;

    public CancellationToken Cancellation { get; init; }

    /// <summary>The shared data folder (models, papers), or null when none was found.</summary>
    public string? SharedDirectory { get; init; } = SharedData.Locate();

    public static ClaimContext Default { get; } = new();

    /// <summary>A seed for a named sub-check, so adding a check elsewhere never changes another check's samples.</summary>
    public ulong SeedFor(string name)
    {
        unchecked
        {
            var h = 14695981039346656037UL ^ Seed;
            foreach (var c in name) { h ^= c; h *= 1099511628211UL; }
            return h;
        }
    }

    public long Samples(long baseline) => Math.Max(1, (long)Math.Round(baseline * Effort));
}

/// <summary>Finds the shared folder (../shared beside the checkout) or the one named by WORKBENCH_SHARED.</summary>
public static class SharedData
{
    public const string Variable = "WORKBENCH_SHARED";

    public static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv)) return Path.GetFullPath(fromEnv);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared");
                if (Directory.Exists(Path.Combine(candidate, "papers"))) return candidate;
            }
        }
        return null;
    }

    /// <summary>A file under the shared folder, or null when the folder or the file is absent.</summary>
    public static string? File(params string[] parts)
    {
        var root = Locate();
        if (root is null) return null;
        var path = Path.Combine([root, .. parts]);
        return System.IO.File.Exists(path) ? path : null;
    }
}
