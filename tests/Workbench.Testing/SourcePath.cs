namespace Workbench.Testing;

/// <summary>
/// Maps a <c>[CallerFilePath]</c> back to the checkout. Continuous-integration builds are deterministic and rewrite
/// source paths to <c>/_/…</c> (SourceLink's path map), which is not a real folder; snapshots and docs live beside the
/// sources, so a mapped path is resolved against the repository root found above the test assembly.
/// </summary>
public static class SourcePath
{
    private const string MappedPrefix = "/_/";

    public static string Resolve(string callerFilePath)
    {
        if (!callerFilePath.StartsWith(MappedPrefix, StringComparison.Ordinal) || File.Exists(callerFilePath)) return callerFilePath;
        var root = RepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException(
                $"source path '{callerFilePath}' is path-mapped and no Workbench.sln was found above {AppContext.BaseDirectory}");
        return Path.Combine(root, callerFilePath[MappedPrefix.Length..].Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds Workbench.sln, or null.</summary>
    public static string? RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) return dir.FullName;
        return null;
    }
}
