namespace Workbench.Protocols.Model;

/// <summary>
/// Reads a llama2.c version-0 checkpoint (7-int header, float32 tensors) into float64 weights, refusing files
/// whose sizes do not add up. The Models project owns the fast float32 forward pass; this float64 copy is what
/// the protocols perturb and differentiate.
/// </summary>
public static class Llama2CheckpointReader
{
    public static TransformerWeights Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no checkpoint at '{path}'", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 28) throw new InvalidDataException($"{bytes.Length} bytes is too short for a llama2.c header (28 bytes)");
        var header = new int[7];
        for (var i = 0; i < 7; i++) header[i] = BitConverter.ToInt32(bytes, 4 * i);
        var (dim, hidden, layers, heads, kvHeads, vocabSigned, seqLen) = (header[0], header[1], header[2], header[3], header[4], header[5], header[6]);
        var shared = vocabSigned > 0;
        var vocab = Math.Abs(vocabSigned);
        if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || vocab == 0 || seqLen <= 0
            || dim > 1 << 16 || hidden > 1 << 18 || layers > 1024 || seqLen > 1 << 20 || vocab > 1 << 22)
            throw new InvalidDataException($"implausible header dim={dim} hidden={hidden} layers={layers} heads={heads} kv_heads={kvHeads} vocab={vocabSigned} seq_len={seqLen}");
        if (dim % heads != 0 || heads % kvHeads != 0 || (dim / heads) % 2 != 0)
            throw new InvalidDataException($"head sizes do not divide: dim={dim} heads={heads} kv_heads={kvHeads}");
        var dh = dim / heads;
        var kvDim = kvHeads * dh;
        long expected = (long)vocab * dim + layers * (2L * dim + 2L * dim * dim + 2L * dim * kvDim + 3L * dim * hidden) + dim
                        + (long)seqLen * dh + (shared ? 0 : (long)vocab * dim);
        var available = (bytes.Length - 28) / 4;
        if ((bytes.Length - 28) % 4 != 0 || available != expected)
            throw new InvalidDataException($"checkpoint holds {bytes.Length - 28} bytes of tensors but the header (dim {dim}, hidden {hidden}, layers {layers}, heads {heads}/{kvHeads}, vocab {vocab}, seq_len {seqLen}) needs {expected * 4}");

        var offset = 28;
        double[] Take(long count)
        {
            var a = new double[count];
            for (var i = 0; i < count; i++) { a[i] = BitConverter.ToSingle(bytes, offset); offset += 4; }
            return a;
        }
        var emb = Take((long)vocab * dim);
        var rmsAtt = Take((long)layers * dim);
        var wq = Take((long)layers * dim * dim);
        var wk = Take((long)layers * kvDim * dim);
        var wv = Take((long)layers * kvDim * dim);
        var wo = Take((long)layers * dim * dim);
        var rmsFfn = Take((long)layers * dim);
        var w1 = Take((long)layers * hidden * dim);
        var w2 = Take((long)layers * dim * hidden);
        var w3 = Take((long)layers * hidden * dim);
        var rmsFinal = Take(dim);
        Take((long)seqLen * dh); // freq_cis: RoPE tables the forward pass recomputes
        var classifier = shared ? emb : Take((long)vocab * dim);

        static double[] Slice(double[] a, int layer, int size) => a.AsSpan(layer * size, size).ToArray();
        var layerWeights = Enumerable.Range(0, layers).Select(l => new LayerWeights
        {
            RmsAtt = Slice(rmsAtt, l, dim), Wq = Slice(wq, l, dim * dim), Wk = Slice(wk, l, kvDim * dim), Wv = Slice(wv, l, kvDim * dim),
            Wo = Slice(wo, l, dim * dim), RmsFfn = Slice(rmsFfn, l, dim), W1 = Slice(w1, l, hidden * dim), W2 = Slice(w2, l, dim * hidden),
            W3 = Slice(w3, l, hidden * dim),
        }).ToArray();
        var weights = new TransformerWeights
        {
            DModel = dim, DHidden = hidden, Layers = layers, Heads = heads, KvHeads = kvHeads, Vocab = vocab, ContextLength = seqLen,
            Mlp = MlpKind.SwiGlu, Embedding = emb, Classifier = classifier, RmsFinal = rmsFinal, Layer = layerWeights,
        };
        weights.Validate();
        return weights;
    }
}
