using Workbench.Models.Capture;
using Workbench.Models.Llama;

namespace Workbench.Models.Tests;

public class CaptureTests
{
    static readonly LlamaConfig C = LlamaForwardTests.Small;

    [Fact]
    public void Captures_transformerlens_hooks_with_their_shapes()
    {
        var model = new LlamaReference(LlamaRandom.Create(C, 8));
        var tokens = LlamaForwardTests.RandomTokens(1, 9, C.VocabSize);
        var hooks = new ForwardHooks("blocks.1.*,blocks.0.hook_resid_pre");
        model.Logits(tokens, hooks);
        Assert.Equal([9, 6, 4], hooks["blocks.1.attn.hook_q"].Shape);
        Assert.Equal([9, 2, 4], hooks["blocks.1.attn.hook_k"].Shape);
        Assert.Equal([6, 9, 9], hooks["blocks.1.attn.hook_pattern"].Shape);
        Assert.Equal([9, 40], hooks["blocks.1.mlp.hook_pre"].Shape);
        Assert.Equal([9, 24], hooks["blocks.0.hook_resid_pre"].Shape);
        Assert.False(hooks.Captured.ContainsKey("blocks.0.attn.hook_q"));
        Assert.False(hooks.Captured.ContainsKey("blocks.2.hook_resid_pre"));
        // Scores are q·k/√d_head of the captured (post-RoPE) q and k, with kv head h/3; the future is −∞, patterns sum to 1.
        var q = hooks["blocks.1.attn.hook_q"].Data;
        var k = hooks["blocks.1.attn.hook_k"].Data;
        var scores = hooks["blocks.1.attn.hook_attn_scores"].Data;
        var pattern = hooks["blocks.1.attn.hook_pattern"].Data;
        for (var h = 0; h < 6; h++)
            for (var t = 0; t < 9; t++)
            {
                var rowSum = 0.0;
                for (var s = 0; s < 9; s++)
                {
                    var idx = (h * 9 + t) * 9 + s;
                    rowSum += pattern[idx];
                    if (s > t) { Assert.True(double.IsNegativeInfinity(scores[idx])); Assert.Equal(0.0, pattern[idx]); continue; }
                    var dot = 0.0;
                    for (var j = 0; j < 4; j++) dot += q[(t * 6 + h) * 4 + j] * k[(s * 2 + h / 3) * 4 + j];
                    Assert.Equal(dot / 2, scores[idx], 1e-12);
                }
                Assert.Equal(1.0, rowSum, 1e-12);
            }
    }

    [Fact]
    public void Q_is_captured_after_rope()
    {
        // Same token at positions 0 and 5: before RoPE their queries are equal; after RoPE they differ by the rotation
        // of position 5, which preserves each pair's norm.
        var model = new LlamaReference(LlamaRandom.Create(C, 8));
        int[] tokens = [3, 3, 3, 3, 3, 3];
        var hooks = new ForwardHooks("blocks.0.attn.hook_q");
        model.Logits(tokens, hooks);
        var q = hooks["blocks.0.attn.hook_q"].Data;
        var stride = 6 * 4;
        var differs = false;
        for (var i = 0; i < stride; i += 2)
        {
            double a0 = q[i], b0 = q[i + 1], a5 = q[5 * stride + i], b5 = q[5 * stride + i + 1];
            Assert.Equal(a0 * a0 + b0 * b0, a5 * a5 + b5 * b5, 1e-10);
            differs |= Math.Abs(a0 - a5) > 1e-6;
        }
        Assert.True(differs);
    }

    [Fact]
    public void Interventions_change_the_pass_temperature_and_masks()
    {
        var model = new LlamaReference(LlamaRandom.Create(C, 8));
        var tokens = LlamaForwardTests.RandomTokens(2, 8, C.VocabSize);
        // Infinite attention temperature (scores × 0) makes every causal pattern row uniform.
        var hooks = new ForwardHooks("blocks.2.attn.hook_pattern", (name, _, data) =>
        {
            if (name.EndsWith("hook_attn_scores")) for (var i = 0; i < data.Length; i++) if (double.IsFinite(data[i])) data[i] = 0;
        });
        var hot = model.Logits(tokens, hooks);
        var p = hooks["blocks.2.attn.hook_pattern"].Data;
        Assert.Equal(1.0 / 5, p[(0 * 8 + 4) * 8 + 2], 1e-12);
        Assert.NotEqual(model.Logits(tokens)[7 * C.VocabSize + 5], hot[7 * C.VocabSize + 5]);
        // Window 2: query t sees keys t−1, t only; no mask: every key.
        var window = new ForwardHooks("blocks.0.attn.hook_pattern");
        model.Logits(tokens, window, AttentionMask.SlidingWindow(2));
        var pw = window["blocks.0.attn.hook_pattern"].Data;
        Assert.Equal(0.0, pw[(1 * 8 + 6) * 8 + 4]);
        Assert.True(pw[(1 * 8 + 6) * 8 + 5] > 0);
        var all = new ForwardHooks("blocks.0.attn.hook_pattern");
        model.Logits(tokens, all, AttentionMask.NoMask);
        Assert.True(all["blocks.0.attn.hook_pattern"].Data[(1 * 8 + 0) * 8 + 7] > 0);
    }
}
