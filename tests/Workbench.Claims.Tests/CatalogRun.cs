namespace Workbench.Claims.Tests;

/// <summary>The default catalog run once per test process: snapshots, docs and report tests share it.</summary>
internal static class CatalogRun
{
    private static readonly Lazy<IReadOnlyDictionary<string, ClaimResult>> Results = new(() =>
        ClaimCatalog.Default.Ids.ToDictionary(id => id, id => ClaimCatalog.Default.Run(id, ClaimContext.Default)));

    public static ClaimResult Result(string id) => Results.Value[id];

    public static IReadOnlyList<ClaimResult> All => ClaimCatalog.Default.Ids.Select(Result).ToList();

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var id in ClaimCatalog.Default.Ids) data.Add(id);
        return data;
    }

    /// <summary>The repository root: the folder above this source file that holds Workbench.sln.</summary>
    public static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        source = Workbench.Testing.SourcePath.Resolve(source);
        return Workbench.Testing.SourcePath.RepositoryRoot(Path.GetDirectoryName(source)!)
            ?? throw new InvalidOperationException("Workbench.sln not found above " + source);
    }
}

/// <summary>A fact that reports itself skipped, with the reason, when the shared data folder is not reachable.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Locate() is null) Skip = $"shared data folder not found (set {SharedData.Variable} or place 'shared/' above the checkout)";
    }
}
