using System.Collections.Concurrent;
using Workbench.Protocols.Model;

namespace Workbench.Claims.Protocols;

/// <summary>
/// The trained checkpoint (stories260K) and a tiny fixed prompt set, shared by the protocol checks so the catalog
/// loads it once. Null when the shared folder lacks it; checks then report themselves unverifiable.
/// </summary>
internal static class TrainedModelFixture
{
    private static readonly ConcurrentDictionary<string, LoadedModel?> Cache = new();

    public static LoadedModel? Load(ClaimContext context)
    {
        var folder = context.SharedDirectory is null ? null : Path.Combine(context.SharedDirectory, "models", "stories260K");
        if (folder is null || !File.Exists(Path.Combine(folder, "stories260K.bin"))) return null;
        return Cache.GetOrAdd(folder, f => LoadedModel.Load(Path.Combine(f, "stories260K.bin")));
    }

    /// <summary>Two short fixed texts: enough rows for every protocol to be non-degenerate, few enough for CI.</summary>
    public static int[][] Prompts(LoadedModel model) =>
    [
        model.Tokenizer!.Encode("Once upon a time, there was a little girl named Lily."),
        model.Tokenizer!.Encode("Tom had a big red ball. He threw it to his dog."),
    ];

    public static CheckOutcome Missing => CheckOutcome.Of(Finding.Unverifiable,
        Evidence.Note("needs the trained checkpoint shared/models/stories260K (stories260K.bin, tok512.bin); set WORKBENCH_SHARED"));
}
