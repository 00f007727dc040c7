using Workbench.Models.Heads;

namespace Workbench.Algebra.Operators;

/// <summary>Turns a checkpoint's <see cref="HeadOperatorSet"/> (from the Workbench.Models loaders) into factored layers.</summary>
public static class CheckpointHeads
{
    public static FactoredHeads Layer(IReadOnlyList<HeadFactors> heads)
    {
        if (heads.Count == 0) throw new ArgumentException("a layer with no heads");
        int d = heads[0].DModel, r = heads[0].DHead;
        var q = new List<double[]>();
        var k = new List<double[]>();
        foreach (var h in heads)
        {
            if (h.DModel != d || h.DHead != r) throw new ArgumentException($"layer {h.Layer} head {h.Head}: factor shape {h.DModel}×{h.DHead} differs from {d}×{r}");
            q.Add(Flatten(h.WQ));
            k.Add(Flatten(h.WK));
        }
        return FactoredHeads.FromHeads(d, r, q, k);
    }

    public static IReadOnlyList<FactoredHeads> Layers(HeadOperatorSet set) =>
        Enumerable.Range(0, set.Layers).Select(l => Layer(set.Layer(l))).ToList();

    private static double[] Flatten(double[,] m)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        var a = new double[rows * cols];
        for (var i = 0; i < rows; i++)
        for (var j = 0; j < cols; j++) a[i * cols + j] = m[i, j];
        return a;
    }
}
