namespace Workbench.Models.Llama;

/// <summary>
/// Keys and values of every past position for a batch of sequences, float32. Stored dimension-major per key/value
/// head ([layer][sequence][kv head][d_head][position]) so the score of one query against all positions, and the
/// pattern-weighted sum of values, are contiguous vector operations over positions.
/// </summary>
public sealed class LlamaKvCache
{
    public int Batch { get; }
    public int Capacity { get; }
    internal readonly float[][] Keys;
    internal readonly float[][] Values;
    internal readonly int HeadStride, SequenceStride;

    internal LlamaKvCache(LlamaConfig c, int batch)
    {
        if (batch is < 1 or > 4096) throw new ModelFormatException($"batch {batch}", "must be in 1..4096");
        Batch = batch;
        Capacity = c.SeqLen;
        HeadStride = c.HeadDim * c.SeqLen;
        SequenceStride = c.KvHeads * HeadStride;
        Keys = new float[c.Layers][];
        Values = new float[c.Layers][];
        for (var l = 0; l < c.Layers; l++)
        {
            Keys[l] = GC.AllocateArray<float>(batch * SequenceStride, pinned: true);
            Values[l] = GC.AllocateArray<float>(batch * SequenceStride, pinned: true);
        }
    }
}
