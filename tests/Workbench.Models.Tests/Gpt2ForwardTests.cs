using System.Globalization;
using System.Text.Json;
using Workbench.Models.Capture;
using Workbench.Models.Gpt2;
using Workbench.Models.Safetensors;

namespace Workbench.Models.Tests;

public class Gpt2ForwardTests
{
    static readonly Gpt2Config Tiny = new(Dim: 32, Layers: 2, Heads: 4, VocabSize: 50, Positions: 16, Inner: 72);

    static Gpt2Weights Load(Gpt2Weights w) => Gpt2Loader.Load(SafetensorsFile.Parse(Gpt2Random.ToSafetensors(w).ToBytes(), "tiny.safetensors"));

    [Fact]
    public void Loader_reads_back_what_was_written_and_needs_a_head_count()
    {
        var w = Gpt2Random.Create(Tiny, 3);
        var back = Load(w);
        Assert.Equal(Tiny, back.Config);
        Assert.Equal(w.FcProjW[1], back.FcProjW[1]);
        var noHeads = new SafetensorsWriter().Add("wte.weight", new float[4], 2, 2).Add("wpe.weight", new float[4], 2, 2)
            .Add("h.0.attn.c_attn.weight", new float[12], 2, 6).Add("h.0.mlp.c_fc.weight", new float[4], 2, 2).ToBytes();
        Assert.Contains("head count", Assert.Throws<ModelFormatException>(() => Gpt2Loader.Load(SafetensorsFile.Parse(noHeads, "x"))).Problem);
        var oneLayer = Gpt2Random.ToSafetensors(Gpt2Random.Create(Tiny with { Layers = 1 }, 1)).ToBytes();
        Assert.Contains("does not divide", Assert.Throws<ModelFormatException>(() => Gpt2Loader.Load(SafetensorsFile.Parse(oneLayer, "x"), heads: 5)).Problem);
        var file = SafetensorsFile.Parse(oneLayer, "x");
        Assert.Contains("has shape [32], expected [31]", Assert.Throws<ModelFormatException>(() => file.Require("h.0.attn.c_proj.bias", 31)).Problem);
    }

    [Fact]
    public void Fast_path_matches_float64_reference()
    {
        var w = Load(Gpt2Random.Create(Tiny, 5));
        var tokens = LlamaForwardTests.RandomTokens(3, 16, Tiny.VocabSize);
        var expected = new Gpt2Reference(w).Logits(tokens);
        var actual = new Gpt2Fast(w).Logits(tokens);
        var scale = Math.Max(1, expected.Max(Math.Abs));
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-4 * scale, $"logit {i}: {actual[i]} vs {expected[i]}");
        Assert.Contains("longer than the context", Assert.Throws<ModelFormatException>(() => new Gpt2Fast(w).Logits(new int[17])).Problem);
    }

    [Fact]
    public void Reference_hooks_have_gpt2_shapes()
    {
        var w = Load(Gpt2Random.Create(Tiny, 5));
        var hooks = new ForwardHooks("blocks.1.attn.hook_k,blocks.0.mlp.hook_pre");
        new Gpt2Reference(w).Logits([1, 2, 3], hooks);
        Assert.Equal([3, 4, 8], hooks["blocks.1.attn.hook_k"].Shape);
        Assert.Equal([3, 72], hooks["blocks.0.mlp.hook_pre"].Shape);
    }

    const string TorchPeer = """
import json, struct, sys
import numpy as np, torch
import torch.nn.functional as F
torch.set_num_threads(1)
path, heads, tokens = sys.argv[1], int(sys.argv[2]), [int(t) for t in sys.argv[3].split(',')]
raw = open(path, 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
W = {}
for k, v in header.items():
    if k == '__metadata__': continue
    b, e = v['data_offsets']
    W[k] = torch.from_numpy(np.frombuffer(data[b:e], dtype='<f4').reshape(v['shape']).astype(np.float64))
T = len(tokens); d = W['wte.weight'].shape[1]; r = d // heads
x = W['wte.weight'][tokens] + W['wpe.weight'][:T]
layers = sum(1 for k in W if k.endswith('attn.c_attn.weight'))
mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
for l in range(layers):
    p = lambda s: W[f'h.{l}.{s}']
    h = F.layer_norm(x, (d,), p('ln_1.weight'), p('ln_1.bias'), 1e-5)
    q, k, v = (h @ p('attn.c_attn.weight') + p('attn.c_attn.bias')).split(d, dim=-1)
    q, k, v = [t.view(T, heads, r).transpose(0, 1) for t in (q, k, v)]
    s = (q @ k.transpose(-1, -2)) / r ** 0.5
    s = s.masked_fill(~mask, float('-inf'))
    z = (s.softmax(-1) @ v).transpose(0, 1).reshape(T, d)
    x = x + z @ p('attn.c_proj.weight') + p('attn.c_proj.bias')
    h = F.layer_norm(x, (d,), p('ln_2.weight'), p('ln_2.bias'), 1e-5)
    h = F.gelu(h @ p('mlp.c_fc.weight') + p('mlp.c_fc.bias'), approximate='tanh')
    x = x + h @ p('mlp.c_proj.weight') + p('mlp.c_proj.bias')
x = F.layer_norm(x, (d,), W['ln_f.weight'], W['ln_f.bias'], 1e-5)
print(json.dumps((x @ W['wte.weight'].T).flatten().tolist()))
""";

    [TorchFact]
    public void Matches_pytorch_on_a_checkpoint_the_test_writes()
    {
        using var dir = new TempDir();
        var w = Gpt2Random.Create(Tiny, 12);
        var path = dir.File("tiny.safetensors");
        Gpt2Random.ToSafetensors(w).Save(path);
        File.WriteAllText(dir.File("peer.py"), TorchPeer);
        var tokens = LlamaForwardTests.RandomTokens(8, 12, Tiny.VocabSize);
        var (code, stdout, stderr) = Python.Run($"\"{dir.File("peer.py")}\" \"{path}\" {Tiny.Heads} {string.Join(',', tokens)}", TimeSpan.FromSeconds(120));
        Assert.True(code == 0, stderr);
        var torch = JsonSerializer.Deserialize<double[]>(stdout)!;
        var loaded = Gpt2Loader.Load(path);
        var reference = new Gpt2Reference(loaded).Logits(tokens);
        var fast = new Gpt2Fast(loaded).Logits(tokens);
        Assert.Equal(torch.Length, reference.Length);
        for (var i = 0; i < torch.Length; i++)
        {
            // Both sides compute in float64 from the same float32 weights: agreement to round-off.
            Assert.True(Math.Abs(torch[i] - reference[i]) <= 1e-9 * Math.Max(1, Math.Abs(torch[i])), $"logit {i}: torch {torch[i].ToString(CultureInfo.InvariantCulture)} vs reference {reference[i]}");
            Assert.True(Math.Abs(torch[i] - fast[i]) <= 2e-4 * Math.Max(1, Math.Abs(torch[i])), $"logit {i}: torch {torch[i]} vs fast {fast[i]}");
        }
    }
}
