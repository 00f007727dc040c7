namespace Workbench.Protocols.Model;

/// <summary>Finds the trained stories260K checkpoint: $WORKBENCH_SHARED/models/stories260K, else a shared/models/stories260K folder above the working or base directory.</summary>
public static class ModelFiles
{
    public const string Folder = "stories260K";

    public static string? LocateStories260K()
    {
        var env = Environment.GetEnvironmentVariable("WORKBENCH_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            var c = Path.Combine(env, "models", Folder);
            if (File.Exists(Path.Combine(c, "stories260K.bin"))) return c;
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var c = Path.Combine(dir.FullName, "shared", "models", Folder);
                if (File.Exists(Path.Combine(c, "stories260K.bin"))) return c;
            }
        return null;
    }
}

/// <summary>A loaded model and (when there is one) its tokenizer.</summary>
public sealed record LoadedModel(Transformer Model, Llama2Tokenizer? Tokenizer)
{
    /// <summary>Loads a llama2.c checkpoint; the tokenizer path defaults to tok{vocab}.bin beside it, and is optional unless text is needed.</summary>
    public static LoadedModel Load(string checkpoint, string? tokenizer = null)
    {
        var weights = Llama2CheckpointReader.Read(checkpoint);
        var model = new Transformer(weights, Path.GetFileNameWithoutExtension(checkpoint));
        tokenizer ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!, $"tok{weights.Vocab}.bin");
        return new LoadedModel(model, File.Exists(tokenizer) ? Llama2Tokenizer.Read(tokenizer, weights.Vocab) : null);
    }
}
