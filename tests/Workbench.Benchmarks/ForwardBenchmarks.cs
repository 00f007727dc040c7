using BenchmarkDotNet.Attributes;
using Workbench.Models;
using Workbench.Models.Llama;

namespace Workbench.Benchmarks;

/// <summary>
/// Decode throughput of the float32 llama2.c forward pass on stories260K: a batch of sequences, one position per
/// step through the KV cache, <see cref="Positions"/> steps, the token grid (b·31 + p·17) mod vocab that the PyTorch
/// peer (peers/llama2c_forward_torch.py) uses. tokens/s = Batch × Positions / mean time. Two threads, as the peer.
/// </summary>
[Config(typeof(InProcessConfig))]
public class ForwardBenchmarks
{

    public const int Positions = 128;
    LlamaFast _model = null!;
    float[] _logits = null!;

    [Params(1, 32)] public int Batch;
    [Params(1, 2)] public int Threads;

    [GlobalSetup]
    public void Setup()
    {
        var path = SharedModels.Stories260KCheckpoint() ?? throw new InvalidOperationException(SharedModels.AbsentReason);
        _model = new LlamaFast(Llama2cLoader.Load(path));
        _logits = new float[Batch * _model.Config.VocabSize];
    }

    [Benchmark]
    public float Decode()
    {
        var cache = _model.NewCache(Batch, Positions);
        var tokens = new int[Batch];
        var positions = new int[Batch];
        for (var p = 0; p < Positions; p++)
        {
            for (var b = 0; b < Batch; b++) { tokens[b] = (b * 31 + p * 17) % _model.Config.VocabSize; positions[b] = p; }
            _model.Step(cache, tokens, positions, _logits, Math.Min(Threads, Batch));
        }
        var checksum = 0f;
        for (var b = 0; b < Batch; b++)
            for (var v = 0; v < 8; v++) checksum += _logits[b * _model.Config.VocabSize + v];
        return checksum;
    }
}
