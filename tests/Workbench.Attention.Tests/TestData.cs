using Workbench.Attention;

namespace Workbench.Attention.Tests;

internal static class TestData
{
    public static double[] Normal(int count, int seed)
    {
        var x = new double[count];
        new Gaussian(seed).Fill(x);
        return x;
    }

    public static float[] NormalSingle(int count, int seed)
    {
        var x = new float[count];
        new Gaussian(seed).Fill(x);
        return x;
    }

    public static AttentionMask MaskFor(int kind, int n) => (kind % 4) switch
    {
        0 => AttentionMask.None,
        1 => AttentionMask.Causal,
        2 => AttentionMask.Window(kind / 4 % n),
        _ => AttentionMask.Padding(Enumerable.Range(0, n).Select(j => j == 0 || (j * 7 + kind) % 3 != 0).ToArray()),
    };
}
