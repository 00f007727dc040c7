using Workbench.Models;

namespace Workbench.Cli.Tests;

/// <summary>A fact that reports itself skipped, with the reason, where the stories260K checkpoint is absent.</summary>
public sealed class ProtocolTrainedModelFactAttribute : FactAttribute
{
    public ProtocolTrainedModelFactAttribute()
    {
        if (SharedModels.Stories260K() is null) Skip = SharedModels.AbsentReason;
    }
}
