namespace Workbench.Models.Llama;

/// <summary>
/// The llama2.c header: dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size (negative in the file means an
/// unshared classifier; here always positive with <see cref="SharedClassifier"/>), seq_len.
/// </summary>
public sealed record LlamaConfig(
    int Dim, int HiddenDim, int Layers, int Heads, int KvHeads, int VocabSize, int SeqLen, bool SharedClassifier)
{
    public int HeadDim => Dim / Heads;
    public int KvDim => KvHeads * HeadDim;

    /// <summary>How many query heads share one key/value head (grouped-query attention).</summary>
    public int QueriesPerKv => Heads / KvHeads;

    /// <summary>The key/value head that query head <paramref name="head"/> reads: kv(h) = h / (n_heads / n_kv_heads).</summary>
    public int KvHeadOf(int head) => head / QueriesPerKv;

    public const float RmsEps = 1e-5f;
    public const double RopeBase = 10000.0;
}
