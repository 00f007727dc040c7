namespace Workbench.Models.Gpt2;

/// <summary>GPT-2 shape: d_model, layers, heads, vocabulary, learned positions, MLP width, LayerNorm epsilon.</summary>
public sealed record Gpt2Config(int Dim, int Layers, int Heads, int VocabSize, int Positions, int Inner, double LayerNormEps = 1e-5)
{
    public int HeadDim => Dim / Heads;
}
