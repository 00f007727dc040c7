using Workbench.Models;
using Workbench.Protocols.Model;

namespace Workbench.Protocols.Tests;

/// <summary>A fact that reports itself skipped, with the reason, where the stories260K checkpoint is absent.</summary>
public sealed class TrainedModelFactAttribute : FactAttribute
{
    public TrainedModelFactAttribute()
    {
        if (SharedModels.Stories260K() is null) Skip = SharedModels.AbsentReason;
    }
}

internal static class Trained
{
    private static readonly Lazy<LoadedModel> Cached = new(() => LoadedModel.Load(SharedModels.Stories260KCheckpoint()!));
    public static LoadedModel Model => Cached.Value;
}
