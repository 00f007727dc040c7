using System.Globalization;
using System.Text.Json;
using Workbench.Models.Safetensors;

namespace Workbench.Models.Gpt2;

/// <summary>
/// Reads GPT-2 from safetensors (names `h.{l}.attn.c_attn.weight` etc., optionally prefixed `transformer.`).
/// The head count is not recoverable from tensor shapes, so it comes from the caller, else from the header's
/// `__metadata__` key `n_head`, else from a Hugging Face `config.json` beside the file.
/// </summary>
public static class Gpt2Loader
{
    public static Gpt2Weights Load(string path, int? heads = null) => Load(SafetensorsFile.Open(path), heads);

    public static Gpt2Weights Load(SafetensorsFile file, int? heads = null)
    {
        var prefix = file.Tensors.ContainsKey("transformer.wte.weight") ? "transformer." : "";
        string N(string name) => prefix + name;
        var wte = file.Info(N("wte.weight"));
        if (wte.Shape.Length != 2) throw new ModelFormatException(file.Source, $"tensor {wte.Name} has shape {wte.ShapeText}, expected [vocab, d_model]");
        var vocab = checked((int)wte.Shape[0]);
        var dim = checked((int)wte.Shape[1]);
        var wpe = file.Info(N("wpe.weight"));
        if (wpe.Shape.Length != 2 || wpe.Shape[1] != dim) throw new ModelFormatException(file.Source, $"tensor {wpe.Name} has shape {wpe.ShapeText}, expected [positions, {dim}]");
        var positions = checked((int)wpe.Shape[0]);
        var layers = 0;
        while (file.Tensors.ContainsKey(N($"h.{layers}.attn.c_attn.weight"))) layers++;
        if (layers == 0) throw new ModelFormatException(file.Source, $"missing tensor {N("h.0.attn.c_attn.weight")}: not a GPT-2 layout");
        var fc = file.Info(N("h.0.mlp.c_fc.weight"));
        if (fc.Shape.Length != 2 || fc.Shape[0] != dim) throw new ModelFormatException(file.Source, $"tensor {fc.Name} has shape {fc.ShapeText}, expected [{dim}, inner]");
        var inner = checked((int)fc.Shape[1]);
        var nHead = heads ?? HeadsFromMetadata(file) ?? HeadsFromConfigJson(file.Source)
            ?? throw new ModelFormatException(file.Source, "the head count is not in the file: pass it explicitly, add __metadata__ n_head, or put a config.json (n_head) beside the file");
        if (nHead <= 0 || dim % nHead != 0)
            throw new ModelFormatException(file.Source, $"n_head {nHead} does not divide d_model {dim}");
        var eps = EpsFromConfigJson(file.Source) ?? 1e-5;
        var config = new Gpt2Config(dim, layers, nHead, vocab, positions, inner, eps);

        float[][] PerLayer(string suffix, params long[] shape)
        {
            var result = new float[layers][];
            for (var l = 0; l < layers; l++)
            {
                var name = N($"h.{l}.{suffix}");
                file.Require(name, shape);
                result[l] = file.ReadSingle(name);
            }
            return result;
        }
        float[] One(string name, params long[] shape) { file.Require(N(name), shape); return file.ReadSingle(N(name)); }

        return new Gpt2Weights
        {
            Config = config,
            Wte = One("wte.weight", vocab, dim), Wpe = One("wpe.weight", positions, dim),
            Ln1G = PerLayer("ln_1.weight", dim), Ln1B = PerLayer("ln_1.bias", dim),
            AttnW = PerLayer("attn.c_attn.weight", dim, 3 * dim), AttnB = PerLayer("attn.c_attn.bias", 3 * dim),
            ProjW = PerLayer("attn.c_proj.weight", dim, dim), ProjB = PerLayer("attn.c_proj.bias", dim),
            Ln2G = PerLayer("ln_2.weight", dim), Ln2B = PerLayer("ln_2.bias", dim),
            FcW = PerLayer("mlp.c_fc.weight", dim, inner), FcB = PerLayer("mlp.c_fc.bias", inner),
            FcProjW = PerLayer("mlp.c_proj.weight", inner, dim), FcProjB = PerLayer("mlp.c_proj.bias", dim),
            LnFG = One("ln_f.weight", dim), LnFB = One("ln_f.bias", dim),
            Source = file.Source,
        };
    }

    static int? HeadsFromMetadata(SafetensorsFile file) =>
        file.Metadata.TryGetValue("n_head", out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) ? h : null;

    static JsonElement? ConfigJson(string source)
    {
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(source));
            var path = dir is null ? null : Path.Combine(dir, "config.json");
            if (path is null || !File.Exists(path)) return null;
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or JsonException or ArgumentException or NotSupportedException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    static int? HeadsFromConfigJson(string source) =>
        ConfigJson(source) is { } c && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("n_head", out var h) && h.TryGetInt32(out var v) ? v : null;

    static double? EpsFromConfigJson(string source) =>
        ConfigJson(source) is { } c && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("layer_norm_epsilon", out var e) && e.TryGetDouble(out var v) ? v : null;
}
