using Workbench.Protocols.Model;

namespace Workbench.Protocols.Tests;

/// <summary>A fact that reports itself skipped, with the reason, where the stories260K checkpoint is absent.</summary>
public sealed class TrainedModelFactAttribute : FactAttribute
{
    public TrainedModelFactAttribute()
    {
        if (ModelFiles.LocateStories260K() is null) Skip = "stories260K checkpoint not found (set WORKBENCH_SHARED to the shared folder)";
    }
}

internal static class Trained
{
    private static readonly Lazy<LoadedModel> Cached = new(() => LoadedModel.Load(Path.Combine(ModelFiles.LocateStories260K()!, "stories260K.bin")));
    public static LoadedModel Model => Cached.Value;
}
