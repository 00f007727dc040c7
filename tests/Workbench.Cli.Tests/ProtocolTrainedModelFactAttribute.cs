using Workbench.Protocols.Model;

namespace Workbench.Cli.Tests;

/// <summary>A fact that reports itself skipped, with the reason, where the stories260K checkpoint is absent.</summary>
public sealed class ProtocolTrainedModelFactAttribute : FactAttribute
{
    public ProtocolTrainedModelFactAttribute()
    {
        if (ModelFiles.LocateStories260K() is null) Skip = "stories260K checkpoint not found (set WORKBENCH_SHARED to the shared folder)";
    }
}
