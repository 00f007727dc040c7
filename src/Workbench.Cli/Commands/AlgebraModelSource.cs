using Workbench.Algebra.Operators;
using Workbench.Cli.Infrastructure;

namespace Workbench.Cli.Commands;

/// <summary>Reads a checkpoint's per-layer W_Q, W_K through the Workbench.Models loaders into factored head operators.</summary>
public static class AlgebraModelSource
{
    public static (string, IReadOnlyList<FactoredHeads>, IReadOnlyList<string>) Load(string path, string? format, bool foldNorm)
    {
        if (!File.Exists(path)) throw new InputException(path, "no such file");
        throw new InputException(path, "the checkpoint loaders (branch wb-models) are not merged into this build yet");
    }
}
