using System.Text.RegularExpressions;

namespace Workbench.Models.Capture;

/// <summary>One captured activation: its hook name, shape and values (float64, row-major).</summary>
public sealed record CapturedTensor(string Name, int[] Shape, double[] Data);

/// <summary>
/// Hook points of a forward pass, named as TransformerLens names them. A pattern selects what is captured
/// (glob: `*` any run of characters, `?` one; several patterns separated by commas), and an optional intervention
/// may change an activation in place before the pass uses it (for instance scale `hook_attn_scores` by 1/τ, or
/// add a perturbation to `hook_resid_pre`). Captured values are copies taken after the intervention.
/// </summary>
public sealed class ForwardHooks
{
    readonly Regex? _capture;
    readonly Dictionary<string, CapturedTensor> _captured = new(StringComparer.Ordinal);

    /// <param name="capturePattern">Hook names to keep, e.g. "blocks.*.attn.hook_pattern,blocks.0.hook_resid_pre"; null keeps none.</param>
    /// <param name="intervention">Called at every hook point with (name, shape, data); may modify data.</param>
    public ForwardHooks(string? capturePattern = "*", Action<string, int[], double[]>? intervention = null)
    {
        _capture = capturePattern is null ? null : Glob(capturePattern);
        Intervention = intervention;
    }

    public Action<string, int[], double[]>? Intervention { get; }

    public IReadOnlyDictionary<string, CapturedTensor> Captured => _captured;

    public CapturedTensor this[string name] =>
        _captured.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"hook {name} was not captured");

    public static Regex Glob(string pattern)
    {
        var parts = pattern.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => "^" + Regex.Escape(p).Replace("\\*", ".*").Replace("\\?", ".") + "$");
        return new Regex(string.Join("|", parts), RegexOptions.CultureInvariant);
    }

    public bool Captures(string name) => _capture is not null && _capture.IsMatch(name);

    /// <summary>Called by the forward pass at each hook point.</summary>
    public void Visit(string name, int[] shape, double[] data)
    {
        Intervention?.Invoke(name, shape, data);
        if (Captures(name)) _captured[name] = new CapturedTensor(name, shape, (double[])data.Clone());
    }
}

/// <summary>The hook names, TransformerLens style; shapes are per sequence (no batch axis).</summary>
public static class HookNames
{
    /// <summary>[pos, d_model]: the residual stream entering block l.</summary>
    public static string ResidPre(int l) => $"blocks.{l}.hook_resid_pre";
    /// <summary>[pos, n_heads, d_head]: queries, after RoPE.</summary>
    public static string Q(int l) => $"blocks.{l}.attn.hook_q";
    /// <summary>[pos, n_kv_heads, d_head]: keys, after RoPE (one per key/value head, as TransformerLens stores GQA keys).</summary>
    public static string K(int l) => $"blocks.{l}.attn.hook_k";
    /// <summary>[pos, n_kv_heads, d_head].</summary>
    public static string V(int l) => $"blocks.{l}.attn.hook_v";
    /// <summary>[n_heads, query_pos, key_pos]: q·k/√d_head, masked entries −∞.</summary>
    public static string AttnScores(int l) => $"blocks.{l}.attn.hook_attn_scores";
    /// <summary>[n_heads, query_pos, key_pos]: softmax of the scores.</summary>
    public static string Pattern(int l) => $"blocks.{l}.attn.hook_pattern";
    /// <summary>[pos, n_heads, d_head]: pattern-weighted values, before the output projection.</summary>
    public static string Z(int l) => $"blocks.{l}.attn.hook_z";
    /// <summary>[pos, d_model]: residual after attention, before the MLP.</summary>
    public static string ResidMid(int l) => $"blocks.{l}.hook_resid_mid";
    /// <summary>[pos, d_mlp]: MLP pre-activation (for SwiGLU the gate input W1·x, as TransformerLens's gated MLPs).</summary>
    public static string MlpPre(int l) => $"blocks.{l}.mlp.hook_pre";
    /// <summary>[pos, d_mlp]: SwiGLU's linear branch W3·x (gated MLPs only).</summary>
    public static string MlpPreLinear(int l) => $"blocks.{l}.mlp.hook_pre_linear";
    /// <summary>[pos, d_mlp]: MLP activation fed to the down projection.</summary>
    public static string MlpPost(int l) => $"blocks.{l}.mlp.hook_post";
    /// <summary>[pos, d_model]: residual leaving block l.</summary>
    public static string ResidPost(int l) => $"blocks.{l}.hook_resid_post";
    /// <summary>[pos, vocab].</summary>
    public const string Logits = "logits";
}
