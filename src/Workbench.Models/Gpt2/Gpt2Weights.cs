namespace Workbench.Models.Gpt2;

/// <summary>
/// GPT-2 weights in the Hugging Face Conv1D layout (y = x·W + b, W stored [in, out]), float32, one array per layer.
/// c_attn's columns are Q | K | V, and head h owns columns h·d_head … (h+1)·d_head − 1 within each.
/// The classifier is tied to <see cref="Wte"/>.
/// </summary>
public sealed class Gpt2Weights
{
    public required Gpt2Config Config { get; init; }
    public required float[] Wte { get; init; }      // [vocab × dim]
    public required float[] Wpe { get; init; }      // [positions × dim]
    public required float[][] Ln1G { get; init; }   // [dim]
    public required float[][] Ln1B { get; init; }
    public required float[][] AttnW { get; init; }  // [dim × 3·dim]
    public required float[][] AttnB { get; init; }  // [3·dim]
    public required float[][] ProjW { get; init; }  // [dim × dim]
    public required float[][] ProjB { get; init; }
    public required float[][] Ln2G { get; init; }
    public required float[][] Ln2B { get; init; }
    public required float[][] FcW { get; init; }    // [dim × inner]
    public required float[][] FcB { get; init; }    // [inner]
    public required float[][] FcProjW { get; init; } // [inner × dim]
    public required float[][] FcProjB { get; init; }
    public required float[] LnFG { get; init; }
    public required float[] LnFB { get; init; }
    public string Source { get; init; } = "<memory>";

    public void CheckLayer(int layer) => ModelIndex.Require(layer, Config.Layers, "layer", Source);

    public void CheckHead(int head) => ModelIndex.Require(head, Config.Heads, "head", Source);
}
