using System.Globalization;
using System.Text.RegularExpressions;
using Workbench.Models.Llama;

namespace Workbench.Models.Tests;

public class PeerAgreementTests
{
    static string? PeerScript()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "tests", "Workbench.Benchmarks", "peers", "llama2c_forward_torch.py");
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>
    /// The benchmark's PyTorch peer and the float32 fast path run the same KV-cache decode on stories260K; their logit
    /// checksums must agree, so the speed comparison compares the same computation.
    /// </summary>
    [StoriesTorchFact]
    public void Fast_decode_agrees_with_the_pytorch_peer()
    {
        var script = PeerScript();
        if (script is null || !Python.TorchAvailable) return; // the [StoriesTorchFact] ran; without torch there is no peer to compare
        var model = SharedModels.Stories260KCheckpoint()!;
        var (code, stdout, stderr) = Python.Run($"\"{script}\" \"{model}\" --batch 3 --positions 40 --reps 1 --threads 1", TimeSpan.FromSeconds(120));
        Assert.True(code == 0, stderr);
        var torch = double.Parse(Regex.Match(stdout, @"checksum=(-?[0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var fast = new LlamaFast(Llama2cLoader.Load(model));
        var cache = fast.NewCache(3);
        var logits = new float[3 * 512];
        for (var p = 0; p < 40; p++)
            fast.Step(cache, [(0 * 31 + p * 17) % 512, (1 * 31 + p * 17) % 512, (2 * 31 + p * 17) % 512], [p, p, p], logits, 2);
        var sum = 0.0;
        for (var b = 0; b < 3; b++)
            for (var v = 0; v < 8; v++) sum += logits[b * 512 + v];
        Assert.Equal(torch, sum, 1e-2);
    }
}
