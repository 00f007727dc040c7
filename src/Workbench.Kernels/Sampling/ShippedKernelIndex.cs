using System.Reflection;
using System.Numerics;

namespace Workbench.Kernels.Sampling;

/// <summary>The generated float32 batch kernel: patterns and margins of a structure-of-arrays batch.</summary>
internal delegate void PatternsAndMarginsBatch(ReadOnlySpan<float> q, ReadOnlySpan<float> k, Span<int> pattern, Span<float> margins);

/// <summary>
/// The generated kernels compiled into this assembly (ShippedKernels.cs), found once by reflection over the
/// classes the generator filled in, so the list of configurations is written in one place only.
/// </summary>
internal static class ShippedKernelIndex
{
    public readonly record struct Entry(string Name, PatternsAndMarginsBatch Kernel);

    private static readonly Lazy<Dictionary<(int Tokens, int HeadDim, MaskKind Mask), Entry>> All = new(Scan);

    /// <summary>The shipped kernel for one head of this configuration, or null: a window mask, a custom score
    /// scale or an unlisted shape runs the generic kernel.</summary>
    public static Entry? Find(SamplerConfig c)
    {
        if (c.Mask.Kind == MaskKind.Window) return null;
        return All.Value.TryGetValue((c.Tokens, c.HeadDim, c.Mask.Kind), out var e) ? e : null;
    }

    public static int Count => All.Value.Count;

    // The declaration attribute is [Conditional] and leaves no metadata, so a shipped kernel is recognised by what the
    // generator puts in every class: the Tokens, HeadDim, Heads and ScoreScale constants, PatternSetSize (n^n unmasked,
    // n! causal: different for every n ≥ 2) and the float32 batch entry point (a padding mask adds a keyMask parameter).
    private static Dictionary<(int, int, MaskKind), Entry> Scan()
    {
        var found = new Dictionary<(int, int, MaskKind), Entry>();
        foreach (var type in typeof(ShippedKernelIndex).Assembly.GetTypes())
        {
            if (type.Namespace != typeof(Shipped.Shipped_n2_d1_none).Namespace) continue;
            var method = type.GetMethod("PatternsAndMarginsBatch", BindingFlags.Public | BindingFlags.Static,
                [typeof(ReadOnlySpan<float>), typeof(ReadOnlySpan<float>), typeof(Span<int>), typeof(Span<float>)]);
            if (method is null) continue;
            int n = Constant<int>(type, "Tokens"), d = Constant<int>(type, "HeadDim"), heads = Constant<int>(type, "Heads");
            var scale = Convert.ToDouble(Constant<object>(type, "ScoreScale"), System.Globalization.CultureInfo.InvariantCulture); // float for float32 kernels
            if (heads != 1 || n < 2 || (float)scale != (float)(1.0 / Math.Sqrt(d))) continue;
            var size = (BigInteger)type.GetField("PatternSetSize", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            MaskKind? mask = size == BigInteger.Pow(n, n) ? MaskKind.None : size == Factorial(n) ? MaskKind.Causal : null;
            if (mask is null) continue;
            found[(n, d, mask.Value)] = new Entry(type.Name, method.CreateDelegate<PatternsAndMarginsBatch>());
        }
        return found;
    }

    private static T Constant<T>(Type type, string name) => (T)type.GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;

    private static BigInteger Factorial(int n)
    {
        BigInteger f = 1;
        for (var i = 2; i <= n; i++) f *= i;
        return f;
    }
}
