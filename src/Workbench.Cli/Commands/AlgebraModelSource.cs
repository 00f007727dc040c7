using Workbench.Algebra.Operators;
using Workbench.Cli.Infrastructure;
using Workbench.Models;
using Workbench.Models.Heads;

namespace Workbench.Cli.Commands;

/// <summary>Reads a checkpoint's per-layer W_Q, W_K through the Workbench.Models loaders into factored head operators.</summary>
public static class AlgebraModelSource
{
    public static (string, IReadOnlyList<FactoredHeads>, IReadOnlyList<string>) Load(string path, string? format, bool foldNorm)
    {
        if (!File.Exists(path)) throw new InputException(path, "no such file");
        try
        {
            var fmt = format is null ? (ModelFormat?)null : ModelFormats.Parse(format);
            var set = HeadOperatorSet.Load(path, fmt, foldNorm);
            var notes = new List<string>
            {
                $"{ModelFormats.Name(set.Format)}: {set.Layers} layers, {set.Heads} query heads ({set.KvHeads} key heads), d_model {set.DModel}, d_head {set.DHead}",
                set.Note,
            };
            if (set.KvHeads < set.Heads) notes.Add($"grouped-query attention: query head h uses key head h / {set.Heads / set.KvHeads}");
            return (Path.GetFileName(path), CheckpointHeads.Layers(set), notes);
        }
        catch (ModelFormatException ex) { throw new InputException(ex.Input, ex.Problem); }
        // FactoredHeads refuses non-finite weights and inconsistent head shapes with an ArgumentException naming the entry.
        catch (ArgumentException ex) { throw new InputException(path, ex.Message); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { throw new InputException(path, ex.Message); }
    }
}
