namespace Workbench.Models;

/// <summary>The checkpoint formats the workbench reads. CLI spellings: `llama2c`, `gpt2-safetensors`.</summary>
public enum ModelFormat { Llama2c, Gpt2Safetensors }

public static class ModelFormats
{
    public static string Name(ModelFormat f) => f == ModelFormat.Llama2c ? "llama2c" : "gpt2-safetensors";

    public static ModelFormat Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "llama2c" or "llama2.c" or "llama" => ModelFormat.Llama2c,
        "gpt2-safetensors" or "gpt2" or "safetensors" => ModelFormat.Gpt2Safetensors,
        _ => throw new ModelFormatException(text, "unknown model format; use llama2c or gpt2-safetensors"),
    };

    /// <summary>By extension (.safetensors) and otherwise llama2.c, whose files carry no magic number.</summary>
    public static ModelFormat Detect(string path) =>
        path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? ModelFormat.Gpt2Safetensors : ModelFormat.Llama2c;
}
